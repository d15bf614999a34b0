import { defineRule } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { atJudged, labelOf, certificatesAndIssuers } from './support.js';

export default defineRule({
  meta: {
    id: 'not-yet-valid',
    description: 'No assigned certificate or issuing CA is used before its validity begins.',
    severity: 'error',
    citation: CITATIONS.configureServers,
    messages: {
      notYetValid: { text: 'The certificate {{certificate}} is not valid until {{notBefore}}: the servers cannot use it yet (check the server clock and the CA\'s).', scope: 'certificate' },
      caNotYetValid: { text: 'The CA certificate {{certificate}} is not valid until {{notBefore}}: every path through it fails until then (check the server clock and the CA\'s).', scope: 'certificate' },
    },
  },
  *check(context) {
    for (const judged of certificatesAndIssuers(context)) {
      const notBefore = judged.certificate.facts.notBefore;
      if (Date.parse(notBefore) > context.now.getTime()) {
        yield { messageId: judged.issuer ? 'caNotYetValid' : 'notYetValid', data: { certificate: labelOf(context, judged.certificate), notBefore }, ...atJudged(judged) };
      }
    }
  },
});
