import { defineRule } from '../engine/types.js';
import { requirementsOf } from '../requirements/derive.js';
import type { NameRequirement } from '../requirements/model.js';
import { checkNames, presentedNames, subjectSatisfies } from '../requirements/verdicts.js';
import { CITATIONS } from './citations.js';
import { at, labelOf, usageList } from './support.js';

export default defineRule({
  meta: {
    id: 'san-coverage',
    description:
      'Each assigned certificate names what its usages serve, as Microsoft\'s tables list it: in its subject alternative names the pool and server FQDNs, web services FQDNs, simple URLs, Edge FQDNs, sip.<domain>, xmpp.<domain> with XMPP federation and the sipinternal/sipexternal names the deployment publishes (wildcards only where supported); as its Subject the pool FQDN (Default) or the Access Edge FQDN; and a Director\'s external web FQDN is its own.',
    severity: 'error',
    citation: CITATIONS.internalServers,
    options: {
      recommended: {
        type: 'boolean',
        default: true,
        description: 'Also warn about names Microsoft recommends for automatic sign-in and mobility (sip.<domain> on Default, lyncdiscover[internal].<domain>).',
      },
    },
    messages: {
      missing:
        'The {{usages}} certificate does not cover {{names}}: clients and servers connecting to a name it does not cover get a certificate name mismatch. Reissue it with every name listed in its subject alternative names.',
      missingRecommended: {
        text: 'The {{usages}} certificate does not cover {{names}}, which automatic sign-in or mobility clients look up: list each in its subject alternative names when you next reissue it.',
        severity: 'warning',
      },
      wildcardOnly:
        'The {{usages}} certificate covers {{names}} only with a wildcard ({{wildcards}}), which Lync/SfB support only for the meeting and dial-in simple URLs, lyncdiscover(internal) and the XMPP names: servers and devices that match names strictly refuse it. Reissue it with each of these names written out in its subject alternative names.',
      wildcardOnlyRecommended: {
        text: 'The {{usages}} certificate covers {{names}} only with a wildcard ({{wildcards}}), which Lync/SfB do not support for these names: write each out in its subject alternative names when you next reissue it.',
        severity: 'warning',
      },
      subject:
        'The Subject of the {{usages}} certificate {{certificate}} is "{{subject}}", not {{expected}} ({{why}}): the certificate wizard requests it so, and servers that match the Subject refuse another. Reissue it with CN={{expected}}.',
      directorWebFqdn:
        'The Director pool\'s external web services FQDN {{fqdn}} is also the external web services FQDN of the Front End pool {{frontEnd}}: the reverse proxy cannot publish both under one name. Give the Director pool an external web FQDN of its own in Topology Builder, and name it in its certificates.',
    },
  },
  *check(context) {
    const requirements = requirementsOf(context.deployment);
    const recommended = context.options.recommended;
    for (const group of context.serverCertificates()) {
      const requirement = requirements.forCertificate(group.pool, group.server, group.usages);
      if (!requirement) continue;
      const facts = group.certificate.facts;
      const usages = usageList(group);
      const verdict = checkNames(requirement.names, presentedNames(facts));
      const list = (names: NameRequirement[]) => names.map((n) => n.name).join(', ');
      const required = (n: NameRequirement) => n.necessity === 'required';
      const missing = verdict.missing.filter(required);
      if (missing.length > 0) yield { messageId: 'missing', data: { usages, names: list(missing) }, ...at(group) };
      const wildcarded = verdict.wildcardOnly.filter((w) => required(w.requirement));
      const wildcardData = (entries: typeof wildcarded) => ({ usages, names: list(entries.map((w) => w.requirement)), wildcards: [...new Set(entries.map((w) => w.wildcard))].join(', ') });
      if (wildcarded.length > 0) yield { messageId: 'wildcardOnly', data: wildcardData(wildcarded), ...at(group) };
      if (recommended) {
        const missingRecommended = verdict.missing.filter((n) => !required(n));
        if (missingRecommended.length > 0) yield { messageId: 'missingRecommended', data: { usages, names: list(missingRecommended) }, ...at(group) };
        const wildcardedRecommended = verdict.wildcardOnly.filter((w) => !required(w.requirement));
        if (wildcardedRecommended.length > 0) yield { messageId: 'wildcardOnlyRecommended', data: wildcardData(wildcardedRecommended), ...at(group) };
      }
      // A certificate that lacks required names was issued for something else: reissued with them, it
      // gets its Subject too (one cause, one finding). A wildcard Common Name is no-wildcard-subject's
      // finding, a SIP domain in the OAuth Subject sip-domain-in-subject's; without a SAN the Subject is
      // the name presented, judged above.
      if (missing.length > 0 || wildcarded.length > 0 || facts.subjectCommonName?.includes('*') || facts.subjectAltNames.dns.length === 0) continue;
      for (const subject of requirement.subject) {
        if (subject.kind !== 'fqdn' || subject.necessity !== 'required' || subjectSatisfies(subject, group.certificate.subjectName)) continue;
        yield { messageId: 'subject', data: { usages, certificate: labelOf(context, group.certificate), subject: facts.subject, expected: subject.name, why: subject.why }, ...at(group) };
      }
    }
    // A Director pool whose external web services FQDN a Front End or Standard Edition pool uses too: the
    // requirements model asks no certificate for that name (it is not the Director's to add).
    for (const pool of context.deployment.pools) {
      const shared = requirements.sharedWebFqdn(pool);
      if (shared) yield { messageId: 'directorWebFqdn', data: { fqdn: shared.fqdn, frontEnd: shared.frontEnd.fqdn }, pool: pool.fqdn };
    }
  },
});
