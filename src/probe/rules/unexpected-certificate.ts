import { defineRule } from '../../engine/types.js';
import { CITATIONS } from '../../rules/citations.js';
import { atEndpoint, docsUrl, endpointData, probeFacts, subjectOf } from './context.js';

export default defineRule({
  meta: {
    id: 'probe-unexpected-certificate',
    description: 'Each endpoint serves the certificate the snapshot assigns there (by thumbprint).',
    severity: 'error',
    citation: CITATIONS.configureServers,
    docsUrl: docsUrl('probe-unexpected-certificate'),
    messages: {
      other:
        '{{endpoint}} ({{service}}) serves "{{served}}" ({{thumbprint}}), not the {{usage}} certificate the snapshot assigns there ({{expected}}): a service not restarted since Set-CsCertificate, or a load balancer or reverse proxy serving a certificate of its own.',
    },
  },
  *check(context) {
    for (const probed of probeFacts(context).endpoints) {
      const leaf = probed.leaf;
      if (!leaf || probed.expected === null || probed.expected.includes(leaf.facts.thumbprint)) continue;
      const data = { ...endpointData(probed), served: subjectOf(leaf.facts), thumbprint: leaf.facts.thumbprint, usage: probed.usage, expected: probed.expected.join(' or ') };
      yield { messageId: 'other', data, ...atEndpoint(probed, leaf.facts.thumbprint) };
    }
  },
});
