import { defineRule, type Report } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { at, serverCertificates, usageList } from './support.js';

export default defineRule({
  meta: {
    id: 'crl-distribution-point',
    description: 'Every assigned certificate carries at least one CRL distribution point.',
    severity: 'error',
    citation: CITATIONS.infrastructure,
    messages: {
      missing: 'The {{usages}} certificate has no CRL distribution point: revocation cannot be checked and Lync/SfB require one. Reissue it from a CA that publishes a CDP.',
    },
  },
  *check(context): Generator<Report> {
    for (const group of serverCertificates(context)) {
      if (group.certificate.facts.crlDistributionPoints.length === 0) yield { messageId: 'missing', data: { usages: usageList(group) }, ...at(group) };
    }
  },
});
