import { defineRule } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { at, labelOf } from './support.js';

export default defineRule({
  meta: {
    id: 'crl-distribution-point',
    description: 'Every assigned certificate carries at least one CRL distribution point.',
    severity: 'error',
    citation: CITATIONS.infrastructure,
    messages: {
      missing: {
        text: 'The certificate {{certificate}} has no CRL distribution point: revocation cannot be checked and Lync/SfB require one. Reissue it from a CA that publishes a CDP.',
        scope: 'certificate',
      },
    },
  },
  *check(context) {
    for (const group of context.serverCertificates()) {
      if (group.certificate.facts.crlDistributionPoints.length === 0) yield { messageId: 'missing', data: { certificate: labelOf(context, group.certificate) }, ...at(group) };
    }
  },
});
