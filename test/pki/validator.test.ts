import { describe, expect, it } from 'vitest';
import type { Certificate } from '../../src/certs/x509.js';
import { PathValidator, validatePath, type ValidationOptions } from '../../src/pki/validate.js';
import { load } from './chains.js';

function chain(dir: string): { leaf: Certificate; options: ValidationOptions } {
  return {
    leaf: load(dir, 'leaf.pem')[0]!,
    options: { trusted: load(dir, 'trusted.pem'), untrusted: load(dir, 'untrusted.pem'), time: new Date('2025-06-01T00:00:00Z'), profile: 'webpki', hostname: 'example.com' },
  };
}

describe('PathValidator memoisation', () => {
  it('verifies each (certificate, issuer) pair and reads each key once across validations', () => {
    const { leaf, options } = chain('sfb.two-candidate-issuers');
    const validator = new PathValidator();
    expect(validator.validate(leaf, options).valid).toBe(true);
    const first = { ...validator.stats };
    // leaf by the wrong CA, leaf by the right CA, the right CA by the root.
    expect(first).toEqual({ verifications: 3, keys: 3 });
    for (let i = 0; i < 5; i++) expect(validator.validate(leaf, { ...options, untrusted: [...options.untrusted] }).valid).toBe(true);
    expect(validator.stats).toEqual(first);
  });
  it('keeps verdicts per profile, since the algorithm policy differs', () => {
    const { leaf, options } = chain('sfb.algorithm-rsa-sha1-webpki');
    const validator = new PathValidator();
    expect(validator.validate(leaf, options).failure?.code).toBe('unsupported-algorithm');
    expect(validator.validate(leaf, { ...options, profile: 'rfc5280' }).valid).toBe(true);
  });
});

describe('path building', () => {
  it('reports the leaf-to-anchor path and the anchor', () => {
    const { leaf, options } = chain('sfb.cross-signed-intermediate');
    const result = validatePath(leaf, options);
    expect(result.valid).toBe(true);
    expect(result.path.map((c) => c.facts.subject)).toEqual(['CN=example.com', 'CN=Contoso Issuing CA', 'CN=Contoso New Root']);
    expect(result.trustAnchor).toBe(result.path[2]);
  });
  it('names the missing issuer when no certificate is found for it', () => {
    const { leaf, options } = chain('sfb.untrusted-chain-without-root');
    const result = validatePath(leaf, options);
    expect(result.failure).toMatchObject({ code: 'issuer-not-found', missingIssuer: 'CN=Fabrikam Root' });
    expect(result.path).toHaveLength(2);
    expect(result.trustAnchor).toBeUndefined();
  });
  it('reports a failure found on a path that reached a trust anchor before a shorter dead end', () => {
    const { leaf, options } = chain('rfc5280.validity.expired-root');
    const result = validatePath(leaf, { ...options, profile: 'rfc5280', time: new Date('2022-01-01T00:00:00Z') });
    expect(result.failure?.code).toBe('expired');
    expect(result.failure?.certificate).toBe(result.path[2]);
    expect(result.trustAnchor).toBe(result.path[2]);
  });
  it('gives up with path-building-limit after its budget of candidate issuers', () => {
    const { leaf, options } = chain('sfb.two-candidate-issuers');
    expect(new PathValidator({ maxAttempts: 1 }).validate(leaf, options).failure?.code).toBe('path-building-limit');
  });
  it('refuses a hostname that is neither a DNS name nor an IP address', () => {
    const { leaf, options } = chain('webpki.san.exact-dns-san');
    expect(validatePath(leaf, { ...options, hostname: 'not a host' }).failure?.code).toBe('hostname-mismatch');
  });
  it('does not check EKU when no purpose is given in the RFC 5280 profile', () => {
    const { leaf, options } = chain('rfc5280.eku.ee-wrong-eku');
    expect(validatePath(leaf, { ...options, profile: 'rfc5280' }).valid).toBe(true);
  });
});
