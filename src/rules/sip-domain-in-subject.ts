import { defineRule } from '../engine/types.js';
import { requirementsOf } from '../requirements/derive.js';
import { subjectSatisfies } from '../requirements/verdicts.js';
import { CITATIONS } from './citations.js';
import { at, labelOf, dnsName } from './support.js';

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
    const requirements = requirementsOf(context.deployment);
    const domains = context.deployment.sipDomains.map((d) => dnsName(d.name));
    const domain = dnsName((context.deployment.sipDomains.find((d) => d.isDefault) ?? context.deployment.sipDomains[0])?.name ?? '');
    for (const group of context.serverCertificates()) {
      const certificate = labelOf(context, group.certificate);
      if (domains.length === 0) {
        yield { messageId: 'noDomains', data: { certificate }, ...at(group) };
        continue;
      }
      const wanted = requirements.forUsage(group.pool, group.server, 'OAuthTokenIssuer')?.subject.find((s) => s.kind === 'sipDomain');
      // A wildcard Common Name is no-wildcard-subject's finding.
      if (!wanted || group.certificate.facts.subjectCommonName?.includes('*') || subjectSatisfies(wanted, group.certificate.subjectName, context.options.allowSubdomains)) continue;
      yield { messageId: 'missing', data: { certificate, subject: group.certificate.facts.subject, domains: domains.join(', '), domain }, ...at(group) };
    }
  },
});
