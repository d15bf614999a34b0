import { describe, expect, it } from 'vitest';
import { decodeOid, decodeString, decodeTime, DerError, readTlv, type Tlv } from '../../src/certs/der.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
/** A TLV with a short-form length around `text`, for the string and time decoders. */
const tlv = (tag: number, body: Uint8Array) => Uint8Array.of(tag, body.length, ...body);
const ascii = (s: string) => new TextEncoder().encode(s);
const derError = (read: () => unknown) => {
  try {
    read();
  } catch (e) {
    if (e instanceof DerError) return e.message;
    throw e;
  }
  throw new Error('no DerError');
};

describe('readTlv', () => {
  it.each<[string, string, boolean, Partial<Tlv>]>([
    ['short length', '02 01 05', false, { tag: 0x02, contentStart: 2, end: 3, next: 3 }],
    ['long length', `04 81 80 ${'00'.repeat(128)}`, false, { tag: 0x04, contentStart: 3, end: 131, next: 131 }],
    ['BER indefinite length, end-of-contents after', '30 80 02 01 05 00 00', true, { tag: 0x30, contentStart: 2, end: 5, next: 7 }],
  ])('%s', (_, bytes, ber, expected) => {
    expect(readTlv(hex(bytes), 0, undefined, ber)).toMatchObject(expected);
  });

  it.each([
    ['nothing', '', false, 'unexpected end of data'],
    ['a tag alone', '30', false, 'truncated length'],
    ['a value cut short: the file ends first', '30 03 02 01', false, 'truncated, 1 byte missing'],
    ['a length past a container that ends before the data does', '30 03 04 05 00 00 00 00 00 00', false, 'length points past the end of its container'],
    ['five length octets', '30 85 01 02 03 04 05', false, 'length too large'],
    ['an indefinite length in DER', '30 80 00 00', false, 'indefinite length (BER, not DER)'],
    ['an indefinite length on a primitive', '04 80 00 00', true, 'indefinite length on a primitive value'],
    ['indefinite lengths nested deeper than any real file', `${'30 80 '.repeat(65)}${'00 00 '.repeat(65)}`, true, 'indefinite lengths nested too deeply'],
  ])('refuses %s', (_, bytes, ber, message) => {
    const data = hex(bytes);
    expect(
      derError(() => {
        const outer = readTlv(data, 0, data.length, ber);
        // The nested case: the container is read, then what is inside it.
        if (outer.end < data.length) readTlv(data, outer.contentStart, outer.end, ber);
      }),
    ).toBe(message);
  });
});

describe('decodeOid', () => {
  it.each([
    ['06 03 55 1d 11', '2.5.29.17'],
    ['06 06 2a 86 48 86 f7 0d', '1.2.840.113549'],
    ['06 03 88 37 03', '2.999.3'],
  ])('%s is %s', (bytes, oid) => {
    const data = hex(bytes);
    expect(decodeOid(data, readTlv(data, 0))).toBe(oid);
  });

  it('refuses a last arc cut short', () => {
    const data = hex('06 02 2a 86');
    expect(derError(() => decodeOid(data, readTlv(data, 0)))).toBe('truncated OBJECT IDENTIFIER');
  });
});

describe('decodeTime', () => {
  const UTC = 0x17;
  const GENERALIZED = 0x18;
  it.each<[string, number, string, string, boolean]>([
    ['UTCTime 49 is 2049', UTC, '491231235959Z', '2049-12-31T23:59:59Z', false],
    ['UTCTime 50 is 1950 (RFC 5280)', UTC, '500101000000Z', '1950-01-01T00:00:00Z', false],
    ['GeneralizedTime', GENERALIZED, '20991231235959Z', '2099-12-31T23:59:59Z', false],
    ['a year below 100', GENERALIZED, '00050101000000Z', '0005-01-01T00:00:00Z', false],
    ['no seconds (X.680 allows, RFC 5280 does not)', UTC, '2401010000Z', '2024-01-01T00:00:00Z', true],
    ['a UTC offset, converted to UTC', UTC, '240101000000+0100', '2023-12-31T23:00:00Z', true],
    ['fractional seconds', GENERALIZED, '20240101000000.5Z', '2024-01-01T00:00:00Z', true],
  ])('%s', (_, tag, text, iso, lax) => {
    const data = tlv(tag, ascii(text));
    const notes: string[] = [];
    expect(decodeTime(data, readTlv(data, 0), (m) => notes.push(m))).toBe(iso);
    expect(notes.length > 0).toBe(lax);
  });

  it('refuses a month 13', () => {
    const data = tlv(UTC, ascii('241301000000Z'));
    expect(derError(() => decodeTime(data, readTlv(data, 0)))).toBe('UTCTime out of range "241301000000Z"');
  });
});

describe('decodeString', () => {
  it.each([
    ['BMPString', '1e 04 00 5a 00 fc', 'Zü'],
    ['UniversalString', '1c 04 00 00 00 41', 'A'],
    ['UTF8String', '0c 02 c3 bc', 'ü'],
    ['TeletexString, read as Latin-1 as OpenSSL does', '14 01 fc', 'ü'],
  ])('%s', (_, bytes, text) => {
    const data = hex(bytes);
    expect(decodeString(data, readTlv(data, 0))).toBe(text);
  });
});
