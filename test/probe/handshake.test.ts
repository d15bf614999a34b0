import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readServerFlight } from '../../src/probe/handshake.js';
import { probeTls } from '../../src/probe/connect.js';
import { FIXTURES, loopbackOnly, tlsServer, type TestServer } from './servers.js';

// The certificates as openssl wrote them (DER): the oracle for what a server sends.
const der = (name: string) => readFileSync(new URL(`certs/${name}.cer`, FIXTURES)).toString('hex');
const hex = (certificates: Uint8Array[]) => certificates.map((c) => Buffer.from(c).toString('hex'));
const pem = (name: string) => readFileSync(new URL(`tls/${name}.pem`, FIXTURES), 'utf8');
const key = (name: string) => readFileSync(new URL(`tls/${name}.key`, FIXTURES));
const FE01 = der('fe01');
const ISSUING = der('internal-issuing');
const ROOT = der('internal-root');
const PUBLIC_ISSUING = der('public-issuing');
const asPem = (hexDer: string) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(hexDer, 'hex').toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;

const servers: TestServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

async function served(options: Parameters<typeof tlsServer>[1], name = 'fe01') {
  const server = await tlsServer(name, options);
  servers.push(server);
  return probeTls({ address: '127.0.0.1', port: server.port, serverName: 'fe01.contoso.com' }, { timeoutMs: 5000, allowAddress: loopbackOnly });
}

describe('the served chain, read from the handshake', () => {
  it.each([
    ['TLS 1.2', { maxVersion: 'TLSv1.2' }, 'TLSv1.2'],
    ['TLS 1.3 with AES-128-GCM', { ciphers: 'TLS_AES_128_GCM_SHA256' }, 'TLSv1.3'],
    ['TLS 1.3 with AES-256-GCM', { ciphers: 'TLS_AES_256_GCM_SHA384' }, 'TLSv1.3'],
    ['TLS 1.3 with ChaCha20-Poly1305', { ciphers: 'TLS_CHACHA20_POLY1305_SHA256' }, 'TLSv1.3'],
  ] as const)('%s: every certificate, as sent', async (_, tls, version) => {
    const handshake = await served({ ...tls });
    expect(handshake.failure).toBeUndefined();
    expect(hex(handshake.certificates)).toEqual([FE01, ISSUING]);
    expect(handshake.tls).toMatchObject({ version, completed: true, clientCertificateRequested: false });
  });

  it('in the order sent, root and unrelated certificates included (what getPeerCertificate would reorder or drop)', async () => {
    const handshake = await served({ chain: false, cert: [pem('fe01'), asPem(PUBLIC_ISSUING), asPem(ROOT), asPem(ISSUING)].join(''), key: key('fe01') });
    expect(hex(handshake.certificates)).toEqual([FE01, PUBLIC_ISSUING, ROOT, ISSUING]);
  });

  it('only the leaf when the server sends no chain', async () => {
    expect(hex((await served({ chain: false })).certificates)).toEqual([FE01]);
  });

  it.each([
    ['TLS 1.2', 'TLSv1.2'],
    ['TLS 1.3', 'TLSv1.3'],
  ] as const)('%s: tells whether the server asks for a client certificate', async (_, maxVersion) => {
    expect((await served({ maxVersion, requestCert: true, rejectUnauthorized: false })).tls?.clientCertificateRequested).toBe(true);
    expect((await served({ maxVersion })).tls?.clientCertificateRequested).toBe(false);
  });

  it('keeps the chain of a TLS 1.2 server that ends the handshake for want of a client certificate', async () => {
    const handshake = await served({ maxVersion: 'TLSv1.2', requestCert: true, rejectUnauthorized: true });
    expect(hex(handshake.certificates)).toEqual([FE01, ISSUING]);
    expect(handshake.failure).toBeUndefined();
    expect(handshake.tls).toMatchObject({ completed: false, clientCertificateRequested: true });
    expect(handshake.tls?.alert).toMatch(/^handshake_failure \(40\)$|^certificate_required \(116\)$/);
  });

  it('sees a TLS 1.0 server, as an old Lync 2013 server may be', async () => {
    const handshake = await served({ minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    expect(handshake.tls?.version).toBe('TLSv1');
    expect(hex(handshake.certificates)).toEqual([FE01, ISSUING]);
  });
});

describe('readServerFlight on what is not a handshake', () => {
  const record = (type: number, body: number[]) => [type, 3, 3, body.length >> 8, body.length & 0xff, ...body];

  it('is not TLS when the first bytes are not a record', () => {
    expect(readServerFlight(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'))).toEqual({ tls: false, certificates: null, certificateRequested: false });
  });

  it('reads a fatal alert', () => {
    expect(readServerFlight(new Uint8Array(record(21, [2, 40])))).toMatchObject({ tls: true, certificates: null, alert: 'handshake_failure (40)' });
  });

  it('never throws on truncated, overlong or random input', () => {
    // A Certificate message whose list claims more than it holds, cut records, and noise.
    const overlong = record(22, [11, 0, 0, 7, 0, 0, 200, 0, 0, 1, 0x30]);
    const inputs = [new Uint8Array(overlong), new Uint8Array(overlong.slice(0, 8)), new Uint8Array(record(23, [1, 2, 3]))];
    let seed = 7;
    for (let i = 0; i < 200; i++) {
      const bytes = new Uint8Array(3 + (i % 97)).map(() => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff);
      if (i % 2 === 0) bytes.set([22, 3, 3], 0);
      inputs.push(bytes);
    }
    for (const input of inputs) expect(() => readServerFlight(input, new Uint8Array(32))).not.toThrow();
    expect(readServerFlight(new Uint8Array(overlong)).certificates).toBeNull();
  });
});
