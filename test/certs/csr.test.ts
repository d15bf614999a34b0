import 'reflect-metadata';
import { Pkcs10CertificateRequest, type SubjectAlternativeNameExtension } from '@peculiar/x509';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isCertificateRequest, parseCertificateRequest, readCertificateRequestBytes, readCertificateRequestFile } from '../../src/certs/csr.js';
import { InputError } from '../../src/errors.js';

const REQUESTS = fileURLToPath(new URL('../../fixtures/predeploy/requests/', import.meta.url));
const file = (name: string) => `${REQUESTS}${name}`;
const read = (name: string) => {
  const result = readCertificateRequestFile(file(name));
  expect(result.errors).toEqual([]);
  expect(result.requests).toHaveLength(1);
  return result.requests[0]!;
};
/** The same request read by @peculiar/x509, an independent implementation. */
const oracle = (name: string) => new Pkcs10CertificateRequest(readFileSync(file(name), 'utf8'));

describe('readCertificateRequestFile, against @peculiar/x509', () => {
  for (const name of ['fe01-default-good.csr', 'edge-external-good.csr', 'oauth-bad.csr', 'fe01-default-certreq.req']) {
    it(`reads ${name} as the oracle does: Subject, SANs, key, signature`, async () => {
      const ours = read(name);
      const theirs = oracle(name);
      expect(ours.facts.subjectCommonName).toBe(/CN=([^,]+)/.exec(theirs.subject)![1]);
      const san = theirs.getExtension('2.5.29.17') as SubjectAlternativeNameExtension | null;
      expect(ours.facts.subjectAltNames.dns).toEqual(san ? san.names.items.filter((n) => n.type === 'dns').map((n) => n.value) : []);
      expect(ours.facts.publicKey.algorithm).toBe('RSA');
      const modulus = (theirs.publicKey.algorithm as unknown as { modulusLength: number }).modulusLength;
      expect(ours.facts.publicKey.bits).toBe(modulus);
      expect(await theirs.verify()).toBe(true);
      expect(ours.facts.signatureValid).toBe(true);
    });
  }

  it('reads what the fixture script asked OpenSSL for (fixtures/predeploy/make-fixtures.sh)', () => {
    const good = read('fe01-default-good.csr');
    expect(good.facts.subject).toBe('CN=pool01.contoso.com');
    expect(good.facts.subjectAltNames.dns).toEqual(['pool01.contoso.com', 'fe01.contoso.com', 'sip.contoso.com', 'sip.fabrikam.com']);
    expect(good.facts.extendedKeyUsage).toEqual(['serverAuth']);
    expect(good.facts.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(good.facts.signature.algorithm).toBe('sha256WithRSAEncryption');
    // OpenSSL records no provider and no template.
    expect(good.facts.keyProvider).toBeNull();
    expect(good.facts.template).toBeNull();
    expect(read('oauth-bad.csr').facts.publicKey.bits).toBe(1024);
  });

  it("reads certreq's form: NEW CERTIFICATE REQUEST, CRLF, the provider and template attributes", () => {
    const text = readFileSync(file('fe01-default-certreq.req'), 'latin1');
    expect(text.startsWith('-----BEGIN NEW CERTIFICATE REQUEST-----\r\n')).toBe(true);
    const csp = read('fe01-default-certreq.req');
    expect(csp.facts.keyProvider).toBe('Microsoft RSA SChannel Cryptographic Provider');
    expect(csp.facts.template).toBe('WebServer');
    expect(csp.facts.subjectAltNames.dns).toContain('fe01.contoso.com');
    expect(read('fe01-default-certreq-cng.req').facts.keyProvider).toBe('Microsoft Software Key Storage Provider');
  });

  it('reads DER (certreq -binary) and bare base64 alike', () => {
    const der = readFileSync(file('fe01-default-good.der'));
    const fromDer = readCertificateRequestBytes(der, 'x.der').requests[0]!;
    const fromBase64 = readCertificateRequestBytes(Buffer.from(der.toString('base64')), 'x.req').requests[0]!;
    expect(fromDer.facts.source.format).toBe('der');
    expect(fromDer.facts.sha256).toBe(read('fe01-default-good.csr').facts.sha256);
    expect(fromBase64.facts.sha256).toBe(fromDer.facts.sha256);
  });
});

describe('the signature', () => {
  it('does not verify once a byte of the signed part changes', () => {
    const der = new Uint8Array(readFileSync(file('fe01-default-good.der')));
    // A byte of the CN (pool01 → pool02): still a well-formed request, no longer the one signed.
    const at = Buffer.from(der).indexOf('pool01');
    der[at + 5] = '2'.charCodeAt(0);
    const tampered = parseCertificateRequest(der, { path: 'tampered.der', format: 'der', index: 0 });
    expect(tampered.facts.subjectCommonName).toBe('pool02.contoso.com');
    expect(tampered.facts.signatureValid).toBe(false);
  });
});

describe('telling requests from certificates, and bad input', () => {
  it('isCertificateRequest: requests in every form yes, certificates no', () => {
    for (const name of ['fe01-default-good.csr', 'fe01-default-good.der', 'fe01-default-certreq.req']) expect(isCertificateRequest(readFileSync(file(name)))).toBe(true);
    for (const name of ['fe01-default-good.cer', 'edge-external-good.pfx']) {
      expect(isCertificateRequest(readFileSync(fileURLToPath(new URL(`../../fixtures/predeploy/candidates/${name}`, import.meta.url))))).toBe(false);
    }
    expect(isCertificateRequest(Buffer.from('hello'))).toBe(false);
  });

  it('damaged input is an InputError naming the file, never a crash', () => {
    const der = readFileSync(file('fe01-default-good.der'));
    for (const bytes of [der.subarray(0, 40), Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\n!!!\n-----END CERTIFICATE REQUEST-----\n'), Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00])]) {
      const result = readCertificateRequestBytes(bytes, 'broken.req');
      expect(result.requests).toEqual([]);
      expect(result.errors[0]).toBeInstanceOf(InputError);
      expect(result.errors[0]!.where.path).toBe('broken.req');
    }
    expect(readCertificateRequestFile(file('no-such.csr')).errors[0]!.message).toBe('file not found');
  });
});
