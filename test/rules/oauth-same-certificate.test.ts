import rule from '../../src/rules/oauth-same-certificate.js';
import { deployment, frontEndPool, ruleTester, thumbprint } from './harness.js';

const ROLL = { current: 'good', previous: 'expires-2027', effectiveDate: '2027-01-10T00:00:00Z' };

ruleTester(rule, {
  valid: [
    { name: 'the same certificate on every Front End', deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'good' })] }) },
    { name: 'the same staged roll on every Front End, 5 days before expiry', deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: ROLL })] }) },
    {
      name: 'one server already on the new certificate after the roll took effect, the others listing the roll',
      now: new Date('2027-01-12T00:00:00Z'),
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: ROLL }, 3, { per: { 2: { assignments: { OAuthTokenIssuer: 'good' } } } })] }),
    },
    {
      name: 'a late roll that has already taken effect is history, not a finding',
      now: new Date('2027-01-14T13:00:00Z'),
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: { ...ROLL, effectiveDate: '2027-01-14T12:00:00Z' } }, 1)] }),
    },
    {
      name: 'Edge and Director OAuth assignments are not compared',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'good' }, 2), { fqdn: 'dir.contoso.com', role: 'Director', servers: [{ fqdn: 'dir01.contoso.com', assignments: { OAuthTokenIssuer: 'second' } }] }] }),
    },
  ],
  invalid: [
    {
      name: 'fe03 holds a different certificate',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'good' }, 3, { per: { 2: { assignments: { OAuthTokenIssuer: 'second' } } } })] }),
      findings: [{ messageId: 'differs', server: 'fe03.contoso.com', thumbprint: thumbprint('second'), message: thumbprint('good') }],
    },
    {
      name: 'pools differ: the certificate is global across pools',
      deployment: deployment({
        pools: [frontEndPool({ OAuthTokenIssuer: 'good' }, 2), { fqdn: 'se01.contoso.com', role: 'StandardEdition', servers: [{ fqdn: 'se01.contoso.com', assignments: { OAuthTokenIssuer: 'second' } }] }],
      }),
      findings: [{ messageId: 'differs', server: 'se01.contoso.com' }],
    },
    {
      name: 'one server lacks the staged roll the others have',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: ROLL }, 3, { per: { 0: { assignments: { OAuthTokenIssuer: 'expires-2027' } } } })] }),
      findings: [{ messageId: 'differs', server: 'fe01.contoso.com', message: `with ${thumbprint('good')} staged from 2027-01-10T00:00:00.000Z` }],
    },
    {
      name: 'a roll taking effect 12 hours before the current certificate expires',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: { ...ROLL, effectiveDate: '2027-01-14T12:00:00Z' } }, 1)] }),
      findings: [{ messageId: 'rollTooLate', message: 'only 12 hours' }],
    },
  ],
});
