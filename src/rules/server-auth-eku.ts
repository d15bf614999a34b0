import { defineRule, type Report } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { at, serverCertificates, usageList } from './support.js';

export default defineRule({
  meta: {
    id: 'server-auth-eku',
    description: 'Every assigned certificate lists Server Authentication (1.3.6.1.5.5.7.3.1) in its Extended Key Usage.',
    severity: 'error',
    citation: CITATIONS.infrastructure,
    messages: {
      missing: 'The {{usages}} certificate\'s Extended Key Usage ({{ekus}}) lacks Server Authentication: MTLS between servers and TLS to clients refuse it. Reissue it from the Web Server template.',
      absent: 'The {{usages}} certificate has no Extended Key Usage extension; Microsoft requires Server Authentication to be listed. Reissue it from the Web Server template.',
    },
  },
  *check(context): Generator<Report> {
    for (const group of serverCertificates(context)) {
      const ekus = group.certificate.facts.extendedKeyUsage;
      if (ekus === null) yield { messageId: 'absent', severity: 'warning', data: { usages: usageList(group) }, ...at(group) };
      else if (!ekus.includes('serverAuth')) yield { messageId: 'missing', data: { usages: usageList(group), ekus: ekus.join(', ') }, ...at(group) };
    }
  },
});
