import { defineRule } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { at, labelOf } from './support.js';

export default defineRule({
  meta: {
    id: 'no-wildcard-subject',
    description: 'No assigned certificate has a wildcard as its Subject common name (wildcards are supported in SANs only).',
    severity: 'error',
    citation: CITATIONS.wildcard,
    messages: {
      wildcard: {
        text: 'The Subject name of the certificate {{certificate}} is a wildcard: no Lync/SfB role accepts one. Use the pool (or Access Edge) FQDN as Subject; wildcards may appear in the SAN for simple URLs.',
        scope: 'certificate',
      },
    },
  },
  *check(context) {
    for (const group of context.serverCertificates()) {
      if (group.certificate.facts.subjectCommonName?.includes('*')) yield { messageId: 'wildcard', data: { certificate: labelOf(context, group.certificate) }, ...at(group) };
    }
  },
});
