import rule from '../../src/rules/oauth-certificate-present.js';
import { deployment, edgePool, frontEndPool, ruleTester } from './harness.js';

ruleTester(rule, {
  valid: [
    { name: 'every Front End has one', deployment: deployment({ pools: [frontEndPool({ Default: 'good', OAuthTokenIssuer: 'good' })] }) },
    { name: 'Edge servers need none', deployment: deployment({ pools: [edgePool({ Internal: 'good' })] }) },
    { name: 'a server without inventory is left to inventory-present', deployment: deployment({ pools: [frontEndPool({}, 1, { all: { assignmentsCollected: false } })] }) },
  ],
  invalid: [
    {
      name: 'fe02 has no OAuthTokenIssuer assignment',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good', OAuthTokenIssuer: 'good' }, 2, { per: { 1: { assignments: { Default: 'good' } } } })] }),
      findings: [{ messageId: 'missing', server: 'fe02.contoso.com', usage: 'OAuthTokenIssuer' }],
    },
  ],
});
