import rule from '../../src/rules/edge-pool-same-certificate.js';
import { certificateLabel } from '../../src/rules/support.js';
import { certs, deployment, edgePool, ruleTester, thumbprint } from './harness.js';

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
  ],
  invalid: [
    {
      name: 'edge02 has a different Internal certificate',
      deployment: deployment({ pools: [edgePool(EDGE, 3, { per: { 1: { assignments: { ...EDGE, Internal: 'no-cdp' } } } })] }),
      findings: [{ messageId: 'differs', server: 'edge02.contoso.com', usage: 'Internal', thumbprint: thumbprint('no-cdp'), message: `${label('no-cdp')} differs from ${label('good')} on edge01.contoso.com, edge03.contoso.com` }],
    },
    {
      name: 'a tie is no majority: two Edges, two A/V certificates, both told they disagree and who holds what',
      deployment: deployment({ pools: [edgePool(EDGE, 2, { per: { 1: { assignments: { ...EDGE, AudioVideoAuthentication: 'good' } } } })] }),
      findings: ['edge01.contoso.com', 'edge02.contoso.com'].map((server) => ({
        messageId: 'disagree' as const,
        server,
        usage: 'AudioVideoAuthentication' as const,
        message: `${label('second')}: edge01.contoso.com; ${label('good')}: edge02.contoso.com`,
      })),
    },
    {
      // XMPP federation not known to be on, so no Edge needs XmppServer (required-usages-assigned): the pool still disagrees.
      name: 'edge02 has no XmppServer certificate while edge01 has one',
      deployment: deployment({ pools: [edgePool({ ...EDGE, XmppServer: 'second' }, 2, { per: { 1: { assignments: EDGE } } })] }),
      findings: [{ messageId: 'missing', server: 'edge02.contoso.com', usage: 'XmppServer', message: 'no XmppServer certificate, while edge01.contoso.com' }],
    },
    {
      name: 'edge02 has an External certificate where edge01 has AccessEdgeExternal and DataEdgeExternal: each lacks what the other has',
      deployment: deployment({ pools: [edgePool(EDGE, 2, { per: { 1: { assignments: { Internal: 'good', External: 'second', AudioVideoAuthentication: 'second' } } } })] }),
      findings: [
        { messageId: 'missing', server: 'edge02.contoso.com', usage: 'AccessEdgeExternal', message: 'no AccessEdgeExternal certificate, while edge01.contoso.com' },
        { messageId: 'missing', server: 'edge02.contoso.com', usage: 'DataEdgeExternal', message: 'no DataEdgeExternal certificate, while edge01.contoso.com' },
        { messageId: 'missing', server: 'edge01.contoso.com', usage: 'External', message: 'no External certificate, while edge02.contoso.com' },
      ],
    },
    {
      name: 'an A/V roll 4 hours before expiry (Microsoft requires 8)',
      deployment: deployment({ pools: [edgePool({ AudioVideoAuthentication: { ...AV_ROLL, effectiveDate: '2027-01-14T20:00:00Z' } }, 1)] }),
      findings: [{ messageId: 'rollTooLate', message: 'only 4 hours' }],
    },
    {
      name: 'an A/V roll a second short of 8 hours',
      deployment: deployment({ pools: [edgePool({ AudioVideoAuthentication: { ...AV_ROLL, effectiveDate: '2027-01-14T16:00:01Z' } }, 1)] }),
      findings: [{ messageId: 'rollTooLate', message: 'only 7.9 hours' }],
    },
  ],
});
