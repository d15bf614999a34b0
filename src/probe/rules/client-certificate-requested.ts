import { defineRule } from '../../engine/types.js';
import { CITATIONS } from '../../rules/citations.js';
import { atEndpoint, docsUrl, endpointData, probeFacts } from './context.js';

export default defineRule({
  meta: {
    id: 'probe-client-certificate-requested',
    description: 'Endpoints that users reach (web services, simple URLs, the Access and Web Conferencing Edge on 443) do not ask clients for a certificate; SIP ports may, for MTLS between servers.',
    severity: 'info',
    citation: CITATIONS.infrastructure,
    docsUrl: docsUrl('probe-client-certificate-requested'),
    messages: {
      requested: '{{endpoint}} ({{service}}) asks clients for a certificate during the handshake: browsers and mobile clients may prompt users to choose one.',
      refused: {
        text: '{{endpoint}} ({{service}}) ends the handshake when the client sends no certificate ({{alert}}): clients without one cannot connect.',
        severity: 'error',
      },
    },
  },
  *check(context) {
    for (const probed of probeFacts(context).endpoints) {
      const tls = probed.handshake.tls;
      if (!tls?.clientCertificateRequested || probed.endpoint.mutualTls) continue;
      if (tls.completed) yield { messageId: 'requested', data: endpointData(probed), ...atEndpoint(probed) };
      else yield { messageId: 'refused', data: { ...endpointData(probed), alert: tls.alert ?? 'no alert' }, ...atEndpoint(probed) };
    }
  },
});
