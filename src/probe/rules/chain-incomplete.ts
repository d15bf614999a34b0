import { defineRule } from '../../engine/types.js';
import { CITATIONS } from '../../rules/citations.js';
import { atEndpoint, docsUrl, endpointData, probeFacts, subjectOf } from './context.js';

export default defineRule({
  meta: {
    id: 'probe-chain-incomplete',
    description: 'Each endpoint sends the intermediate CA certificates its chain needs: the served chain alone reaches a trusted root.',
    severity: 'error',
    citation: CITATIONS.planEdge,
    docsUrl: docsUrl('probe-chain-incomplete'),
    messages: {
      missing:
        '{{endpoint}} ({{service}}) does not send the intermediate CA "{{missing}}": clients that do not fetch it themselves (federation partners, phones, mobile clients) cannot build the path to {{anchor}}. Import it into the server\'s Intermediate Certification Authorities store (an Edge: with the certificate\'s chain) and restart the service.',
    },
  },
  *check(context) {
    for (const probed of probeFacts(context).endpoints) {
      const missing = probed.missingIntermediate;
      if (!missing) continue;
      const anchor = probed.validation?.trustAnchor;
      const data = { ...endpointData(probed), missing: subjectOf(missing.facts), anchor: anchor ? `"${subjectOf(anchor.facts)}"` : probed.trust };
      yield { messageId: 'missing', data, ...atEndpoint(probed, missing.facts.thumbprint) };
    }
  },
});
