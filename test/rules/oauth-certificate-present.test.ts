import rule from '../../src/rules/oauth-certificate-present.js';
import { deployment, edgePool, frontEndPool, ruleTester } from './harness.js';

ruleTester(rule, {
  valid: [
    { name: 'every Front End has one', deployment: deployment({ pools: [frontEndPool({ Default: 'good', OAuthTokenIssuer: 'good' })] }) },
    { name: 'Edge servers need none', deployment: deployment({ pools: [edgePool({ Internal: 'good' })] }) },
    { name: 'nor a stand-alone Mediation server', deployment: deployment({ pools: [{ fqdn: 'med.contoso.com', role: 'Mediation', servers: [{ fqdn: 'med01.contoso.com', assignments: { Default: 'mediation' } }] }] }) },
    { name: 'a server without inventory is left to inventory-present', deployment: deployment({ pools: [frontEndPool({}, 1, { all: { assignmentsCollected: false } })] }) },
    { name: 'a server with nothing assigned at all is left to inventory-present', deployment: deployment({ pools: [frontEndPool({}, 1)] }) },
  ],
  invalid: [
    {
      name: 'fe02 has no OAuthTokenIssuer assignment',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good', OAuthTokenIssuer: 'good' }, 2, { per: { 1: { assignments: { Default: 'good' } } } })] }),
      findings: [{ messageId: 'missing', server: 'fe02.contoso.com', usage: 'OAuthTokenIssuer' }],
    },
    {
      // Certificate summary - Single Director: "OAuthTokenIssuer ... The certificate is required"; it is the global one (JJ205253).
      name: 'a Director without one',
      deployment: deployment({ pools: [{ fqdn: 'dirpool.contoso.com', role: 'Director', servers: [{ fqdn: 'dir01.contoso.com', assignments: { Default: 'director' } }] }] }),
      findings: [{ messageId: 'missing', server: 'dir01.contoso.com', usage: 'OAuthTokenIssuer' }],
    },
    {
      name: 'a Standard Edition server without one',
      deployment: deployment({ pools: [{ fqdn: 'se01.contoso.com', role: 'StandardEdition', servers: [{ fqdn: 'se01.contoso.com', assignments: { Default: 'standard-edition' } }] }] }),
      findings: [{ messageId: 'missing', server: 'se01.contoso.com' }],
    },
  ],
});
