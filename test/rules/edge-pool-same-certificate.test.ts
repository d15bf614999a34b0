import { describe, expect, it } from 'vitest';
import { lintDeployment } from '../../src/engine/run.js';
import { createChainValidation } from '../../src/engine/validation.js';
import rule from '../../src/rules/edge-pool-same-certificate.js';
import { certificateLabel } from '../../src/rules/support.js';
import { fingerprints } from '../../src/report/fingerprint.js';
import { certs, deployment, edgePool, NOW, runRule, ruleTester, thumbprint } from './harness.js';

// Set up certificates for the internal edge interface: every Edge server of a pool holds the same
// certificates and keys. Staging AV and OAuth certificates using -Roll: an AudioVideoAuthentication
// roll's EffectiveDate must be at least 8 hours before the current certificate expires
// (expires-2027 expires 2027-01-15T00:00:00Z).
const EDGE = { Internal: 'good', AccessEdgeExternal: 'second', DataEdgeExternal: 'second', AudioVideoAuthentication: 'second' };
const label = (name: string) => certificateLabel(certs[name]!);
const AV_ROLL = { current: 'good', previous: 'expires-2027', effectiveDate: '2027-01-10T00:00:00Z' };

ruleTester(rule, {
  valid: [
    { name: 'both Edge servers hold the same certificates', deployment: deployment({ pools: [edgePool(EDGE)] }) },
    { name: 'an A/V roll staged 5 days before the current certificate expires', deployment: deployment({ pools: [edgePool({ AudioVideoAuthentication: AV_ROLL })] }) },
    { name: 'an A/V roll exactly 8 hours before expiry: Microsoft\'s minimum, met', deployment: deployment({ pools: [edgePool({ AudioVideoAuthentication: { ...AV_ROLL, effectiveDate: '2027-01-14T16:00:00Z' } }, 1)] }) },
    {
      name: 'at the EffectiveDate of a late roll, the roll is history',
      now: new Date('2027-01-14T20:00:00Z'),
      deployment: deployment({ pools: [edgePool({ AudioVideoAuthentication: { ...AV_ROLL, effectiveDate: '2027-01-14T20:00:00Z' } }, 1)] }),
    },
    {
      name: 'an Edge lacking a usage its role requires is required-usages-assigned\'s finding',
      deployment: deployment({ pools: [edgePool(EDGE, 2, { per: { 1: { assignments: { ...EDGE, AudioVideoAuthentication: undefined } } } })] }),
    },
    {
      name: 'an Edge with nothing assigned at all is inventory-present\'s finding',
      deployment: deployment({ pools: [edgePool(EDGE, 2, { per: { 1: { assignments: {} } } })] }),
    },
    {
      // XmppServer is not required (XMPP federation not known to be on), so only the empty inventory tells edge02 apart.
      name: 'an Edge with nothing assigned beside one holding XmppServer is inventory-present\'s finding, not a missing XmppServer',
      deployment: deployment({ pools: [edgePool({ ...EDGE, XmppServer: 'second' }, 2, { per: { 1: { assignments: {} } } })] }),
    },
    {
      // The reference: "A/V roll: EffectiveDate at least 8 hours before expiry" is the AudioVideoAuthentication
      // rule (the OAuth one, 24 hours, is oauth-same-certificate's); -Roll stages AV and OAuth certificates only.
      name: 'a roll staged on the Internal certificate 4 hours before expiry: the 8-hour minimum is the A/V roll\'s',
      deployment: deployment({ pools: [edgePool({ Internal: { ...AV_ROLL, effectiveDate: '2027-01-14T20:00:00Z' } }, 1)] }),
    },
  ],
  invalid: [
    {
      name: 'edge02 has a different Internal certificate',
      deployment: deployment({ pools: [edgePool(EDGE, 3, { per: { 1: { assignments: { ...EDGE, Internal: 'no-cdp' } } } })] }),
      findings: [{ messageId: 'differs', server: 'edge02.contoso.com', usage: 'Internal', thumbprint: thumbprint('no-cdp'), message: `${label('no-cdp')} on edge02.contoso.com differs from ${label('good')} on edge01.contoso.com, edge03.contoso.com` }],
    },
    {
      name: 'two of five Edges hold the same other certificate: one finding listing both',
      deployment: deployment({ pools: [edgePool(EDGE, 5, { per: { 3: { assignments: { ...EDGE, Internal: 'no-cdp' } }, 4: { assignments: { ...EDGE, Internal: 'no-cdp' } } } })] }),
      findings: [{ messageId: 'differs', usage: 'Internal', places: ['edge04.contoso.com', 'edge05.contoso.com'], message: `${label('no-cdp')} on edge04.contoso.com, edge05.contoso.com differs` }],
    },
    {
      name: 'a tie is no majority: two Edges, two A/V certificates, one finding for the pool saying who holds what',
      deployment: deployment({ pools: [edgePool(EDGE, 2, { per: { 1: { assignments: { ...EDGE, AudioVideoAuthentication: 'good' } } } })] }),
      findings: [
        {
          messageId: 'disagree',
          server: 'edge01.contoso.com',
          usage: 'AudioVideoAuthentication',
          places: ['edge01.contoso.com', 'edge02.contoso.com'],
          message: `${label('second')}: edge01.contoso.com; ${label('good')}: edge02.contoso.com`,
        },
      ],
    },
    {
      // XMPP federation not known to be on, so no Edge needs XmppServer (required-usages-assigned): the pool still disagrees.
      name: 'edge02 has no XmppServer certificate while edge01 has one',
      deployment: deployment({ pools: [edgePool({ ...EDGE, XmppServer: 'second' }, 2, { per: { 1: { assignments: EDGE } } })] }),
      findings: [{ messageId: 'missing', server: 'edge02.contoso.com', usage: 'XmppServer', message: 'No XmppServer certificate is assigned on edge02.contoso.com, while edge01.contoso.com' }],
    },
    {
      name: 'two Edges without the XmppServer certificate a third has: one finding listing both',
      deployment: deployment({ pools: [edgePool(EDGE, 3, { per: { 0: { assignments: { ...EDGE, XmppServer: 'second' } } } })] }),
      findings: [{ messageId: 'missing', usage: 'XmppServer', places: ['edge02.contoso.com', 'edge03.contoso.com'], message: 'on edge02.contoso.com, edge03.contoso.com, while edge01.contoso.com' }],
    },
    {
      name: 'edge02 has an External certificate where edge01 has AccessEdgeExternal and DataEdgeExternal: each lacks what the other has',
      deployment: deployment({ pools: [edgePool(EDGE, 2, { per: { 1: { assignments: { Internal: 'good', External: 'second', AudioVideoAuthentication: 'second' } } } })] }),
      findings: [
        { messageId: 'missing', server: 'edge02.contoso.com', usage: 'AccessEdgeExternal', message: 'No AccessEdgeExternal certificate is assigned on edge02.contoso.com, while edge01.contoso.com' },
        { messageId: 'missing', server: 'edge02.contoso.com', usage: 'DataEdgeExternal', message: 'No DataEdgeExternal certificate is assigned on edge02.contoso.com, while edge01.contoso.com' },
        { messageId: 'missing', server: 'edge01.contoso.com', usage: 'External', message: 'No External certificate is assigned on edge01.contoso.com, while edge02.contoso.com' },
      ],
    },
    {
      name: 'an A/V roll 4 hours before expiry (Microsoft requires 8)',
      deployment: deployment({ pools: [edgePool({ AudioVideoAuthentication: { ...AV_ROLL, effectiveDate: '2027-01-14T20:00:00Z' } }, 1)] }),
      findings: [{ messageId: 'rollTooLate', message: 'only 4 hours' }],
    },
    {
      name: 'the same late A/V roll on three Edges (one date written with another offset): one finding listing all three',
      deployment: deployment({
        pools: [
          edgePool({ ...EDGE, AudioVideoAuthentication: { ...AV_ROLL, effectiveDate: '2027-01-14T20:00:00Z' } }, 3, {
            per: { 2: { assignments: { ...EDGE, AudioVideoAuthentication: { ...AV_ROLL, effectiveDate: '2027-01-14T21:00:00+01:00' } } } },
          }),
        ],
      }),
      findings: [
        {
          messageId: 'rollTooLate',
          thumbprint: thumbprint('good'),
          places: ['edge01.contoso.com', 'edge02.contoso.com', 'edge03.contoso.com'],
          message: `roll to ${label('good')} takes effect 2027-01-14T20:00:00Z, only 4 hours`,
        },
      ],
    },
    {
      name: 'an A/V roll a second short of 8 hours',
      deployment: deployment({ pools: [edgePool({ AudioVideoAuthentication: { ...AV_ROLL, effectiveDate: '2027-01-14T16:00:01Z' } }, 1)] }),
      findings: [{ messageId: 'rollTooLate', message: 'only 7.9 hours' }],
    },
  ],
});

describe('a pool\'s disagreement is one finding, and so is its suppression', () => {
  // Two Edges, two A/V certificates: the pool's cause, reported once; a suppression naming one of its
  // servers accepts the finding, and leaves no copy for the other server to report.
  const tie = deployment({ pools: [edgePool(EDGE, 2, { per: { 1: { assignments: { ...EDGE, AudioVideoAuthentication: 'good' } } } })] });
  it('a suppression on edge01 accepts the one finding', () => {
    const { findings } = lintDeployment(tie, {
      rules: [rule],
      settings: {},
      suppressions: [{ rule: rule.meta.id, server: 'edge01.contoso.com', reason: 'A/V migration in progress' }],
      now: NOW,
      validate: createChainValidation(),
    });
    expect(findings.map((f) => [f.messageId, f.places?.map((p) => p.server), f.suppression?.reason])).toEqual([['disagree', ['edge01.contoso.com', 'edge02.contoso.com'], 'A/V migration in progress']]);
  });

  it('two usages that disagree are two findings whose fingerprints do not depend on their order', () => {
    const both = (order: 'Internal first' | 'A/V first') => {
      const tied = { ...EDGE, Internal: 'no-cdp', AudioVideoAuthentication: 'good' };
      const assignments = order === 'Internal first' ? tied : { AudioVideoAuthentication: tied.AudioVideoAuthentication, AccessEdgeExternal: 'second', DataEdgeExternal: 'second', Internal: tied.Internal };
      const findings = runRule(rule, { deployment: deployment({ pools: [edgePool(EDGE, 2, { per: { 1: { assignments } } })] }) });
      return new Map(findings.map((f, i) => [f.usage, fingerprints(findings)[i]!.replace(/:\d+$/, '')]));
    };
    const [first, second] = [both('Internal first'), both('A/V first')];
    expect([...first.keys()].sort()).toEqual(['AudioVideoAuthentication', 'Internal']);
    expect(new Set(first.values()).size).toBe(2);
    for (const [usage, print] of first) expect(second.get(usage)).toBe(print);
  });
});

describe('the advice never tells to import a certificate that has findings of its own', () => {
  // Two of three Edges hold a 1024-bit Internal certificate (key-size reports it). Set up certificates for
  // the internal edge interface: the Internal certificate is named for the pool's internal FQDN, and is
  // copied with its private key to every Edge (exportable); the wizard's key is 2048 bits.
  const faulty = deployment({ pools: [edgePool({ ...EDGE, Internal: 'rsa-1024' }, 3, { per: { 2: { assignments: EDGE } } })] });
  it('says what the pool\'s certificate must have, and names the majority one only as conditional', () => {
    const [finding, ...rest] = runRule(rule, { deployment: faulty });
    expect(rest).toEqual([]);
    expect(finding!.message).not.toMatch(/Import that one/);
    expect(finding!.message).toContain(
      'Give every Edge of the pool one certificate that has the Subject CN=edgepool-int.contoso.com, edgepool-int.contoso.com in its subject alternative names, an RSA key of at least 2048 bits, Server Authentication in its Extended Key Usage and an exportable private key, and no finding of its own',
    );
    expect(finding!.message).toContain(`(${label('rsa-1024')} only if no finding names it)`);
  });
});
