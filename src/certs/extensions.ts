/**
 * Parsers of extension values (the DER inside extnValue), one per extension: the facts and path
 * validation both read these, so that a certificate means the same to every consumer. Each throws
 * DerError on content that does not follow its ASN.1 definition; the caller records the defect.
 */
import {
  children,
  content,
  contextTag,
  decodeBitString,
  decodeBoolean,
  decodeOid,
  decodeSmallInt,
  decodeString,
  DerError,
  readTlv,
  TAG,
  toHex,
  type Tlv,
} from './der.js';
import type { AuthorityInfoAccessFacts, BasicConstraintsFacts, SubjectAltNames } from './facts.js';
import { parseName, type Name } from './name.js';
import { EXTENDED_KEY_USAGES, KEY_USAGE_BITS, OID_AIA_CA_ISSUERS, OID_AIA_OCSP } from './oids.js';

/** GeneralName tags (RFC 5280 §4.2.1.6), as context-specific tags. */
export const GENERAL_NAME = {
  otherName: contextTag(0, true),
  rfc822Name: contextTag(1, false),
  dNSName: contextTag(2, false),
  x400Address: contextTag(3, true),
  directoryName: contextTag(4, true),
  ediPartyName: contextTag(5, true),
  uniformResourceIdentifier: contextTag(6, false),
  iPAddress: contextTag(7, false),
  registeredID: contextTag(8, false),
} as const;

export type GeneralName =
  | { type: 'dns'; value: string }
  | { type: 'email'; value: string }
  | { type: 'uri'; value: string }
  /** 4 or 16 bytes in a name; address then mask (8 or 32 bytes) in a constraint. Other lengths are kept to be refused. */
  | { type: 'ip'; bytes: Uint8Array }
  | { type: 'dn'; name: Name }
  /** otherName, x400Address, ediPartyName, registeredID: forms this validator does not compare. */
  | { type: 'other'; form: string };

const OTHER_FORMS: Record<number, string> = {
  [GENERAL_NAME.otherName]: 'otherName',
  [GENERAL_NAME.x400Address]: 'x400Address',
  [GENERAL_NAME.ediPartyName]: 'ediPartyName',
  [GENERAL_NAME.registeredID]: 'registeredID',
};

/** One GeneralName; a tag RFC 5280 does not define is malformed. */
export function parseGeneralName(bytes: Uint8Array, tlv: Tlv): GeneralName {
  switch (tlv.tag) {
    case GENERAL_NAME.dNSName:
      return { type: 'dns', value: decodeString(bytes, tlv) };
    case GENERAL_NAME.rfc822Name:
      return { type: 'email', value: decodeString(bytes, tlv) };
    case GENERAL_NAME.uniformResourceIdentifier:
      return { type: 'uri', value: decodeString(bytes, tlv) };
    case GENERAL_NAME.iPAddress:
      return { type: 'ip', bytes: content(bytes, tlv) };
    case GENERAL_NAME.directoryName: {
      const inner = children(bytes, tlv);
      if (inner.length !== 1) throw new DerError('malformed directoryName', tlv.start);
      return { type: 'dn', name: parseName(bytes, inner[0]!) };
    }
  }
  const form = OTHER_FORMS[tlv.tag];
  if (!form) throw new DerError(`unknown GeneralName tag 0x${tlv.tag.toString(16)}`, tlv.start);
  return { type: 'other', form };
}

/** The outer TLV of an extension value, which must fill it exactly. */
export function outer(value: Uint8Array, tag: number, what: string): Tlv {
  const tlv = readTlv(value, 0);
  if (tlv.tag !== tag || tlv.end !== value.length) throw new DerError(`${what} is not a single ${TAG_NAMES[tag] ?? 'value'}`, 0);
  return tlv;
}

const TAG_NAMES: Record<number, string> = {
  [TAG.SEQUENCE]: 'SEQUENCE',
  [TAG.OCTET_STRING]: 'OCTET STRING',
  [TAG.BIT_STRING]: 'BIT STRING',
};

/** subjectAltName / GeneralNames: a non-empty SEQUENCE OF GeneralName. */
export function parseGeneralNames(value: Uint8Array): GeneralName[] {
  const names = children(value, outer(value, TAG.SEQUENCE, 'GeneralNames')).map((t) => parseGeneralName(value, t));
  if (names.length === 0) throw new DerError('empty GeneralNames', 0);
  return names;
}

/**
 * The subjectAltName facts: the forms a TLS client and Lync look at, in encoded order. An iPAddress
 * of another length than 4 or 16 bytes is kept visible, as `invalid(hex)`, and is a defect.
 */
export function subjectAltNameFacts(names: GeneralName[], problems: string[]): SubjectAltNames {
  const out = emptySubjectAltNames();
  for (const name of names) {
    switch (name.type) {
      case 'dns':
        out.dns.push(name.value);
        break;
      case 'email':
        out.email.push(name.value);
        break;
      case 'uri':
        out.uri.push(name.value);
        break;
      case 'ip':
        if (name.bytes.length !== 4 && name.bytes.length !== 16) problems.push(`subjectAltName has an iPAddress of ${name.bytes.length} bytes`);
        out.ip.push(formatIp(name.bytes));
        break;
    }
  }
  return out;
}

export const emptySubjectAltNames = (): SubjectAltNames => ({ dns: [], ip: [], uri: [], email: [] });

/** IPv4 dotted, IPv6 as RFC 5952 writes it (lower case, longest zero run compressed). */
export function formatIp(bytes: Uint8Array): string {
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

export interface AuthorityKeyId {
  /** Upper-case hex, null when the keyIdentifier field is absent. */
  keyId: string | null;
  hasIssuer: boolean;
  hasSerial: boolean;
}

/** authorityKeyIdentifier (RFC 5280 §4.2.1.1): only its three fields. */
export function parseAuthorityKeyId(value: Uint8Array): AuthorityKeyId {
  const result: AuthorityKeyId = { keyId: null, hasIssuer: false, hasSerial: false };
  for (const field of children(value, outer(value, TAG.SEQUENCE, 'AuthorityKeyIdentifier'))) {
    if (field.tag === contextTag(0, false)) result.keyId = toHex(content(value, field));
    else if (field.tag === contextTag(1, true)) result.hasIssuer = true;
    else if (field.tag === contextTag(2, false)) result.hasSerial = true;
    else throw new DerError('unexpected field in AuthorityKeyIdentifier', field.start);
  }
  return result;
}

/**
 * extendedKeyUsage: names (`serverAuth`) or dotted OIDs. RFC 5280 requires one purpose or more; an
 * empty sequence is a defect and stays `[]`, which permits no purpose (unlike an absent extension).
 */
export function parseExtendedKeyUsage(value: Uint8Array, problems: string[]): string[] {
  const list = children(value, outer(value, TAG.SEQUENCE, 'ExtKeyUsageSyntax'));
  if (list.length === 0) problems.push('extendedKeyUsage is an empty sequence: it permits no purpose (RFC 5280 §4.2.1.12 requires one or more)');
  return list.map((t) => {
    const oid = decodeOid(value, t);
    return EXTENDED_KEY_USAGES[oid] ?? oid;
  });
}

export function parseKeyUsage(value: Uint8Array): string[] {
  const { bits } = decodeBitString(value, outer(value, TAG.BIT_STRING, 'KeyUsage'));
  const out: string[] = [];
  KEY_USAGE_BITS.forEach((name, bit) => {
    const byte = bits[bit >> 3];
    if (byte !== undefined && byte & (0x80 >> (bit & 7))) out.push(name);
  });
  return out;
}

export function parseBasicConstraints(value: Uint8Array): BasicConstraintsFacts {
  const fields = children(value, outer(value, TAG.SEQUENCE, 'BasicConstraints'));
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

/** The URIs of every distribution point's fullName (the form CryptoAPI and Lync fetch). */
export function parseCrlDistributionPoints(value: Uint8Array): string[] {
  const out: string[] = [];
  for (const dp of children(value, outer(value, TAG.SEQUENCE, 'CRLDistributionPoints'))) {
    const dpName = children(value, dp).find((t) => t.tag === contextTag(0, true));
    const fullName = dpName && children(value, dpName).find((t) => t.tag === contextTag(0, true));
    if (!fullName) continue;
    for (const gn of children(value, fullName)) {
      if (gn.tag === GENERAL_NAME.uniformResourceIdentifier) out.push(decodeString(value, gn));
    }
  }
  return out;
}

export function parseAuthorityInfoAccess(value: Uint8Array): AuthorityInfoAccessFacts {
  const out: AuthorityInfoAccessFacts = { ocsp: [], caIssuers: [] };
  for (const ad of children(value, outer(value, TAG.SEQUENCE, 'AuthorityInfoAccessSyntax'))) {
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

export const parseSubjectKeyId = (value: Uint8Array): string => toHex(content(value, outer(value, TAG.OCTET_STRING, 'SubjectKeyIdentifier')));

/** String types a template name may be written in: Windows writes a BMPString. */
const STRING_TAGS = new Set<number>([TAG.BMP_STRING, TAG.UTF8_STRING, TAG.PRINTABLE_STRING, TAG.IA5_STRING, TAG.VISIBLE_STRING, TAG.UNIVERSAL_STRING, TAG.T61_STRING]);

/** Microsoft's certificate template name (1.3.6.1.4.1.311.20.2), written by version 1 templates: a BMPString such as `WebServer`. */
export function parseTemplateName(value: Uint8Array): string {
  const tlv = readTlv(value, 0);
  if (tlv.end !== value.length || !STRING_TAGS.has(tlv.tag)) throw new DerError('the template name is not a single string', 0);
  return decodeString(value, tlv);
}

/**
 * Microsoft's certificate template information (1.3.6.1.4.1.311.21.7), written by version 2 and later
 * templates: SEQUENCE { templateID OID, templateMajorVersion INTEGER, templateMinorVersion INTEGER OPTIONAL }
 * ([MS-WCCE] 2.2.2.7.7.2; the versions are 0 to 4294967295).
 */
export function parseTemplateInformation(value: Uint8Array): { oid: string; majorVersion: number; minorVersion?: number } {
  const [id, major, minor, ...rest] = children(value, outer(value, TAG.SEQUENCE, 'CertificateTemplate'));
  if (!id || !major || rest.length > 0) throw new DerError('a CertificateTemplate holds an OID and one or two versions', 0);
  const version = (tlv: Tlv) => {
    const v = decodeSmallInt(value, tlv);
    if (v > 0xffffffff) throw new DerError('template version beyond 4294967295', tlv.start);
    return v;
  };
  return { oid: decodeOid(value, id), majorVersion: version(major), ...(minor && { minorVersion: version(minor) }) };
}
