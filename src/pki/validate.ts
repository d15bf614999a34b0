/**
 * Certification path building and validation: RFC 5280 §6 with the Web PKI profile TLS clients
 * apply on top (docs/verify.md lists every check). Paths are built depth-first from the leaf through
 * every candidate issuer, trusted ones first, and each complete path is validated; the first valid
 * one wins, and when none is, the most informative failed attempt is reported.
 */
import { DerError } from '../certs/der.js';
import { EXT } from '../certs/oids.js';
import { bytesEqual, extensionName, type Certificate, type Extension } from '../certs/x509.js';
import { ComparisonBudget, checkNameConstraints, constraintDefect } from './constraints.js';
import {
  mapsAnyPolicy,
  parseAuthorityKeyId,
  parseGeneralNames,
  parseNameConstraints,
  type AuthorityKeyId,
  type GeneralName,
  type NameConstraints,
} from './extensions.js';
import { dnsNameMatches, emailMatches, isDnsName, parseEmailAddress, parseIPv4, parseIPv6, parseReferenceId } from './names.js';
import { revocationStatus, type RevocationOptions, type RevocationStatus } from './revocation.js';
import { keyDefect, SignatureVerifier, type Profile, type VerifierStats } from './signature.js';

export type { Profile, RevocationOptions, RevocationStatus, VerifierStats };
export type Purpose = 'serverAuth' | 'clientAuth';

export interface ValidationOptions {
  /** Trust anchors: a certificate is trusted by being in this list (compared by its DER). */
  trusted: Certificate[];
  /** Certificates path building may use as intermediates. */
  untrusted: Certificate[];
  time: Date;
  /** The extended key usage the leaf must allow (issuers with an EKU must allow it too). Web PKI default: serverAuth. */
  purpose?: Purpose;
  /** DNS name or IP address the leaf must be valid for. */
  hostname?: string;
  /** Email address (RFC 822 mailbox) the leaf must be valid for, as an S/MIME or client certificate. */
  email?: string;
  /** keyUsage bits the leaf must allow (RFC 5280 names, e.g. digitalSignature); a leaf without keyUsage allows all. */
  keyUsage?: string[];
  /** CRLs to check the path's certificates against; without it, revocation is not checked. */
  revocation?: RevocationOptions;
  /** Most intermediate certificates between the leaf and its trust anchor, self-issued ones not counted (default 8). */
  maxDepth?: number;
  /** Default rfc5280. */
  profile?: Profile;
}

/** Stable reason codes (docs/verify.md describes each). */
export type FailureCode =
  | 'expired'
  | 'not-yet-valid'
  | 'bad-signature'
  | 'signature-algorithm-mismatch'
  | 'unsupported-algorithm'
  | 'weak-key'
  | 'issuer-not-found'
  | 'untrusted-root'
  | 'not-a-ca'
  | 'path-length-exceeded'
  | 'key-usage-no-cert-sign'
  | 'inconsistent-extensions'
  | 'eku-missing-purpose'
  | 'eku-not-permitted'
  | 'name-constraints-violated'
  | 'name-constraints-limit'
  | 'hostname-mismatch'
  | 'missing-subject-alt-name'
  | 'unsupported-critical-extension'
  | 'bad-extension-criticality'
  | 'extension-not-allowed'
  | 'bad-key-identifiers'
  | 'bad-serial-number'
  | 'ca-as-leaf'
  | 'unsupported-version'
  | 'malformed-certificate'
  | 'max-depth-exceeded'
  | 'email-mismatch'
  | 'key-usage-not-allowed'
  | 'revoked'
  | 'revocation-unknown'
  | 'path-building-limit';

export interface ValidationFailure {
  code: FailureCode;
  message: string;
  /** The certificate at fault. */
  certificate?: Certificate;
  /** The issuer DN no certificate was found for (code issuer-not-found). */
  missingIssuer?: string;
}

export interface ValidationResult {
  valid: boolean;
  /** Leaf first. The valid path, or the most informative attempt when none is valid. */
  path: Certificate[];
  /** The trusted certificate `path` ends at, when the attempt reached one (even if it failed a check). */
  trustAnchor?: Certificate;
  failure?: ValidationFailure;
  /**
   * With `revocation` given: the status of each certificate checked on `path`, leaf first. On a valid
   * path these are good, or unknown when not strict; a revoked certificate makes the path invalid.
   */
  revocation?: RevocationStatus[];
}

/** The default of ValidationOptions.maxDepth, as pyca/cryptography's. */
export const DEFAULT_MAX_DEPTH = 8;
/**
 * Bound the work on adversarial meshes of cross-certificates, per validation: candidate issuers
 * considered, and signatures checked (as rustls-webpki, which allows 100; memoised ones count too,
 * so that a verdict does not depend on what the validator saw before).
 */
const DEFAULT_MAX_ATTEMPTS = 10_000;
const DEFAULT_MAX_SIGNATURES = 100;
const OID_EMAIL_ADDRESS = '1.2.840.113549.1.9.1';
/** EKUs a TLS server certificate must not carry (CA/B Forum BR §7.1.2.7.10), besides anyExtendedKeyUsage. */
const NOT_WITH_SERVER_AUTH = new Set(['codeSigning', 'emailProtection', 'timeStamping', 'OCSPSigning', '1.3.6.1.4.1.11129.2.4.4', 'anyExtendedKeyUsage']);

/**
 * Extensions whose meaning this validator processes, so it accepts them critical. certificatePolicies
 * and policyMappings are understood without building the policy tree: with no policyConstraints or
 * inhibitAnyPolicy in the path (both refused) and RFC 5280's default inputs, the tree cannot fail a path.
 */
const UNDERSTOOD = new Set<string>([
  EXT.basicConstraints,
  EXT.keyUsage,
  EXT.extendedKeyUsage,
  EXT.subjectAltName,
  EXT.nameConstraints,
  EXT.subjectKeyIdentifier,
  EXT.authorityKeyIdentifier,
  EXT.certificatePolicies,
  EXT.policyMappings,
]);
/** RFC 5280 §4.2.1.1, §4.2.1.2, §4.2.2.1: conforming CAs MUST mark these non-critical. */
const NEVER_CRITICAL = new Set<string>([EXT.authorityKeyIdentifier, EXT.subjectKeyIdentifier, EXT.authorityInfoAccess]);
/** Policy processing is not implemented, so these are never accepted (they MUST be critical, and critical ones are not understood). */
const POLICY_CONSTRAINTS = new Set<string>([EXT.policyConstraints, EXT.inhibitAnyPolicy]);

/** What validation reads from one certificate, computed once per Certificate object. */
interface CertInfo {
  cert: Certificate;
  /** SHA-256 thumbprint. */
  id: string;
  /** Subject name and key: two certificates with both equal are the same CA for loop detection (RFC 4158 §5.2). */
  identity: string;
  notBefore: number;
  notAfter: number;
  selfIssued: boolean;
  subjectEmpty: boolean;
  ext: Map<string, Extension>;
  sans: GeneralName[] | null;
  nameConstraints: NameConstraints | null;
  aki: AuthorityKeyId | null;
  /** Defects found reading the extensions above, in addition to the parser's `problems`. */
  defects: string[];
}

const infos = new WeakMap<Certificate, CertInfo>();

function info(cert: Certificate): CertInfo {
  let i = infos.get(cert);
  if (!i) {
    i = describe(cert);
    infos.set(cert, i);
  }
  return i;
}

function describe(cert: Certificate): CertInfo {
  const defects: string[] = [];
  const ext = new Map<string, Extension>();
  for (const e of cert.extensions) if (!ext.has(e.oid)) ext.set(e.oid, e);
  const read = <T>(oid: string, parse: (value: Uint8Array) => T): T | null => {
    const e = ext.get(oid);
    if (!e) return null;
    try {
      return parse(e.value);
    } catch (err) {
      if (!(err instanceof DerError)) throw err;
      defects.push(`malformed ${extensionName(oid)} extension: ${err.message}`);
      return null;
    }
  };
  const nameConstraints = read(EXT.nameConstraints, parseNameConstraints);
  for (const base of [...(nameConstraints?.permitted ?? []), ...(nameConstraints?.excluded ?? [])]) {
    const defect = constraintDefect(base);
    if (defect) defects.push(`malformed nameConstraints extension: ${defect}`);
  }
  if (read(EXT.policyMappings, mapsAnyPolicy)) defects.push('policyMappings maps anyPolicy (RFC 5280 §6.1.4 (a))');
  return {
    cert,
    id: cert.facts.sha256,
    identity: `${cert.subjectName.key}\u0000${Buffer.from(cert.spki).toString('base64')}`,
    notBefore: Date.parse(cert.facts.notBefore),
    notAfter: Date.parse(cert.facts.notAfter),
    selfIssued: cert.facts.selfIssued,
    subjectEmpty: cert.subjectName.rdns.length === 0,
    ext,
    sans: read(EXT.subjectAltName, parseGeneralNames),
    nameConstraints,
    aki: read(EXT.authorityKeyIdentifier, parseAuthorityKeyId),
    defects,
  };
}

/** Candidate issuers by subject name (RFC 5280 §7.1 comparison key), and the trusted set. */
interface Index {
  bySubject: Map<string, CertInfo[]>;
  trusted: Set<string>;
}

function buildIndex(trusted: Certificate[], untrusted: Certificate[]): Index {
  const index: Index = { bySubject: new Map(), trusted: new Set() };
  const seen = new Set<string>();
  for (const cert of [...trusted, ...untrusted]) {
    const i = info(cert);
    if (seen.has(i.id)) continue;
    seen.add(i.id);
    const list = index.bySubject.get(cert.subjectName.key);
    if (list) list.push(i);
    else index.bySubject.set(cert.subjectName.key, [i]);
  }
  for (const cert of trusted) index.trusted.add(info(cert).id);
  return index;
}

interface Context {
  index: Index;
  time: number;
  profile: Profile;
  purpose: Purpose | undefined;
  hostname: string | undefined;
  email: string | undefined;
  keyUsage: string[] | undefined;
  revocation: RevocationOptions | undefined;
  maxDepth: number;
  attempts: number;
  signatureChecks: number;
  comparisons: ComparisonBudget;
  /** Set when a work budget ran out: `best` then holds that failure and the search stops. */
  halted: boolean;
  best: { path: CertInfo[]; failure: ValidationFailure; anchored: boolean; revocation?: RevocationStatus[] } | null;
  /** The revocation statuses of the valid path found. */
  revocationFound?: RevocationStatus[];
}

export class PathValidator {
  private readonly signatures = new SignatureVerifier();
  private readonly indexes = new WeakMap<Certificate[], WeakMap<Certificate[], Index>>();
  private readonly maxAttempts: number;
  private readonly maxSignatures: number;

  /**
   * Keep one validator for many validations: it remembers every signature verdict and public key,
   * and the candidate index of each (trusted, untrusted) pair of arrays passed by reference.
   */
  constructor(options: { maxAttempts?: number; maxSignatures?: number } = {}) {
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.maxSignatures = options.maxSignatures ?? DEFAULT_MAX_SIGNATURES;
  }

  get stats(): Readonly<VerifierStats> {
    return this.signatures.stats;
  }

  validate(leaf: Certificate, options: ValidationOptions): ValidationResult {
    const profile = options.profile ?? 'rfc5280';
    const ctx: Context = {
      index: this.index(options.trusted, options.untrusted),
      // Validity is in whole seconds: a fraction of a second past notAfter is still within it.
      time: Math.floor(options.time.getTime() / 1000) * 1000,
      profile,
      purpose: options.purpose ?? (profile === 'webpki' ? 'serverAuth' : undefined),
      hostname: options.hostname,
      email: options.email,
      keyUsage: options.keyUsage,
      revocation: options.revocation,
      maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
      attempts: 0,
      signatureChecks: 0,
      comparisons: new ComparisonBudget(),
      halted: false,
      best: null,
    };
    const start = [info(leaf)];
    let found: CertInfo[] | null = null;
    if (ctx.index.trusted.has(start[0]!.id)) found = this.complete(start, ctx);
    if (!found && !ctx.halted) found = this.extend(start, ctx);
    if (found) {
      return { valid: true, path: found.map((i) => i.cert), trustAnchor: found[found.length - 1]!.cert, ...(ctx.revocationFound && { revocation: ctx.revocationFound }) };
    }
    const best = ctx.best!;
    return {
      valid: false,
      path: best.path.map((i) => i.cert),
      ...(best.anchored && { trustAnchor: best.path[best.path.length - 1]!.cert }),
      failure: best.failure,
      ...(best.revocation && { revocation: best.revocation }),
    };
  }

  private index(trusted: Certificate[], untrusted: Certificate[]): Index {
    let inner = this.indexes.get(trusted);
    if (!inner) {
      inner = new WeakMap();
      this.indexes.set(trusted, inner);
    }
    let index = inner.get(untrusted);
    if (!index) {
      index = buildIndex(trusted, untrusted);
      inner.set(untrusted, index);
    }
    return index;
  }

  /** Keeps the most informative failure: attempts that reached a trust anchor first, then the longest. */
  private record(ctx: Context, path: CertInfo[], failure: ValidationFailure, anchored: boolean): void {
    const best = ctx.best;
    if (!best || (anchored && !best.anchored) || (anchored === best.anchored && path.length > best.path.length)) {
      ctx.best = { path, failure, anchored };
    }
  }

  /** Validates a path ending at a trust anchor; the path when valid, else null with the failure recorded. */
  private complete(path: CertInfo[], ctx: Context): CertInfo[] | null {
    const failure = checkPath(path, ctx);
    if (failure) {
      if (failure.code === 'name-constraints-limit') this.halt(ctx, path, failure, true);
      else this.record(ctx, path, failure, true);
      return null;
    }
    if (!ctx.revocation) return path;
    const statuses = this.revocation(path, ctx.revocation, ctx);
    const fatal = statuses.find((s) => s.status === 'revoked') ?? (ctx.revocation.strict ? statuses.find((s) => s.status === 'unknown') : undefined);
    if (!fatal) {
      ctx.revocationFound = statuses;
      return path;
    }
    const subject = fatal.certificate.facts.subject || '(empty subject)';
    const code = fatal.status === 'revoked' ? 'revoked' : 'revocation-unknown';
    // A path that passed every other check is the most informative failure there is.
    ctx.best = { path, failure: { code, message: `${subject}: ${fatal.message}`, certificate: fatal.certificate }, anchored: true, revocation: statuses };
    return null;
  }

  /** The revocation status of each certificate the options ask about, leaf first; never the trust anchor's. */
  private revocation(path: CertInfo[], options: RevocationOptions, ctx: Context): RevocationStatus[] {
    const last = options.scope === 'all' ? path.length - 1 : Math.min(1, path.length - 1);
    const context = {
      time: ctx.time,
      profile: ctx.profile,
      signatures: this.signatures,
      bySubject: (key: string) => (ctx.index.bySubject.get(key) ?? []).map((i) => i.cert),
    };
    const statuses: RevocationStatus[] = [];
    for (let i = 0; i < last; i++) statuses.push(revocationStatus(path[i]!.cert, path[i + 1]!.cert, options, context));
    return statuses;
  }

  /** Nothing better can be found once the search is cut short: report that, not a partial attempt. */
  private halt(ctx: Context, path: CertInfo[], failure: ValidationFailure, anchored: boolean): void {
    ctx.best = { path, failure, anchored };
    ctx.halted = true;
  }

  /** Depth-first search for a valid path above `path`'s last certificate. */
  private extend(path: CertInfo[], ctx: Context): CertInfo[] | null {
    const child = path[path.length - 1]!;
    const candidates = this.candidates(child, ctx);
    let tried = 0;
    for (const issuer of candidates) {
      if (path.some((p) => p.id === issuer.id || p.identity === issuer.identity)) continue;
      tried++;
      const next = [...path, issuer];
      if (++ctx.attempts > this.maxAttempts) {
        this.halt(ctx, path, { code: 'path-building-limit', message: `gave up after trying ${this.maxAttempts} candidate issuers`, certificate: child.cert }, false);
        return null;
      }
      if (++ctx.signatureChecks > this.maxSignatures) {
        this.halt(ctx, path, { code: 'path-building-limit', message: `gave up after checking ${this.maxSignatures} signatures`, certificate: child.cert }, false);
        return null;
      }
      const signature = this.signatures.check(child.cert, issuer.cert, ctx.profile);
      if (!signature.ok) {
        this.record(ctx, next, { code: signature.code, message: signature.message, certificate: child.cert }, false);
        continue;
      }
      if (ctx.index.trusted.has(issuer.id)) {
        const found = this.complete(next, ctx);
        if (found || ctx.halted) return found;
        continue;
      }
      if (intermediates(next) > ctx.maxDepth) {
        this.record(ctx, next, { code: 'max-depth-exceeded', message: `no trust anchor within ${ctx.maxDepth} intermediate certificates`, certificate: issuer.cert }, false);
        continue;
      }
      const found = this.extend(next, ctx);
      if (found || ctx.halted) return found;
    }
    if (tried === 0) this.record(ctx, path, this.deadEnd(child, candidates.length > 0), false);
    return null;
  }

  /** Issuers named by `child`, preferring trusted ones, then a matching key identifier, then those valid at `time`. */
  private candidates(child: CertInfo, ctx: Context): CertInfo[] {
    const list = ctx.index.bySubject.get(child.cert.issuerName.key) ?? [];
    if (list.length < 2) return list;
    const keyId = child.aki?.keyId ?? null;
    const score = (c: CertInfo) =>
      (ctx.index.trusted.has(c.id) ? 4 : 0) +
      (keyId !== null && c.cert.facts.subjectKeyIdentifier === keyId ? 2 : 0) +
      (c.notBefore <= ctx.time && ctx.time <= c.notAfter ? 1 : 0);
    return [...list].sort((a, b) => score(b) - score(a));
  }

  private deadEnd(child: CertInfo, onlyLoops: boolean): ValidationFailure {
    const subject = child.cert.facts.subject || '(empty subject)';
    if (child.selfIssued && this.signatures.check(child.cert, child.cert, 'rfc5280').ok) {
      return { code: 'untrusted-root', message: `the self-signed root ${subject} is not a trust anchor`, certificate: child.cert };
    }
    const issuer = child.cert.facts.issuer || '(empty issuer name)';
    return {
      code: 'issuer-not-found',
      message: onlyLoops
        ? `every certificate named ${issuer} (the issuer of ${subject}) leads back into the path; no trust anchor is reached`
        : `no certificate for ${issuer}, the issuer of ${subject}`,
      certificate: child.cert,
      missingIssuer: child.cert.facts.issuer,
    };
  }
}

/** The intermediates of a path without its trust anchor, self-issued ones not counted (as pathLenConstraint counts them). */
function intermediates(path: CertInfo[]): number {
  let count = 0;
  for (let i = 1; i < path.length; i++) if (!path[i]!.selfIssued) count++;
  return count;
}

/** One-off validation. For many, keep a PathValidator: it memoises signatures and keys. */
export function validatePath(leaf: Certificate, options: ValidationOptions): ValidationResult {
  return new PathValidator().validate(leaf, options);
}

const subjectOf = (i: CertInfo) => i.cert.facts.subject || '(empty subject)';

/** The first failed check of a complete path (leaf first, trust anchor last), or null when valid. */
function checkPath(path: CertInfo[], ctx: Context): ValidationFailure | null {
  for (let i = 0; i < path.length; i++) {
    const failure = checkCertificate(path[i]!, i, path.length, ctx);
    if (failure) return failure;
  }
  return checkPathLength(path) ?? checkPathNameConstraints(path, ctx);
}

function checkCertificate(c: CertInfo, position: number, length: number, ctx: Context): ValidationFailure | null {
  const cert = c.cert;
  const facts = cert.facts;
  const isAnchor = position === length - 1;
  const fail = (code: FailureCode, message: string): ValidationFailure => ({ code, message: `${subjectOf(c)}: ${message}`, certificate: cert });

  if (!bytesEqual(cert.signatureAlgorithmDer, cert.tbsSignatureAlgorithmDer)) {
    return fail('signature-algorithm-mismatch', 'signatureAlgorithm differs from the signature field inside the certificate (RFC 5280 §4.1.1.2)');
  }
  const defect = cert.problems[0] ?? c.defects[0];
  if (defect) return fail('malformed-certificate', defect);
  if (cert.issuerName.rdns.length === 0) return fail('malformed-certificate', 'the issuer name is empty (RFC 5280 §4.1.2.4)');

  if (ctx.time < c.notBefore) return fail('not-yet-valid', `not valid before ${facts.notBefore}`);
  if (ctx.time > c.notAfter) return fail('expired', `expired ${facts.notAfter}`);

  const extensionFailure = checkExtensions(c, ctx.profile);
  if (extensionFailure) return fail(extensionFailure.code, extensionFailure.message);

  // A trust anchor's serial number is its CA's business, unless it is also the certificate presented.
  if (!isAnchor || position === 0) {
    const serial = Buffer.from(facts.serialNumber, 'hex');
    if (serial.length > 20) return fail('bad-serial-number', `serial number of ${serial.length} octets (RFC 5280 allows 20)`);
    if (serial[0]! & 0x80) return fail('bad-serial-number', 'negative serial number (RFC 5280 §4.1.2.2)');
    if (serial.every((b) => b === 0)) return fail('bad-serial-number', 'serial number zero (RFC 5280 §4.1.2.2)');
  }
  const key = keyDefect(cert, ctx.profile);
  if (key) return fail(key.code, key.message);

  const keyIds = checkKeyIdentifiers(c, isAnchor, ctx.profile);
  if (keyIds) return fail('bad-key-identifiers', keyIds);

  const role = position > 0 ? checkIssuer(c, isAnchor, ctx) : checkLeaf(c, ctx);
  return role && fail(role.code, role.message);
}

type Finding = { code: FailureCode; message: string } | null;

function checkExtensions(c: CertInfo, profile: Profile): Finding {
  const facts = c.cert.facts;
  for (const e of c.cert.extensions) {
    // Named only for a message: most certificates pass every check.
    const name = () => extensionName(e.oid);
    if (POLICY_CONSTRAINTS.has(e.oid)) {
      return e.critical
        ? { code: 'unsupported-critical-extension', message: `critical ${name()}: policy processing is not implemented` }
        : { code: 'bad-extension-criticality', message: `${name()} must be critical (RFC 5280 §4.2.1.11, §4.2.1.14)` };
    }
    if (e.critical && NEVER_CRITICAL.has(e.oid)) return { code: 'bad-extension-criticality', message: `${name()} must not be critical` };
    if (e.critical && !UNDERSTOOD.has(e.oid)) {
      return { code: 'unsupported-critical-extension', message: `unsupported critical extension ${name()}` };
    }
  }
  const nc = c.ext.get(EXT.nameConstraints);
  if (nc && !facts.basicConstraints?.ca) return { code: 'extension-not-allowed', message: 'nameConstraints in a certificate that is not a CA (RFC 5280 §4.2.1.10)' };
  // The CA/B Forum explicitly allows a non-critical nameConstraints for legacy clients; RFC 5280 does not.
  if (nc && !nc.critical && profile === 'rfc5280') return { code: 'bad-extension-criticality', message: 'nameConstraints must be critical (RFC 5280 §4.2.1.10)' };
  if (facts.keyUsage && facts.keyUsage.length === 0) return { code: 'malformed-certificate', message: 'keyUsage with no bit set (RFC 5280 §4.2.1.3)' };
  const san = c.ext.get(EXT.subjectAltName);
  if (c.subjectEmpty && !san) return { code: 'missing-subject-alt-name', message: 'empty subject and no subjectAltName (RFC 5280 §4.1.2.6)' };
  if (c.subjectEmpty && !san!.critical) return { code: 'bad-extension-criticality', message: 'subjectAltName must be critical when the subject is empty (RFC 5280 §4.2.1.6)' };
  if (!c.subjectEmpty && san?.critical && profile === 'webpki') {
    return { code: 'bad-extension-criticality', message: 'subjectAltName must not be critical when the subject is not empty (CA/B Forum BR §7.1.2.7.12)' };
  }
  return null;
}

/** RFC 5280 §4.2.1.1-2, and the CA/B Forum's root AKI rules in the Web PKI profile. Returns the defect or null. */
function checkKeyIdentifiers(c: CertInfo, isAnchor: boolean, profile: Profile): string | null {
  const facts = c.cert.facts;
  // Version 1 and 2 certificates cannot carry extensions.
  if (facts.version < 3) return null;
  // The Web PKI trusts an anchor as given (a name and a key): no issuer of it is looked for, so it needs
  // no AKI (x509-limbo cve::cve-2024-0567). The RFC 5280 profile holds the anchor certificate to §4.2.1.1 too.
  const trustedAsGiven = isAnchor && profile === 'webpki';
  if (!c.selfIssued && !trustedAsGiven && !c.aki?.keyId) return 'no authorityKeyIdentifier keyIdentifier, which every certificate not self-issued must have (RFC 5280 §4.2.1.1)';
  if (facts.basicConstraints?.ca && !facts.subjectKeyIdentifier) return 'a CA certificate without subjectKeyIdentifier (RFC 5280 §4.2.1.2)';
  if (profile === 'webpki' && isAnchor && c.selfIssued && c.aki) {
    if (!c.aki.keyId) return 'root authorityKeyIdentifier without keyIdentifier (CA/B Forum BR §7.1.2.1.3)';
    if (c.aki.hasIssuer || c.aki.hasSerial) return 'root authorityKeyIdentifier with authorityCertIssuer or authorityCertSerialNumber (CA/B Forum BR §7.1.2.1.3)';
    if (c.aki.keyId !== facts.subjectKeyIdentifier) return 'root authorityKeyIdentifier differs from its subjectKeyIdentifier (CA/B Forum BR §7.1.2.1.3)';
  }
  return null;
}

/** A certificate used to verify the one below it. */
function checkIssuer(c: CertInfo, isAnchor: boolean, ctx: Context): Finding {
  const facts = c.cert.facts;
  // RFC 5280 §6.1.4 (k): a v1/v2 CA must be known to be one out of band; being a trust anchor is that.
  if (facts.version < 3) {
    return isAnchor ? null : { code: 'not-a-ca', message: `a version ${facts.version} certificate cannot be an intermediate CA (no basicConstraints)` };
  }
  const bc = c.ext.get(EXT.basicConstraints);
  if (!facts.basicConstraints?.ca) return { code: 'not-a-ca', message: bc ? 'basicConstraints does not assert cA' : 'no basicConstraints extension, so not a CA' };
  if (!bc!.critical) return { code: 'bad-extension-criticality', message: 'basicConstraints must be critical in a CA certificate (RFC 5280 §4.2.1.9)' };
  if (facts.keyUsage && !facts.keyUsage.includes('keyCertSign')) return { code: 'key-usage-no-cert-sign', message: 'keyUsage lacks keyCertSign' };
  const eku = facts.extendedKeyUsage;
  if (ctx.profile === 'webpki' && isAnchor && c.selfIssued && eku) return { code: 'extension-not-allowed', message: 'a root with extendedKeyUsage (CA/B Forum BR §7.1.2.1.2)' };
  if (ctx.purpose && eku && !eku.includes(ctx.purpose) && !eku.includes('anyExtendedKeyUsage')) {
    return { code: 'eku-missing-purpose', message: `extendedKeyUsage (${eku.join(', ')}) does not allow ${ctx.purpose} for the certificates it issues` };
  }
  return null;
}

function checkLeaf(c: CertInfo, ctx: Context): Finding {
  const facts = c.cert.facts;
  const webpki = ctx.profile === 'webpki';
  if (webpki && facts.version < 3) return { code: 'unsupported-version', message: `a version ${facts.version} certificate (the Web PKI requires version 3)` };
  if (webpki && facts.basicConstraints?.ca) return { code: 'ca-as-leaf', message: 'a CA certificate (cA TRUE) used as the end-entity certificate' };
  // In an issuer the same defect is reported as not-a-ca.
  if (facts.keyUsage?.includes('keyCertSign') && !facts.basicConstraints?.ca) {
    return { code: 'inconsistent-extensions', message: 'keyUsage asserts keyCertSign but basicConstraints does not assert cA (RFC 5280 §4.2.1.9)' };
  }

  const purpose = ctx.purpose;
  const eku = facts.extendedKeyUsage;
  if (purpose) {
    if (!eku && webpki) return { code: 'eku-missing-purpose', message: `no extendedKeyUsage; the Web PKI requires ${purpose}` };
    if (eku && webpki && c.ext.get(EXT.extendedKeyUsage)!.critical) return { code: 'bad-extension-criticality', message: 'extendedKeyUsage must not be critical (CA/B Forum BR §7.1.2.7.6)' };
    if (eku && !eku.includes(purpose) && (webpki || !eku.includes('anyExtendedKeyUsage'))) {
      return { code: 'eku-missing-purpose', message: `extendedKeyUsage (${eku.join(', ')}) does not include ${purpose}` };
    }
    const forbidden = webpki && purpose === 'serverAuth' ? eku?.filter((u) => NOT_WITH_SERVER_AUTH.has(u)) : undefined;
    if (forbidden?.length) return { code: 'eku-not-permitted', message: `extendedKeyUsage ${forbidden.join(', ')} is not allowed in a TLS server certificate (CA/B Forum BR §7.1.2.7.10)` };
  }
  if (webpki && purpose === 'serverAuth' && !c.sans) return { code: 'missing-subject-alt-name', message: 'no subjectAltName; TLS clients ignore the subject CN' };
  // The subject CN is not checked against the SAN (CA/B Forum BR §7.1.4.3): that binds the CA at issuance;
  // TLS clients match the name asked for against the SAN alone and ignore the CN.
  if (ctx.hostname !== undefined) {
    const mismatch = hostnameMismatch(c, ctx.hostname, webpki);
    if (mismatch) return { code: 'hostname-mismatch', message: mismatch };
  }
  if (ctx.email !== undefined) {
    const mismatch = emailMismatch(c, ctx.email, webpki);
    if (mismatch) return { code: 'email-mismatch', message: mismatch };
  }
  const missing = facts.keyUsage && ctx.keyUsage?.filter((u) => !facts.keyUsage!.includes(u));
  if (missing?.length) return { code: 'key-usage-not-allowed', message: `keyUsage (${facts.keyUsage!.join(', ')}) does not allow ${missing.join(', ')}` };
  return null;
}

function emailMismatch(c: CertInfo, email: string, webpki: boolean): string | null {
  const ref = parseEmailAddress(email);
  if (!ref) return `"${email}" is not an email address`;
  if (c.sans) return c.sans.some((n) => n.type === 'email' && emailMatches(n.value, ref)) ? null : `subjectAltName does not include ${email}`;
  // Without a subjectAltName, RFC 5280 §4.1.2.6 knows the legacy emailAddress attribute; the Web PKI does not.
  const legacy = c.cert.subjectName.rdns.flat().some((a) => a.oid === OID_EMAIL_ADDRESS && emailMatches(a.value, ref));
  return !webpki && legacy ? null : `no subjectAltName${webpki ? '' : ' and no matching emailAddress in the subject'} for ${email}`;
}

function hostnameMismatch(c: CertInfo, hostname: string, webpki: boolean): string | null {
  const ref = parseReferenceId(hostname);
  if (!ref) return `"${hostname}" is not a DNS name or an IP address`;
  const matches = (n: GeneralName) =>
    ref.kind === 'dns' ? n.type === 'dns' && dnsNameMatches(n.value, ref.name) : n.type === 'ip' && bytesEqual(n.bytes, ref.bytes);
  if (c.sans) {
    return c.sans.some(matches) ? null : `subjectAltName does not cover ${hostname}`;
  }
  // Without a subjectAltName, RFC 9525 §6.3 lets a client fall back to the CN; Web PKI clients do not.
  const cn = c.cert.facts.subjectCommonName;
  const cnName = cn === null ? null : commonNameAsName(cn);
  if (!webpki && cnName && matches(cnName)) return null;
  return `no subjectAltName, and ${webpki || cn === null ? 'the subject CN is not used' : `the subject CN "${cn}" does not match`} for ${hostname}`;
}

/** A CN that reads as an IP address or a host name, as clients and name constraints treat it when there is no SAN. */
function commonNameAsName(cn: string): GeneralName | null {
  const ip = parseIPv4(cn) ?? (cn.includes(':') ? parseIPv6(cn) : null);
  if (ip) return { type: 'ip', bytes: ip };
  return isDnsName(cn) ? { type: 'dns', value: cn } : null;
}

/** RFC 5280 §6.1.4 (l)-(m): pathLenConstraint, counted from the trust anchor down, self-issued certificates excepted. */
function checkPathLength(path: CertInfo[]): ValidationFailure | null {
  let remaining = Infinity;
  let limiter: CertInfo | null = null;
  for (let i = path.length - 1; i >= 1; i--) {
    const c = path[i]!;
    if (i < path.length - 1 && !c.selfIssued) {
      if (remaining <= 0) {
        return {
          code: 'path-length-exceeded',
          message: `${subjectOf(c)}: one intermediate too many below ${subjectOf(limiter!)}, whose pathLenConstraint is ${limiter!.cert.facts.basicConstraints!.pathLength}`,
          certificate: c.cert,
        };
      }
      remaining--;
    }
    const pathLength = c.cert.facts.basicConstraints?.pathLength;
    if (pathLength != null && pathLength < remaining) {
      remaining = pathLength;
      limiter = c;
    }
  }
  return null;
}

/**
 * RFC 5280 §6.1.4 (g), §6.1.3 (b)-(c): every CA's constraints apply to the names of each certificate
 * below it, except self-issued intermediates. Names: the subject DN, subjectAltName entries, emailAddress
 * attributes, and for a leaf without subjectAltName its CN read as a host name or IP address.
 */
function checkPathNameConstraints(path: CertInfo[], ctx: Context): ValidationFailure | null {
  const active: CertInfo[] = [];
  for (let i = path.length - 1; i >= 0; i--) {
    const c = path[i]!;
    if (i < path.length - 1 && (i === 0 || !c.selfIssued)) {
      const names = constrainedNames(c, i === 0);
      for (const ca of active) {
        const verdict = checkNameConstraints(ca.nameConstraints!, names, ctx.comparisons);
        if (verdict.ok) continue;
        if (verdict.exhausted) {
          return {
            code: 'name-constraints-limit',
            message: `${subjectOf(c)}: gave up checking its names against the name constraints of ${subjectOf(ca)} after ${ComparisonBudget.DEFAULT.toLocaleString('en-US')} comparisons (a certificate crafted to make validation slow)`,
            certificate: c.cert,
          };
        }
        return { code: 'name-constraints-violated', message: `${subjectOf(c)}: ${verdict.message} of ${subjectOf(ca)}`, certificate: c.cert };
      }
    }
    if (c.nameConstraints) active.push(c);
  }
  return null;
}

function constrainedNames(c: CertInfo, isLeaf: boolean): GeneralName[] {
  const names: GeneralName[] = [];
  if (!c.subjectEmpty) names.push({ type: 'dn', name: c.cert.subjectName });
  for (const a of c.cert.subjectName.rdns.flat()) if (a.oid === OID_EMAIL_ADDRESS) names.push({ type: 'email', value: a.value });
  names.push(...(c.sans ?? []));
  const cn = c.cert.facts.subjectCommonName;
  const cnName = isLeaf && !c.sans && cn !== null ? commonNameAsName(cn) : null;
  if (cnName) names.push(cnName);
  return names;
}
