import { describe, expect, it } from 'vitest';
import { CertificateParseError, parseCertificate } from '../../src/certs/x509.js';

describe('parseCertificate', () => {
  it('refuses a "certificate" of more than 1 MiB before reading any of it', () => {
    // A SEQUENCE of 2 MiB of zero bytes: structurally a start, but no real certificate is that large.
    const body = 2 * 1024 * 1024;
    const der = new Uint8Array(body + 6);
    der.set([0x30, 0x84, body >>> 24, (body >>> 16) & 0xff, (body >>> 8) & 0xff, body & 0xff]);
    expect(() => parseCertificate(der, { path: 'big.cer', format: 'der', index: 0 })).toThrow(CertificateParseError);
    expect(() => parseCertificate(der, { path: 'big.cer', format: 'der', index: 0 })).toThrow(/far beyond any real one/);
  });
});
