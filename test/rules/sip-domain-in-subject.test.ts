import rule from '../../src/rules/sip-domain-in-subject.js';
import { deployment, frontEndPool, ruleTester, thumbprint } from './harness.js';

// Assigning a server-to-server authentication certificate: "any Lync certificate, or any web-server
// certificate that has the SIP domain in its Subject field". A Subject names a domain in a CN, or spelled
// in DC components (DC=contoso, DC=com); O names an organisation, not a domain.
const oauth = (cert: string, sipDomains?: string[]) => deployment({ ...(sipDomains && { sipDomains }), pools: [frontEndPool({ Default: 'good', OAuthTokenIssuer: cert })] });

ruleTester(rule, {
  valid: [
    { name: 'Subject under a SIP domain (CN=pool01.contoso.com)', deployment: oauth('good') },
    { name: 'the SIP domain spelled in DC components, with a CN that is no domain', deployment: oauth('oauth-dc') },
    { name: 'another usage without a SIP domain is not this rule\'s business', deployment: deployment({ pools: [frontEndPool({ Default: 'oauth-no-sip-domain', OAuthTokenIssuer: 'good' })] }) },
  ],
  invalid: [
    {
      name: 'OAuth certificate named after an internal domain: one finding for the global certificate, listing every Front End',
      deployment: oauth('oauth-no-sip-domain'),
      findings: [
        {
          messageId: 'missing',
          usage: 'OAuthTokenIssuer',
          thumbprint: thumbprint('oauth-no-sip-domain'),
          places: ['fe01.contoso.com', 'fe02.contoso.com', 'fe03.contoso.com'],
          message: 'The Subject "O=Contoso, CN=oauth.corp.local" of',
        },
      ],
    },
    {
      name: 'a SIP domain in O, DC components naming another domain, and a CN that is no domain',
      deployment: oauth('oauth-o'),
      findings: [{ messageId: 'missing', message: '"CN=Lync Server OAuth, O=contoso.com, DC=corp, DC=local"' }],
    },
    { name: 'a subdomain does not count when allowSubdomains is off', deployment: oauth('good'), options: { allowSubdomains: false }, findings: [{ messageId: 'missing', message: 'such as CN=contoso.com' }] },
    { name: 'no SIP domains in the snapshot', deployment: oauth('good', []), findings: [{ messageId: 'noDomains', thumbprint: thumbprint('good') }] },
  ],
});
