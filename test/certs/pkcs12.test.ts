import { createHash, createHmac, createPrivateKey, createPublicKey, hash, randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bmpPassword, iterate, PKCS12_KDF_HASHES, pkcs12Kdf, type Pkcs12KdfHash } from '../../src/certs/pkcs12-kdf.js';
import { readPkcs12 } from '../../src/certs/pkcs12.js';
import { rc2CbcDecrypt } from '../../src/certs/rc2.js';
import { InputError } from '../../src/errors.js';
import { HANG_BUDGET_MS } from '../hang-budget.js';

// Fixtures come from fixtures/pkcs12/make.sh; expected.json is OpenSSL's own reading of each file.
const FIXTURES = new URL('../../fixtures/pkcs12/', import.meta.url);
const load = (name: string) => new Uint8Array(readFileSync(new URL(name, FIXTURES)));

interface Expected {
  file: string;
  password: string;
  mac: string | null;
  certificates: Array<{ sha1: string; localKeyId: string | null; friendlyName: string | null }>;
  keys: Array<{ localKeyId: string | null; publicKeySha256: string }>;
}
const expected: Expected[] = JSON.parse(readFileSync(new URL('expected.json', FIXTURES), 'utf8')).fixtures;

const AES256 = 'AES-256-CBC (PBES2, PBKDF2-HMAC-SHA256)';
const TDES = '3DES (pbeWithSHAAnd3-KeyTripleDES-CBC)';

/** What each fixture's container must read as: the summary is this module's, not OpenSSL's. */
const CONTAINERS: Record<string, { encryption: string; macHash: string | null; legacyWindowsCompatible: boolean }> = {
  'aes256.p12': { encryption: AES256, macHash: 'SHA-256', legacyWindowsCompatible: false },
  'aes128.p12': { encryption: 'AES-128-CBC (PBES2, PBKDF2-HMAC-SHA256)', macHash: 'SHA-256', legacyWindowsCompatible: false },
  'aes192.p12': { encryption: 'AES-192-CBC (PBES2, PBKDF2-HMAC-SHA256)', macHash: 'SHA-256', legacyWindowsCompatible: false },
  'pbes2-3des.p12': { encryption: '3DES (PBES2, PBKDF2-HMAC-SHA256)', macHash: 'SHA-256', legacyWindowsCompatible: false },
  'sha512-mac.p12': { encryption: AES256, macHash: 'SHA-512', legacyWindowsCompatible: false },
  'windows-3des.p12': { encryption: TDES, macHash: 'SHA-1', legacyWindowsCompatible: true },
  'legacy-rc2-40.p12': { encryption: 'RC2-40 certificates + 3DES key', macHash: 'SHA-1', legacyWindowsCompatible: true },
  'legacy-rc2-128.p12': { encryption: 'RC2-128 certificates + 3DES key', macHash: 'SHA-1', legacyWindowsCompatible: true },
  '2key-3des.p12': { encryption: '2-key 3DES (pbeWithSHAAnd2-KeyTripleDES-CBC)', macHash: 'SHA-1', legacyWindowsCompatible: true },
  'unencrypted-mac.p12': { encryption: 'none', macHash: 'SHA-256', legacyWindowsCompatible: false },
  'unencrypted-nomac.p12': { encryption: 'none', macHash: null, legacyWindowsCompatible: true },
  'nomac-aes.p12': { encryption: 'unencrypted certificates + AES-256-CBC key', macHash: null, legacyWindowsCompatible: false },
  'certs-only.p12': { encryption: AES256, macHash: 'SHA-256', legacyWindowsCompatible: false },
  'no-password.p12': { encryption: AES256, macHash: 'SHA-256', legacyWindowsCompatible: false },
  'no-password-nomac-3des.p12': { encryption: TDES, macHash: null, legacyWindowsCompatible: true },
  'no-password-null.p12': { encryption: 'none', macHash: 'SHA-256', legacyWindowsCompatible: false },
  'unicode-3des.p12': { encryption: TDES, macHash: 'SHA-1', legacyWindowsCompatible: true },
  'ec-p256.p12': { encryption: AES256, macHash: 'SHA-256', legacyWindowsCompatible: false },
  'key-mismatch.p12': { encryption: AES256, macHash: 'SHA-256', legacyWindowsCompatible: false },
  'ber-3des.p12': { encryption: TDES, macHash: 'SHA-1', legacyWindowsCompatible: true },
  'ber-unencrypted-nomac.p12': { encryption: 'none', macHash: null, legacyWindowsCompatible: true },
  'java.p12': { encryption: AES256, macHash: 'SHA-256', legacyWindowsCompatible: false },
  'java-legacy.p12': { encryption: 'RC2-40 certificates + 3DES key', macHash: 'SHA-1', legacyWindowsCompatible: true },
  'rfc9579-a1.p12': { encryption: AES256, macHash: 'SHA-256', legacyWindowsCompatible: false },
  'rfc9579-a3.p12': { encryption: AES256, macHash: 'SHA-512', legacyWindowsCompatible: false },
};

/** OpenSSL's MAC names as this module reports them; PBMAC1 files are checked through CONTAINERS. */
const MAC_NAMES: Record<string, string> = { sha1: 'SHA-1', sha256: 'SHA-256', sha512: 'SHA-512' };

const sha1 = (der: Uint8Array) => createHash('sha1').update(der).digest('hex').toUpperCase();
const sha256 = (der: Uint8Array) => createHash('sha256').update(der).digest('hex').toUpperCase();
const spkiOfKey = (pkcs8: Uint8Array) =>
  createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' });
const spkiOfCert = (der: Uint8Array) => new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' });

/** A password that must never show up in a message. */
const SECRET = 'Sw0rdfish-Never-Printed';

/** Runs `open` and returns its InputError, checking that no password leaked into it. */
function inputError(open: () => unknown, ...passwords: string[]): InputError {
  let caught: unknown;
  try {
    open();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InputError);
  const error = caught as InputError;
  for (const password of [SECRET, ...passwords]) {
    expect(error.message).not.toContain(password);
    expect(error.hint ?? '').not.toContain(password);
  }
  return error;
}

/** Opening must either work or fail with an InputError, never anything else. */
function opensOrInputError(data: Uint8Array, password: string | undefined): void {
  try {
    readPkcs12(data, password);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    if (password) expect((e as InputError).message).not.toContain(password);
  }
}

describe('readPkcs12 on the fixtures, against OpenSSL', () => {
  it('has an expected container for every fixture', () => {
    expect(expected.map((f) => f.file).sort()).toEqual(Object.keys(CONTAINERS).sort());
  });

  it.each(expected)('$file', (fixture) => {
    const contents = readPkcs12(load(fixture.file), fixture.password);
    expect(
      contents.certificates.map((c) => ({ sha1: sha1(c.der), localKeyId: c.localKeyId ?? null, friendlyName: c.friendlyName ?? null })),
    ).toEqual(fixture.certificates);
    expect(contents.privateKeys.map((k) => ({ localKeyId: k.localKeyId ?? null, publicKeySha256: sha256(spkiOfKey(k.pkcs8)) }))).toEqual(
      fixture.keys,
    );
    expect(contents.container).toEqual(CONTAINERS[fixture.file]);
    if (fixture.mac && MAC_NAMES[fixture.mac]) expect(contents.container.macHash).toBe(MAC_NAMES[fixture.mac]);
    if (fixture.mac === null) expect(contents.container.macHash).toBeNull();
  });

  it('returns keys whose public half is the certificate with the same localKeyId', () => {
    for (const fixture of expected.filter((f) => f.keys.length > 0 && f.file !== 'key-mismatch.p12')) {
      const { certificates, privateKeys } = readPkcs12(load(fixture.file), fixture.password);
      for (const key of privateKeys) {
        const cert = certificates.find((c) => c.localKeyId === key.localKeyId) ?? certificates[0]!;
        expect(spkiOfKey(key.pkcs8).equals(spkiOfCert(cert.der)), fixture.file).toBe(true);
      }
    }
  });

  it('returns the key of a mismatched file as it is, matching no certificate', () => {
    const { certificates, privateKeys } = readPkcs12(load('key-mismatch.p12'), expected.find((f) => f.file === 'key-mismatch.p12')!.password);
    expect(privateKeys).toHaveLength(1);
    for (const cert of certificates) expect(spkiOfKey(privateKeys[0]!.pkcs8).equals(spkiOfCert(cert.der))).toBe(false);
  });

  it('returns an EC P-256 key', () => {
    const { privateKeys } = readPkcs12(load('ec-p256.p12'), expected.find((f) => f.file === 'ec-p256.p12')!.password);
    const key = createPrivateKey({ key: Buffer.from(privateKeys[0]!.pkcs8), format: 'der', type: 'pkcs8' });
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });
});

describe('passwords', () => {
  const password = (file: string) => expected.find((f) => f.file === file)!.password;

  it.each(['aes256.p12', 'windows-3des.p12', 'legacy-rc2-40.p12', 'sha512-mac.p12', 'java-legacy.p12', 'rfc9579-a1.p12'])(
    'a wrong password on %s fails the MAC check',
    (file) => {
      const error = inputError(() => readPkcs12(load(file), SECRET), password(file));
      expect(error.message).toBe('MAC check failed: wrong password or damaged file');
    },
  );

  it.each(['aes256.p12', 'windows-3des.p12', 'java.p12', 'nomac-aes.p12', 'certs-only.p12'])('no password on %s asks for one', (file) => {
    const error = inputError(() => readPkcs12(load(file), undefined), password(file));
    expect(error.message).toBe('the file is password-protected: give its password with --password-env VAR or --password-file FILE');
  });

  it('a wrong password without a MAC fails the decryption', () => {
    const error = inputError(() => readPkcs12(load('nomac-aes.p12'), SECRET));
    expect(error.message).toBe('decryption failed: wrong password or damaged file');
  });

  it.each(['no-password.p12', 'no-password-null.p12', 'no-password-nomac-3des.p12', 'unencrypted-nomac.p12'])(
    '%s opens with no password and with the empty one',
    (file) => {
      expect(readPkcs12(load(file), undefined).certificates).toHaveLength(2);
      expect(readPkcs12(load(file), '').certificates).toHaveLength(2);
    },
  );

  it('an empty password on a protected file fails the MAC check', () => {
    expect(inputError(() => readPkcs12(load('aes256.p12'), '')).message).toBe('MAC check failed: wrong password or damaged file');
  });

  it('a file with neither MAC nor encryption opens whatever the password', () => {
    expect(readPkcs12(load('unencrypted-nomac.p12'), SECRET).privateKeys).toHaveLength(1);
  });

  it('RFC 9579 A.4: PBMAC1 with a changed iteration count fails the MAC check', () => {
    expect(inputError(() => readPkcs12(load('rfc9579-a4-wrong-iterations.p12'), '1234')).message).toBe(
      'MAC check failed: wrong password or damaged file',
    );
  });

  it('RFC 9579 A.6: PBMAC1 without a key length is refused', () => {
    expect(inputError(() => readPkcs12(load('rfc9579-a6-no-key-length.p12'), '1234')).message).toBe(
      'damaged PKCS #12 file: PBMAC1 without a key length',
    );
  });
});

describe('damaged and hostile input', () => {
  /** A small deterministic PRNG, so a failure can be replayed. */
  function prng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it.each(['aes256.p12', 'windows-3des.p12', 'legacy-rc2-40.p12', 'ber-3des.p12', 'rfc9579-a1.p12'])('truncated %s', (file) => {
    const data = load(file);
    const password = expected.find((f) => f.file === file)!.password;
    for (const length of [0, 1, 2, 3, 4, 10, 100, data.length >> 1, data.length - 40, data.length - 1]) {
      inputError(() => readPkcs12(data.subarray(0, length), password), password);
    }
  });

  it.each(['aes256.p12', 'windows-3des.p12', 'legacy-rc2-40.p12', 'ber-3des.p12'])('bit-flipped %s', (file) => {
    const data = load(file);
    const password = expected.find((f) => f.file === file)!.password;
    const random = prng(data.length);
    for (let n = 0; n < 60; n++) {
      const copy = Uint8Array.from(data);
      copy[Math.floor(random() * copy.length)]! ^= 1 << Math.floor(random() * 8);
      // With a MAC over everything but the PFX header and MacData, every flip must be caught.
      inputError(() => readPkcs12(copy, password), password);
    }
  });

  it('bit-flipped files without a MAC open or fail with an InputError', () => {
    for (const file of ['unencrypted-nomac.p12', 'ber-unencrypted-nomac.p12', 'nomac-aes.p12']) {
      const data = load(file);
      const random = prng(7);
      for (let n = 0; n < 100; n++) {
        const copy = Uint8Array.from(data);
        copy[Math.floor(random() * copy.length)]! ^= 1 << Math.floor(random() * 8);
        opensOrInputError(copy, SECRET);
      }
    }
  });

  it('random bytes', () => {
    const random = prng(42);
    for (let n = 0; n < 200; n++) {
      const data = Uint8Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256));
      // Half of them look like the start of a SEQUENCE, to get past the first byte.
      if (n % 2 && data.length > 2) data.set([0x30, 0x80]);
      inputError(() => readPkcs12(data, SECRET));
      inputError(() => readPkcs12(data, undefined));
    }
  });
});

// ---- Hand-built files, for what no tool writes on request.
function der(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  const length: number[] = [];
  if (body.length < 128) length.push(body.length);
  else {
    for (let n = body.length; n > 0; n = Math.floor(n / 256)) length.unshift(n & 0xff);
    length.unshift(0x80 | length.length);
  }
  return Buffer.concat([Uint8Array.of(tag, ...length), body]);
}
const seq = (...parts: Uint8Array[]) => der(0x30, ...parts);
const octets = (bytes: Uint8Array) => der(0x04, bytes);
const explicit0 = (inner: Uint8Array) => der(0xa0, inner);
function int(n: number): Uint8Array {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if (bytes.length === 0 || bytes[0]! & 0x80) bytes.unshift(0);
  return der(0x02, Uint8Array.from(bytes));
}
function oid(dotted: string): Uint8Array {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [a! * 40 + b!];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) groups.unshift(0x80 | (v & 0x7f));
    bytes.push(...groups);
  }
  return der(0x06, Uint8Array.from(bytes));
}
const DATA = '1.2.840.113549.1.7.1';
const SHA1 = '1.3.14.3.2.26';
const PBE_3DES = '1.2.840.113549.1.12.1.3';

/** An AuthenticatedSafe with one encryptedData entry. */
function encryptedSafe(algorithm: string, iterations: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const alg = seq(oid(algorithm), seq(octets(new Uint8Array(8).fill(7)), iterations));
  const encryptedData = seq(int(0), seq(oid(DATA), alg, der(0x80, ciphertext)));
  return seq(seq(oid('1.2.840.113549.1.7.6'), explicit0(encryptedData)));
}

/** A PFX around `authSafe`, with a SHA-1 MAC keyed by `password` (computed with the module's KDF). */
function pfx(authSafe: Uint8Array, mac?: { password: string; iterations: number; forge?: boolean }): Uint8Array {
  const parts = [int(3), seq(oid(DATA), explicit0(octets(authSafe)))];
  if (mac) {
    const salt = new Uint8Array(8).fill(1);
    const digest = mac.forge
      ? new Uint8Array(20)
      : createHmac('sha1', pkcs12Kdf('sha1', bmpPassword(mac.password), salt, mac.iterations, 3, 20)).update(authSafe).digest();
    parts.push(seq(seq(seq(oid(SHA1), der(0x05)), octets(digest)), octets(salt), int(mac.iterations)));
  }
  return seq(...parts);
}

describe('hand-built files', () => {
  const garbage = new Uint8Array(32).fill(0x5a);

  it('a valid MAC over undecryptable content: decryption failed, damaged file', () => {
    const data = pfx(encryptedSafe(PBE_3DES, int(1), garbage), { password: SECRET, iterations: 1 });
    expect(inputError(() => readPkcs12(data, SECRET)).message).toBe('decryption failed: damaged file');
  });

  it('no MAC and undecryptable content: wrong password, or password-protected', () => {
    const data = pfx(encryptedSafe(PBE_3DES, int(1), garbage));
    expect(inputError(() => readPkcs12(data, SECRET)).message).toBe('decryption failed: wrong password or damaged file');
    expect(inputError(() => readPkcs12(data, undefined)).message).toMatch(/^the file is password-protected/);
  });

  it('refuses an iteration count above the limit, at once', () => {
    const started = performance.now();
    const mac = pfx(seq(), { password: SECRET, iterations: 2 ** 31 - 1, forge: true });
    expect(inputError(() => readPkcs12(mac, SECRET)).message).toBe(
      'refusing PKCS #12 file: iteration count 2,147,483,647 is above the limit of 10,000,000',
    );
    const nineBytes = pfx(encryptedSafe(PBE_3DES, der(0x02, Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0, 0)), garbage));
    expect(inputError(() => readPkcs12(nineBytes, SECRET)).message).toBe(
      'refusing PKCS #12 file: iteration count above the limit of 10,000,000',
    );
    expect(performance.now() - started).toBeLessThan(HANG_BUDGET_MS);
  });

  it('refuses a file whose key derivations together would take too long, before doing them', () => {
    const started = performance.now();
    const safe = encryptedSafe(PBE_3DES, int(9_000_000), garbage);
    expect(inputError(() => readPkcs12(pfx(safe), SECRET)).message).toMatch(/^refusing PKCS #12 file: opening it needs more than/);
    expect(performance.now() - started).toBeLessThan(HANG_BUDGET_MS);
  });

  it('names an unsupported encryption', () => {
    const data = pfx(encryptedSafe('1.2.840.113549.1.12.1.1', int(1), garbage));
    expect(inputError(() => readPkcs12(data, SECRET)).message).toBe(
      'unsupported PKCS #12 encryption pbeWithSHAAnd128BitRC4 (1.2.840.113549.1.12.1.1)',
    );
    const unknown = pfx(encryptedSafe('1.2.3.4', int(1), garbage));
    expect(inputError(() => readPkcs12(unknown, SECRET)).message).toBe('unsupported PKCS #12 encryption 1.2.3.4');
  });

  it('names the public-key modes it does not support', () => {
    const enveloped = pfx(seq(seq(oid('1.2.840.113549.1.7.3'), explicit0(seq()))));
    expect(inputError(() => readPkcs12(enveloped, SECRET)).message).toMatch(/^unsupported PKCS #12 privacy mode: public-key/);
    const signed = seq(int(3), seq(oid('1.2.840.113549.1.7.2'), explicit0(seq())));
    expect(inputError(() => readPkcs12(signed, SECRET)).message).toMatch(/^unsupported PKCS #12 integrity mode: public-key/);
  });
});

describe('RC2 (RFC 2268 section 5 test vectors)', () => {
  // [key, effective bits, plaintext, ciphertext]; with a zero IV, one CBC block is one ECB block.
  const vectors: Array<[string, number, string, string]> = [
    ['0000000000000000', 63, '0000000000000000', 'ebb773f993278eff'],
    ['ffffffffffffffff', 64, 'ffffffffffffffff', '278b27e42e2f0d49'],
    ['3000000000000000', 64, '1000000000000001', '30649edf9be7d2c2'],
    ['88', 64, '0000000000000000', '61a8a244adacccf0'],
    ['88bca90e90875a', 64, '0000000000000000', '6ccf4308974c267f'],
    ['88bca90e90875a7f0f79c384627bafb2', 64, '0000000000000000', '1a807d272bbe5db1'],
    ['88bca90e90875a7f0f79c384627bafb2', 128, '0000000000000000', '2269552ab0f85ca6'],
    ['88bca90e90875a7f0f79c384627bafb216f80a6f85920584c42fceb0be255daf1e', 129, '0000000000000000', '5b78d3a43dfff1f1'],
  ];
  it.each(vectors)('key %s, %i effective bits', (key, bits, plaintext, ciphertext) => {
    const out = rc2CbcDecrypt(Buffer.from(key, 'hex'), bits, new Uint8Array(8), Buffer.from(ciphertext, 'hex'));
    expect(Buffer.from(out).toString('hex')).toBe(plaintext);
  });

  it('chains blocks in CBC mode', () => {
    // Two blocks of the 128-bit vector: the second block's plaintext is XORed with the first ciphertext.
    const c = Buffer.from('2269552ab0f85ca62269552ab0f85ca6', 'hex');
    const out = rc2CbcDecrypt(Buffer.from('88bca90e90875a7f0f79c384627bafb2', 'hex'), 128, new Uint8Array(8), c);
    expect(Buffer.from(out).toString('hex')).toBe('0000000000000000' + '2269552ab0f85ca6');
  });
});

describe('PKCS #12 KDF (vectors of Dr Stephen Henson, as in GnuTLS and BouncyCastle tests)', () => {
  const vectors: Array<[string, string, number, 1 | 2 | 3, number, string]> = [
    ['smeg', '0A58CF64530D823F', 1, 1, 24, '8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3'],
    ['smeg', '0A58CF64530D823F', 1, 2, 8, '79993DFE048D3B76'],
    ['smeg', '642B99AB44FB4B1F', 1, 1, 24, 'F3A95FEC48D7711E985CFE67908C5AB79FA3D7C5CAA5D966'],
    ['smeg', '3D83C0E4546AC140', 1, 3, 20, '8D967D88F6CAA9D714800AB3D48051D63F73A312'],
    ['queeg', '05DEC959ACFF72F7', 1000, 1, 24, 'ED2034E36328830FF09DF1E1A07DD357185DAC0D4F9EB3D4'],
    ['queeg', '05DEC959ACFF72F7', 1000, 2, 8, '11DEDAD7758D4860'],
    ['queeg', '263216FCC2FAB31C', 1000, 3, 20, '5EC4C7A80DF652294C3925B6489A7AB857C83476'],
  ];
  it.each(vectors)('%s, salt %s, %i iterations, ID %i', (password, salt, iterations, id, length, key) => {
    const out = pkcs12Kdf('sha1', bmpPassword(password), Buffer.from(salt, 'hex'), iterations, id, length);
    expect(Buffer.from(out).toString('hex').toUpperCase()).toBe(key);
  });

  it('encodes passwords as BMPString with two trailing zero bytes, surrogate pairs included', () => {
    expect(Buffer.from(bmpPassword('smeg')).toString('hex')).toBe('0073006d006500670000');
    expect(Buffer.from(bmpPassword('')).toString('hex')).toBe('0000');
    expect(Buffer.from(bmpPassword('é𝄞')).toString('hex')).toBe('00e9d834dd1e0000');
  });
});

describe('the KDF\'s iterated hashes', () => {
  // SHA-1 and SHA-256 run in JavaScript, the others through node:crypto: all must equal node:crypto.
  it.each(['sha1', 'sha256', 'sha384', 'sha512'] as const)('%s equals node:crypto hashing again and again', (digest: Pkcs12KdfHash) => {
    for (const count of [0, 1, 2, 3, 64, 2048]) {
      const start = randomBytes(createHash(digest).digest().length);
      let expected: Uint8Array = start;
      for (let i = 0; i < count; i++) expected = hash(digest, expected, 'buffer');
      expect(Buffer.from(iterate(digest, start, count)).toString('hex'), `${count} iterations`).toBe(Buffer.from(expected).toString('hex'));
    }
  });
});

describe('against OpenSSL: fixtures/pkcs12/vectors.json, recorded by fixtures/pkcs12/make-vectors.sh', () => {
  const vectors: {
    pkcs12Kdf: Array<{ digest: string; password: string; salt: string; iterations: number; id: 1 | 2 | 3; length: number; key: string }>;
    rc2Cbc: Array<{ cipher: string; key: string; effectiveBits: number; iv: string; plaintext: string; ciphertext: string }>;
  } = JSON.parse(readFileSync(new URL('../../fixtures/pkcs12/vectors.json', import.meta.url), 'utf8'));
  const hex = (s: string) => Buffer.from(s, 'hex');

  it('covers every digest the PKCS #12 MAC may name, three passwords and several output blocks', () => {
    expect(new Set(vectors.pkcs12Kdf.map((v) => v.digest.toLowerCase()))).toEqual(new Set(Object.keys(PKCS12_KDF_HASHES)));
    expect(vectors.pkcs12Kdf.some((v) => v.password === '')).toBe(true);
    expect(vectors.pkcs12Kdf.some((v) => /[^\u0000-\uffff]/u.test(v.password))).toBe(true);
    expect(vectors.rc2Cbc.map((v) => v.effectiveBits)).toEqual(expect.arrayContaining([40, 64, 128]));
  });

  it.each(vectors.pkcs12Kdf.map((v) => [v.digest, v.id, v.iterations, v.length, JSON.stringify(v.password), v] as const))(
    'PKCS12KDF %s, ID %i, %i iterations, %i bytes, password %s',
    (digest, id, iterations, length, _, v) => {
      const key = pkcs12Kdf(digest.toLowerCase() as Pkcs12KdfHash, bmpPassword(v.password), hex(v.salt), iterations, id, length);
      expect(Buffer.from(key).toString('hex').toUpperCase()).toBe(v.key);
    },
  );

  it.each(vectors.rc2Cbc.map((v) => [v.cipher, v.plaintext.length / 16, v] as const))('%s, %i blocks', (_, __, v) => {
    expect(Buffer.from(rc2CbcDecrypt(hex(v.key), v.effectiveBits, hex(v.iv), hex(v.ciphertext))).toString('hex')).toBe(v.plaintext);
  });
});
