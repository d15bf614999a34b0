import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTlv } from '../../src/certs/der.js';
import { readCertificateFile } from '../../src/certs/read.js';
import { parseGeneralNames } from '../../src/pki/extensions.js';
import { CertificateParseError, parseCertificate, parseName } from '../../src/certs/x509.js';

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

describe('parseName', () => {
  const tlv = (tag: number, ...parts: Uint8Array[]) => {
    const body = Uint8Array.from(parts.flatMap((p) => [...p]));
    return Uint8Array.of(tag, body.length, ...body);
  };
  const utf8 = (s: string) => tlv(0x0c, new TextEncoder().encode(s));
  const CN = Uint8Array.of(0x06, 0x03, 0x55, 0x04, 0x03);
  const C = Uint8Array.of(0x06, 0x03, 0x55, 0x04, 0x06);
  const name = (...rdns: Uint8Array[][]) => {
    const der = tlv(0x30, ...rdns.map((atvs) => tlv(0x31, ...atvs)));
    return parseName(der, readTlv(der, 0));
  };
  const atv = (type: Uint8Array, value: string) => tlv(0x30, type, utf8(value));

  it('compares as RFC 5280 §7.1 does: case and inner spaces ignored, and the order within an RDN', () => {
    expect(name([atv(CN, 'Contoso  Root')], [atv(C, 'US')]).key).toBe(name([atv(CN, ' contoso root ')], [atv(C, 'us')]).key);
    expect(name([atv(CN, 'a'), atv(C, 'us')]).key).toBe(name([atv(C, 'US'), atv(CN, 'A')]).key);
  });

  it('never confuses a value holding separators with several attributes or RDNs', () => {
    const twoRdns = name([atv(CN, 'a')], [atv(C, 'us')]).key;
    expect(name([atv(CN, 'a/2.5.4.6=us')]).key).not.toBe(twoRdns);
    expect(name([atv(CN, 'a","2.5.4.6=us')]).key).not.toBe(twoRdns);
    expect(name([atv(CN, 'a+2.5.4.6=us')]).key).not.toBe(name([atv(CN, 'a'), atv(C, 'us')]).key);
  });
});

describe('one subjectAltName parser for every consumer (issue 17)', () => {
  const files = ['san-unknown-type.pem', 'hostile-names.pem', 'leaf-rsa2048.pem', 'empty-eku.pem'];
  it.each(files)('%s: path validation refuses the extension exactly when the facts record it as malformed', (file) => {
    const [cert] = readCertificateFile(fileURLToPath(new URL(`../../fixtures/certs/files/${file}`, import.meta.url))).certificates;
    const san = cert!.extensions.find((e) => e.oid === '2.5.29.17')!;
    let refused = false;
    try {
      parseGeneralNames(san.value);
    } catch {
      refused = true;
    }
    expect(cert!.facts.problems.some((p) => p.startsWith('malformed subjectAltName extension'))).toBe(refused);
    // One list of defects: what path validation refuses is what the facts show.
    expect(cert!.problems).toBe(cert!.facts.problems);
    expect(refused).toBe(file === 'san-unknown-type.pem');
  });
});
