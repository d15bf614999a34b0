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

/**
 * A TLS 1.2 server that answers any ClientHello with a fixed flight: ServerHello, a Certificate
 * message holding `certificates` as they are (unreadable ones too, which no TLS library would send),
 * ServerHelloDone. The client gives up on the certificates; the probe must still record them.
 */
export async function cannedServer(certificates: Uint8Array[]): Promise<TestServer> {
  const handshake = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
  const u24 = (n: number) => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);
  // TLS 1.2, a random, no session id, ECDHE-RSA-AES128-GCM-SHA256, no compression, renegotiation_info (RFC 5746, which OpenSSL 3 clients require).
  const serverHello = Buffer.concat([Buffer.from([3, 3]), Buffer.alloc(32, 0x5a), Buffer.from([0, 0xc0, 0x2f, 0]), Buffer.from([0, 5, 0xff, 0x01, 0, 1, 0])]);
  const list = Buffer.concat(certificates.map((c) => Buffer.concat([u24(c.length), c])));
  const messages = Buffer.concat([handshake(2, serverHello), handshake(11, Buffer.concat([u24(list.length), list])), handshake(14, Buffer.alloc(0))]);
  const flight = Buffer.concat([Buffer.from([22, 3, 3, messages.length >> 8, messages.length & 0xff]), messages]);
  const server = createTcpServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.write(flight));
  });
  return listen(server, tracked(server));
}
