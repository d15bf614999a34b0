import { defineRule } from '../../engine/types.js';
import { CITATIONS } from '../../rules/citations.js';
import type { FailureKind } from '../connect.js';
import { endpointKey } from '../endpoints.js';
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
      dns: 'No TLS handshake with {{endpoint}} ({{service}}): the name {{host}} does not resolve ({{detail}}).',
      refused: 'No TLS handshake with {{endpoint}} ({{service}}): the connection to {{address}} was refused: nothing listens there, or a firewall rejects it.',
      unreachable: 'No TLS handshake with {{endpoint}} ({{service}}): {{address}} cannot be reached ({{detail}}).',
      connectTimeout: 'No TLS handshake with {{endpoint}} ({{service}}): no connection to {{address}} within {{seconds}} s (the host is down, or a firewall drops the connection).',
      handshakeTimeout: 'No TLS handshake with {{endpoint}} ({{service}}): the server at {{address}} accepted the connection but did not answer the handshake within {{seconds}} s.',
      closed: 'No TLS handshake with {{endpoint}} ({{service}}): the server at {{address}} {{detail}}.',
      notTls: 'No TLS handshake with {{endpoint}} ({{service}}): the server at {{address}} answered with something that is not TLS ({{detail}}): another service listens there.',
      handshake: 'No TLS handshake with {{endpoint}} ({{service}}): the handshake with {{address}} failed ({{detail}}).',
    },
  },
  *check(context) {
    const { endpoints, timeoutMs } = probeFacts(context);
    const seconds = timeoutMs / 1000;
    for (const probed of endpoints) {
      const failure = probed.handshake.failure;
      if (!failure) continue;
      const messageId = failure.kind === 'timeout' ? (failure.connected ? 'handshakeTimeout' : 'connectTimeout') : MESSAGE_OF[failure.kind];
      // Where the probe connected, which --connect-to may have moved: the endpoint's name alone would send the reader to the wrong place.
      const to = probed.connectTo ?? probed.endpoint;
      const resolved = probed.handshake.remoteAddress !== undefined && probed.handshake.remoteAddress !== to.host ? ` (${probed.handshake.remoteAddress})` : '';
      yield { messageId, data: { ...endpointData(probed), host: to.host, address: `${endpointKey(to)}${resolved}`, detail: failure.detail, seconds }, ...atEndpoint(probed) };
    }
  },
});
