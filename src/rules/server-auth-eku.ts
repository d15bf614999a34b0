import { defineRule } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { at, labelOf, ekuPermitsNothing } from './support.js';

export default defineRule({
  meta: {
    id: 'server-auth-eku',
    description: 'Every assigned certificate lists Server Authentication (1.3.6.1.5.5.7.3.1) in its Extended Key Usage.',
    severity: 'error',
    citation: CITATIONS.infrastructure,
    messages: {
      missing: {
        text: 'The certificate {{certificate}} has an Extended Key Usage ({{ekus}}) without Server Authentication: MTLS between servers and TLS to clients refuse it. Reissue it from the Web Server template.',
        scope: 'certificate',
      },
      empty: {
        text: 'The certificate {{certificate}} has an Extended Key Usage extension that permits no purpose (it lists none, or cannot be read), so it lacks Server Authentication: MTLS between servers and TLS to clients refuse it. Reissue it from the Web Server template.',
        scope: 'certificate',
      },
      absent: {
        text: 'The certificate {{certificate}} has no Extended Key Usage extension; Microsoft requires Server Authentication to be listed. Reissue it from the Web Server template.',
        severity: 'warning',
        scope: 'certificate',
      },
    },
  },
  *check(context) {
    for (const group of context.serverCertificates()) {
      const ekus = group.certificate.facts.extendedKeyUsage;
      const data = { certificate: labelOf(context, group.certificate) };
      // An extension present but empty (or unreadable) permits nothing, where an absent one permits everything.
      if (ekuPermitsNothing(group.certificate)) yield { messageId: 'empty', data, ...at(group) };
      else if (ekus === null) yield { messageId: 'absent', data, ...at(group) };
      else if (!ekus.includes('serverAuth')) yield { messageId: 'missing', data: { ...data, ekus: ekus.join(', ') }, ...at(group) };
    }
  },
});
