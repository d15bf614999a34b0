import { describe, expect, it } from 'vitest';
import { PathValidator, validatePath } from '../../src/pki/validate.js';
import { readCertificateBytes } from '../../src/certs/read.js';
import { chain } from './chains.js';
// @ts-expect-error: the fixture builder is plain JavaScript
import { certificate, ext, gn, keyIdOf, name, newKey, OID, value } from '../../fixtures/chains/der.mjs';


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

describe('work budgets', () => {
  it('gives up with path-building-limit after its budget of signature checks', () => {
    const { leaf, options } = chain('sfb.two-candidate-issuers');
    const result = new PathValidator({ maxSignatures: 1 }).validate(leaf, options);
    expect(result.failure).toMatchObject({ code: 'path-building-limit', message: 'gave up after checking 1 signatures' });
    expect(new PathValidator({ maxSignatures: 3 }).validate(leaf, options).valid).toBe(true);
  });
  it('stops at the name-constraint budget and says so (limbo pathological::nc-dos-1)', () => {
    const { leaf, options } = chain('pathological.nc-dos-1');
    const result = validatePath(leaf, { ...options, hostname: 't0.test' });
    expect(result.failure?.code).toBe('name-constraints-limit');
    expect(result.failure?.message).toMatch(/after 250,000 comparisons/);
    expect(result.trustAnchor).toBe(result.path[1]);
  });
});

describe('leaf inputs', () => {
  const key = newKey();
  const subject = name(['CN', 'user'], ['emailAddress', 'user@example.com']);
  const dates = { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2049-01-01T00:00:00Z') };
  const make = (extensions: Buffer[]) => readCertificateBytes(certificate({ subject, issuer: subject, key, signer: key, ...dates, extensions }), 'leaf.der').certificates[0]!;
  const at = { time: new Date('2025-06-01T00:00:00Z'), purpose: 'clientAuth' as const };
  it('matches --email against rfc822Name SAN entries, or without a SAN the emailAddress attribute under RFC 5280 only', () => {
    const withSan = make([ext(OID.subjectAltName, false, value.generalNames(gn.email('User@Example.com')))]);
    expect(validatePath(withSan, { trusted: [withSan], untrusted: [], ...at, email: 'User@example.COM' }).valid).toBe(true);
    expect(validatePath(withSan, { trusted: [withSan], untrusted: [], ...at, email: 'user@example.com' }).failure?.code).toBe('email-mismatch');
    const legacy = make([]);
    expect(validatePath(legacy, { trusted: [legacy], untrusted: [], ...at, profile: 'rfc5280', email: 'user@example.com' }).valid).toBe(true);
    expect(validatePath(legacy, { trusted: [legacy], untrusted: [], ...at, profile: 'rfc5280', email: 'other@example.com' }).failure?.code).toBe('email-mismatch');
    const legacyWithEku = make([ext(OID.extendedKeyUsage, false, value.eku(OID.clientAuth))]);
    expect(validatePath(legacyWithEku, { trusted: [legacyWithEku], untrusted: [], ...at, profile: 'webpki', email: 'user@example.com' }).failure?.message).toMatch(/no subjectAltName for user@example\.com$/);
    expect(validatePath(legacy, { trusted: [legacy], untrusted: [], ...at, email: 'not-an-address' }).failure?.message).toMatch(/is not an email address/);
  });
  it('checks --key-usage against the leaf keyUsage; a leaf without keyUsage allows any', () => {
    const signing = make([ext(OID.keyUsage, true, value.keyUsage(['digitalSignature']))]);
    const ask = (cert: typeof signing, keyUsage: string[]) => validatePath(cert, { trusted: [cert], untrusted: [], ...at, keyUsage });
    expect(ask(signing, ['digitalSignature']).valid).toBe(true);
    expect(ask(signing, ['digitalSignature', 'keyEncipherment']).failure).toMatchObject({ code: 'key-usage-not-allowed', message: expect.stringMatching(/does not allow keyEncipherment$/) });
    expect(ask(make([]), ['keyEncipherment']).valid).toBe(true);
  });
});

describe('candidate order (probed with a budget of signature checks that only the preferred order fits)', () => {
  const dates = { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2049-01-01T00:00:00Z') };
  const read = (der: Buffer) => readCertificateBytes(der, 'x.der').certificates[0]!;
  const rootKey = newKey();
  const rootName = name(['CN', 'Order Root']);
  const caName = name(['CN', 'Order CA']);
  const caExt = (skiKey: ReturnType<typeof newKey>) => [
    ext(OID.basicConstraints, true, value.basicConstraints(true)),
    ext(OID.subjectKeyIdentifier, false, Buffer.concat([Buffer.from([0x04, 20]), keyIdOf(skiKey)])),
    ext(OID.authorityKeyIdentifier, false, value.authorityKeyId({ keyId: keyIdOf(rootKey) })),
  ];
  const root = read(certificate({ subject: rootName, issuer: rootName, key: rootKey, signer: rootKey, ...dates, extensions: [ext(OID.basicConstraints, true, value.basicConstraints(true)), ext(OID.subjectKeyIdentifier, false, Buffer.concat([Buffer.from([0x04, 20]), keyIdOf(rootKey)]))] }));
  const ca = (key: ReturnType<typeof newKey>, validity = dates, skiKey = key) => read(certificate({ subject: caName, issuer: rootName, key, signer: rootKey, ...validity, extensions: caExt(skiKey) }));
  const leafOf = (key: ReturnType<typeof newKey>) => {
    const leafKey = newKey();
    const subject = name(['CN', 'leaf.example']);
    return read(certificate({ subject, issuer: caName, key: leafKey, signer: key, ...dates, extensions: [ext(OID.authorityKeyIdentifier, false, value.authorityKeyId({ keyId: keyIdOf(key) })), ext(OID.subjectAltName, false, value.generalNames(gn.dns('leaf.example')))] }));
  };
  const at = { time: new Date('2025-06-01T00:00:00Z'), profile: 'rfc5280' as const };
  const twoChecks = new PathValidator({ maxSignatures: 2 });

  it('tries first the issuer whose subjectKeyIdentifier is the authorityKeyIdentifier', () => {
    const right = newKey();
    const other = ca(newKey());
    const leaf = leafOf(right);
    expect(twoChecks.validate(leaf, { trusted: [root], untrusted: [other, ca(right)], ...at }).valid).toBe(true);
  });
  it('tries first a trusted issuer, even one whose subjectKeyIdentifier does not match', () => {
    const key = newKey();
    const leaf = leafOf(key);
    const trustedCa = ca(key, dates, newKey());
    expect(new PathValidator({ maxSignatures: 1 }).validate(leaf, { trusted: [root, trustedCa], untrusted: [ca(key)], ...at }).trustAnchor).toBe(trustedCa);
  });
  it('tries first an issuer valid at the validation time', () => {
    const key = newKey();
    const leaf = leafOf(key);
    const expired = ca(key, { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') });
    const current = ca(key);
    const result = twoChecks.validate(leaf, { trusted: [root], untrusted: [expired, current], ...at });
    expect(result.valid).toBe(true);
    expect(result.path[1]).toBe(current);
  });
});

describe('revocation on a path of one certificate', () => {
  it('checks nothing when the leaf is itself trusted', () => {
    const { leaf } = chain('sfb.trusted-leaf');
    for (const scope of ['all', undefined] as const) {
      const result = validatePath(leaf, { trusted: [leaf], untrusted: [], time: new Date('2025-06-01T00:00:00Z'), revocation: { crls: [], strict: true, ...(scope && { scope }) } });
      expect(result.valid, scope).toBe(true);
      expect(result.revocation, scope).toEqual([]);
    }
  });
});

describe('the failure reported when no path is valid', () => {
  it('names a missing issuer, or a loop when every candidate leads back into the path', () => {
    const missing = chain('sfb.untrusted-chain-without-root');
    expect(validatePath(missing.leaf, missing.options).failure?.message).toMatch(/^no certificate for CN=Fabrikam Root, the issuer of /);
    const loop = chain('pathological.intermediate-cycle-distinct-cas');
    const result = validatePath(loop.leaf, { ...loop.options, profile: 'rfc5280' });
    expect(result.failure?.code).toBe('issuer-not-found');
    expect(result.failure?.message).toMatch(/leads back into the path; no trust anchor is reached$/);
  });
  it('among dead ends of the same length, keeps the first tried', () => {
    const dates = { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2049-01-01T00:00:00Z') };
    const read = (der: Buffer) => readCertificateBytes(der, 'x.der').certificates[0]!;
    const caName = name(['CN', 'Tie CA']);
    const key = newKey();
    const caUnder = (root: string) => read(certificate({ subject: caName, issuer: name(['CN', root]), key, signer: newKey(), ...dates, extensions: [ext(OID.basicConstraints, true, value.basicConstraints(true))] }));
    const leaf = read(certificate({ subject: name(['CN', 'tie.example']), issuer: caName, key: newKey(), signer: key, ...dates, extensions: [] }));
    const unrelated = chain('sfb.trusted-leaf').leaf;
    const first = validatePath(leaf, { trusted: [unrelated], untrusted: [caUnder('Root X'), caUnder('Root Y')], time: new Date('2025-06-01T00:00:00Z') });
    expect(first.failure).toMatchObject({ code: 'issuer-not-found', missingIssuer: 'CN=Root X' });
  });
});

describe('what only the Web PKI profile refuses', () => {
  const rfc = (dir: string) => {
    const { leaf, options } = chain(dir);
    return validatePath(leaf, { ...options, profile: 'rfc5280' });
  };
  it("accepts under RFC 5280 a root whose authorityKeyIdentifier breaks the CA/B Forum's root rules", () => {
    for (const dir of ['all-fields', 'authoritycertissuer', 'authoritycertserialnumber', 'missing-keyidentifier', 'ski-mismatch']) {
      expect(rfc(`webpki.aki.root-with-aki-${dir}`).valid, dir).toBe(true);
    }
  });
  it('accepts under RFC 5280 a server certificate that also carries codeSigning, and, with clientAuth asked, in the Web PKI too', () => {
    expect(rfc('webpki.eku.ee-codesigning-with-serverauth').valid).toBe(true);
    const { leaf, options } = chain('webpki.eku.ee-serverauth-with-additional');
    expect(validatePath(leaf, { ...options, purpose: 'clientAuth' }).valid).toBe(true);
  });
  it('lets anyExtendedKeyUsage stand for the purpose under RFC 5280 only', () => {
    const { leaf, options } = chain('webpki.eku.ee-anyeku');
    expect(validatePath(leaf, { ...options, profile: 'rfc5280', purpose: 'clientAuth' }).valid).toBe(true);
    expect(validatePath(leaf, { ...options, purpose: 'clientAuth' }).failure?.code).toBe('eku-missing-purpose');
  });
});

describe('names of a leaf without subjectAltName', () => {
  const dates = { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2049-01-01T00:00:00Z') };
  const key = newKey();
  const selfSigned = (subject: Buffer, extensions: Buffer[] = [], issuer = subject) => readCertificateBytes(certificate({ subject, issuer, key, signer: key, ...dates, extensions }), 'x.der').certificates[0]!;
  const at = { untrusted: [], time: new Date('2025-06-01T00:00:00Z'), profile: 'rfc5280' as const };
  it('matches an IP address in the CN under RFC 5280, and says why a CN does not match', () => {
    const ipLeaf = selfSigned(name(['CN', '192.0.2.1']));
    expect(validatePath(ipLeaf, { trusted: [ipLeaf], ...at, hostname: '192.0.2.1' }).valid).toBe(true);
    expect(validatePath(ipLeaf, { trusted: [ipLeaf], ...at, hostname: '192.0.2.2' }).failure?.message).toBe(
      'CN=192.0.2.1: no subjectAltName, and the subject CN "192.0.2.1" does not match for 192.0.2.2',
    );
    const noCn = selfSigned(name(['O', 'no common name']));
    expect(validatePath(noCn, { trusted: [noCn], ...at, hostname: 'example.com' }).failure?.message).toBe(
      'O=no common name: no subjectAltName, and the subject CN is not used for example.com',
    );
  });
  it('refuses an empty subject without subjectAltName', () => {
    const empty = selfSigned(Buffer.from([0x30, 0x00]), [ext(OID.authorityKeyIdentifier, false, value.authorityKeyId({ keyId: keyIdOf(key) }))], name(['CN', 'issuer']));
    expect(validatePath(empty, { trusted: [empty], ...at }).failure).toMatchObject({ code: 'missing-subject-alt-name', message: expect.stringMatching(/empty subject and no subjectAltName/) });
  });
  it('finds an email address among other subjectAltName entries', () => {
    const mixed = selfSigned(name(['CN', 'mixed']), [ext(OID.subjectAltName, false, value.generalNames(gn.dns('example.com'), gn.email('a@example.com')))]);
    expect(validatePath(mixed, { trusted: [mixed], ...at, email: 'a@example.com' }).valid).toBe(true);
    expect(validatePath(mixed, { trusted: [mixed], ...at, email: 'example.com@example.com' }).failure?.code).toBe('email-mismatch');
  });
});

describe('trust anchors, as the profiles read them', () => {
  const dates = { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2049-01-01T00:00:00Z') };
  const read = (der: Buffer) => readCertificateBytes(der, 'x.der').certificates[0]!;
  const ski = (key: ReturnType<typeof newKey>) => ext(OID.subjectKeyIdentifier, false, Buffer.concat([Buffer.from([0x04, 20]), keyIdOf(key)]));
  const rootKey = newKey();
  const rootName = name(['CN', 'Anchor Root']);
  const rootWith = (extra: Buffer[], serial?: Buffer) =>
    read(certificate({ subject: rootName, issuer: rootName, key: rootKey, signer: rootKey, ...dates, ...(serial && { serial }), extensions: [ext(OID.basicConstraints, true, value.basicConstraints(true)), ski(rootKey), ...extra] }));
  const leaf = (serial?: Buffer) =>
    read(certificate({
      subject: name(['CN', 'example.com']), issuer: rootName, key: newKey(), signer: rootKey, ...dates, ...(serial && { serial }),
      extensions: [ext(OID.authorityKeyIdentifier, false, value.authorityKeyId({ keyId: keyIdOf(rootKey) })), ext(OID.subjectAltName, false, value.generalNames(gn.dns('example.com'))), ext(OID.extendedKeyUsage, false, value.eku(OID.serverAuth))],
    }));
  const at = { untrusted: [], time: new Date('2025-06-01T00:00:00Z'), hostname: 'example.com' };
  it('accepts a Web PKI root whose authorityKeyIdentifier is its own key identifier', () => {
    const root = rootWith([ext(OID.authorityKeyIdentifier, false, value.authorityKeyId({ keyId: keyIdOf(rootKey) }))]);
    expect(validatePath(leaf(), { trusted: [root], ...at, profile: 'webpki' }).valid).toBe(true);
  });
  it('names the CA/B Forum root rule each malformed root authorityKeyIdentifier breaks', () => {
    const message = (dir: string) => {
      const { leaf: l, options } = chain(`webpki.aki.root-with-aki-${dir}`);
      return validatePath(l, options).failure?.message;
    };
    expect(message('missing-keyidentifier')).toMatch(/root authorityKeyIdentifier without keyIdentifier/);
    expect(message('authoritycertissuer')).toMatch(/with authorityCertIssuer or authorityCertSerialNumber/);
    expect(message('ski-mismatch')).toMatch(/differs from its subjectKeyIdentifier/);
  });
  it('refuses a root with extendedKeyUsage in the Web PKI only', () => {
    const root = rootWith([ext(OID.extendedKeyUsage, false, value.eku(OID.serverAuth))]);
    expect(validatePath(leaf(), { trusted: [root], ...at, profile: 'webpki' }).failure).toMatchObject({ code: 'extension-not-allowed', message: expect.stringMatching(/a root with extendedKeyUsage/) });
    expect(validatePath(leaf(), { trusted: [root], ...at, profile: 'rfc5280' }).valid).toBe(true);
  });
  it("leaves a trust anchor's serial number alone, and accepts a 20-octet one in a leaf", () => {
    const zero = Buffer.from([0x02, 0x01, 0x00]);
    const twenty = Buffer.concat([Buffer.from([0x02, 20, 0x01]), Buffer.alloc(19, 0xab)]);
    expect(validatePath(leaf(), { trusted: [rootWith([], zero)], ...at, profile: 'rfc5280' }).valid).toBe(true);
    expect(validatePath(leaf(twenty), { trusted: [rootWith([])], ...at, profile: 'rfc5280' }).valid).toBe(true);
    expect(validatePath(leaf(zero), { trusted: [rootWith([])], ...at, profile: 'rfc5280' }).failure?.code).toBe('bad-serial-number');
  });
});
