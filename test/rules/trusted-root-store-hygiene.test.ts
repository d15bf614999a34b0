import { describe, expect, it } from 'vitest';
import { messageSpec } from '../../src/engine/types.js';
import rule from '../../src/rules/trusted-root-store-hygiene.js';
import { certificateLabel } from '../../src/rules/support.js';
import { certs, deployment, edgePool, frontEndPool, ruleTester, thumbprint } from './harness.js';

// KB 2795828: a certificate that is not self-signed in Trusted Root stops the Front End service on
// Windows Server 2012; field reports: more than about 100 roots breaks sign-in; duplicates. On an Edge the
// message says why it happens there: Gg412750 has the internal CA's whole chain (.p7b) imported into
// Trusted Root Certification Authorities, intermediates and all.
const roots = (root: string[]) => deployment({ pools: [frontEndPool({ Default: 'good' }, 1, { all: { root } })] });

ruleTester(rule, {
  valid: [
    { name: 'self-signed roots only', deployment: roots(['root', 'other-root']) },
    { name: 'a store not collected', deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1, { all: { root: null } })] }) },
    { name: 'exactly as many roots as allowed', deployment: roots(['root', 'other-root']), options: { maxRoots: 2 } },
  ],
  invalid: [
    {
      name: 'an issuing CA in the Trusted Root store: an error',
      deployment: roots(['root', 'issuing']),
      findings: [{ messageId: 'notSelfSigned', severity: 'error', thumbprint: thumbprint('issuing'), message: `holds ${certificateLabel(certs.issuing!)}, issued by "O=Contoso, CN=Contoso Test Root"` }],
    },
    {
      name: 'an issuing CA in an Edge\'s Trusted Root store: the documented chain import, and what to do instead',
      deployment: deployment({ pools: [edgePool({ Internal: 'good' }, 1, { all: { root: ['root', 'issuing'] } })] }),
      findings: [{ messageId: 'edgeNotSelfSigned', severity: 'error', server: 'edge01.contoso.com', thumbprint: thumbprint('issuing'), message: `holds ${certificateLabel(certs.issuing!)}, issued by "O=Contoso, CN=Contoso Test Root"` }],
    },
    { name: 'a duplicate', deployment: roots(['root', 'root']), findings: [{ messageId: 'duplicate', severity: 'warning', message: `lists ${certificateLabel(certs.root!)} more` }] },
    { name: 'more roots than allowed', deployment: roots(['root', 'other-root']), options: { maxRoots: 1 }, findings: [{ messageId: 'tooMany', severity: 'warning', message: 'holds 2 certificates (more than 1)' }] },
    {
      // QA: 103 entries, one of them a duplicate, are 102 certificates: the duplicate is its own finding.
      name: 'the count is of certificates: a duplicate entry counts once',
      deployment: roots(['root', 'other-root', 'sha1-root', 'root']),
      options: { maxRoots: 2 },
      findings: [
        { messageId: 'tooMany', severity: 'warning', message: 'holds 3 certificates (more than 2)' },
        { messageId: 'duplicate', severity: 'warning', thumbprint: thumbprint('root') },
      ],
    },
    {
      name: 'as many certificates as allowed, one listed twice: the duplicate only',
      deployment: roots(['root', 'other-root', 'root']),
      options: { maxRoots: 2 },
      findings: [{ messageId: 'duplicate', severity: 'warning' }],
    },
  ],
});

describe('trusted-root-store-hygiene\'s catalogue', () => {
  // Its default severity is its worst message's: what `rules` lists is what a default run can report.
  it('lists error as the rule\'s severity, the severity of its not-self-signed findings; crowding and duplicates warn', () => {
    expect(rule.meta.severity).toBe('error');
    const severities = Object.fromEntries(Object.keys(rule.meta.messages).map((id) => [id, messageSpec(rule.meta, id)!.severity]));
    expect(severities).toEqual({ notSelfSigned: 'error', edgeNotSelfSigned: 'error', tooMany: 'warning', duplicate: 'warning' });
  });
});
