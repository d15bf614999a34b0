import { hash } from 'node:crypto';
import {
  children,
  content,
  contextTag,
  decodeBitString,
  decodeBoolean,
  decodeOid,
  decodeSmallInt,
  decodeString,
  decodeTime,
  DerError,
  expectTlv,
  readTlv,
  TAG,
  toHex,
  whole,
  type Tlv,
} from './der.js';
import type {
  AuthorityInfoAccessFacts,
  BasicConstraintsFacts,
  CertificateFacts,
  CertificateSource,
  PublicKeyFacts,
  SignatureFacts,
  SubjectAltNames,
} from './facts.js';
import {
  CURVES,
  EXT,
  EXTENDED_KEY_USAGES,
  HASH_ALGORITHMS,
  KEY_ALGORITHMS,
  KEY_USAGE_BITS,
  NAME_ATTRIBUTES,
  OID_AIA_CA_ISSUERS,
  OID_AIA_OCSP,
  OID_COMMON_NAME,
  OID_RSASSA_PSS,
  SIGNATURE_ALGORITHMS,
} from './oids.js';

export interface Extension {
  oid: string;
  critical: boolean;
  /** The DER inside extnValue's OCTET STRING. */
  value: Uint8Array;
}

/** One attribute of a distinguished name. */
export interface NameAttribute {
  oid: string;
  /** The ASN.1 string tag the value was encoded with. */
  tag: number;
  value: string;
}

export interface Name {
  /** The Name's DER, for exact comparison. */
  der: Uint8Array;
  /** RDNs in encoded order (most general first), each a set of attributes. */
  rdns: NameAttribute[][];
  /** RFC 5280 §7.1 comparison key: case-folded, whitespace-collapsed, attribute order within an RDN ignored. */
  key: string;
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
  /** Defects that did not stop parsing (a malformed or duplicated extension): path validation refuses them. */
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
    publicKey: parsePublicKey(der, spkiTlv),
    signature: parseSignatureAlgorithm(der, sigAlgTlv),
    subjectAltNames: guard(EXT.subjectAltName, emptySans(), (e) => parseSans(e.value, problems)),
    extendedKeyUsage: guard(EXT.extendedKeyUsage, null, (e) => parseEku(e.value)),
    keyUsage: guard(EXT.keyUsage, null, (e) => parseKeyUsage(e.value)),
    basicConstraints: guard(EXT.basicConstraints, null, (e) => parseBasicConstraints(e.value)),
    crlDistributionPoints: guard(EXT.crlDistributionPoints, [], (e) => parseCrlDp(e.value)),
    authorityInfoAccess: guard(EXT.authorityInfoAccess, { ocsp: [], caIssuers: [] }, (e) => parseAia(e.value)),
    subjectKeyIdentifier: guard(EXT.subjectKeyIdentifier, null, (e) => parseSki(e.value)),
    authorityKeyIdentifier: guard(EXT.authorityKeyIdentifier, null, (e) => parseAki(e.value)),
    selfIssued: subjectName.key === issuerName.key,
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
  const out: Extension[] = [];
  const seen = new Set<string>();
  for (const extTlv of children(der, list[0]!)) {
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
  if (out.length === 0) problems.push('extensions field present but empty');
  return out;
}

/** Path validation names every extension of every certificate it checks: a look-up, not a search. */
const EXTENSION_NAMES = new Map<string, string>(Object.entries(EXT).map(([name, oid]) => [oid, name]));

export function extensionName(oid: string): string {
  return EXTENSION_NAMES.get(oid) ?? oid;
}

export function parseName(der: Uint8Array, tlv: Tlv): Name {
  if (tlv.tag !== TAG.SEQUENCE) throw new DerError('Name is not a SEQUENCE', tlv.start);
  const rdns: NameAttribute[][] = [];
  for (const rdnTlv of children(der, tlv)) {
    if (rdnTlv.tag !== TAG.SET) throw new DerError('RelativeDistinguishedName is not a SET', rdnTlv.start);
    const rdn: NameAttribute[] = [];
    for (const atv of children(der, rdnTlv)) {
      const [typeTlv, valueTlv] = children(der, atv);
      if (atv.tag !== TAG.SEQUENCE || !typeTlv || !valueTlv) throw new DerError('malformed AttributeTypeAndValue', atv.start);
      rdn.push({ oid: decodeOid(der, typeTlv), tag: valueTlv.tag, value: decodeString(der, valueTlv) });
    }
    rdns.push(rdn);
  }
  return { der: whole(der, tlv), rdns, key: nameKey(rdns) };
}

/** A Name's comparison key: the RDN keys as a JSON array, so no value can pass for a separator. */
const nameKey = (rdns: NameAttribute[][]): string => `[${rdns.map(rdnKey).join(',')}]`;

/**
 * RFC 5280 §7.1 comparison of one RDN: attribute order ignored, values case-folded with whitespace
 * collapsed; JSON-encoded, as a value may hold any character (`CN=a/C=us` is one RDN, not two).
 */
export function rdnKey(rdn: NameAttribute[]): string {
  return JSON.stringify(rdn.map((a) => `${a.oid}=${a.value.trim().replace(/\s+/g, ' ').toLowerCase()}`).sort());
}

/** A distinguished name as Windows writes it: last RDN first, `CN=a, O=b`, values quoted when needed. */
export function formatName(name: Name): string {
  const parts: string[] = [];
  for (let r = name.rdns.length - 1; r >= 0; r--) {
    if (name.rdns[r]!.length === 0) continue;
    parts.push(name.rdns[r]!.map((a) => `${NAME_ATTRIBUTES[a.oid] ?? `OID.${a.oid}`}=${quoteValue(a.value)}`).join(' + '));
  }
  return parts.join(', ');
}

function quoteValue(v: string): string {
  return /[,+="\n\r<>#;]|^\s|\s$/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v;
}

export function commonName(name: Name): string | null {
  for (let r = name.rdns.length - 1; r >= 0; r--) {
    for (const a of name.rdns[r]!) if (a.oid === OID_COMMON_NAME) return a.value;
  }
  return null;
}

function parseAlgorithmIdentifier(der: Uint8Array, tlv: Tlv): { oid: string; params: Tlv | undefined } {
  const parts = children(der, tlv);
  if (tlv.tag !== TAG.SEQUENCE || !parts[0]) throw new DerError('malformed AlgorithmIdentifier', tlv.start);
  return { oid: decodeOid(der, parts[0]), params: parts[1] };
}

export function parsePublicKey(der: Uint8Array, spkiTlv: Tlv): PublicKeyFacts {
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
  } catch {
    // A public key that cannot be decoded keeps bits null; path validation will fail its signature check.
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

const emptySans = (): SubjectAltNames => ({ dns: [], ip: [], uri: [], email: [] });

/** GeneralName tags (RFC 5280 §4.2.1.6), as context-specific tags. */
export const GENERAL_NAME = {
  otherName: contextTag(0, true),
  rfc822Name: contextTag(1, false),
  dNSName: contextTag(2, false),
  directoryName: contextTag(4, true),
  uniformResourceIdentifier: contextTag(6, false),
  iPAddress: contextTag(7, false),
  registeredID: contextTag(8, false),
} as const;

export function parseSans(value: Uint8Array, problems: string[]): SubjectAltNames {
  const out = emptySans();
  const seq = readValue(value);
  if (seq.tag !== TAG.SEQUENCE) throw new DerError('not a SEQUENCE of GeneralName', 0);
  for (const gn of children(value, seq)) {
    switch (gn.tag) {
      case GENERAL_NAME.dNSName:
        out.dns.push(decodeString(value, gn));
        break;
      case GENERAL_NAME.iPAddress: {
        const address = content(value, gn);
        // Kept visible in the facts, and a defect: an address is 4 or 16 bytes.
        if (address.length !== 4 && address.length !== 16) problems.push(`subjectAltName has an iPAddress of ${address.length} bytes`);
        out.ip.push(formatIp(address));
        break;
      }
      case GENERAL_NAME.uniformResourceIdentifier:
        out.uri.push(decodeString(value, gn));
        break;
      case GENERAL_NAME.rfc822Name:
        out.email.push(decodeString(value, gn));
        break;
    }
  }
  return out;
}

function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length === 16) {
    const groups: number[] = [];
    for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
    // RFC 5952: compress the longest run of two or more zero groups.
    let bestStart = -1;
    let bestLen = 0;
    for (let i = 0; i < 8; ) {
      if (groups[i] !== 0) {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && groups[j] === 0) j++;
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    const hex = groups.map((g) => g.toString(16));
    if (bestStart < 0) return hex.join(':');
    return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
  }
  return `invalid(${toHex(bytes)})`;
}

export function parseEku(value: Uint8Array): string[] {
  const seq = readValue(value);
  if (seq.tag !== TAG.SEQUENCE) throw new DerError('not a SEQUENCE of OID', 0);
  const list = children(value, seq);
  if (list.length === 0) throw new DerError('empty extendedKeyUsage', 0);
  return list.map((t) => {
    const oid = decodeOid(value, t);
    return EXTENDED_KEY_USAGES[oid] ?? oid;
  });
}

export function parseKeyUsage(value: Uint8Array): string[] {
  const { bits } = decodeBitString(value, readValue(value));
  const out: string[] = [];
  KEY_USAGE_BITS.forEach((name, bit) => {
    const byte = bits[bit >> 3];
    if (byte !== undefined && byte & (0x80 >> (bit & 7))) out.push(name);
  });
  return out;
}

function parseBasicConstraints(value: Uint8Array): BasicConstraintsFacts {
  const seq = readValue(value);
  if (seq.tag !== TAG.SEQUENCE) throw new DerError('not a SEQUENCE', 0);
  const fields = children(value, seq);
  let i = 0;
  let ca = false;
  if (fields[i]?.tag === TAG.BOOLEAN) {
    ca = decodeBoolean(value, fields[i]!);
    // DER omits a field equal to its DEFAULT: an explicit FALSE is a mis-encoding strict validators refuse.
    if (!ca) throw new DerError('cA FALSE encoded explicitly (DER omits the default)', fields[i]!.start);
    i++;
  }
  let pathLength: number | null = null;
  if (fields[i]?.tag === TAG.INTEGER) pathLength = decodeSmallInt(value, fields[i++]!);
  if (i < fields.length) throw new DerError('unexpected field', fields[i]!.start);
  return { ca, pathLength };
}

function parseCrlDp(value: Uint8Array): string[] {
  const out: string[] = [];
  const seq = readValue(value);
  if (seq.tag !== TAG.SEQUENCE) throw new DerError('not a SEQUENCE of DistributionPoint', 0);
  for (const dp of children(value, seq)) {
    const dpName = children(value, dp).find((t) => t.tag === contextTag(0, true));
    const fullName = dpName && children(value, dpName).find((t) => t.tag === contextTag(0, true));
    if (!fullName) continue;
    for (const gn of children(value, fullName)) {
      if (gn.tag === GENERAL_NAME.uniformResourceIdentifier) out.push(decodeString(value, gn));
    }
  }
  return out;
}

function parseAia(value: Uint8Array): AuthorityInfoAccessFacts {
  const out: AuthorityInfoAccessFacts = { ocsp: [], caIssuers: [] };
  const seq = readValue(value);
  if (seq.tag !== TAG.SEQUENCE) throw new DerError('not a SEQUENCE of AccessDescription', 0);
  for (const ad of children(value, seq)) {
    const [methodTlv, locationTlv] = children(value, ad);
    if (!methodTlv || !locationTlv) throw new DerError('malformed AccessDescription', ad.start);
    const method = decodeOid(value, methodTlv);
    if (locationTlv.tag !== GENERAL_NAME.uniformResourceIdentifier) continue;
    const uri = decodeString(value, locationTlv);
    if (method === OID_AIA_OCSP) out.ocsp.push(uri);
    else if (method === OID_AIA_CA_ISSUERS) out.caIssuers.push(uri);
  }
  return out;
}

function parseSki(value: Uint8Array): string {
  const t = readValue(value);
  if (t.tag !== TAG.OCTET_STRING) throw new DerError('not an OCTET STRING', 0);
  return toHex(content(value, t));
}

function parseAki(value: Uint8Array): string | null {
  const seq = readValue(value);
  if (seq.tag !== TAG.SEQUENCE) throw new DerError('not a SEQUENCE', 0);
  const keyId = children(value, seq).find((t) => t.tag === contextTag(0, false));
  return keyId ? toHex(content(value, keyId)) : null;
}

/** An extension's value: exactly one TLV, nothing after it. */
function readValue(value: Uint8Array): Tlv {
  const tlv = readTlv(value, 0);
  if (tlv.end !== value.length) throw new DerError('trailing bytes after the value', tlv.end);
  return tlv;
}

/** A certificate's thumbprint: SHA-1 of its DER, upper-case hex, as Windows and Get-CsCertificate show it. */
export const thumbprintOf = (der: Uint8Array): string => hash('sha1', der, 'hex').toUpperCase();

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
