import { defineRule, type Report } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { at, serverCertificates, usageList } from './support.js';

export default defineRule({
  meta: {
    id: 'no-wildcard-subject',
    description: 'No assigned certificate has a wildcard as its Subject common name (wildcards are supported in SANs only).',
    severity: 'error',
    citation: CITATIONS.wildcard,
    messages: {
      wildcard: 'The {{usages}} certificate\'s Subject name is the wildcard "{{cn}}": no Lync/SfB role accepts a wildcard Subject. Use the pool (or Access Edge) FQDN as Subject; wildcards may appear in the SAN for simple URLs.',
    },
  },
  *check(context): Generator<Report> {
    for (const group of serverCertificates(context)) {
      const cn = group.certificate.facts.subjectCommonName;
      if (cn?.includes('*')) yield { messageId: 'wildcard', data: { usages: usageList(group), cn }, ...at(group) };
    }
  },
});
