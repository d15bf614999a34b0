import rule from '../../src/rules/sip-domain-in-subject.js';
import { deployment, frontEndPool, ruleTester } from './harness.js';

const oauth = (cert: string, sipDomains?: string[]) => deployment({ ...(sipDomains && { sipDomains }), pools: [frontEndPool({ Default: 'good', OAuthTokenIssuer: cert })] });

ruleTester(rule, {
  valid: [
    { name: 'Subject under a SIP domain (CN=pool01.contoso.com)', deployment: oauth('good') },
    { name: 'another usage without a SIP domain is not this rule\'s business', deployment: deployment({ pools: [frontEndPool({ Default: 'oauth-no-sip-domain', OAuthTokenIssuer: 'good' })] }) },
  ],
  invalid: [
    {
      name: 'OAuth certificate named after an internal domain: one finding for the global certificate, not one per Front End',
      deployment: oauth('oauth-no-sip-domain'),
      findings: [{ messageId: 'missing', usage: 'OAuthTokenIssuer', message: 'CN=oauth.corp.local' }],
    },
    {
      name: 'a subdomain does not count when allowSubdomains is off',
      deployment: oauth('good'),
      options: { allowSubdomains: false },
      findings: [{ messageId: 'missing' }],
    },
    { name: 'no SIP domains in the snapshot', deployment: oauth('good', []), findings: [{ messageId: 'noDomains' }] },
  ],
});
