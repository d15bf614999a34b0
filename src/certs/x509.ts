import { hash } from 'node:crypto';
import {
  children,
  content,
  contextTag,
  decodeBitString,
  decodeBoolean,
  decodeOid,
  decodeSmallInt,
  decodeTime,
  DerError,
  expectTlv,
  readTlv,
  TAG,
  toHex,
  whole,
  type Tlv,
} from './der.js';
import {
  emptySubjectAltNames,
  parseAuthorityInfoAccess,
  parseAuthorityKeyId,
  parseBasicConstraints,
  parseCrlDistributionPoints,
  parseExtendedKeyUsage,
  parseGeneralNames,
  parseKeyUsage,
  parseSubjectKeyId,
  parseTemplateInformation,
  parseTemplateName,
  subjectAltNameFacts,
} from './extensions.js';
import type { CertificateFacts, CertificateSource, PublicKeyFacts, SignatureFacts, TemplateFacts } from './facts.js';
import { commonName, formatName, parseName, type Name } from './name.js';
import { CURVES, EXT, HASH_ALGORITHMS, KEY_ALGORITHMS, OID_RSASSA_PSS, SIGNATURE_ALGORITHMS } from './oids.js';

// Names moved to name.ts; these stay importable from here.
export { parseName, rdnKey, type Name, type NameAttribute } from './name.js';

export interface Extension {
  oid: string;
  critical: boolean;
  /** The DER inside extnValue's OCTET STRING. */
  value: Uint8Array;
}

/**
 * A parsed certificate: its public facts and what path validation needs (signed bytes, key,
 * raw extensions). Only `facts` is ever written to a report; the rest stays in memory.
 */
export interface Certificate {
  facts: CertificateFacts;
  der: Uint8Array;
  tbs: Uint8Array;
  /** DER of the outer signatureAlgorithm and of the one inside TBSCertificate (they must be equal). */
  signatureAlgorithmDer: Uint8Array;
  tbsSignatureAlgorithmDer: Uint8Array;
  signatureValue: Uint8Array;
  /** DER of SubjectPublicKeyInfo. */
  spki: Uint8Array;
  subjectName: Name;
  issuerName: Name;
  extensions: Extension[];
  /** Defects that did not stop parsing: the same array as `facts.problems`. Path validation refuses them. */
  problems: string[];
}

export class CertificateParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CertificateParseError';
  }
}

/**
 * Real certificates are a few kilobytes, with thousands of SANs some hundreds; a larger one is crafted,
 * and its names would cost seconds and gigabytes to read (docs/robustness.md).
 */
const MAX_CERTIFICATE_BYTES = 1024 * 1024;

/** Parses one DER certificate. Throws CertificateParseError when its core structure is unreadable. */
export function parseCertificate(der: Uint8Array, source: CertificateSource): Certificate {
  if (der.length > MAX_CERTIFICATE_BYTES) {
    throw new CertificateParseError(`a certificate of ${der.length} bytes is far beyond any real one (the limit is ${MAX_CERTIFICATE_BYTES})`);
  }
  try {
    return parse(der, source);
  } catch (e) {
    if (e instanceof DerError) throw new CertificateParseError(`malformed certificate: ${e.message} at byte ${e.offset}`);
    throw e;
  }
}

function parse(der: Uint8Array, source: CertificateSource): Certificate {
  const outer = expectTlv(der, 0, der.length, TAG.SEQUENCE, 'Certificate');
  if (outer.end !== der.length) throw new DerError('trailing data after the certificate', outer.end);
  const [tbsTlv, sigAlgTlv, sigValueTlv, ...extra] = children(der, outer);
  if (!tbsTlv || !sigAlgTlv || !sigValueTlv || extra.length > 0) {
    throw new DerError('a Certificate has exactly three parts', outer.start);
  }
  if (tbsTlv.tag !== TAG.SEQUENCE) throw new DerError('TBSCertificate is not a SEQUENCE', tbsTlv.start);
  const signatureValue = decodeBitString(der, sigValueTlv).bits;

  const fields = children(der, tbsTlv);
  let i = 0;
  let version = 1;
  if (fields[0]?.tag === contextTag(0, true)) {
    const inner = children(der, fields[0]);
    if (inner.length !== 1) throw new DerError('malformed version', fields[0].start);
    version = decodeSmallInt(der, inner[0]!) + 1;
    i = 1;
  }
  const serialTlv = fields[i++];
  const tbsSigAlgTlv = fields[i++];
  const issuerTlv = fields[i++];
  const validityTlv = fields[i++];
  const subjectTlv = fields[i++];
  const spkiTlv = fields[i++];
  if (!serialTlv || !tbsSigAlgTlv || !issuerTlv || !validityTlv || !subjectTlv || !spkiTlv) {
    throw new DerError('TBSCertificate is missing fields', tbsTlv.start);
  }
  if (serialTlv.tag !== TAG.INTEGER) throw new DerError('serialNumber is not an INTEGER', serialTlv.start);
  const validity = children(der, validityTlv);
  if (validity.length !== 2) throw new DerError('Validity has two times', validityTlv.start);

  const problems: string[] = [];
  let extensions: Extension[] = [];
  for (; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.tag === contextTag(3, true)) {
      extensions = parseExtensions(der, f, problems);
    } else if (f.tag !== contextTag(1, false) && f.tag !== contextTag(2, false)) {
      throw new DerError('unexpected field in TBSCertificate', f.start);
    }
  }

  const subjectName = parseName(der, subjectTlv);
  const issuerName = parseName(der, issuerTlv);
  // X.501 requires one attribute or more per RDN. OpenSSL refuses such a certificate; it is read, the defect noted.
  for (const [which, name] of [['subject', subjectName], ['issuer', issuerName]] as const) {
    if (name.rdns.some((rdn) => rdn.length === 0)) problems.push(`the ${which} name has an empty RelativeDistinguishedName`);
  }
  const spki = whole(der, spkiTlv);
  const sigAlgDer = whole(der, sigAlgTlv);
  const tbsSigAlgDer = whole(der, tbsSigAlgTlv);

  const ext = (oid: string) => extensions.find((e) => e.oid === oid);
  const guard = <T>(name: string, fallback: T, read: (e: Extension) => T): T => {
    const e = ext(name);
    if (!e) return fallback;
    try {
      return read(e);
    } catch (err) {
      problems.push(`malformed ${extensionName(name)} extension: ${err instanceof Error ? err.message : String(err)}`);
      return fallback;
    }
  };

  const signature = parseSignatureAlgorithm(der, sigAlgTlv);
  const tbsSignature = bytesEqual(sigAlgDer, tbsSigAlgDer) ? undefined : differingTbsSignature(der, tbsSigAlgTlv, signature, problems);
  const facts: CertificateFacts = {
    source,
    // One-shot hashes: half the cost of createHash(), which shows when reading tens of thousands.
    thumbprint: thumbprintOf(der),
    sha256: hash('sha256', der, 'hex').toUpperCase(),
    version,
    subject: formatName(subjectName),
    issuer: formatName(issuerName),
    subjectCommonName: commonName(subjectName),
    serialNumber: toHex(content(der, serialTlv)),
    notBefore: decodeTime(der, validity[0]!, (m) => problems.push(m)),
    notAfter: decodeTime(der, validity[1]!, (m) => problems.push(m)),
    publicKey: parsePublicKey(der, spkiTlv, problems),
    signature,
    subjectAltNames: guard(EXT.subjectAltName, emptySubjectAltNames(), (e) => subjectAltNameFacts(parseGeneralNames(e.value), problems)),
    extendedKeyUsage: guard(EXT.extendedKeyUsage, null, (e) => parseExtendedKeyUsage(e.value, problems)),
    keyUsage: guard(EXT.keyUsage, null, (e) => parseKeyUsage(e.value)),
    basicConstraints: guard(EXT.basicConstraints, null, (e) => parseBasicConstraints(e.value)),
    crlDistributionPoints: guard(EXT.crlDistributionPoints, [], (e) => parseCrlDistributionPoints(e.value)),
    authorityInfoAccess: guard(EXT.authorityInfoAccess, { ocsp: [], caIssuers: [] }, (e) => parseAuthorityInfoAccess(e.value)),
    subjectKeyIdentifier: guard(EXT.subjectKeyIdentifier, null, (e) => parseSubjectKeyId(e.value)),
    authorityKeyIdentifier: guard(EXT.authorityKeyIdentifier, null, (e) => parseAuthorityKeyId(e.value).keyId),
    selfIssued: subjectName.key === issuerName.key,
    template: template(
      guard(EXT.certificateTemplateName, undefined, (e) => parseTemplateName(e.value)),
      guard(EXT.certificateTemplateInformation, undefined, (e) => parseTemplateInformation(e.value)),
    ),
    ...(tbsSignature && { tbsSignature }),
    problems,
  };

  return {
    facts,
    der,
    tbs: whole(der, tbsTlv),
    signatureAlgorithmDer: sigAlgDer,
    tbsSignatureAlgorithmDer: tbsSigAlgDer,
    signatureValue,
    spki,
    subjectName,
    issuerName,
    extensions,
    problems,
  };
}

export function parseExtensions(der: Uint8Array, wrapper: Tlv, problems: string[]): Extension[] {
  const list = children(der, wrapper);
  if (list.length !== 1 || list[0]!.tag !== TAG.SEQUENCE) throw new DerError('malformed extensions', wrapper.start);
  const out = parseExtensionList(der, list[0]!, problems);
  if (out.length === 0) problems.push('extensions field present but empty');
  return out;
}

/** A SEQUENCE OF Extension (a certificate's, a CRL's or a CRL entry's), with the DER defects noted in `problems`. */
export function parseExtensionList(der: Uint8Array, sequence: Tlv, problems: string[]): Extension[] {
  const out: Extension[] = [];
  const seen = new Set<string>();
  for (const extTlv of children(der, sequence)) {
    const parts = children(der, extTlv);
    if (extTlv.tag !== TAG.SEQUENCE || parts.length < 2 || parts.length > 3) {
      throw new DerError('malformed Extension', extTlv.start);
    }
    const oid = decodeOid(der, parts[0]!);
    let critical = false;
    if (parts.length === 3) {
      critical = decodeBoolean(der, parts[1]!);
      if (!critical) problems.push(`${extensionName(oid)} extension encodes the default critical=FALSE (not DER)`);
    }
    const valueTlv = parts[parts.length - 1]!;
    if (valueTlv.tag !== TAG.OCTET_STRING) throw new DerError('extnValue is not an OCTET STRING', valueTlv.start);
    if (seen.has(oid)) problems.push(`${extensionName(oid)} extension appears more than once`);
    seen.add(oid);
    out.push({ oid, critical, value: content(der, valueTlv) });
  }
  return out;
}

/** Path validation names every extension of every certificate it checks: a look-up, not a search. */
const EXTENSION_NAMES = new Map<string, string>(Object.entries(EXT).map(([name, oid]) => [oid, name]));

export function extensionName(oid: string): string {
  return EXTENSION_NAMES.get(oid) ?? oid;
}

function parseAlgorithmIdentifier(der: Uint8Array, tlv: Tlv): { oid: string; params: Tlv | undefined } {
  const parts = children(der, tlv);
  if (tlv.tag !== TAG.SEQUENCE || !parts[0]) throw new DerError('malformed AlgorithmIdentifier', tlv.start);
  return { oid: decodeOid(der, parts[0]), params: parts[1] };
}

export function parsePublicKey(der: Uint8Array, spkiTlv: Tlv, problems: string[]): PublicKeyFacts {
  const [algTlv, keyTlv] = children(der, spkiTlv);
  if (spkiTlv.tag !== TAG.SEQUENCE || !algTlv || !keyTlv) throw new DerError('malformed SubjectPublicKeyInfo', spkiTlv.start);
  const { oid, params } = parseAlgorithmIdentifier(der, algTlv);
  const algorithm = KEY_ALGORITHMS[oid] ?? 'unknown';
  const key = decodeBitString(der, keyTlv).bits;
  const facts: PublicKeyFacts = { algorithm, bits: null, curve: null };
  if (algorithm === 'unknown') facts.oid = oid;
  try {
    switch (algorithm) {
      case 'RSA': {
        const seq = readTlv(key, 0);
        const modulus = children(key, seq)[0];
        if (!modulus || modulus.tag !== TAG.INTEGER) throw new DerError('malformed RSAPublicKey', 0);
        facts.bits = integerBits(key, modulus);
        break;
      }
      case 'EC': {
        if (params?.tag === TAG.OID) {
          const curveOid = decodeOid(der, params);
          const curve = CURVES[curveOid];
          facts.curve = curve?.name ?? curveOid;
          facts.bits = curve?.bits ?? null;
        }
        break;
      }
      case 'Ed25519':
        facts.bits = 256;
        break;
      case 'Ed448':
        facts.bits = 456;
        break;
      case 'DSA': {
        if (params?.tag === TAG.SEQUENCE) {
          const p = children(der, params)[0];
          if (p?.tag === TAG.INTEGER) facts.bits = integerBits(der, p);
        }
        break;
      }
    }
  } catch (err) {
    // Windows cannot use such a key either: certificate-well-formed reports it, and its size stays unknown.
    problems.push(`the ${algorithm} public key cannot be decoded: ${err instanceof Error ? err.message : String(err)}`);
  }
  return facts;
}

/** Bit length of a non-negative INTEGER's value. */
function integerBits(bytes: Uint8Array, tlv: Tlv): number {
  let i = tlv.contentStart;
  while (i < tlv.end && bytes[i] === 0) i++;
  if (i === tlv.end) return 0;
  return (tlv.end - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

export function parseSignatureAlgorithm(der: Uint8Array, tlv: Tlv): SignatureFacts {
  const { oid, params } = parseAlgorithmIdentifier(der, tlv);
  const known = SIGNATURE_ALGORITHMS[oid];
  const facts: SignatureFacts = { algorithm: known?.name ?? oid, oid, hash: known?.hash ?? null, pss: oid === OID_RSASSA_PSS };
  if (facts.pss && params?.tag === TAG.SEQUENCE) {
    const hashField = children(der, params).find((t) => t.tag === contextTag(0, true));
    if (hashField) {
      const inner = children(der, hashField)[0];
      if (inner) facts.hash = HASH_ALGORITHMS[parseAlgorithmIdentifier(der, inner).oid] ?? null;
    }
  }
  return facts;
}

/**
 * The tbsCertificate's signature algorithm where it differs from the outer one, which RFC 5280 §4.1.1.2
 * forbids: a defect, described. Unreadable, it is only the defect.
 */
function differingTbsSignature(der: Uint8Array, tlv: Tlv, outer: SignatureFacts, problems: string[]): SignatureFacts | undefined {
  let inner: SignatureFacts;
  try {
    inner = parseSignatureAlgorithm(der, tlv);
  } catch (e) {
    if (!(e instanceof DerError)) throw e;
    problems.push(`the signature algorithm inside tbsCertificate is malformed (${e.message}) and so differs from the outer one (RFC 5280 §4.1.1.2)`);
    return undefined;
  }
  const what = inner.oid === outer.oid ? `${inner.algorithm} with other parameters` : inner.algorithm;
  problems.push(`the signature algorithm inside tbsCertificate (${what}) differs from the outer one (${outer.algorithm}); RFC 5280 §4.1.1.2 requires them identical`);
  return inner;
}

/** The template facts from Microsoft's two extensions, either of which may be absent. */
function template(name: string | undefined, information: ReturnType<typeof parseTemplateInformation> | undefined): TemplateFacts | null {
  if (name === undefined && information === undefined) return null;
  return { ...(name !== undefined && { name }), ...information };
}

/** A certificate's thumbprint: SHA-1 of its DER, upper-case hex, as Windows and Get-CsCertificate show it. */
export const thumbprintOf = (der: Uint8Array): string => hash('sha1', der, 'hex').toUpperCase();

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
