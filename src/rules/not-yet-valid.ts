import { defineRule, type Report } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { atJudged, certificatesAndIssuers } from './support.js';

export default defineRule({
  meta: {
    id: 'not-yet-valid',
    description: 'No assigned certificate or issuing CA is used before its validity begins.',
    severity: 'error',
    citation: CITATIONS.configureServers,
    messages: {
      notYetValid: 'The {{what}} is not valid until {{notBefore}}: the server cannot use it yet (check the server clock and the CA\'s).',
    },
  },
  *check(context): Generator<Report> {
    for (const judged of certificatesAndIssuers(context)) {
      const notBefore = judged.certificate.facts.notBefore;
      if (Date.parse(notBefore) > context.now.getTime()) yield { messageId: 'notYetValid', data: { what: judged.what, notBefore }, ...atJudged(judged) };
    }
  },
});
