import rule from '../../src/rules/edge-pool-same-certificate.js';
import { deployment, edgePool, ruleTester, thumbprint } from './harness.js';

const EDGE = { Internal: 'good', AccessEdgeExternal: 'second', DataEdgeExternal: 'second', AudioVideoAuthentication: 'second' };

ruleTester(rule, {
  valid: [
    { name: 'both Edge servers hold the same certificates', deployment: deployment({ pools: [edgePool(EDGE)] }) },
    {
      name: 'an A/V roll staged 5 days before the current certificate expires',
      deployment: deployment({ pools: [edgePool({ AudioVideoAuthentication: { current: 'good', previous: 'expires-2027', effectiveDate: '2027-01-10T00:00:00Z' } })] }),
    },
  ],
  invalid: [
    {
      name: 'edge02 has a different Internal certificate',
      deployment: deployment({ pools: [edgePool(EDGE, 3, { per: { 1: { assignments: { ...EDGE, Internal: 'no-cdp' } } } })] }),
      findings: [{ messageId: 'differs', server: 'edge02.contoso.com', usage: 'Internal', thumbprint: thumbprint('no-cdp'), message: 'edge01.contoso.com, edge03.contoso.com' }],
    },
    {
      name: 'edge02 has no A/V certificate',
      deployment: deployment({ pools: [edgePool(EDGE, 2, { per: { 1: { assignments: { Internal: 'good', AccessEdgeExternal: 'second', DataEdgeExternal: 'second' } } } })] }),
      findings: [{ messageId: 'missing', server: 'edge02.contoso.com', usage: 'AudioVideoAuthentication' }],
    },
    {
      name: 'an A/V roll 4 hours before expiry (Microsoft requires 8)',
      deployment: deployment({ pools: [edgePool({ AudioVideoAuthentication: { current: 'good', previous: 'expires-2027', effectiveDate: '2027-01-14T20:00:00Z' } }, 1)] }),
      findings: [{ messageId: 'rollTooLate', message: 'only 4 hours' }],
    },
  ],
});
