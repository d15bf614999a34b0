import { defineRule, type Report } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { atJudged, certificatesAndIssuers, DAY } from './support.js';

export default defineRule<{ warnDays: number }>({
  meta: {
    id: 'certificate-expiry',
    description: 'No assigned certificate or issuing CA has expired (error) or expires within the warning window (warning).',
    severity: 'error',
    citation: CITATIONS.configureServers,
    options: {
      warnDays: { type: 'integer', default: 30, minimum: 0, description: 'Warn this many days before a certificate expires.' },
    },
    messages: {
      expired: 'The {{what}} expired {{notAfter}}.',
      expiring: 'The {{what}} expires {{notAfter}}, in {{days}} days: renew it (an Edge A/V or OAuth certificate also needs a staged roll).',
    },
  },
  *check(context): Generator<Report> {
    for (const judged of certificatesAndIssuers(context)) {
      const notAfter = judged.certificate.facts.notAfter;
      const left = Date.parse(notAfter) - context.now.getTime();
      const data = { what: judged.what, notAfter, days: Math.floor(left / DAY) };
      if (left < 0) yield { messageId: 'expired', severity: 'error', data, ...atJudged(judged) };
      else if (left < context.options.warnDays * DAY) yield { messageId: 'expiring', severity: 'warning', data, ...atJudged(judged) };
    }
  },
});
