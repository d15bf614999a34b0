import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { probeTls } from '../../src/probe/connect.js';
import { closedPort, FIXTURES, garbageServer, loopbackOnly, silentServer, type TestServer } from './servers.js';

const fixture = (name: string) => readFileSync(new URL(`tls/${name}`, FIXTURES));

const servers: TestServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});
const started = async (server: Promise<TestServer>) => {
  const s = await server;
  servers.push(s);
  return s;
};
const probeAt = (port: number, timeoutMs = 5000) => probeTls({ address: '127.0.0.1', port, serverName: 'fe01.contoso.com' }, { timeoutMs, allowAddress: loopbackOnly });

describe('probeTls: what goes wrong is a failure with its kind, never a throw', () => {
  it('refused: a closed port', async () => {
    const handshake = await probeAt(await closedPort());
    expect(handshake.failure).toEqual({ kind: 'refused', connected: false, detail: 'ECONNREFUSED' });
    expect(handshake.certificates).toEqual([]);
    expect(handshake.tls).toBeUndefined();
  });

  it('time-out: a server that accepts and never answers is left after the time-out, not before and not much after', async () => {
    const server = await started(silentServer());
    const handshake = await probeAt(server.port, 800);
    expect(handshake.failure).toEqual({ kind: 'timeout', connected: true, detail: 'no TLS answer' });
    expect(handshake.remoteAddress).toBe('127.0.0.1');
    expect(handshake.durationMs).toBeGreaterThanOrEqual(790);
    // Generous: the machine is shared; a probe that ignored its time-out would take the test's 30 s.
    expect(handshake.durationMs).toBeLessThan(5000);
  });

  it('not TLS: a server that answers with something else, its first bytes escaped', async () => {
    const server = await started(garbageServer());
    const handshake = await probeAt(server.port);
    expect(handshake.failure?.kind).toBe('not-tls');
    expect(handshake.failure?.detail).toBe('"HTTP/1.1 400 Bad Request\\0D\\0A\\1B[2J\\0D\\0A"');
    expect(handshake.failure?.detail).not.toMatch(/[\u0000-\u001f]/);
  });

  it('closed: a server that hangs up without a word', async () => {
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const handshake = await probeAt((server.address() as AddressInfo).port);
      expect(handshake.failure?.kind).toBe('closed');
    } finally {
      server.close();
    }
  });

  it('a server that streams records without end is cut off at 1 MiB', async () => {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      // A handshake record header, then a body that never ends.
      socket.write(Buffer.from([22, 3, 3, 0xff, 0xff]));
      const chunk = Buffer.alloc(64 * 1024, 0x41);
      const pump = () => {
        while (!socket.destroyed && socket.write(chunk));
        if (!socket.destroyed) socket.once('drain', pump);
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const handshake = await probeAt((server.address() as AddressInfo).port, 20_000);
      expect(handshake.failure?.kind).not.toBe('timeout');
      expect(handshake.failure).toBeDefined();
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });

  it('refuses an address the caller does not allow, before looking it up or connecting', async () => {
    const handshake = await probeTls({ address: 'pool01.contoso.com', port: 5061 }, { timeoutMs: 5000, allowAddress: loopbackOnly });
    expect(handshake.failure).toEqual({ kind: 'unreachable', connected: false, detail: 'pool01.contoso.com is not an allowed address' });
  });

  it('records the version and cipher the server chose; sends the name as SNI, and no client certificate when asked for one', async () => {
    let seen: { version: string | null; cipher: string; servername: string | false | null; peerCertificate: object } | undefined;
    const own = createTlsServer({ key: fixture('fe01.key'), cert: fixture('fe01.chain.pem'), maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384', requestCert: true, rejectUnauthorized: false }, (socket) => {
      socket.on('error', () => {});
      seen = { version: socket.getProtocol(), cipher: socket.getCipher().standardName, servername: socket.servername, peerCertificate: socket.getPeerCertificate() };
    });
    await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', resolve));
    try {
      const handshake = await probeAt((own.address() as AddressInfo).port);
      expect(handshake.tls).toMatchObject({ version: 'TLSv1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', clientCertificateRequested: true, completed: true });
      await new Promise((resolve) => setTimeout(resolve, 50));
      // The server's own view: what the probe recorded, the name asked for, and no certificate from the probe.
      expect(seen).toEqual({ version: 'TLSv1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', servername: 'fe01.contoso.com', peerCertificate: {} });
    } finally {
      own.close();
    }
  });
});
