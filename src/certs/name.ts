/** Distinguished names (RFC 5280 §4.1.2.4): reading, comparing and writing them as Windows does. */
import { children, decodeOid, decodeString, DerError, TAG, whole, type Tlv } from './der.js';
import { NAME_ATTRIBUTES, OID_COMMON_NAME } from './oids.js';

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

/** The most specific commonName, or null. */
export function commonName(name: Name): string | null {
  for (let r = name.rdns.length - 1; r >= 0; r--) {
    for (const a of name.rdns[r]!) if (a.oid === OID_COMMON_NAME) return a.value;
  }
  return null;
}
