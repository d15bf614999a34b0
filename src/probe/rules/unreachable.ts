import { defineRule } from '../../engine/types.js';
import { CITATIONS } from '../../rules/citations.js';
import type { FailureKind } from '../connect.js';
import { atEndpoint, docsUrl, endpointData, probeFacts } from './context.js';

const MESSAGE_OF = {
  dns: 'dns',
  refused: 'refused',
  unreachable: 'unreachable',
  closed: 'closed',
  'not-tls': 'notTls',
  handshake: 'handshake',
} as const satisfies Record<Exclude<FailureKind, 'timeout'>, string>;

export default defineRule({
  meta: {
    id: 'probe-unreachable',
    description: 'Every endpoint probed answers with a TLS handshake within the time-out.',
    severity: 'warning',
    citation: CITATIONS.edgeEnvironment,
    docsUrl: docsUrl('probe-unreachable'),
    messages: {
      dns: 'No TLS handshake with {{endpoint}} ({{service}}): the name does not resolve ({{detail}}).',
      refused: 'No TLS handshake with {{endpoint}} ({{service}}): the connection was refused: nothing listens on port {{port}}, or a firewall rejects it.',
      unreachable: 'No TLS handshake with {{endpoint}} ({{service}}): the address cannot be reached ({{detail}}).',
      connectTimeout: 'No TLS handshake with {{endpoint}} ({{service}}): no connection within {{seconds}} s (the host is down, or a firewall drops the connection).',
      handshakeTimeout: 'No TLS handshake with {{endpoint}} ({{service}}): the server accepted the connection but did not answer the handshake within {{seconds}} s.',
      closed: 'No TLS handshake with {{endpoint}} ({{service}}): the server {{detail}}.',
      notTls: 'No TLS handshake with {{endpoint}} ({{service}}): the server answered with something that is not TLS ({{detail}}): another service listens on port {{port}}.',
      handshake: 'No TLS handshake with {{endpoint}} ({{service}}): the handshake failed ({{detail}}).',
    },
  },
  *check(context) {
    const { endpoints, timeoutMs } = probeFacts(context);
    const seconds = timeoutMs / 1000;
    for (const probed of endpoints) {
      const failure = probed.handshake.failure;
      if (!failure) continue;
      const messageId = failure.kind === 'timeout' ? (failure.connected ? 'handshakeTimeout' : 'connectTimeout') : MESSAGE_OF[failure.kind];
      yield { messageId, data: { ...endpointData(probed), detail: failure.detail, seconds }, ...atEndpoint(probed) };
    }
  },
});
