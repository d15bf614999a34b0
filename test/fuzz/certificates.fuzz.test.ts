import { closeSync, existsSync, ftruncateSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPemBlocks } from '../../src/certs/pem.js';
import { readPkcs12 } from '../../src/certs/pkcs12.js';
import { readCertificateBytes, readCertificateFile } from '../../src/certs/read.js';
import { InputError } from '../../src/errors.js';
import { expectRobust, fuzz, judge, runs, vagueness, type Reader } from './harness.js';
import { bytesOf, derTree, filesIn, junk, mutated, mutatedText, nestedSequences, ROOT, tlv } from './inputs.js';
import { HANG_BUDGET_MS } from '../hang-budget.js';

/** The name each case is read under: every error must carry it. */
const FILE = 'fuzzed-input';

interface CertificateCase {
  bytes: Uint8Array;
  password?: string;
}

/** readCertificateBytes, whose contract is to return errors, never to throw; the facts must serialise (inspect prints them). */
function certificateReader(name: string, cases: fc.Arbitrary<CertificateCase>, boundMs?: number): Reader<CertificateCase> {
  return {
    name,
    cases,
    throws: false,
    file: () => FILE,
    bytes: (c) => c.bytes,
    read: (c) => {
      const result = readCertificateBytes(c.bytes, FILE, c.password === undefined ? {} : { password: c.password });
      JSON.stringify(result.certificates.map((cert) => cert.facts));
      return result.errors;
    },
    ...(boundMs !== undefined && { boundMs }),
  };
}

const plain = (arbitrary: fc.Arbitrary<Uint8Array>) => arbitrary.map((bytes): CertificateCase => ({ bytes }));

const pemFiles = [...filesIn('fixtures/certs/files', /\.(pem|txt|req)$/), ...filesIn('fixtures/rules', /\.pem$/), ...filesIn('test/snapshot/fixtures/certs', /\.pem$/)];
const derFiles = [...filesIn('fixtures/certs/files', /\.(cer|der|crt)$/), ...filesIn('examples/contoso/certs', /\.cer$/)];
const pkcs7Files = [...filesIn('fixtures/certs/files', /\.p7b$/), ...filesIn('examples', /\.p7b$/), ...filesIn('test/snapshot/fixtures/certs', /\.p7b$/)];

/** Fragments a hostile or damaged PEM file holds. */
const PEM_DICTIONARY = [
  '-----BEGIN CERTIFICATE-----\n',
  '-----END CERTIFICATE-----\n',
  '-----BEGIN PKCS7-----\n',
  '-----BEGIN TRUSTED CERTIFICATE-----\n',
  '-----END X509 CRL-----',
  '-----BEGIN ',
  '-----END ',
  '-----',
  'Proc-Type: 4,ENCRYPTED\n',
  '\r\n',
  '\ufeff',
  '==',
  '\u0000',
  '\u001b[2J',
  'MIIB',
  'A'.repeat(200),
];

/** DER fragments: lengths that overflow or point past the end, indefinite lengths, odd strings and times. */
const DER_DICTIONARY = [
  [0x30, 0x80],
  [0x00, 0x00],
  [0x84, 0xff, 0xff, 0xff, 0xff],
  [0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [0x30, 0x82, 0xff, 0xff],
  [0x1f, 0xff, 0xff, 0xff, 0x7f],
  [0x06, 0x00],
  [0x06, 0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
  [0x02, 0x00],
  [0x03, 0x00],
  [0x03, 0x01, 0x08],
  [0x01, 0x02, 0xff, 0xff],
  [0x17, 0x00],
  [0x18, 0x0f, ...Buffer.from('99991231235960Z')],
  [0x17, 0x11, ...Buffer.from('4912312359+2359')],
  [0x0c, 0x03, 0xed, 0xa0, 0x80],
  [0x1e, 0x01, 0x41],
  [0x1c, 0x04, 0x7f, 0xff, 0xff, 0xff],
  [0xa3, 0x80, 0x30, 0x80],
].map((b) => Uint8Array.from(b));

const derSeeds = [...derFiles.map(bytesOf), ...filesIn('fixtures/rules', /\.pem$/).map((p) => Buffer.from(findPemBlocks(readFileSync(p, 'utf8'))[0]!.base64, 'base64'))];
/** A SEQUENCE of the generated tree, so that the readers look past the first byte. */
const wrapped = derTree.map((tree) => tlv(0x30, tree));

const readers = {
  pem: certificateReader('PEM', plain(fc.oneof({ weight: 6, arbitrary: mutatedText(pemFiles.map((p) => readFileSync(p, 'latin1')), PEM_DICTIONARY) }, { weight: 1, arbitrary: junk }))),
  der: certificateReader(
    'DER',
    plain(fc.oneof({ weight: 5, arbitrary: mutated(derSeeds, DER_DICTIONARY) }, { weight: 2, arbitrary: wrapped }, { weight: 1, arbitrary: derTree }, { weight: 1, arbitrary: junk })),
  ),
  pkcs7: certificateReader(
    'PKCS #7',
    plain(
      fc.oneof(
        { weight: 5, arbitrary: mutated(pkcs7Files.map(bytesOf), DER_DICTIONARY) },
        // SignedData around generated certificates: the reader's own path through a container.
        { weight: 2, arbitrary: fc.array(wrapped, { maxLength: 4 }).map((certs) => signedDataOf(Buffer.concat(certs))) },
      ),
    ),
  ),
  pkcs12: certificateReader(
    'PKCS #12',
    fc.constantFrom(...pkcs12Seeds()).chain((seed) =>
      fc.record({
        bytes: mutated([seed.bytes], DER_DICTIONARY, 4),
        password: fc.constantFrom(seed.password, undefined, 'wrong', ''),
      }),
    ),
    // Key derivation is the cost, bounded by the reader's own work limit (MAX_WORK in pkcs12.ts): about 10 s.
    15_000,
  ),
};

/** A PKCS #7 SignedData whose certificates field holds `certs`, as they are. */
function signedDataOf(certs: Uint8Array): Uint8Array {
  const oid = Uint8Array.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]);
  const set = tlv(0xa0, certs);
  const content = tlv(0x30, Buffer.concat([Uint8Array.of(0x02, 0x01, 0x01), Uint8Array.of(0x31, 0x00), Uint8Array.of(0x30, 0x02, 0x06, 0x00), set, Uint8Array.of(0x31, 0x00)]));
  return tlv(0x30, Buffer.concat([oid, tlv(0xa0, content)]));
}

/** The PKCS #12 fixtures with their passwords (java-legacy.p12 left out: its 50,000 iterations cost half a second a case). */
function pkcs12Seeds(): CertificateCase[] {
  const expected: Array<{ file: string; password: string }> = JSON.parse(readFileSync(join(ROOT, 'fixtures/pkcs12/expected.json'), 'utf8')).fixtures;
  return [
    ...expected.filter((f) => f.file !== 'java-legacy.p12').map((f) => ({ bytes: bytesOf(join(ROOT, 'fixtures/pkcs12', f.file)), password: f.password })),
    ...filesIn('examples/contoso/edge', /\.pfx$/).map((p) => ({ bytes: bytesOf(p), password: 'contoso' })),
  ];
}

describe('fuzzing the certificate readers: facts or a clear error naming the file, nothing else', () => {
  it('PEM', () => expectRobust(fuzz(readers.pem, runs(400))));
  it('DER', () => expectRobust(fuzz(readers.der, runs(600))));
  it('PKCS #7', () => expectRobust(fuzz(readers.pkcs7, runs(300))));
  it('PKCS #12', () => expectRobust(fuzz(readers.pkcs12, runs(120))));
});

describe('hostile certificate files, each refused with a clear error at once', () => {
  const clearly = (bytes: Uint8Array, password?: string) => {
    const started = performance.now();
    const verdict = judge(certificateReader('case', fc.constant({ bytes })), { bytes, ...(password !== undefined && { password }) });
    expect(verdict.outcome, verdict.detail).toBe('error');
    expect(performance.now() - started).toBeLessThan(HANG_BUDGET_MS);
    return readCertificateBytes(bytes, FILE, password === undefined ? {} : { password }).errors.map((e) => e.message);
  };

  it('100,000 nested SEQUENCEs of indefinite length', () => {
    expect(clearly(nestedSequences(100_000, true))).toEqual(['damaged file at byte 128: indefinite lengths nested too deeply']);
  });

  it('100,000 nested SEQUENCEs of definite length', () => {
    expect(clearly(nestedSequences(100_000, false))).toEqual(['not a certificate: this is an unrecognised DER structure (not a certificate, PKCS #7 or PKCS #12)']);
  });

  it.each([
    ['a length of 2^32 - 1', [0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01]],
    ['a length in nine octets', [0x30, 0x89, 1, 0, 0, 0, 0, 0, 0, 0, 0]],
    ['a length past the end', [0x30, 0x82, 0x10, 0x00, 0x30, 0x03, 0x02, 0x01, 0x01]],
    ['a child longer than its parent', [0x30, 0x03, 0x30, 0x7f, 0x00]],
    ['an indefinite length without end-of-contents', [0x30, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01]],
    ['an indefinite length on a primitive', [0x30, 0x80, 0x04, 0x80, 0x00, 0x00]],
    ['a truncated high tag number', [0x30, 0x02, 0x1f, 0xff]],
  ])('%s', (_, bytes) => {
    const [message] = clearly(Uint8Array.from(bytes));
    expect(message).toMatch(/^(damaged file|not a certificate)/);
  });

  /** `count` copies of `part` inside a SEQUENCE: 16 MB of tiny values, each once an object in memory. */
  const many = (part: number[], count: number, wrap = (inner: Uint8Array) => tlv(0x30, inner)) => {
    const inner = new Uint8Array(part.length * count);
    for (let i = 0; i < count; i++) inner.set(part, i * part.length);
    return wrap(inner);
  };

  it('a SEQUENCE of 8 million NULLs is told apart by its first fields (at 64 MB: 42 s and 3.3 GB)', () => {
    expect(clearly(many([0x05, 0x00], 8_000_000))).toEqual(['not a certificate: this is an unrecognised DER structure (not a certificate, PKCS #7 or PKCS #12)']);
  });

  it('a PKCS #7 file of 8 million empty certificates stops at 100 errors (it ran 5 minutes, then out of memory)', () => {
    const messages = clearly(many([0x30, 0x00], 8_000_000, signedDataOf));
    expect(messages).toHaveLength(101);
    expect(messages.at(-1)).toBe('more than 100 errors: the rest of the file is not read');
  });

  it('a PEM file of 300,000 empty blocks stops at 100 errors (at 64 MB: 2.2 GB of errors)', () => {
    const messages = clearly(Buffer.from('-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n'.repeat(300_000)));
    expect(messages.at(-1)).toBe('more than 100 errors: the rest of the file is not read');
  });

  it('a PKCS #7 file of more certificates than the limit: those up to it read, the rest reported as left out', () => {
    const cert = bytesOf(join(ROOT, 'examples/contoso/certs/fe01.cer'));
    const result = readCertificateBytes(many([...cert], 1_001, signedDataOf), FILE, { maxCertificates: 1_000 });
    expect(result.certificates).toHaveLength(1_000);
    expect(result.errors.map((e) => e.message)).toEqual(['more than 1,000 certificates: the rest of the file is not read']);
  });

  it('PEM: a million BEGIN lines without an END take linear time (was quadratic: hours)', () => {
    expect(clearly(Buffer.from('-----BEGIN CERTIFICATE-----\n'.repeat(1_000_000)))).toEqual(['not a certificate file: no complete PEM block']);
  });

  it('PEM: still reads a block written on one line', () => {
    const der = derSeeds[0]!;
    const blocks = findPemBlocks(`-----BEGIN CERTIFICATE-----${Buffer.from(der).toString('base64')}-----END CERTIFICATE-----`);
    expect(blocks.map((b) => [b.label, b.base64])).toEqual([['CERTIFICATE', Buffer.from(der).toString('base64')]]);
  });

  /** An empty PFX whose MAC is PBMAC1 with PBKDF2-HMAC-SHA512: the key derivation is set by the file. */
  function pbmac1File(iterations: number, keyLength: number): Uint8Array {
    const hmacSha512 = [0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0b];
    const seq = (...parts: number[][]) => [...tlv(0x30, Uint8Array.from(parts.flat()))];
    const int = (n: number) => [0x02, 0x04, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
    const pbkdf2 = seq([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c], seq([0x04, 0x08, 0, 0, 0, 0, 0, 0, 0, 0], int(iterations), int(keyLength), seq(hmacSha512)));
    const pbmac1 = seq([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0e], seq(pbkdf2, seq(hmacSha512)));
    const macData = seq(seq(pbmac1, [...tlv(0x04, new Uint8Array(64))]), [0x04, 0x01, 0x00], [0x02, 0x01, 0x01]);
    const authSafe = seq([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01], [...tlv(0xa0, tlv(0x04, Uint8Array.of(0x30, 0x00)))]);
    return Uint8Array.from(seq([0x02, 0x01, 0x03], authSafe, macData));
  }

  const refusedAtOnce = (pfx: Uint8Array, message: string) => {
    const started = performance.now();
    expect(() => readPkcs12(pfx, 'x')).toThrow(new InputError(message));
    expect(performance.now() - started).toBeLessThan(HANG_BUDGET_MS);
  };

  it('PKCS #12: a PBMAC1 key length of 1.5 GB is refused before PBKDF2 runs (it took 42 s and 1.5 GB)', () => {
    refusedAtOnce(pbmac1File(1, 1_500_000_000), 'damaged PKCS #12 file: PBMAC1 key length 1,500,000,000 (at most 1024 accepted)');
  });

  it('PKCS #12: 20,000,000 rounds of SHA-512 are refused before they run (the old limit let them take 20 s)', () => {
    refusedAtOnce(pbmac1File(10_000_000, 65), 'refusing PKCS #12 file: opening it needs more than 10,000,000 key-derivation rounds');
  });
});

describe('readCertificateFile: sizes and kinds of file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sfb-certlint-fuzz-'));
  const file = (name: string, content: string | Uint8Array = '') => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  const only = (path: string, maxBytes?: number) => {
    const started = performance.now();
    const result = readCertificateFile(path, maxBytes === undefined ? {} : { maxBytes });
    expect(performance.now() - started).toBeLessThan(HANG_BUDGET_MS);
    expect(result.certificates).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(vagueness(result.errors[0]!)).toBeUndefined();
    return result.errors[0]!;
  };

  it('an empty file', () => {
    expect(only(file('empty.cer')).message).toBe('empty file');
  });

  it('a byte-order mark alone, UTF-8 or UTF-16', () => {
    for (const bom of [[0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff]]) {
      expect(only(file('bom.pem', Uint8Array.from(bom))).message).toMatch(/^not a certificate file/);
    }
  });

  it('a folder', () => {
    expect(only(dir).message).toBe('is a folder, not a certificate file');
  });

  it('a file over the limit is refused before it is read, with the way to raise the limit', () => {
    const big = file('big.cer');
    const fd = openSync(big, 'r+');
    ftruncateSync(fd, 65 * 1024 * 1024);
    closeSync(fd);
    const error = only(big);
    expect(error.message).toBe(`file too large (${65 * 1024 * 1024} bytes; the limit is ${64 * 1024 * 1024})`);
    expect(error.hint).toContain('--max-input-size');
    expect(only(file('small.cer', 'x'.repeat(2000)), 1024).message).toBe('file too large (2000 bytes; the limit is 1024)');
  });

  // A snapshot may name any path: /dev/zero has no size and never ends (it took 60 s and 6 GB, then more).
  it.runIf(existsSync('/dev/zero'))('a device such as /dev/zero', () => {
    expect(only('/dev/zero').message).toBe('is a device or socket, not a certificate file');
  });
});
