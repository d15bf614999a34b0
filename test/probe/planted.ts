/**
 * The planted deployment: the fixture snapshot's endpoints served on 127.0.0.1, each with one
 * difference from what the snapshot says (or none), and the findings those differences must give.
 */
import { closedPort, garbageServer, silentServer, tlsServer, type TestServer } from './servers.js';

export const NOW = '2026-06-01T00:00:00Z';
export const SNAPSHOT = 'fixtures/probe/snapshot.yaml';

/** What each endpoint serves, and the one finding that must come of it (none for a clean one). */
export const PLANTED = {
  'fe01.contoso.com:5061': { serve: () => tlsServer('fe01'), finding: null },
  'fe01.contoso.com:443': { serve: () => tlsServer('fe01', { requestCert: true, rejectUnauthorized: false }), finding: ['probe-client-certificate-requested', 'requested', 'info'] },
  'fe01.contoso.com:4443': { serve: () => tlsServer('fe01-previous'), finding: ['probe-unexpected-certificate', 'other', 'error'] },
  'fe02.contoso.com:5061': { serve: () => tlsServer('fe02'), finding: ['probe-name-mismatch', 'mismatch', 'error'] },
  'fe03.contoso.com:5061': { serve: () => tlsServer('fe03'), finding: ['certificate-expiry', 'expired', 'error'] },
  'edge01.contoso.com:5061': { serve: () => tlsServer('edge-internal'), finding: null },
  'sip.contoso.com:443': { serve: () => tlsServer('edge-external'), finding: null },
  'sip.contoso.com:5061': { serve: () => tlsServer('edge-external', { chain: false }), finding: ['probe-chain-incomplete', 'missing', 'error'] },
  'webconf.contoso.com:443': { serve: null, finding: ['probe-unreachable', 'refused', 'warning'] },
  'pool01.contoso.com:5061': { serve: silentServer, finding: ['probe-unreachable', 'handshakeTimeout', 'warning'] },
  'pool01.contoso.com:443': { serve: garbageServer, finding: ['probe-unreachable', 'notTls', 'warning'] },
} as const satisfies Record<string, { serve: (() => Promise<TestServer>) | null; finding: readonly [string, string, string] | null }>;

export type PlantedEndpoint = keyof typeof PLANTED;

/** `endpoint ruleId/messageId severity` for each planted difference, sorted. */
export const EXPECTED = Object.entries(PLANTED)
  .flatMap(([endpoint, { finding }]) => (finding ? [`${endpoint} ${finding[0]}/${finding[1]} ${finding[2]}`] : []))
  .sort();

export interface Planted {
  /** `HOST:PORT=127.0.0.1:PORT` for every planted endpoint (the closed one on a port nothing listens on). */
  connectTo: Record<PlantedEndpoint, { host: string; port: number }>;
  close(): Promise<void>;
}

export async function startPlanted(): Promise<Planted> {
  const servers: TestServer[] = [];
  const connectTo = {} as Planted['connectTo'];
  for (const [endpoint, { serve }] of Object.entries(PLANTED) as Array<[PlantedEndpoint, (typeof PLANTED)[PlantedEndpoint]]>) {
    const server = serve ? await serve() : null;
    if (server) servers.push(server);
    connectTo[endpoint] = { host: '127.0.0.1', port: server ? server.port : await closedPort() };
  }
  return {
    connectTo,
    close: async () => {
      for (const server of servers) await server.close();
    },
  };
}
