/**
 * The servers the probe tests connect to, all on 127.0.0.1: node:tls servers with the fixture
 * certificates (fixtures/probe/make.sh), and the misbehaving kinds a probe must survive.
 */
import { readFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';

export const FIXTURES = new URL('../../fixtures/probe/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));

/** The thumbprints openssl computed when the fixtures were made. */
export const THUMBPRINTS: Record<string, string> = JSON.parse(fixture('thumbprints.json').toString('utf8'));

export interface TestServer {
  port: number;
  /** `127.0.0.1:PORT`, for --connect-to. */
  address: string;
  close(): Promise<void>;
}

/** Only loopback addresses: what the tests let the probe connect to. */
export const loopbackOnly = (address: string): boolean => /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);

async function listen(server: NetServer, sockets?: Set<Socket>): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets ?? []) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Tracks the connections of a server, so that close() need not wait for a client that never leaves. */
function tracked(server: NetServer): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return sockets;
}

/**
 * A TLS server with a fixture certificate: `chain` sends its issuing CA too (the default), as a
 * correctly configured server does.
 */
export async function tlsServer(name: string, options: { chain?: boolean } & TlsOptions = {}): Promise<TestServer> {
  const { chain = true, ...tls } = options;
  const server = createTlsServer({ key: fixture(`tls/${name}.key`), cert: fixture(`tls/${name}${chain ? '.chain' : ''}.pem`), ...tls }, (socket) => socket.on('error', () => {}));
  server.on('tlsClientError', () => {});
  return listen(server, tracked(server));
}

/** Accepts TCP connections and never says a word. */
export async function silentServer(): Promise<TestServer> {
  const server = createTcpServer(() => {});
  return listen(server, tracked(server));
}

/** Answers a ClientHello with an HTTP error and a terminal escape sequence, as a plain web server on the wrong port would (and worse). */
export async function garbageServer(): Promise<TestServer> {
  const server = createTcpServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\u001b[2J\r\n'));
  });
  return listen(server, tracked(server));
}

/** A loopback port nothing listens on: one a server had, closed again. */
export async function closedPort(): Promise<number> {
  const server = await listen(createTcpServer());
  await server.close();
  return server.port;
}
