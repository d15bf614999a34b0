import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/engine/config.js';
import { loadPublicRoots } from '../../src/certs/public-roots.js';
import rule from '../../src/rules/external-certificate-public-ca.js';
import { certificateLabel } from '../../src/rules/support.js';
import { certs, deployment, edgePool, frontEndPool, ruleTester, runRule, thumbprint, without, type ServerSpec } from './harness.js';

// Certificate requirements for external user access: the Edge external interface certificate (Access
// Edge, Web Conferencing Edge; XMPP where used) is issued by a public CA, as federation partners and
// remote clients trust only those. The fixtures' Contoso Test Root is a private CA: it is in no public
// root list, unless the configuration adds it.
const EXTERNAL = { AccessEdgeExternal: 'good', DataEdgeExternal: 'good' };
const edge = (assignments: ServerSpec['assignments'] = EXTERNAL, n = 2) => deployment({ pools: [edgePool(assignments, n)] });
const label = (name: string) => certificateLabel(certs[name]!);

ruleTester(rule, {
  valid: [
    { name: 'the private root counted as public (publicRoots add)', deployment: edge(), publicRoots: ['root'] },
    { name: 'Internal and A/V certificates may come from the internal CA', deployment: edge({ Internal: 'good', AudioVideoAuthentication: 'good' }) },
    { name: 'a Front End\'s external web certificate is not this rule\'s', deployment: deployment({ pools: [frontEndPool({ WebServicesExternal: 'good' }, 1)] }) },
    {
      // An Edge usage assigned on a Front End: the requirements model asks nothing of a usage its role does not have.
      name: 'an AccessEdgeExternal certificate assigned on a Front End is not this rule\'s',
      deployment: deployment({ pools: [frontEndPool({ AccessEdgeExternal: 'good' }, 1)] }),
    },
    // A path refused for neither an untrusted root nor a missing issuer (here a signature that does not verify) is left to the rules that judge its cause.
    { name: 'a forged signature is trusted-root-present\'s finding', deployment: edge({ AccessEdgeExternal: 'forged' }, 1) },
    {
      // The Edge lacks the issuing CA (trusted-root-present's finding), which leads to a public root.
      name: 'a public CA\'s certificate whose path the Edge cannot complete is still from a public CA',
      deployment: deployment({ pools: [edgePool(EXTERNAL, 1, { all: { intermediate: [] } })] }),
      publicRoots: ['root'],
    },
    {
      name: 'one Edge whose stores complete the path to a public root is enough, the other\'s lack is trusted-root-present\'s',
      deployment: deployment({ pools: [edgePool(EXTERNAL, 2, { per: { 1: { intermediate: [], root: [] } } })] }),
      publicRoots: ['root'],
    },
  ],
  invalid: [
    {
      name: 'Access and Web Conferencing Edge certificate from the private CA: one finding for both Edge servers',
      deployment: edge(),
      findings: [
        {
          messageId: 'privateRoot',
          usage: 'AccessEdgeExternal',
          thumbprint: thumbprint('good'),
          places: ['edge01.contoso.com', 'edge02.contoso.com'],
          message: `${label('good')} chains to the root ${label('root')}, which`,
        },
      ],
    },
    {
      // QA: edge02's Trusted Root store lacks the private root (its own path fails): it holds the certificate all the same.
      name: 'every Edge that holds the certificate is listed, also one whose own path fails',
      deployment: deployment({ pools: [edgePool(EXTERNAL, 2, { per: { 1: { root: ['other-root'] } } })] }),
      findings: [{ messageId: 'privateRoot', places: ['edge01.contoso.com', 'edge02.contoso.com'], message: `${label('good')} chains to the root ${label('root')}, which` }],
    },
    {
      name: 'a private CA whose path no Edge completes: not public either, and said so',
      deployment: deployment({ pools: [edgePool(EXTERNAL, 2, { all: { intermediate: [] } })] }),
      findings: [
        {
          messageId: 'privateRootIncomplete',
          thumbprint: thumbprint('good'),
          places: ['edge01.contoso.com', 'edge02.contoso.com'],
          message: `${label('good')} comes from a CA that is not public: its issuers, followed through the snapshot's certificates (no Edge that holds it has its whole path in its stores), lead to the root ${label('root')}`,
        },
      ],
    },
    {
      name: 'an issuer the snapshot does not hold: no path to a public root, what to do either way',
      deployment: without(deployment({ pools: [edgePool(EXTERNAL, 1, { all: { intermediate: [] } })] }), 'issuing'),
      findings: [{ messageId: 'issuerUnknown', places: ['edge01.contoso.com'], message: `stops at "${certs.issuing!.facts.subject}", which is no public root` }],
    },
    { name: 'a combined External certificate', deployment: edge({ External: 'good' }, 1), findings: [{ messageId: 'privateRoot', usage: 'External' }] },
    { name: 'an XMPP certificate', deployment: edge({ XmppServer: 'good' }, 1), findings: [{ messageId: 'privateRoot', usage: 'XmppServer' }] },
    {
      name: 'the root named is the one the server\'s own stores lead to, here another private root',
      deployment: deployment({ pools: [edgePool({ AccessEdgeExternal: 'under-other-root' }, 1, { all: { root: ['other-root'], intermediate: [] } })] }),
      publicRoots: ['root'],
      findings: [{ messageId: 'privateRoot', message: `the root ${label('other-root')}` }],
    },
    {
      name: 'a self-signed external certificate',
      deployment: deployment({ pools: [edgePool({ AccessEdgeExternal: 'self-signed' }, 1, { all: { intermediate: [] } })] }),
      findings: [{ messageId: 'selfSigned', thumbprint: thumbprint('self-signed'), message: `${label('self-signed')} is self-signed` }],
    },
    {
      name: 'with publicRoots replaced by another root, the test root is private again',
      deployment: edge(EXTERNAL, 1),
      publicRoots: ['other-root'],
      findings: [{ messageId: 'privateRoot' }],
    },
  ],
});

// The cases mutation testing showed missing (docs/testing.md), on the certificates of
// fixtures/rules/trust/make.mjs (openssl's verdicts on their paths in openssl-verdicts.txt there). The
// Trust Test Public Root plays a public root: the cases list it as the only one.
const VERDICTS = readFileSync(new URL('../../fixtures/rules/trust/openssl-verdicts.txt', import.meta.url), 'utf8');
const TRUST_PUBLIC = ['trust-public-root'];
/** Edges holding `certificate` on AccessEdgeExternal with nothing in their stores but what `per` gives each. */
const bare = (certificate: string, n: number, per: Record<number, Partial<ServerSpec>> = {}) =>
  deployment({ pools: [edgePool({ AccessEdgeExternal: certificate }, n, { all: { root: [], intermediate: [] }, per })] });

describe('trust fixtures: what openssl says of the public CA paths', () => {
  it('a cross-certified CA: its path ends at the public root through the cross-certificate, at its own self-signed certificate otherwise', () => {
    expect(VERDICTS).toMatch(/^trust-under-cross-ca, cross-certificate: OK$/m);
    expect(VERDICTS).toMatch(/^trust-under-cross-ca, self-signed CA: error 19 at 1 depth lookup: self-signed certificate in certificate chain$/m);
    expect(VERDICTS).toMatch(/^trust-under-public-ca, twin root: OK$/m);
    // One Subject, two keys: only one of the two roots is the public one.
    expect(certs['trust-public-root-twin']!.facts.subject).toBe(certs['trust-public-root']!.facts.subject);
    expect(thumbprint('trust-public-root-twin')).not.toBe(thumbprint('trust-public-root'));
  });
});

ruleTester(rule, {
  valid: [
    {
      name: 'one Edge holds the cross-certificate to the public root, the other only the CA\'s self-signed certificate: public, from the first',
      deployment: bare('trust-under-cross-ca', 2, { 0: { intermediate: ['trust-cross-ca'] }, 1: { intermediate: ['trust-cross-ca-self'] } }),
      publicRoots: TRUST_PUBLIC,
    },
    {
      name: 'the same with the Edges the other way round',
      deployment: bare('trust-under-cross-ca', 2, { 0: { intermediate: ['trust-cross-ca-self'] }, 1: { intermediate: ['trust-cross-ca'] } }),
      publicRoots: TRUST_PUBLIC,
    },
    {
      // The snapshot holds the CA both self-signed and cross-certified by the public root: followed by name,
      // the cross-certificate leads on to the public root (the Edge's missing CA is trusted-root-present's).
      name: 'an Edge holding neither certificate of a cross-certified CA: its issuers lead to the public root through the cross-certificate',
      deployment: bare('trust-under-cross-ca', 1),
      publicRoots: TRUST_PUBLIC,
    },
    {
      // Followed by name, the issuing CA leads to a Subject two roots have: the public one is enough.
      name: 'issuers followed by name reach a Subject of two roots, one of them public',
      deployment: bare('trust-under-public-ca', 1),
      publicRoots: TRUST_PUBLIC,
    },
  ],
  invalid: [
    {
      name: 'Edges that hold only the cross-certified CA\'s self-signed certificate: its path ends there, at a root that is not public',
      deployment: bare('trust-under-cross-ca', 2, { 0: { intermediate: ['trust-cross-ca-self'] }, 1: { intermediate: ['trust-cross-ca-self'] } }),
      publicRoots: TRUST_PUBLIC,
      findings: [{ messageId: 'privateRoot', places: ['edge01.contoso.com', 'edge02.contoso.com'], message: `the root ${label('trust-cross-ca-self')}, which` }],
    },
    {
      // The first self-signed certificate met names the root when the cross-certificate leads to no public root either.
      name: 'a cross-certified CA whose certifying root is not public either: the CA\'s own self-signed certificate is the root',
      deployment: bare('trust-under-cross-ca', 1),
      publicRoots: ['root'],
      findings: [{ messageId: 'privateRootIncomplete', thumbprint: thumbprint('trust-under-cross-ca'), message: `lead to the root ${label('trust-cross-ca-self')}, which` }],
    },
    {
      name: 'with neither root of that Subject public, the issuers lead to a private root',
      deployment: bare('trust-under-public-ca', 1),
      publicRoots: ['root'],
      findings: [{ messageId: 'privateRootIncomplete', thumbprint: thumbprint('trust-under-public-ca') }],
    },
    {
      // edge01's path is refused for its signature (trusted-root-present's finding); edge02's stops at the
      // issuing CA it lacks, whose issuers lead to the private root.
      name: 'a path refused on one Edge and incomplete on the other: the issuers of the incomplete one are followed',
      deployment: deployment({ pools: [edgePool({ AccessEdgeExternal: 'forged' }, 2, { per: { 1: { intermediate: [] } } })] }),
      findings: [{ messageId: 'privateRootIncomplete', places: ['edge01.contoso.com', 'edge02.contoso.com'], message: `lead to the root ${label('root')}, which` }],
    },
    {
      // Loop A is issued by B, B by C, C by A: the names lead back to the first, which is reported.
      name: 'issuer names that loop, followed until a name comes back',
      deployment: bare('trust-under-loop', 1),
      publicRoots: TRUST_PUBLIC,
      findings: [{ messageId: 'issuerEndless', message: `without reaching a root (they were left at "${certs['trust-loop-a']!.facts.subject}")` }],
    },
    {
      // Deep7 CA 1 to 7, then the root: the 8th name followed is the root's.
      name: 'issuers followed by name through seven CAs reach the root',
      deployment: bare('trust-under-deep7', 1),
      publicRoots: TRUST_PUBLIC,
      findings: [{ messageId: 'privateRootIncomplete', message: `lead to the root ${label('trust-deep7-root')}, which` }],
    },
    {
      // Deep8 CA 1 to 8, then the root: issuer names are followed for 8 names (MAX_DEPTH), so the root's, the 9th, is where it stops.
      name: 'issuers followed by name stop after eight names, before the root of eight CAs',
      deployment: bare('trust-under-deep8', 1),
      publicRoots: TRUST_PUBLIC,
      findings: [{ messageId: 'issuerEndless', message: `run deeper than 8 CAs without reaching a root (they were left at "${certs['trust-deep8-root']!.facts.subject}")` }],
    },
  ],
});

describe('external-certificate-public-ca with the public roots a configuration file gives', () => {
  const ROOT = fileURLToPath(new URL('../../fixtures/rules/root.pem', import.meta.url));
  /** A configuration naming root files, copied beside it: a configuration names files inside its own folder or repository. */
  const configured = (publicRoots: string, files: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'sfb-public-roots-'));
    for (const file of files) copyFileSync(file, join(dir, basename(file)));
    const path = join(dir, 'sfb-certlint.config.yaml');
    writeFileSync(path, `publicRoots:\n${publicRoots}`);
    return () => loadPublicRoots(loadConfig(path).publicRoots);
  };

  it('passes once the configuration adds the private root, beside Node\'s bundled roots', () => {
    const roots = configured('  add: [root.pem]\n', [ROOT]);
    expect(roots().length).toBeGreaterThan(100);
    expect(runRule(rule, { deployment: edge(), publicRoots: roots })).toEqual([]);
  });

  it('fails with Node\'s bundled roots alone, and with a replacement that lacks it', () => {
    expect(runRule(rule, { deployment: edge() }).map((f) => f.messageId)).toEqual(['privateRoot']);
    const other = fileURLToPath(new URL('../../fixtures/rules/other-root.pem', import.meta.url));
    const replaced = configured('  replace: [other-root.pem]\n', [other]);
    expect(replaced()).toHaveLength(1);
    expect(runRule(rule, { deployment: edge(), publicRoots: replaced }).map((f) => f.messageId)).toEqual(['privateRoot']);
  });
});

