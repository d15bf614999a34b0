import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCrlFile } from '../../src/certs/crl.js';
import { readCertificateFile } from '../../src/certs/read.js';
import { createChainValidation } from '../../src/engine/validation.js';
import type { Certificate } from '../../src/certs/x509.js';
import { PathValidator, type RevocationOptions } from '../../src/pki/validate.js';

// fixtures/crls/make.sh made these with `openssl ca`; openssl-verdicts.txt holds what `openssl verify -crl_check` said.
const DIR = join(import.meta.dirname, '../../fixtures/crls');
const cert = (name: string): Certificate => readCertificateFile(join(DIR, name)).certificates[0]!;
const crls = (...names: string[]) =>
  names.flatMap((name) => {
    const read = readCrlFile(join(DIR, name));
    expect(read.errors).toEqual([]);
    return read.crls;
  });
const OPENSSL = readFileSync(join(DIR, 'openssl-verdicts.txt'), 'utf8');
const openssl = (leaf: string, crl: string) => new RegExp(`^${leaf} ${crl.replace(/\./g, '\\.')}: (.*)$`, 'm').exec(OPENSSL)![1]!;

const root = cert('root.pem');
const issuing = cert('issuing.pem');
const validator = new PathValidator();
const AT = new Date('2030-01-01T00:00:00Z');
const check = (leaf: string, revocation: RevocationOptions, extra: Partial<{ untrusted: Certificate[] }> = {}) =>
  validator.validate(cert(leaf), { trusted: [root], untrusted: extra.untrusted ?? [issuing], time: AT, profile: 'rfc5280', purpose: 'serverAuth', revocation });

describe('reading CRLs', () => {
  it('reads a PEM and a DER CRL alike: issuer, dates, number, entries with their reasons', () => {
    const [pem] = crls('issuing.crl.pem');
    const [der] = crls('issuing.crl.der');
    for (const crl of [pem!, der!]) {
      expect(crl.version).toBe(2);
      expect(crl.issuerName.key).toBe(issuing.subjectName.key);
      expect(crl.thisUpdate).toBe('2025-06-01T00:00:00Z');
      expect(crl.nextUpdate).toBe('2049-12-31T23:59:59Z');
      expect(crl.crlNumber).toBe('01');
      expect(crl.authorityKeyId).toBe(issuing.facts.subjectKeyIdentifier);
      expect(crl.revoked.get(cert('revoked.pem').facts.serialNumber)).toMatchObject({ revocationDate: '2025-02-01T00:00:00Z', reason: 'keyCompromise' });
      expect(crl.revoked.get(cert('held.pem').facts.serialNumber)?.reason).toBe('certificateHold');
      expect(crl.revoked.has(cert('good.pem').facts.serialNumber)).toBe(false);
    }
    expect(pem!.sha256).toBe(der!.sha256);
  });
  it('reads the scope and delta extensions', () => {
    expect(crls('issuing-delta.crl.pem')[0]!.deltaCrl).toBe(true);
    expect(crls('issuing-ca-only.crl.pem')[0]!.issuingDistributionPoint).toMatchObject({ onlyCACerts: true, named: false });
    expect(crls('issuing-other-dp.crl.pem')[0]!.issuingDistributionPoint).toMatchObject({ named: true, uris: ['http://crl.example.com/other.crl'] });
  });
  it('reports a file that is not a CRL, with its path', () => {
    const read = readCrlFile(join(DIR, 'root.pem'));
    expect(read.crls).toEqual([]);
    expect(read.errors[0]!.describe()).toMatch(/root\.pem: not a CRL file/);
  });
});

describe('revocation status (openssl verify -crl_check as the oracle)', () => {
  it('finds a revoked leaf, with the date and reason of its entry', () => {
    expect(openssl('revoked', 'issuing.crl.pem')).toMatch(/certificate revoked/);
    const result = check('revoked.pem', { crls: crls('issuing.crl.pem') });
    expect(result.valid).toBe(false);
    expect(result.failure).toMatchObject({ code: 'revoked', certificate: expect.objectContaining({ der: cert('revoked.pem').der }) });
    expect(result.failure!.message).toMatch(/revoked 2025-02-01T00:00:00Z \(keyCompromise\) by the CRL .*issuing\.crl\.pem/);
    // Named by its subject as node:crypto reads it; the path reached its trust anchor.
    const subject = new X509Certificate(readFileSync(join(DIR, 'revoked.pem'))).subject.split('\n').join(', ');
    expect(result.failure!.message.startsWith(`${subject}: `)).toBe(true);
    expect(result.trustAnchor).toBe(root);
    expect(result.revocation?.[0]).toMatchObject({ status: 'revoked', reason: 'keyCompromise', revocationDate: '2025-02-01T00:00:00Z' });
  });
  it('treats a certificate on hold as revoked', () => {
    expect(openssl('held', 'issuing.crl.pem')).toMatch(/certificate revoked/);
    expect(check('held.pem', { crls: crls('issuing.crl.pem') }).revocation?.[0]).toMatchObject({ status: 'revoked', reason: 'certificateHold' });
  });
  it('passes a certificate not on a usable CRL, and says which CRL vouched for it', () => {
    expect(openssl('good', 'issuing.crl.pem')).toBe('OK');
    const result = check('good.pem', { crls: crls('issuing.crl.der') });
    expect(result.valid).toBe(true);
    expect(result.revocation).toEqual([expect.objectContaining({ status: 'good', message: expect.stringMatching(/issuing\.crl\.der/) })]);
    expect(check('good.pem', { crls: crls('issuing.crl.der'), strict: true }).valid).toBe(true);
  });
  it('does not count a revocation dated after the validation time', () => {
    const result = validator.validate(cert('revoked.pem'), { trusted: [root], untrusted: [issuing], time: new Date('2025-01-15T00:00:00Z'), revocation: { crls: crls('issuing.crl.pem') } });
    // The CRL itself was issued later (2025-06-01): it cannot vouch for an earlier time either.
    expect(result.valid).toBe(true);
    expect(result.revocation?.[0]?.status).toBe('unknown');
  });
  it('gives unknown, not valid or revoked, when the only CRL is out of date, forged, a delta, or out of scope', () => {
    const cases: Array<[string, RegExp]> = [
      ['issuing-expired.crl.pem', /out of date: its nextUpdate was 2021-06-01T00:00:00Z/],
      ['issuing-forged.crl.pem', /signature/],
      ['issuing-delta.crl.pem', /a delta CRL, which is not supported/],
      ['issuing-ca-only.crl.pem', /covers CA certificates only/],
      ['issuing-other-dp.crl.pem', /distribution point http:\/\/crl\.example\.com\/other\.crl/],
    ];
    expect(openssl('revoked', 'issuing-expired.crl.pem')).toMatch(/CRL has expired/);
    expect(openssl('revoked', 'issuing-forged.crl.pem')).toMatch(/unable to get certificate CRL/);
    for (const [file, why] of cases) {
      const lenient = check('revoked.pem', { crls: crls(file) });
      expect(lenient.valid, file).toBe(true);
      expect(lenient.revocation?.[0], file).toMatchObject({ status: 'unknown', message: expect.stringMatching(why) });
      const strict = check('revoked.pem', { crls: crls(file), strict: true });
      expect(strict.failure?.code, file).toBe('revocation-unknown');
    }
  });
  it('says when no CRL from the issuer was given', () => {
    const result = check('good.pem', { crls: crls('root.crl.pem'), strict: true });
    expect(result.failure).toMatchObject({ code: 'revocation-unknown', message: expect.stringMatching(/no CRL from CN=CRL Test Issuing CA was given/) });
  });
  it('checks every certificate below the anchor with scope all, and only the leaf by default', () => {
    const both = crls('issuing.crl.pem', 'root.crl.pem');
    expect(check('good.pem', { crls: both }).revocation?.map((s) => s.status)).toEqual(['good']);
    expect(check('good.pem', { crls: both, scope: 'all' }).revocation?.map((s) => [s.certificate.facts.subject, s.status])).toEqual([
      ['CN=good.example.com', 'good'],
      ['CN=CRL Test Issuing CA', 'good'],
    ]);
    expect(check('good.pem', { crls: crls('issuing.crl.pem'), scope: 'all', strict: true }).failure?.code).toBe('revocation-unknown');
  });
  it("accepts a CRL signed by a CRL signer the issuer certified, when that certificate is among those given", () => {
    const signer = cert('crlsigner.pem');
    const viaSigner = check('revoked.pem', { crls: crls('issuing-by-signer.crl.pem') }, { untrusted: [issuing, signer] });
    expect(viaSigner.failure?.code).toBe('revoked');
    const withoutSigner = check('revoked.pem', { crls: crls('issuing-by-signer.crl.pem') });
    expect(withoutSigner.revocation?.[0]).toMatchObject({ status: 'unknown', message: expect.stringMatching(/signature/) });
  });
  it('refuses a CRL signed by a CA whose keyUsage lacks cRLSign', () => {
    const result = check('plain.pem', { crls: crls('nocrlsign.crl.pem') }, { untrusted: [cert('nocrlsign.pem')] });
    expect(result.revocation?.[0]).toMatchObject({ status: 'unknown', message: expect.stringMatching(/keyUsage lacks cRLSign/) });
  });
});

describe('revocation in a lint run (createChainValidation)', () => {
  it('fails the path of a revoked certificate with the code revoked, and passes without CRLs', () => {
    const withCrls = createChainValidation(crls('issuing.crl.pem'));
    expect(withCrls(cert('revoked.pem'), [root], [issuing], AT).failure?.code).toBe('revoked');
    expect(withCrls(cert('good.pem'), [root], [issuing], AT).valid).toBe(true);
    expect(createChainValidation()(cert('revoked.pem'), [root], [issuing], AT).valid).toBe(true);
  });
});
