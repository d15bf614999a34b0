import { fileURLToPath } from 'node:url';
import { readCertificateFile } from '../../src/certs/read.js';
import rule from '../../src/rules/sip-domain-in-subject.js';
import type { Deployment } from '../../src/snapshot/model.js';
import { certs, deployment, frontEndPool, ruleTester, thumbprint } from './harness.js';

// A leaf with an empty Subject, its name in the SAN only (fixtures/chains; `openssl x509 -subject` prints `subject=`).
certs['empty-subject'] = readCertificateFile(fileURLToPath(new URL('../../fixtures/chains/cve.cve-2024-0567/leaf.pem', import.meta.url))).certificates[0]!;

// Assigning a server-to-server authentication certificate: "any Lync certificate, or any web-server
// certificate that has the SIP domain in its Subject field". A Subject names a domain in a CN, or spelled
// in DC components (DC=contoso, DC=com); O names an organisation, not a domain.
const oauth = (cert: string, sipDomains?: string[]) => deployment({ ...(sipDomains && { sipDomains }), pools: [frontEndPool({ Default: 'good', OAuthTokenIssuer: cert })] });
/** The deployment with `name` as its default SIP domain. */
const withDefault = (d: Deployment, name: string): Deployment => ({ ...d, sipDomains: d.sipDomains.map((s) => ({ ...s, isDefault: s.name === name })) });

ruleTester(rule, {
  valid: [
    { name: 'Subject under a SIP domain (CN=pool01.contoso.com)', deployment: oauth('good') },
    { name: 'the SIP domain spelled in DC components, with a CN that is no domain', deployment: oauth('oauth-dc') },
    {
      // Microsoft's tables give a stand-alone Mediation Server a Default certificate only: what it may hold as OAuthTokenIssuer is not judged.
      name: 'an OAuthTokenIssuer certificate on a role that needs none',
      deployment: deployment({ pools: [{ fqdn: 'med01.contoso.com', role: 'Mediation', servers: [{ fqdn: 'med01.contoso.com', assignments: { Default: 'mediation', OAuthTokenIssuer: 'oauth-no-sip-domain' } }] }] }),
    },
    { name: 'a wildcard Subject is no-wildcard-subject\'s finding, not this rule\'s', deployment: oauth('wildcard-subject'), options: { allowSubdomains: false } },
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
    { name: 'an empty Subject names no SIP domain', deployment: oauth('empty-subject'), findings: [{ messageId: 'missing', thumbprint: thumbprint('empty-subject'), message: 'The Subject "" of' }] },
    { name: 'no SIP domains in the snapshot', deployment: oauth('good', []), findings: [{ messageId: 'noDomains', thumbprint: thumbprint('good') }] },
    {
      name: 'the advice names the default SIP domain, wherever it is listed',
      deployment: withDefault(oauth('oauth-no-sip-domain', ['fabrikam.com', 'contoso.com']), 'contoso.com'),
      findings: [{ messageId: 'missing', message: 'SIP domain of the deployment (fabrikam.com, contoso.com): reissue it with a SIP domain in the Subject, such as CN=contoso.com.' }],
    },
    {
      // DNS names compare without regard to case (RFC 4343) and a trailing dot only marks the root.
      name: 'SIP domains are named as DNS names, lower case, without a trailing dot',
      deployment: oauth('oauth-no-sip-domain', ['Contoso.COM.', 'Fabrikam.com']),
      findings: [{ messageId: 'missing', message: '(contoso.com, fabrikam.com): reissue it with a SIP domain in the Subject, such as CN=contoso.com.' }],
    },
  ],
});
