import { defineRule } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { at, certificateLabel, dnsName } from './support.js';

export default defineRule({
  meta: {
    id: 'sip-domain-in-subject',
    description: 'The OAuthTokenIssuer certificate names a SIP domain of the deployment in its Subject.',
    severity: 'error',
    citation: CITATIONS.serverToServer,
    usages: ['OAuthTokenIssuer'],
    options: {
      allowSubdomains: {
        type: 'boolean',
        default: true,
        description: 'Accept a Subject name under a SIP domain (CN=pool01.contoso.com for contoso.com), as a Default certificate reused for OAuth has.',
      },
    },
    messages: {
      missing: {
        text: 'The Subject "{{subject}}" of the OAuthTokenIssuer certificate {{certificate}} names no SIP domain of the deployment ({{domains}}): reissue it with a SIP domain in the Subject, such as CN={{domain}}.',
        scope: 'certificate',
      },
      noDomains: {
        text: 'The snapshot lists no SIP domains, so the Subject of the OAuthTokenIssuer certificate {{certificate}} cannot be checked: add sipDomains.',
        scope: 'certificate',
      },
    },
  },
  *check(context) {
    const domains = context.deployment.sipDomains.map((d) => dnsName(d.name));
    const domain = dnsName((context.deployment.sipDomains.find((d) => d.isDefault) ?? context.deployment.sipDomains[0])?.name ?? '');
    for (const group of context.serverCertificates()) {
      const certificate = certificateLabel(group.certificate);
      if (domains.length === 0) {
        yield { messageId: 'noDomains', data: { certificate }, ...at(group) };
        continue;
      }
      const names = subjectNames(group.certificate.subjectName.rdns);
      const named = names.some((n) => domains.some((d) => n === d || (context.options.allowSubdomains && n.endsWith(`.${d}`))));
      if (!named) yield { messageId: 'missing', data: { certificate, subject: group.certificate.facts.subject, domains: domains.join(', '), domain }, ...at(group) };
    }
  },
});

const OID_CN = '2.5.4.3';
const OID_DC = '0.9.2342.19200300.100.1.25';

/** Domain names a Subject carries: each CN, and the DC components read as one name (DC=contoso, DC=com). */
function subjectNames(rdns: Array<Array<{ oid: string; value: string }>>): string[] {
  const attributes = rdns.flat();
  const names = attributes.filter((a) => a.oid === OID_CN).map((a) => dnsName(a.value));
  const dc = attributes.filter((a) => a.oid === OID_DC).map((a) => a.value);
  if (dc.length > 0) names.push(dnsName(dc.reverse().join('.')));
  return names;
}
