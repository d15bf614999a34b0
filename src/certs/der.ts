import { printable } from '../errors.js';

/**
 * A minimal, bounds-checked DER reader.
 *
 * Why not asn1js or @peculiar/asn1-schema: asn1js 4.0.0 alone parses a certificate about four times
 * slower than Node's native X509Certificate reads it (docs/dependencies.md, 2026-12-05), and the
 * throughput goal (docs/performance.md) is half of native while extracting every fact. Reading DER is a small,
 * well-specified job (X.690 §8.1, §10); this does only that: every length is checked against its
 * parent, only BER's indefinite lengths recurse (at most 64 deep), and every failure is a DerError with the offset.
 */

export class DerError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'DerError';
  }
}

/**
 * One tag-length-value. `start` is the tag's offset; content is bytes[contentStart, end); the next
 * TLV starts at `next` (after the end-of-contents octets of a BER indefinite length, else at `end`).
 */
export interface Tlv {
  /** Class and constructed bits with the tag number, for tag numbers below 31 (the only ones X.509 uses). */
  tag: number;
  start: number;
  contentStart: number;
  end: number;
  next: number;
}

/** Deepest nesting of BER indefinite lengths accepted: real files use three or four. */
const MAX_INDEFINITE_DEPTH = 64;

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tag `[n]`, constructed or primitive. */
export const contextTag = (n: number, constructed: boolean): number => (constructed ? 0xa0 : 0x80) | n;

/**
 * Reads the TLV at `offset`, which must end at or before `limit`. With `ber`, constructed values may
 * use indefinite lengths, as some PKCS #7 and PKCS #12 writers do; certificates themselves are DER.
 */
export function readTlv(bytes: Uint8Array, offset: number, limit: number = bytes.length, ber = false, depth = 0): Tlv {
  if (offset >= limit) throw new DerError('unexpected end of data', offset);
  const tag = bytes[offset]!;
  let pos = offset + 1;
  if ((tag & 0x1f) === 0x1f) {
    // High tag numbers never occur in the structures read here; skip them as opaque.
    do {
      if (pos >= limit) throw new DerError('truncated tag', offset);
    } while (bytes[pos++]! & 0x80);
  }
  if (pos >= limit) throw new DerError('truncated length', offset);
  let length = bytes[pos++]!;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0) {
      if (!ber) throw new DerError('indefinite length (BER, not DER)', offset);
      return readIndefinite(bytes, offset, tag, pos, limit, depth);
    }
    if (count > 4) throw new DerError('length too large', offset);
    if (pos + count > limit) throw new DerError('truncated length', offset);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[pos++]!;
  }
  const end = pos + length;
  if (end > limit) {
    // Past the end of the data itself rather than of an enclosing value: the file was cut short.
    const missing = end - limit;
    if (limit === bytes.length) throw new DerError(`truncated, ${missing} byte${missing === 1 ? '' : 's'} missing`, offset);
    throw new DerError('length points past the end of its container', offset);
  }
  return { tag, start: offset, contentStart: pos, end, next: end };
}

function readIndefinite(bytes: Uint8Array, start: number, tag: number, contentStart: number, limit: number, depth: number): Tlv {
  if (!(tag & 0x20)) throw new DerError('indefinite length on a primitive value', start);
  if (depth >= MAX_INDEFINITE_DEPTH) throw new DerError('indefinite lengths nested too deeply', start);
  let pos = contentStart;
  for (;;) {
    if (pos + 2 <= limit && bytes[pos] === 0 && bytes[pos + 1] === 0) {
      return { tag, start, contentStart, end: pos, next: pos + 2 };
    }
    pos = readTlv(bytes, pos, limit, true, depth + 1).next;
  }
}

/**
 * The TLVs directly inside a constructed TLV, in order; only the first `max`, for a caller that needs no
 * more (a crafted file may hold millions, each an object in memory).
 */
export function children(bytes: Uint8Array, parent: Tlv, ber = false, max = Infinity): Tlv[] {
  const out: Tlv[] = [];
  let pos = parent.contentStart;
  while (pos < parent.end && out.length < max) {
    const child = readTlv(bytes, pos, parent.end, ber);
    out.push(child);
    pos = child.next;
  }
  return out;
}

/** Reads a TLV and checks its tag. */
export function expectTlv(bytes: Uint8Array, offset: number, limit: number, tag: number, what: string): Tlv {
  const tlv = readTlv(bytes, offset, limit);
  if (tlv.tag !== tag) {
    throw new DerError(`${what}: expected tag 0x${hex2(tag)}, found 0x${hex2(tlv.tag)}`, offset);
  }
  return tlv;
}

export const content = (bytes: Uint8Array, tlv: Tlv): Uint8Array => bytes.subarray(tlv.contentStart, tlv.end);
export const whole = (bytes: Uint8Array, tlv: Tlv): Uint8Array => bytes.subarray(tlv.start, tlv.end);

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

const HEX = Array.from({ length: 256 }, (_, i) => hex2(i).toUpperCase());

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s;
}

export function decodeOid(bytes: Uint8Array, tlv: Tlv): string {
  if (tlv.tag !== TAG.OID) throw new DerError('expected an OBJECT IDENTIFIER', tlv.start);
  const len = tlv.end - tlv.contentStart;
  if (len === 0) throw new DerError('empty OBJECT IDENTIFIER', tlv.start);
  const parts: number[] = [];
  let value = 0;
  let first = true;
  for (let i = tlv.contentStart; i < tlv.end; i++) {
    const b = bytes[i]!;
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OBJECT IDENTIFIER arc too large', tlv.start);
    if (b & 0x80) continue;
    if (first) {
      const top = value < 40 ? 0 : value < 80 ? 1 : 2;
      parts.push(top, value - top * 40);
      first = false;
    } else {
      parts.push(value);
    }
    value = 0;
  }
  if (bytes[tlv.end - 1]! & 0x80) throw new DerError('truncated OBJECT IDENTIFIER', tlv.start);
  return parts.join('.');
}

/** A small non-negative INTEGER (pathLenConstraint, version). */
export function decodeSmallInt(bytes: Uint8Array, tlv: Tlv): number {
  if (tlv.tag !== TAG.INTEGER) throw new DerError('expected an INTEGER', tlv.start);
  const len = tlv.end - tlv.contentStart;
  if (len === 0) throw new DerError('empty INTEGER', tlv.start);
  if (len > 6) throw new DerError('INTEGER too large', tlv.start);
  if (bytes[tlv.contentStart]! & 0x80) throw new DerError('negative INTEGER', tlv.start);
  let v = 0;
  for (let i = tlv.contentStart; i < tlv.end; i++) v = v * 256 + bytes[i]!;
  return v;
}

export function decodeBoolean(bytes: Uint8Array, tlv: Tlv): boolean {
  if (tlv.tag !== TAG.BOOLEAN || tlv.end - tlv.contentStart !== 1) {
    throw new DerError('malformed BOOLEAN', tlv.start);
  }
  return bytes[tlv.contentStart] !== 0;
}

/** BIT STRING content without its unused-bits byte, and the count of unused bits. */
export function decodeBitString(bytes: Uint8Array, tlv: Tlv): { bits: Uint8Array; unused: number } {
  if (tlv.tag !== TAG.BIT_STRING) throw new DerError('expected a BIT STRING', tlv.start);
  if (tlv.end === tlv.contentStart) throw new DerError('empty BIT STRING', tlv.start);
  const unused = bytes[tlv.contentStart]!;
  if (unused > 7) throw new DerError('BIT STRING with more than 7 unused bits', tlv.start);
  return { bits: bytes.subarray(tlv.contentStart + 1, tlv.end), unused };
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: false });
const utf16be = new TextDecoder('utf-16be', { fatal: false });

/** Any of the ASN.1 string types that appear in names and GeneralNames, as a JS string. */
export function decodeString(bytes: Uint8Array, tlv: Tlv): string {
  const raw = content(bytes, tlv);
  switch (tlv.tag) {
    case TAG.UTF8_STRING:
      return utf8.decode(raw);
    case TAG.BMP_STRING:
      return utf16be.decode(raw);
    case TAG.UNIVERSAL_STRING: {
      let s = '';
      for (let i = 0; i + 3 < raw.length; i += 4) {
        const cp = ((raw[i]! << 24) | (raw[i + 1]! << 16) | (raw[i + 2]! << 8) | raw[i + 3]!) >>> 0;
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return s;
    }
    default:
      // PrintableString, IA5String, VisibleString, TeletexString (read as Latin-1, as OpenSSL does),
      // and the implicitly tagged IA5Strings of GeneralName.
      return latin1.decode(raw);
  }
}

/**
 * UTCTime or GeneralizedTime as an ISO 8601 UTC string (seconds precision). RFC 5280 requires
 * `YYMMDDHHMMSSZ` / `YYYYMMDDHHMMSSZ`; X.680 also allows missing seconds and UTC offsets, which real
 * certificates carry: those are read, converted to UTC, and reported through `lax`.
 */
export function decodeTime(bytes: Uint8Array, tlv: Tlv, lax?: (message: string) => void): string {
  const s = latin1.decode(content(bytes, tlv));
  const kind = tlv.tag === TAG.UTC_TIME ? 'UTCTime' : tlv.tag === TAG.GENERALIZED_TIME ? 'GeneralizedTime' : null;
  if (!kind) throw new DerError('expected a UTCTime or GeneralizedTime', tlv.start);
  const m =
    kind === 'UTCTime'
      ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(Z|[+-]\d{4})$/.exec(s)
      : /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(?:\.\d+)?(Z|[+-]\d{4})$/.exec(s);
  if (!m) throw new DerError(`malformed ${kind} "${printable(s)}"`, tlv.start);
  let year = Number(m[1]);
  // RFC 5280 §4.1.2.5.1: a two-digit year of 50 or more is 19YY.
  if (kind === 'UTCTime') year += year >= 50 ? 1900 : 2000;
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6] ?? '00'].map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    throw new DerError(`${kind} out of range "${printable(s)}"`, tlv.start);
  }
  // Date.UTC maps years below 100 to 19YY; setUTCFullYear does not.
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year);
  let ms = date.getTime();
  const zone = m[7]!;
  if (zone !== 'Z') {
    const offset = (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000;
    ms -= zone[0] === '+' ? offset : -offset;
  }
  if (zone !== 'Z' || m[6] === undefined || s.includes('.')) lax?.(`${kind} "${printable(s)}" is not in the form RFC 5280 requires`);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
