/**
 * Revocation from CRLs given as files (RFC 5280 §6.3, without fetching anything): for each certificate
 * of a path, the CRLs of its issuer that are usable (signed by the issuer or by a CRL signer it
 * certified, current at the validation time, complete for the certificate's kind and distribution
 * point, not a delta) say whether it is revoked; with none usable its status is unknown, and why.
 */
import { CRL_EXT, type Crl } from '../certs/crl.js';
import { bytesEqual, type Certificate } from '../certs/x509.js';
import type { Profile, SignatureVerifier } from './signature.js';

export interface RevocationOptions {
  /** The CRLs to consult (src/certs/crl.ts reads them). */
  crls: Crl[];
  /** Which certificates to check: the leaf only (default), or every certificate below the trust anchor. */
  scope?: 'leaf' | 'all';
  /** Whether a certificate whose status is unknown makes the path invalid (default: it is only reported). */
  strict?: boolean;
}

export interface RevocationStatus {
  certificate: Certificate;
  status: 'good' | 'revoked' | 'unknown';
  /** A sentence: which CRL said so, or why no CRL could. */
  message: string;
  /** The CRL that gave the status (good or revoked). */
  crl?: Crl;
  /** For a revoked certificate: when, and the CRL entry's reasonCode (null when it has none). */
  revocationDate?: string;
  reason?: string | null;
}

/** What the checker needs from path validation: the time, the profile, signatures, and the certificates a CRL signer may be among. */
export interface RevocationContext {
  time: number;
  profile: Profile;
  signatures: SignatureVerifier;
  /** Certificates by subject name key (RFC 5280 §7.1), to find a CRL signer other than the issuer. */
  bySubject: (key: string) => readonly Certificate[];
}

const byIssuer = new WeakMap<Crl[], Map<string, Crl[]>>();

/** The CRLs of `crls` whose issuer name equals `name` (RFC 5280 §7.1 comparison), indexed once per array. */
function crlsIssuedBy(crls: Crl[], key: string): Crl[] {
  let index = byIssuer.get(crls);
  if (!index) {
    index = new Map();
    for (const crl of crls) {
      const same = index.get(crl.issuerName.key);
      if (same) same.push(crl);
      else index.set(crl.issuerName.key, [crl]);
    }
    byIssuer.set(crls, index);
  }
  return index.get(key) ?? [];
}

/** CRL extensions this checker understands, so it accepts them critical. */
const UNDERSTOOD_CRITICAL = new Set<string>([CRL_EXT.issuingDistributionPoint, CRL_EXT.deltaCRLIndicator]);

/** The revocation status of `cert`, issued by `issuer` (the next certificate of its path). */
export function revocationStatus(cert: Certificate, issuer: Certificate, options: RevocationOptions, ctx: RevocationContext): RevocationStatus {
  const issuerName = cert.facts.issuer || '(empty issuer name)';
  const candidates = crlsIssuedBy(options.crls, cert.issuerName.key);
  if (candidates.length === 0) return { certificate: cert, status: 'unknown', message: `no CRL from ${issuerName} was given` };
  const unusable: string[] = [];
  let good: Crl | null = null;
  for (const crl of candidates) {
    const defect = crlDefect(crl, cert, issuer, ctx);
    if (defect) {
      unusable.push(`${describeCrl(crl)}: ${defect}`);
      continue;
    }
    const entry = crl.revoked.get(cert.facts.serialNumber);
    // removeFromCRL belongs in delta CRLs; a revocation dated after the validation time had not happened yet.
    if (entry && entry.reason !== 'removeFromCRL' && Date.parse(entry.revocationDate) <= ctx.time) {
      if (entry.unknownCritical.length > 0) {
        unusable.push(`${describeCrl(crl)}: its entry for this certificate has an unsupported critical extension ${entry.unknownCritical.join(', ')}`);
        continue;
      }
      return {
        certificate: cert,
        status: 'revoked',
        message: `revoked ${entry.revocationDate}${entry.reason ? ` (${entry.reason})` : ''} by ${describeCrl(crl)}`,
        crl,
        revocationDate: entry.revocationDate,
        reason: entry.reason,
      };
    }
    good ??= crl;
  }
  if (good) return { certificate: cert, status: 'good', message: `not revoked according to ${describeCrl(good)}`, crl: good };
  return { certificate: cert, status: 'unknown', message: `no usable CRL from ${issuerName}: ${unusable.join('; ')}` };
}

const describeCrl = (crl: Crl) => `the CRL ${crl.source.path}${crl.source.index > 0 ? ` #${crl.source.index}` : ''}`;

/** Why a CRL from the certificate's issuer cannot decide its status, or null when it can. */
function crlDefect(crl: Crl, cert: Certificate, issuer: Certificate, ctx: RevocationContext): string | null {
  if (crl.problems.length > 0) return `malformed (${crl.problems[0]})`;
  if (!bytesEqual(crl.signatureAlgorithmDer, crl.tbsSignatureAlgorithmDer)) return 'its signatureAlgorithm differs from the signature field inside it (RFC 5280 §5.1.1.2)';
  if (crl.deltaCrl) return 'a delta CRL, which is not supported: give the complete CRL it updates';
  for (const e of crl.extensions) {
    if (e.oid === CRL_EXT.cRLNumber && e.critical) return 'its cRLNumber is critical, which RFC 5280 §5.2.3 forbids';
    if (e.critical && !UNDERSTOOD_CRITICAL.has(e.oid)) return `unsupported critical extension ${e.oid}`;
  }
  if (crl.crlNumber === null) return 'no cRLNumber, which every conforming CRL carries (RFC 5280 §5.2.3)';
  const scope = scopeDefect(crl, cert);
  if (scope) return scope;
  if (Date.parse(crl.thisUpdate) > ctx.time) return `issued ${crl.thisUpdate}, after the validation time`;
  if (crl.nextUpdate !== null && Date.parse(crl.nextUpdate) < ctx.time) return `out of date: its nextUpdate was ${crl.nextUpdate}`;
  return signerDefect(crl, issuer, ctx);
}

/** RFC 5280 §6.3.3 (b): the CRL's issuingDistributionPoint must cover this certificate. */
function scopeDefect(crl: Crl, cert: Certificate): string | null {
  const idp = crl.issuingDistributionPoint;
  if (!idp) return null;
  const isCa = cert.facts.basicConstraints?.ca === true;
  if (idp.indirectCRL) return 'an indirect CRL, which is not supported';
  if (idp.onlyAttributeCerts) return 'it covers attribute certificates only';
  if (idp.onlyUserCerts && isCa) return 'it covers end-entity certificates only, and this is a CA';
  if (idp.onlyCACerts && !isCa) return 'it covers CA certificates only, and this is an end-entity certificate';
  if (idp.onlySomeReasons) return 'it covers only some revocation reasons (partitioned CRLs are not supported)';
  if (idp.named && !idp.uris.some((uri) => cert.facts.crlDistributionPoints.includes(uri))) {
    return `it is the CRL of the distribution point ${idp.uris.join(', ') || '(unnamed)'}, which is not among the certificate's crlDistributionPoints`;
  }
  return null;
}

/**
 * RFC 5280 §6.3.3 (f)-(g): the CRL is signed by the certificate's issuer, or by a CRL signer: a
 * certificate of the same name that the issuer signed. A signer with keyUsage must assert cRLSign.
 */
function signerDefect(crl: Crl, issuer: Certificate, ctx: RevocationContext): string | null {
  const signers = [issuer, ...ctx.bySubject(crl.issuerName.key).filter((c) => c !== issuer && ctx.signatures.check(c, issuer, ctx.profile).ok)];
  // A matching authorityKeyIdentifier names the signer; without one, every candidate is tried.
  const preferred = crl.authorityKeyId === null ? signers : signers.filter((s) => s.facts.subjectKeyIdentifier === null || s.facts.subjectKeyIdentifier === crl.authorityKeyId);
  let failure = `no certificate named ${issuer.facts.subject || '(empty subject)'} verifies its signature`;
  for (const signer of preferred.length > 0 ? preferred : signers) {
    const verdict = ctx.signatures.checkCrl(crl, signer, ctx.profile);
    if (!verdict.ok) {
      failure = `its signature: ${verdict.message}`;
      continue;
    }
    const usage = signer.facts.keyUsage;
    if (usage && !usage.includes('cRLSign')) {
      failure = `signed by ${signer.facts.subject || 'its issuer'}, whose keyUsage lacks cRLSign`;
      continue;
    }
    return null;
  }
  return failure;
}
