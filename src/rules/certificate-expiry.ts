import { defineRule } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { atJudged, labelOf, certificatesAndIssuers, DAY } from './support.js';

export default defineRule({
  meta: {
    id: 'certificate-expiry',
    description: 'No assigned certificate or issuing CA has expired (error) or expires within the warning window (warning).',
    severity: 'error',
    citation: CITATIONS.configureServers,
    options: {
      warnDays: { type: 'integer', default: 30, minimum: 0, description: 'Warn this many days before a certificate expires.' },
    },
    messages: {
      expired: { text: 'The certificate {{certificate}} expired {{notAfter}}: renew it and assign the new one (an Edge A/V or OAuth certificate with a staged roll).', scope: 'certificate' },
      expiring: {
        text: 'The certificate {{certificate}} expires {{notAfter}}, in {{days}} days: renew it (an Edge A/V or OAuth certificate also needs a staged roll).',
        severity: 'warning',
        scope: 'certificate',
      },
      caExpired: { text: 'The CA certificate {{certificate}} expired {{notAfter}}: every path through it fails. Renew the CA certificate and publish it to the servers\' stores.', scope: 'certificate' },
      caExpiring: {
        text: 'The CA certificate {{certificate}} expires {{notAfter}}, in {{days}} days: renew it and publish it to the servers\' stores before then.',
        severity: 'warning',
        scope: 'certificate',
      },
    },
  },
  *check(context) {
    for (const judged of certificatesAndIssuers(context)) {
      const notAfter = judged.certificate.facts.notAfter;
      const left = Date.parse(notAfter) - context.now.getTime();
      const data = { certificate: labelOf(context, judged.certificate), notAfter, days: Math.floor(left / DAY) };
      if (left < 0) yield { messageId: judged.issuer ? 'caExpired' : 'expired', data, ...atJudged(judged) };
      else if (left < context.options.warnDays * DAY) yield { messageId: judged.issuer ? 'caExpiring' : 'expiring', data, ...atJudged(judged) };
    }
  },
});
