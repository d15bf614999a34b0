import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TemplateFacts } from '../../src/certs/facts.js';
import { readCertificateFile } from '../../src/certs/read.js';
import { hexWithoutColons, keyAlgorithm, signature } from './openssl.js';

// The zlint test corpus (Apache-2.0) beside the repository, as on every developer's machine and in CI;
// fixtures/corpus/make.sh recorded OpenSSL's reading of it in zlint-openssl.json.
const CORPUS = fileURLToPath(new URL('../../../shared/corpora/zlint-testdata/', import.meta.url));

interface OpensslReading {
  sha1: string;
  publicKeyAlgorithm: string | null;
  publicKeyBits: number | null;
  signatureAlgorithm: string;
  signatureHashParameter: string | null;
  /** The two signature AlgorithmIdentifiers as `openssl asn1parse` delimits them, hex. */
  tbsSignatureAlgorithmDer: string;
  signatureAlgorithmDer: string;
  template: TemplateFacts | null;
}
const openssl: { certificates: Record<string, OpensslReading[]>; crls: string[]; unreadable: string[] } = JSON.parse(
  readFileSync(new URL('../../fixtures/corpus/zlint-openssl.json', import.meta.url), 'utf8'),
);
const crls = new Set(openssl.crls);

// Every file but the corpus' licence texts.
const files = (existsSync(CORPUS) ? readdirSync(CORPUS, { recursive: true, encoding: 'utf8' }) : [])
  .map((name) => join(CORPUS, name))
  .filter((path) => statSync(path).isFile() && !/(LICENSE|\.md)$/.test(path))
  .sort();

describe('zlint corpus', () => {
  it('is there, and zlint-openssl.json records every file of it', () => {
    expect(files.length, `no corpus at ${CORPUS}`).toBeGreaterThan(1300);
    const recorded = [...Object.keys(openssl.certificates), ...openssl.crls, ...openssl.unreadable].sort();
    expect(recorded).toEqual(files.map((path) => relative(CORPUS, path)));
  });

  it.each(files.map((path) => [relative(CORPUS, path), path]))('%s: facts or a clear error; openssl’s key bits and hash', (name, path) => {
    const result = readCertificateFile(path);
    expect(result.certificates.length + result.errors.length).toBeGreaterThan(0);
    for (const error of result.errors) {
      expect(error.message).toMatch(/^\S/);
      expect(error.message).not.toMatch(/\n|\bat .*:\d+:\d+/);
    }
    if (crls.has(name)) expect(result.errors.map((e) => e.message).join()).toMatch(/certificate revocation list \(CRL\)/);

    for (const o of openssl.certificates[name] ?? []) {
      const facts = result.certificates.find((c) => c.facts.thumbprint === hexWithoutColons(o.sha1))?.facts;
      expect(facts, 'a certificate openssl reads').toBeDefined();
      const { publicKey, signature: sig } = facts!;
      expect(publicKey.algorithm).toBe(keyAlgorithm(o.publicKeyAlgorithm ?? ''));
      // OpenSSL gives no size for EdDSA and for keys it cannot load: nothing to compare there.
      if (o.publicKeyBits !== null) expect(publicKey.bits).toBe(o.publicKeyBits);
      const expected = signature(o.signatureAlgorithm, o.signatureHashParameter);
      // An algorithm the table does not know (GOST) must be unknown to the reader too: its OID, no hash.
      expect({ algorithm: sig.algorithm, hash: sig.hash, pss: sig.pss }).toEqual(
        expected ?? { algorithm: sig.oid, hash: null, pss: false },
      );
      // RFC 5280 §4.1.1.2: the two algorithms are identical, byte for byte, or the certificate is malformed.
      const differ = o.tbsSignatureAlgorithmDer !== o.signatureAlgorithmDer;
      expect(facts!.problems.some((p) => p.startsWith('the signature algorithm inside tbsCertificate'))).toBe(differ);
      if (!differ) expect(facts!.tbsSignature).toBeUndefined();
      expect(facts!.template).toEqual(o.template);
    }
  });
});

describe('where the reader and openssl part, by design', () => {
  it('an empty RDN in a name: openssl refuses the certificate; it is read, and the defect noted', () => {
    expect(openssl.unreadable).toContain('subCertLocalityNameDoesNotNeedToAppear.pem');
    const [cert] = readCertificateFile(join(CORPUS, 'subCertLocalityNameDoesNotNeedToAppear.pem')).certificates;
    expect(cert!.facts.issuer).toBe('C=US, O=Mother Nature, OU=Everything, CN=Mother Nature');
    expect(cert!.problems).toContain('the issuer name has an empty RelativeDistinguishedName');
  });

  it('an RSASSA-PSS key with NULL parameters: openssl cannot load it; its modulus still has a size', () => {
    expect(openssl.certificates['rsassapssInSPKI.pem']![0]!.publicKeyBits).toBeNull();
    const [cert] = readCertificateFile(join(CORPUS, 'rsassapssInSPKI.pem')).certificates;
    expect(cert!.facts.publicKey).toEqual({ algorithm: 'RSA', bits: 2048, curve: null });
  });
});
