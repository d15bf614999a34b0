// The validator's behaviour at the edges mutation testing showed unpinned (docs/testing.md): which of
// several failures is reported, the work budgets' exact limits, the defaults of profile and purpose,
// version 1 CAs, path length and name constraints below intermediates, and the wording of failures.
// (Revocation's edges are in revocation.test.ts.)
// Expected verdicts follow RFC 5280 §6.1 and the CA/B Forum Baseline Requirements, as cited in each test.
import { describe, expect, it } from 'vitest';
import { readCertificateBytes } from '../../src/certs/read.js';
import type { Certificate } from '../../src/certs/x509.js';
import { PathValidator, validatePath, type ValidationOptions } from '../../src/pki/validate.js';
import { chain } from './chains.js';
// @ts-expect-error: the fixture builder is plain JavaScript
import { certificate, ext, gn, keyIdOf, name, newKey, OID, oid, seq, value } from '../../fixtures/chains/der.mjs';

type Key = ReturnType<typeof newKey>;
/** A certificate with what it takes to issue below it. */
interface Node {
  cert: Certificate;
  key: Key;
  subject: Buffer;
}

const AT = new Date('2025-06-01T00:00:00Z');
const DATES = { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2049-01-01T00:00:00Z') };
const EMPTY_NAME = Buffer.from([0x30, 0x00]);
const read = (der: Buffer): Certificate => readCertificateBytes(der, 'x.der').certificates[0]!;
const ski = (key: Key) => ext(OID.subjectKeyIdentifier, false, Buffer.concat([Buffer.from([0x04, 20]), keyIdOf(key)]));
const aki = (key: Key) => ext(OID.authorityKeyIdentifier, false, value.authorityKeyId({ keyId: keyIdOf(key) }));
const caBasics = (pathLength: number | null = null) => ext(OID.basicConstraints, true, value.basicConstraints(true, pathLength));

interface Make {
  key?: Key;
  dates?: { notBefore: Date; notAfter: Date };
  version?: number;
  /** Replaces the default extensions. */
  extensions?: Buffer[];
  /** Added to the default extensions. */
  extra?: Buffer[];
  issuerName?: Buffer;
}

/** A CA no test input holds: only the name and key certificates below it are issued with. */
const unheld = (cn: string, key: Key = newKey()): Node => ({ cert: undefined as never, key, subject: name(['CN', cn]) });

function root(subject: Buffer, o: Make & { pathLength?: number } = {}): Node {
  const key = o.key ?? newKey();
  const extensions = o.extensions ?? [caBasics(o.pathLength ?? null), ski(key), ...(o.extra ?? [])];
  return { cert: read(certificate({ subject, issuer: subject, key, signer: key, ...(o.dates ?? DATES), version: o.version, extensions })), key, subject };
}

function ca(parent: Node, subject: Buffer, o: Make & { pathLength?: number } = {}): Node {
  const key = o.key ?? newKey();
  const extensions = o.extensions ?? [caBasics(o.pathLength ?? null), ski(key), aki(parent.key), ...(o.extra ?? [])];
  return { cert: read(certificate({ subject, issuer: o.issuerName ?? parent.subject, key, signer: parent.key, ...(o.dates ?? DATES), version: o.version, extensions })), key, subject };
}

/** A server certificate for `host` (SAN dNSName, EKU serverAuth unless `extensions` replaces them). */
function leaf(parent: Node, host: string, o: Make & { subject?: Buffer } = {}): Certificate {
  const key = o.key ?? newKey();
  const extensions = o.extensions ?? [aki(parent.key), ext(OID.subjectAltName, false, value.generalNames(gn.dns(host))), ext(OID.extendedKeyUsage, false, value.eku(OID.serverAuth)), ...(o.extra ?? [])];
  return read(certificate({ subject: o.subject ?? name(['CN', host]), issuer: o.issuerName ?? parent.subject, key, signer: parent.key, ...(o.dates ?? DATES), version: o.version, extensions }));
}

const validate = (cert: Certificate, trusted: Certificate[], untrusted: Certificate[], options: Partial<ValidationOptions> = {}) =>
  validatePath(cert, { trusted, untrusted, time: AT, profile: 'rfc5280', ...options });

describe('the failure reported when several attempts fail', () => {
  // Two CAs of one name and key, tried in the order given (same score): each heads one attempt.
  const top = root(name(['CN', 'Fork Root']), { dates: { notBefore: DATES.notBefore, notAfter: new Date('2021-01-01T00:00:00Z') } });
  const forkName = name(['CN', 'Fork CA']);
  const forkKey = newKey();
  const fork = ca(top, forkName, { key: forkKey });
  const anchoredBranch = ca(top, forkName, { key: forkKey });
  const end = leaf(fork, 'fork.example');
  /** A branch of `depth` CAs of the fork's name and key whose top names an issuer nobody has. */
  const deadBranch = (depth: number, ghost: string) => {
    let above = unheld(ghost);
    const cas: Certificate[] = [];
    for (let i = depth - 1; i >= 0; i--) {
      const node = i === 0 ? ca(above, forkName, { key: forkKey }) : ca(above, name(['CN', `${ghost} ${i}`]));
      cas.unshift(node.cert);
      above = node;
    }
    return cas;
  };

  it('prefers an attempt that reached a trust anchor to a longer dead end tried before it', () => {
    const result = validate(end, [top.cert], [...deadBranch(2, 'Ghost A'), anchoredBranch.cert]);
    expect(result.failure).toMatchObject({ code: 'expired', certificate: top.cert });
    expect(result.trustAnchor).toBe(top.cert);
  });
  it('keeps an attempt that reached a trust anchor over a longer dead end tried after it', () => {
    const result = validate(end, [top.cert], [anchoredBranch.cert, ...deadBranch(3, 'Ghost B')]);
    expect(result.failure).toMatchObject({ code: 'expired', certificate: top.cert });
  });
  it('among dead ends, reports the longest, and words it with the names involved', () => {
    const result = validate(end, [], [...deadBranch(1, 'Ghost C'), ...deadBranch(2, 'Ghost D')]);
    expect(result.failure).toMatchObject({ code: 'issuer-not-found', missingIssuer: 'CN=Ghost D' });
    expect(result.failure?.message).toBe('no certificate for CN=Ghost D, the issuer of CN=Ghost D 1');
    expect(result.path).toHaveLength(3);
  });
  it('names an empty subject or issuer name in a dead end, and an empty subject in a failure', () => {
    const someRoot = root(name(['CN', 'Some Root']));
    const nameless = leaf(someRoot, 'nameless.example', {
      subject: EMPTY_NAME,
      issuerName: name(['CN', 'Ghost E']),
      extensions: [aki(someRoot.key), ext(OID.subjectAltName, true, value.generalNames(gn.dns('nameless.example')))],
    });
    expect(validate(nameless, [], []).failure?.message).toBe('no certificate for CN=Ghost E, the issuer of (empty subject)');
    const noIssuerName = leaf(someRoot, 'orphan.example', { issuerName: EMPTY_NAME });
    expect(validate(noIssuerName, [], []).failure?.message).toBe('no certificate for (empty issuer name), the issuer of CN=orphan.example');
    const namelessUnderRoot = leaf(someRoot, 'nameless.example', {
      subject: EMPTY_NAME,
      extensions: [aki(someRoot.key), ext(OID.subjectAltName, true, value.generalNames(gn.dns('nameless.example')))],
    });
    expect(validate(namelessUnderRoot, [someRoot.cert], [], { hostname: 'other.example' }).failure?.message).toBe('(empty subject): subjectAltName does not cover other.example');
  });
  it('detects a loop through a re-issued CA of the same name and key (RFC 4158 §5.2)', () => {
    // A1 is issued by B, and B by "A": A1 itself and A2 (A re-issued: same name, same key) both lead back.
    const aName = name(['CN', 'Loop A']);
    const bName = name(['CN', 'Loop B']);
    const aKey = newKey();
    const bKey = newKey();
    const b = ca(unheld('Loop A', aKey), bName, { key: bKey });
    const a1 = ca(b, aName, { key: aKey });
    const a2 = ca(b, aName, { key: aKey, dates: { notBefore: new Date('2021-01-01T00:00:00Z'), notAfter: DATES.notAfter } });
    const result = validate(leaf(a1, 'loop.example'), [], [a1.cert, b.cert, a2.cert]);
    expect(result.failure?.message).toMatch(/leads back into the path; no trust anchor is reached$/);
    expect(result.path.map((c) => c.facts.subject)).toEqual(['CN=loop.example', 'CN=Loop A', 'CN=Loop B']);
  });
});

describe('work budgets, at their limits', () => {
  const { leaf: twoCandidates, options } = chain('sfb.two-candidate-issuers');
  // The wrong CA, the right CA, then the root above the right CA: three candidates, three signatures.
  it('finds the path with exactly the candidates and signatures it needs, and gives up with one fewer', () => {
    expect(new PathValidator({ maxAttempts: 3 }).validate(twoCandidates, options).valid).toBe(true);
    expect(new PathValidator({ maxSignatures: 3 }).validate(twoCandidates, options).valid).toBe(true);
    const attempts = new PathValidator({ maxAttempts: 2 }).validate(twoCandidates, options);
    expect(attempts.failure).toMatchObject({ code: 'path-building-limit', message: 'gave up after trying 2 candidate issuers' });
    expect(attempts.trustAnchor).toBeUndefined();
    const signatures = new PathValidator({ maxSignatures: 2 }).validate(twoCandidates, options);
    expect(signatures.failure).toMatchObject({ code: 'path-building-limit', message: 'gave up after checking 2 signatures' });
    expect(signatures.trustAnchor).toBeUndefined();
  });
  it('stops the whole search once a budget is spent, reporting where it ran out', () => {
    const top = root(name(['CN', 'Budget Root']));
    const caName = name(['CN', 'Budget CA']);
    const key = newKey();
    const first = ca(top, caName, { key });
    const second = ca(top, caName, { key });
    const result = new PathValidator({ maxAttempts: 1 }).validate(leaf(first, 'budget.example'), { trusted: [top.cert], untrusted: [first.cert, second.cert], time: AT });
    // The root above the first CA is the second attempt; the second CA is never tried.
    expect(result.failure).toMatchObject({ code: 'path-building-limit', certificate: first.cert });
    expect(result.path).toEqual([expect.anything(), first.cert]);
  });
  it('stops at the name-constraint budget even when another trust anchor would do (limbo pathological::nc-dos)', () => {
    // 600 permitted subtrees, each of 500 names inside only the last: 300,000 comparisons, over the 250,000 budget.
    const rootName = name(['CN', 'Slow Root']);
    const key = newKey();
    const subtrees = [...Array.from({ length: 599 }, (_, i) => gn.dns(`a${i}.test`)), gn.dns('example.com')];
    const slow = root(rootName, { key, extra: [ext(OID.nameConstraints, true, value.nameConstraints({ permitted: subtrees }))] });
    const plain = root(rootName, { key });
    const names = Array.from({ length: 500 }, (_, i) => gn.dns(`h${i}.example.com`));
    const cert = leaf(slow, 'h0.example.com', { extensions: [aki(key), ext(OID.subjectAltName, false, value.generalNames(...names))] });
    const result = validate(cert, [slow.cert, plain.cert], []);
    expect(result.failure?.code).toBe('name-constraints-limit');
    expect(validate(cert, [plain.cert], []).valid).toBe(true);
  });
  it('reports no trust anchor for a path cut short by the depth limit', () => {
    const top = root(name(['CN', 'Depth Root']));
    const upper = ca(top, name(['CN', 'Depth CA 1']));
    const lower = ca(upper, name(['CN', 'Depth CA 2']));
    const result = validate(leaf(lower, 'depth.example'), [top.cert], [upper.cert, lower.cert], { maxDepth: 1 });
    expect(result.failure).toMatchObject({ code: 'max-depth-exceeded', message: 'no trust anchor within 1 intermediate certificates' });
    expect(result.trustAnchor).toBeUndefined();
  });
  it('goes on to the next trust anchor when a path ending at one fails', () => {
    const rootName = name(['CN', 'Two Anchors Root']);
    const key = newKey();
    const noCertSign = root(rootName, { key, extra: [ext(OID.keyUsage, true, value.keyUsage(['digitalSignature']))] });
    const good = root(rootName, { key });
    const result = validate(leaf(good, 'anchors.example'), [noCertSign.cert, good.cert], []);
    expect(result.valid).toBe(true);
    expect(result.trustAnchor).toBe(good.cert);
  });
});

describe('candidate order at the edges', () => {
  const top = root(name(['CN', 'Edge Order Root']));
  const caName = name(['CN', 'Edge Order CA']);
  const twoChecks = new PathValidator({ maxSignatures: 2 });
  const withDates = (key: Key, notBefore: Date, notAfter: Date) => ca(top, caName, { key, dates: { notBefore, notAfter } }).cert;
  const past = (key: Key) => withDates(key, DATES.notBefore, new Date('2021-01-01T00:00:00Z'));
  it('counts an issuer valid from or until exactly the validation time as valid then (RFC 5280 §4.1.2.5)', () => {
    for (const [from, until] of [[AT, DATES.notAfter], [DATES.notBefore, AT]] as const) {
      const key = newKey();
      const edge = withDates(key, from, until);
      const result = twoChecks.validate(leaf({ cert: edge, key, subject: caName }, 'edge.example'), { trusted: [top.cert], untrusted: [past(key), edge], time: AT });
      expect(result.valid).toBe(true);
      expect(result.path[1]).toBe(edge);
    }
  });
  it('tries an issuer not yet valid after one valid now', () => {
    const key = newKey();
    const current = withDates(key, DATES.notBefore, DATES.notAfter);
    const future = withDates(key, new Date('2026-01-01T00:00:00Z'), DATES.notAfter);
    const result = twoChecks.validate(leaf({ cert: current, key, subject: caName }, 'edge.example'), { trusted: [top.cert], untrusted: [future, current], time: AT });
    expect(result.valid).toBe(true);
    expect(result.path[1]).toBe(current);
  });
  it('without an authorityKeyIdentifier in the certificate, prefers no candidate for its key identifier', () => {
    const key = newKey();
    const right = withDates(key, DATES.notBefore, DATES.notAfter);
    const wrongWithoutSki = ca(top, caName, { extensions: [caBasics(), aki(top.key)] }).cert;
    // A version 1 certificate has no extensions, so no authorityKeyIdentifier, and none is required of it.
    const v1 = read(certificate({ version: 1, subject: name(['CN', 'v1.example']), issuer: caName, key: newKey(), signer: key, ...DATES }));
    expect(twoChecks.validate(v1, { trusted: [top.cert], untrusted: [right, wrongWithoutSki], time: AT, profile: 'rfc5280' }).valid).toBe(true);
  });
});

describe('defaults', () => {
  const top = root(name(['CN', 'Defaults Root']), { extra: [ext(OID.nameConstraints, false, value.nameConstraints({ permitted: [gn.dns('example.com')] }))] });
  it('holds a path to the RFC 5280 profile when none is given: nameConstraints must be critical there', () => {
    const cert = leaf(top, 'a.example.com');
    expect(validatePath(cert, { trusted: [top.cert], untrusted: [], time: AT }).failure?.code).toBe('bad-extension-criticality');
    expect(validatePath(cert, { trusted: [top.cert], untrusted: [], time: AT, profile: 'webpki' }).valid).toBe(true);
  });
  it('asks for serverAuth in the Web PKI profile when no purpose is given', () => {
    const plain = root(name(['CN', 'Purpose Root']));
    const client = leaf(plain, 'client.example', { extensions: [aki(plain.key), ext(OID.subjectAltName, false, value.generalNames(gn.dns('client.example'))), ext(OID.extendedKeyUsage, false, value.eku(OID.clientAuth))] });
    expect(validatePath(client, { trusted: [plain.cert], untrusted: [], time: AT, profile: 'webpki' }).failure?.message).toBe(
      'CN=client.example: extendedKeyUsage (clientAuth) does not include serverAuth',
    );
  });
});

describe('CA certificates (RFC 5280 §6.1.4)', () => {
  it('accepts a version 1 root as a trust anchor, and refuses a version 1 intermediate', () => {
    const v1Root = root(name(['CN', 'V1 Root']), { version: 1, extensions: [] });
    expect(validate(leaf(v1Root, 'v1root.example'), [v1Root.cert], []).valid).toBe(true);
    const v3Root = root(name(['CN', 'V3 Root']));
    const v1Ca = ca(v3Root, name(['CN', 'V1 CA']), { version: 1, extensions: [] });
    expect(validate(leaf(v1Ca, 'v1ca.example'), [v3Root.cert], [v1Ca.cert]).failure).toMatchObject({
      code: 'not-a-ca',
      message: 'CN=V1 CA: a version 1 certificate cannot be an intermediate CA (no basicConstraints)',
    });
  });
  it('refuses a CA with an empty subject: what it issues has an empty issuer name (RFC 5280 §4.1.2.4)', () => {
    const nameless = root(EMPTY_NAME, { extra: [ext(OID.subjectAltName, true, value.generalNames(gn.dns('ca.example')))] });
    expect(validate(leaf(nameless, 'under.example'), [nameless.cert], []).failure).toMatchObject({ code: 'malformed-certificate', message: expect.stringMatching(/the issuer name is empty/) });
  });
  it('refuses a CA whose policyMappings maps anyPolicy (RFC 5280 §6.1.4 (a))', () => {
    const top = root(name(['CN', 'Policy Root']));
    const mapping = seq(seq(oid('2.5.29.32.0'), oid('1.3.6.1.4.1.55738.1')));
    const mapper = ca(top, name(['CN', 'Policy CA']), { extra: [ext('2.5.29.33', true, mapping)] });
    expect(validate(leaf(mapper, 'policy.example'), [top.cert], [mapper.cert]).failure).toMatchObject({
      code: 'malformed-certificate',
      message: 'CN=Policy CA: policyMappings maps anyPolicy (RFC 5280 §6.1.4 (a))',
      certificate: mapper.cert,
    });
  });
  it('lets a CA limited to anyExtendedKeyUsage issue for any purpose, and names the purpose a CA does not allow', () => {
    const top = root(name(['CN', 'EKU Root']));
    const any = ca(top, name(['CN', 'Any CA']), { extra: [ext(OID.extendedKeyUsage, false, value.eku(OID.anyExtendedKeyUsage))] });
    expect(validate(leaf(any, 'any.example'), [top.cert], [any.cert], { purpose: 'serverAuth' }).valid).toBe(true);
    const clientOnly = ca(top, name(['CN', 'Client CA']), { extra: [ext(OID.extendedKeyUsage, false, value.eku(OID.clientAuth, OID.emailProtection))] });
    expect(validate(leaf(clientOnly, 'client.example'), [top.cert], [clientOnly.cert], { purpose: 'serverAuth' }).failure?.message).toBe(
      'CN=Client CA: extendedKeyUsage (clientAuth, emailProtection) does not allow serverAuth for the certificates it issues',
    );
  });
  it('counts pathLenConstraint from the CA that sets it: a later, larger one does not lift it (RFC 5280 §6.1.4 (m))', () => {
    const top = root(name(['CN', 'Length Root']), { pathLength: 1 });
    const first = ca(top, name(['CN', 'Length CA 1']), { pathLength: 5 });
    const second = ca(first, name(['CN', 'Length CA 2']));
    expect(validate(leaf(second, 'length.example'), [top.cert], [first.cert, second.cert]).failure).toMatchObject({
      code: 'path-length-exceeded',
      message: 'CN=Length CA 2: one intermediate too many below CN=Length Root, whose pathLenConstraint is 1',
    });
    expect(validate(leaf(first, 'length.example'), [top.cert], [first.cert]).valid).toBe(true);
  });
});

describe('name constraints (RFC 5280 §6.1.3 (b)-(c), §4.2.1.10)', () => {
  const constrainedRoot = (cn: string, constraints: { permitted?: Buffer[]; excluded?: Buffer[] }) =>
    root(name(['CN', cn]), { extra: [ext(OID.nameConstraints, true, value.nameConstraints(constraints))] });
  it('applies to the names of an intermediate, not only the leaf', () => {
    const top = constrainedRoot('NC Root', { permitted: [gn.dns('example.com')] });
    const outside = ca(top, name(['CN', 'Outside CA']), { extra: [ext(OID.subjectAltName, false, value.generalNames(gn.dns('evil.test')))] });
    expect(validate(leaf(outside, 'a.example.com'), [top.cert], [outside.cert]).failure).toMatchObject({ code: 'name-constraints-violated', certificate: outside.cert });
  });
  it('checks the names of a leaf even when it is self-issued (its subject is its issuer\'s name)', () => {
    const top = constrainedRoot('Self Root', { permitted: [gn.dns('example.com')] });
    const selfIssued = leaf(top, 'evil.test', { subject: top.subject });
    expect(selfIssued.facts.selfIssued).toBe(true);
    expect(validate(selfIssued, [top.cert], []).failure).toMatchObject({ code: 'name-constraints-violated', certificate: selfIssued });
  });
  it('does not hold an empty subject to directoryName constraints', () => {
    const top = constrainedRoot('DN Root', { permitted: [gn.dn(name(['O', 'Contoso']))] });
    const nameless = leaf(top, 'nameless.example', { subject: EMPTY_NAME, extensions: [aki(top.key), ext(OID.subjectAltName, true, value.generalNames(gn.dns('nameless.example')))] });
    expect(validate(nameless, [top.cert], []).valid).toBe(true);
  });
  it('holds emailAddress attributes of the subject to rfc822Name constraints', () => {
    const top = constrainedRoot('Mail Root', { permitted: [gn.email('example.com')] });
    const withMail = (address: string) => leaf(top, 'mail.example', { subject: name(['CN', 'mail user'], ['emailAddress', address]) });
    expect(validate(withMail('user@example.com'), [top.cert], []).valid).toBe(true);
    expect(validate(withMail('user@evil.test'), [top.cert], []).failure?.code).toBe('name-constraints-violated');
  });
  it('checks a leaf with neither subjectAltName nor CN by its subject alone', () => {
    const top = constrainedRoot('No CN Root', { permitted: [gn.dns('example.com')] });
    const noNames = leaf(top, 'unused', { subject: name(['O', 'No Common Name']), extensions: [aki(top.key)] });
    expect(validate(noNames, [top.cert], []).valid).toBe(true);
  });
});

describe('leaf checks at the edges', () => {
  const top = root(name(['CN', 'Leaf Root']));
  const withExtensions = (host: string, ...extensions: Buffer[]) => leaf(top, host, { extensions: [aki(top.key), ...extensions] });
  const san = (...names: Buffer[]) => ext(OID.subjectAltName, false, value.generalNames(...names));
  it('accepts a critical subjectAltName beside a subject under RFC 5280, not in the Web PKI (BR §7.1.2.7.12)', () => {
    const cert = withExtensions('critical.example', ext(OID.subjectAltName, true, value.generalNames(gn.dns('critical.example'))), ext(OID.extendedKeyUsage, false, value.eku(OID.serverAuth)));
    expect(validate(cert, [top.cert], []).valid).toBe(true);
    expect(validate(cert, [top.cert], [], { profile: 'webpki' }).failure?.code).toBe('bad-extension-criticality');
  });
  it('accepts a critical extendedKeyUsage under RFC 5280, not in the Web PKI (BR §7.1.2.7.6)', () => {
    const cert = withExtensions('eku.example', san(gn.dns('eku.example')), ext(OID.extendedKeyUsage, true, value.eku(OID.serverAuth)));
    expect(validate(cert, [top.cert], [], { purpose: 'serverAuth' }).valid).toBe(true);
    expect(validate(cert, [top.cert], [], { profile: 'webpki' }).failure?.code).toBe('bad-extension-criticality');
  });
  it('refuses codeSigning beside serverAuth only for a Web PKI server certificate, and says which (BR §7.1.2.7.10)', () => {
    const cert = withExtensions('both.example', san(gn.dns('both.example')), ext(OID.extendedKeyUsage, false, value.eku(OID.serverAuth, OID.clientAuth, OID.codeSigning)));
    expect(validate(cert, [top.cert], [], { purpose: 'serverAuth' }).valid).toBe(true);
    expect(validate(cert, [top.cert], [], { profile: 'webpki', purpose: 'clientAuth' }).valid).toBe(true);
    expect(validate(cert, [top.cert], [], { profile: 'webpki' }).failure?.message).toBe(
      'CN=both.example: extendedKeyUsage codeSigning is not allowed in a TLS server certificate (CA/B Forum BR §7.1.2.7.10)',
    );
  });
  it('lists every purpose of an extendedKeyUsage that lacks the one asked, and every forbidden one', () => {
    const lacking = withExtensions('lacking.example', san(gn.dns('lacking.example')), ext(OID.extendedKeyUsage, false, value.eku(OID.clientAuth, OID.emailProtection)));
    expect(validate(lacking, [top.cert], [], { purpose: 'serverAuth' }).failure?.message).toBe('CN=lacking.example: extendedKeyUsage (clientAuth, emailProtection) does not include serverAuth');
    const forbidden = withExtensions('forbidden.example', san(gn.dns('forbidden.example')), ext(OID.extendedKeyUsage, false, value.eku(OID.serverAuth, OID.codeSigning, OID.timeStamping)));
    expect(validate(forbidden, [top.cert], [], { profile: 'webpki' }).failure?.message).toMatch(/: extendedKeyUsage codeSigning, timeStamping is not allowed in a TLS server certificate/);
  });
  it('refuses keyCertSign in a certificate that is not a CA (RFC 5280 §4.2.1.9)', () => {
    const cert = withExtensions('sign.example', san(gn.dns('sign.example')), ext(OID.keyUsage, true, value.keyUsage(['digitalSignature', 'keyCertSign'])));
    expect(validate(cert, [top.cert], []).failure?.code).toBe('inconsistent-extensions');
  });
  it('lists every key usage the leaf has and every one it lacks', () => {
    const cert = withExtensions('ku.example', san(gn.dns('ku.example')), ext(OID.keyUsage, true, value.keyUsage(['digitalSignature', 'nonRepudiation'])));
    expect(validate(cert, [top.cert], [], { keyUsage: ['keyEncipherment', 'dataEncipherment'] }).failure?.message).toBe(
      'CN=ku.example: keyUsage (digitalSignature, nonRepudiation) does not allow keyEncipherment, dataEncipherment',
    );
  });
  it('matches an email address only against rfc822Name entries and emailAddress attributes', () => {
    const dnsLookalike = withExtensions('lookalike.example', san(gn.dns('user@example.com')));
    expect(validate(dnsLookalike, [top.cert], [], { email: 'user@example.com' }).failure?.code).toBe('email-mismatch');
    const cnOnly = leaf(top, 'unused', { subject: name(['CN', 'user@example.com']), extensions: [aki(top.key)] });
    expect(validate(cnOnly, [top.cert], [], { email: 'user@example.com' }).failure?.message).toBe(
      'CN=user@example.com: no subjectAltName and no matching emailAddress in the subject for user@example.com',
    );
  });
  it('matches an IP address against iPAddress entries', () => {
    const cert = withExtensions('ip.example', san(gn.dns('ip.example'), gn.ip([192, 0, 2, 1])));
    expect(validate(cert, [top.cert], [], { hostname: '192.0.2.1' }).valid).toBe(true);
    expect(validate(cert, [top.cert], [], { hostname: '192.0.2.2' }).failure?.code).toBe('hostname-mismatch');
  });
  it('matches a host name against dNSName entries only, not an rfc822Name of the same text', () => {
    const cert = withExtensions('mail.example', san(gn.email('host.example')));
    expect(validate(cert, [top.cert], [], { hostname: 'host.example' }).failure?.code).toBe('hostname-mismatch');
  });
});

