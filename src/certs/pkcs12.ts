/**
 * Opens PKCS #12 (.pfx/.p12) files as Windows, OpenSSL, Java and others write them, MAC verified.
 *
 * Why not PKI.js: it decrypts only PBES2 (still so in 4.0.0: docs/dependencies.md), so it cannot open
 * the 3DES and RC2 files Windows exports and `openssl -legacy` writes. Why der.ts rather than
 * @peculiar/asn1-pfx: the structures are few and small, der.ts already reads BER (Java and some Windows
 * versions write indefinite lengths and constructed OCTET STRINGs), and its bounded DerErrors map
 * straight onto InputError.
 * Ciphers: AES, 3DES and PBKDF2 from node:crypto; RC2 (rc2.ts) and the PKCS #12 KDF (pkcs12-kdf.ts)
 * here, because Node's OpenSSL 3 has RC2 only behind a flag and exposes no PKCS #12 KDF.
 */
import { createDecipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { children, content, decodeOid, decodeSmallInt, decodeString, DerError, readTlv, TAG, toHex, type Tlv } from './der.js';
import type { ContainerFacts } from './facts.js';
import { bmpPassword, PKCS12_KDF_HASHES, pkcs12Kdf, pkcs12KdfBlocks, type Pkcs12KdfHash } from './pkcs12-kdf.js';
import { rc2CbcDecrypt } from './rc2.js';
import { InputError } from '../errors.js';

export interface Pkcs12Contents {
  /** Every certificate in the file, in file order, as DER. */
  certificates: Array<{ der: Uint8Array; localKeyId?: string; friendlyName?: string }>;
  /** Every private key, decrypted, as PKCS #8 PrivateKeyInfo DER. Never written to any output. */
  privateKeys: Array<{ pkcs8: Uint8Array; localKeyId?: string }>;
  container: ContainerFacts;
}

/** Opens a PKCS #12 file. Throws InputError (without a path; the caller adds it). */
export function readPkcs12(data: Uint8Array, password: string | undefined): Pkcs12Contents {
  try {
    return open(data, password);
  } catch (e) {
    if (e instanceof InputError) throw e;
    // DerErrors, and anything a malformed input provokes in node:crypto: never the password, which
    // is handed to nothing that could echo it.
    throw damaged(e instanceof Error ? e.message : String(e));
  }
}

/** Largest iteration count accepted. Real files use 1 to about 100,000; the cap keeps a crafted file from stalling the tool. */
const MAX_ITERATIONS = 10_000_000;
/**
 * Key-derivation work allowed for one file, in PBKDF2 rounds: at most about 10 s. A round costs 0.5 µs with
 * SHA-256 and 1 µs with SHA-1 or SHA-512 on a 2-core CI machine, where 25,000,000 (this limit before the
 * hostile-input tests measured it) let a crafted file take 25 s.
 */
const MAX_WORK = 10_000_000;
/** One JavaScript-driven PKCS #12 KDF hash costs about four PBKDF2 rounds (measured). */
const PKCS12_KDF_WEIGHT = 4;
/**
 * Longest PBMAC1 key accepted, in bytes. Writers use the HMAC's output length (32 or 64); HMAC hashes a
 * longer key down anyway. Without a cap, the key's length, not the iteration count, would set the work
 * and the memory: a 200-byte file could ask PBKDF2 for gigabytes within the work limit.
 */
const MAX_MAC_KEY_LENGTH = 1024;
/** Nesting of SafeContents bags, and of constructed OCTET STRINGs, accepted. */
const MAX_DEPTH = 8;

const PASSWORD_PROTECTED = 'the file is password-protected: give its password with --password-env VAR or --password-file FILE';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbmac1: '1.2.840.113549.1.5.14',
} as const;

/** The pbeWithSHAAnd… schemes of RFC 7292 appendix C: SHA-1 PKCS #12 KDF, then 3DES or RC2 in CBC mode. */
const PKCS12_PBES: Record<string, { name: string; short: string; keyLength: number; rc2Bits?: number }> = {
  '1.2.840.113549.1.12.1.3': { name: 'pbeWithSHAAnd3-KeyTripleDES-CBC', short: '3DES', keyLength: 24 },
  '1.2.840.113549.1.12.1.4': { name: 'pbeWithSHAAnd2-KeyTripleDES-CBC', short: '2-key 3DES', keyLength: 16 },
  '1.2.840.113549.1.12.1.5': { name: 'pbeWithSHAAnd128BitRC2-CBC', short: 'RC2-128', keyLength: 16, rc2Bits: 128 },
  '1.2.840.113549.1.12.1.6': { name: 'pbeWithSHAAnd40BitRC2-CBC', short: 'RC2-40', keyLength: 5, rc2Bits: 40 },
};

/** Schemes recognised only to name them in the "unsupported" message. */
const UNSUPPORTED_SCHEMES: Record<string, string> = {
  '1.2.840.113549.1.12.1.1': 'pbeWithSHAAnd128BitRC4',
  '1.2.840.113549.1.12.1.2': 'pbeWithSHAAnd40BitRC4',
  '1.2.840.113549.1.5.1': 'pbeWithMD2AndDES-CBC',
  '1.2.840.113549.1.5.3': 'pbeWithMD5AndDES-CBC',
  '1.2.840.113549.1.5.4': 'pbeWithMD2AndRC2-CBC',
  '1.2.840.113549.1.5.6': 'pbeWithMD5AndRC2-CBC',
  '1.2.840.113549.1.5.10': 'pbeWithSHA1AndDES-CBC',
  '1.2.840.113549.1.5.11': 'pbeWithSHA1AndRC2-CBC',
  '1.3.6.1.4.1.11591.4.11': 'scrypt',
};

/** PBES2 ciphers (RFC 8018 appendix B.2, RFC 3565). */
const PBES2_CIPHERS: Record<string, { name: string; node: string; keyLength: number; block: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'AES-128-CBC', node: 'aes-128-cbc', keyLength: 16, block: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'AES-192-CBC', node: 'aes-192-cbc', keyLength: 24, block: 16 },
  '2.16.840.1.101.3.4.1.42': { name: 'AES-256-CBC', node: 'aes-256-cbc', keyLength: 32, block: 16 },
  '1.2.840.113549.3.7': { name: '3DES', node: 'des-ede3-cbc', keyLength: 24, block: 8 },
};

/** PBKDF2 PRFs and the HMACs of PBMAC1 (RFC 8018 appendix B.1). */
const HMACS: Record<string, { node: string; hash: string; length: number }> = {
  '1.2.840.113549.2.7': { node: 'sha1', hash: 'SHA-1', length: 20 },
  '1.2.840.113549.2.8': { node: 'sha224', hash: 'SHA-224', length: 28 },
  '1.2.840.113549.2.9': { node: 'sha256', hash: 'SHA-256', length: 32 },
  '1.2.840.113549.2.10': { node: 'sha384', hash: 'SHA-384', length: 48 },
  '1.2.840.113549.2.11': { node: 'sha512', hash: 'SHA-512', length: 64 },
  '1.2.840.113549.2.12': { node: 'sha512-224', hash: 'SHA-512/224', length: 28 },
  '1.2.840.113549.2.13': { node: 'sha512-256', hash: 'SHA-512/256', length: 32 },
};
const HMAC_WITH_SHA1 = '1.2.840.113549.2.7';

/** Digests of the classic PKCS #12 MAC (HMAC keyed by the PKCS #12 KDF). */
const MAC_DIGESTS: Record<string, { node: Pkcs12KdfHash; hash: string }> = {
  '1.2.840.113549.2.5': { node: 'md5', hash: 'MD5' },
  '1.3.14.3.2.26': { node: 'sha1', hash: 'SHA-1' },
  '2.16.840.1.101.3.4.2.4': { node: 'sha224', hash: 'SHA-224' },
  '2.16.840.1.101.3.4.2.1': { node: 'sha256', hash: 'SHA-256' },
  '2.16.840.1.101.3.4.2.2': { node: 'sha384', hash: 'SHA-384' },
  '2.16.840.1.101.3.4.2.3': { node: 'sha512', hash: 'SHA-512' },
  '2.16.840.1.101.3.4.2.5': { node: 'sha512-224', hash: 'SHA-512/224' },
  '2.16.840.1.101.3.4.2.6': { node: 'sha512-256', hash: 'SHA-512/256' },
};

/** One password in the two encodings the schemes use. */
interface Secret {
  /** For the PKCS #12 KDF: BMPString with two trailing zero bytes, or empty for OpenSSL's NULL password. */
  bmp: Uint8Array;
  /** For PBKDF2 (PBES2, PBMAC1): the UTF-8 bytes, as OpenSSL and Windows use them. */
  utf8: Uint8Array;
}

/** What protects a certificate or key. */
interface Protection {
  /** For the combined summary: `3DES`, `AES-256-CBC`, `unencrypted`. */
  short: string;
  /** On its own: `3DES (pbeWithSHAAnd3-KeyTripleDES-CBC)`, `none`. */
  long: string;
  pbes2: boolean;
}

interface Scheme extends Protection {
  /** Key-derivation work of one decryption attempt, in PBKDF2 rounds. */
  cost: number;
  /** The plaintext without padding, or null when the key is wrong (bad padding). */
  decrypt(secret: Secret, ciphertext: Uint8Array): Uint8Array | null;
}

const NONE: Protection = { short: 'unencrypted', long: 'none', pbes2: false };

/**
 * The passwords to try. With none given, both empty passwords OpenSSL tries: the empty BMPString (two
 * zero bytes) and the NULL password (no bytes), which differ only for the PKCS #12 KDF.
 */
function candidateSecrets(password: string | undefined): Secret[] {
  const empty = new Uint8Array(0);
  if (!password) return [{ bmp: new Uint8Array(2), utf8: empty }, { bmp: empty, utf8: empty }];
  const utf8 = new Uint8Array(Buffer.from(password, 'utf8'));
  const secrets = [{ bmp: bmpPassword(password), utf8 }];
  // OpenSSL before 1.1.0 widened each UTF-8 byte on its own; OpenSSL still tries that for non-ASCII.
  if (utf8.length !== password.length) secrets.push({ bmp: bmpPassword(Buffer.from(utf8).toString('latin1')), utf8 });
  return secrets;
}

/** Decryption state shared by the whole file: which password works, and the work spent so far. */
class Keys {
  private work = 0;
  /** Whether the password is known good: the MAC verified with it, or something decrypted with it. */
  private settled = false;

  constructor(
    private secrets: Secret[],
    private readonly passwordGiven: boolean,
  ) {}

  spend(cost: number): void {
    this.work += cost;
    if (this.work > MAX_WORK) {
      throw new InputError(
        `refusing PKCS #12 file: opening it needs more than ${MAX_WORK.toLocaleString('en-US')} key-derivation rounds`,
      );
    }
  }

  /** Verifies the MAC with each candidate; afterwards only the one that matched is used. Returns the MAC's hash. */
  verifyMac(mac: Mac, authSafe: Uint8Array): string {
    const tried: Uint8Array[] = [];
    for (const secret of this.secrets) {
      const input = mac.pbmac1 ? secret.utf8 : secret.bmp;
      if (tried.some((t) => Buffer.compare(t, input) === 0)) continue;
      tried.push(input);
      this.spend(mac.cost);
      const expected = createHmac(mac.node, mac.key(secret)).update(authSafe).digest();
      if (expected.length === mac.digest.length && timingSafeEqual(expected, mac.digest)) {
        this.secrets = [secret];
        this.settled = true;
        return mac.hash;
      }
    }
    throw new InputError(this.passwordGiven ? 'MAC check failed: wrong password or damaged file' : PASSWORD_PROTECTED);
  }

  /** Decrypts what must be one DER/BER SEQUENCE (SafeContents or PrivateKeyInfo). */
  decrypt(scheme: Scheme, ciphertext: Uint8Array): Uint8Array {
    for (const secret of this.secrets) {
      this.spend(scheme.cost);
      const plain = scheme.decrypt(secret, ciphertext);
      if (plain && isOneSequence(plain)) {
        this.secrets = [secret];
        this.settled = true;
        return plain;
      }
    }
    if (this.settled) throw new InputError('decryption failed: damaged file');
    // No MAC: a wrong password shows only as garbage.
    throw new InputError(this.passwordGiven ? 'decryption failed: wrong password or damaged file' : PASSWORD_PROTECTED);
  }
}

function open(data: Uint8Array, password: string | undefined): Pkcs12Contents {
  if (data[0] !== TAG.SEQUENCE) throw damaged('it does not start with an ASN.1 SEQUENCE (is it PEM, or not PKCS #12?)');
  // Bytes after the PFX are ignored, as OpenSSL and Windows do.
  const pfx = sequence(data, readTlv(data, 0, data.length, true), 'PFX', 2, 3);
  const version = smallInt(data, pfx[0]!, 'PFX version');
  if (version !== 3) throw new InputError(`unsupported PKCS #12 version ${version} (expected 3)`);
  const authSafeInfo = contentInfo(data, pfx[1]!, 'authSafe');
  if (authSafeInfo.type === OID.signedData) {
    throw new InputError('unsupported PKCS #12 integrity mode: public-key (signedData); only password integrity is supported');
  }
  if (authSafeInfo.type !== OID.data || !authSafeInfo.content) throw damaged('authSafe is not a data ContentInfo');
  const authSafe = octets(data, authSafeInfo.content, 'authSafe');

  const keys = new Keys(candidateSecrets(password), password !== undefined);
  let macHash: string | null = null;
  let pbmac1 = false;
  if (pfx[2]) {
    const mac = readMac(data, pfx[2]);
    pbmac1 = mac.pbmac1;
    macHash = keys.verifyMac(mac, authSafe);
  }

  const out: Contents = { certificates: [], privateKeys: [], certProtection: [], keyProtection: [] };
  const safes = sequence(authSafe, rootTlv(authSafe, 'AuthenticatedSafe'), 'AuthenticatedSafe');
  for (const safe of safes) {
    const info = contentInfo(authSafe, safe, 'AuthenticatedSafe entry');
    if (info.type === OID.data) {
      if (!info.content) continue;
      readSafeContents(octets(authSafe, info.content, 'SafeContents'), NONE, keys, out, 0);
    } else if (info.type === OID.encryptedData) {
      if (!info.content) throw damaged('encryptedData without content');
      const { scheme, ciphertext } = readEncryptedData(authSafe, info.content);
      if (ciphertext.length === 0) continue;
      readSafeContents(keys.decrypt(scheme, ciphertext), scheme, keys, out, 0);
    } else if (info.type === OID.envelopedData) {
      throw new InputError('unsupported PKCS #12 privacy mode: public-key (envelopedData); only password encryption is supported');
    } else {
      throw new InputError(`unsupported PKCS #12 content type ${info.type}`);
    }
  }

  const protections = [...out.certProtection, ...out.keyProtection];
  return {
    certificates: out.certificates,
    privateKeys: out.privateKeys,
    container: {
      encryption: summarize(out.certProtection, out.keyProtection, out.privateKeys.length),
      macHash,
      legacyWindowsCompatible: !pbmac1 && (macHash === null || macHash === 'SHA-1') && !protections.some((p) => p.pbes2),
    },
  };
}

interface Contents {
  certificates: Pkcs12Contents['certificates'];
  privateKeys: Pkcs12Contents['privateKeys'];
  certProtection: Protection[];
  keyProtection: Protection[];
}

/** SafeContents: a SEQUENCE OF SafeBag, the whole of `bytes`. `protection` is what encrypted it. */
function readSafeContents(bytes: Uint8Array, protection: Protection, keys: Keys, out: Contents, depth: number): void {
  readBags(bytes, rootTlv(bytes, 'SafeContents'), protection, keys, out, depth);
}

function readBags(bytes: Uint8Array, tlv: Tlv, protection: Protection, keys: Keys, out: Contents, depth: number): void {
  if (depth > MAX_DEPTH) throw damaged('SafeContents nested too deeply');
  for (const bagTlv of sequence(bytes, tlv, 'SafeContents')) {
    const bag = sequence(bytes, bagTlv, 'SafeBag', 2, 3);
    const bagId = oid(bytes, bag[0]!, 'SafeBag type');
    const value = explicit0(bytes, bag[1]!, 'SafeBag value');
    const attributes = bag[2] ? readAttributes(bytes, bag[2]) : {};
    switch (bagId) {
      case OID.certBag: {
        const cert = sequence(bytes, value, 'CertBag', 2, 2);
        // Other certificate types (SDSI) carry nothing this tool reads.
        if (oid(bytes, cert[0]!, 'CertBag type') !== OID.x509Certificate) break;
        const der = octets(bytes, explicit0(bytes, cert[1]!, 'CertBag value'), 'certificate');
        if (!isOneSequence(der, false)) throw damaged('a certificate bag does not hold a DER certificate');
        // A copy: the surrounding buffer may hold an unencrypted key.
        out.certificates.push({ der: der.slice(), ...attributes });
        out.certProtection.push(protection);
        break;
      }
      case OID.keyBag:
        if (value.tag !== TAG.SEQUENCE) throw damaged('a key bag does not hold a PrivateKeyInfo');
        // Up to `next`, to keep the end-of-contents octets of a BER indefinite length.
        out.privateKeys.push(withKeyId(bytes.slice(value.start, value.next), attributes.localKeyId));
        out.keyProtection.push(protection);
        break;
      case OID.shroudedKeyBag: {
        const { scheme, ciphertext } = readEncryptedPrivateKeyInfo(bytes, value);
        out.privateKeys.push(withKeyId(keys.decrypt(scheme, ciphertext), attributes.localKeyId));
        out.keyProtection.push(scheme);
        break;
      }
      case OID.safeContentsBag:
        readBags(bytes, value, protection, keys, out, depth + 1);
        break;
      default:
        // CRL and secret bags, and unknown ones, carry nothing this tool reads.
        break;
    }
  }
}

function withKeyId(pkcs8: Uint8Array, localKeyId: string | undefined): Pkcs12Contents['privateKeys'][number] {
  return localKeyId === undefined ? { pkcs8 } : { pkcs8, localKeyId };
}

function readAttributes(bytes: Uint8Array, tlv: Tlv): { localKeyId?: string; friendlyName?: string } {
  if (tlv.tag !== TAG.SET) throw damaged('SafeBag attributes are not a SET');
  const found: { localKeyId?: string; friendlyName?: string } = {};
  for (const attributeTlv of children(bytes, tlv, true)) {
    const attribute = sequence(bytes, attributeTlv, 'bag attribute', 2, 2);
    const type = oid(bytes, attribute[0]!, 'bag attribute type');
    const values = attribute[1]!;
    if (values.tag !== TAG.SET) throw damaged('bag attribute values are not a SET');
    const first = children(bytes, values, true)[0];
    if (!first) continue;
    if (type === OID.localKeyId) found.localKeyId = toHex(octets(bytes, first, 'localKeyId'));
    else if (type === OID.friendlyName) found.friendlyName = decodeString(bytes, first);
  }
  return found;
}

/** EncryptedData (RFC 5652 §8) holding encrypted SafeContents. */
function readEncryptedData(bytes: Uint8Array, tlv: Tlv): { scheme: Scheme; ciphertext: Uint8Array } {
  const encryptedData = sequence(bytes, tlv, 'EncryptedData', 2, 3);
  const info = sequence(bytes, encryptedData[1]!, 'EncryptedContentInfo', 2, 3);
  const scheme = readScheme(bytes, info[1]!);
  // encryptedContent is [0] IMPLICIT OCTET STRING: primitive, or constructed from segments in BER.
  const ciphertext = info[2] ? octets(bytes, info[2], 'encryptedContent', 0x80) : new Uint8Array(0);
  return { scheme, ciphertext };
}

/** EncryptedPrivateKeyInfo (RFC 5958 §3). */
function readEncryptedPrivateKeyInfo(bytes: Uint8Array, tlv: Tlv): { scheme: Scheme; ciphertext: Uint8Array } {
  const info = sequence(bytes, tlv, 'EncryptedPrivateKeyInfo', 2, 2);
  return { scheme: readScheme(bytes, info[0]!), ciphertext: octets(bytes, info[1]!, 'encrypted private key') };
}

/** An encryption AlgorithmIdentifier, as a scheme ready to decrypt. */
function readScheme(bytes: Uint8Array, tlv: Tlv): Scheme {
  const { id, params } = algorithm(bytes, tlv, 'encryption algorithm');
  const pbe = PKCS12_PBES[id];
  if (pbe) {
    if (!params) throw damaged(`${pbe.name} without parameters`);
    const p = sequence(bytes, params, `${pbe.name} parameters`, 2, 2);
    const salt = octets(bytes, p[0]!, 'salt');
    const iterations = iterationCount(bytes, p[1]!);
    const cost = (pkcs12KdfBlocks('sha1', pbe.keyLength) + pkcs12KdfBlocks('sha1', 8)) * iterations * PKCS12_KDF_WEIGHT;
    return {
      short: pbe.short,
      long: `${pbe.short} (${pbe.name})`,
      pbes2: false,
      cost,
      decrypt(secret, ciphertext) {
        if (ciphertext.length % 8 !== 0) throw damaged('encrypted data is not a whole number of cipher blocks');
        const key = pkcs12Kdf('sha1', secret.bmp, salt, iterations, 1, pbe.keyLength);
        const iv = pkcs12Kdf('sha1', secret.bmp, salt, iterations, 2, 8);
        if (pbe.rc2Bits) return unpad(rc2CbcDecrypt(key, pbe.rc2Bits, iv, ciphertext), 8);
        // 2-key 3DES is 3DES with K3 = K1.
        const key3 = pbe.keyLength === 16 ? Buffer.concat([key, key.subarray(0, 8)]) : key;
        return unpad(nodeDecrypt('des-ede3-cbc', key3, iv, ciphertext), 8);
      },
    };
  }
  if (id === OID.pbes2) return readPbes2(bytes, params);
  throw unsupported(id);
}

/** PBES2 (RFC 8018 §6.2) with PBKDF2 and a CBC cipher. */
function readPbes2(bytes: Uint8Array, params: Tlv | undefined): Scheme {
  if (!params) throw damaged('PBES2 without parameters');
  const p = sequence(bytes, params, 'PBES2 parameters', 2, 2);
  const kdf = algorithm(bytes, p[0]!, 'PBES2 key derivation');
  if (kdf.id !== OID.pbkdf2) throw unsupported(kdf.id, 'PBES2 with key derivation ');
  const pbkdf2 = readPbkdf2(bytes, kdf.params);
  const enc = algorithm(bytes, p[1]!, 'PBES2 encryption scheme');
  const cipher = PBES2_CIPHERS[enc.id];
  if (!cipher) throw unsupported(enc.id, 'PBES2 with cipher ');
  if (!enc.params) throw damaged(`${cipher.name} without an IV`);
  const iv = octets(bytes, enc.params, 'IV');
  if (iv.length !== cipher.block) throw damaged(`${cipher.name} IV of ${iv.length} bytes`);
  const keyLength = pbkdf2.keyLength ?? cipher.keyLength;
  if (keyLength !== cipher.keyLength) throw damaged(`PBKDF2 key length ${keyLength} for ${cipher.name}`);
  const kdfName = `PBKDF2-HMAC-${pbkdf2.prf.hash.replace('-', '')}`;
  return {
    short: cipher.name,
    long: `${cipher.name} (PBES2, ${kdfName})`,
    pbes2: true,
    cost: Math.ceil(keyLength / pbkdf2.prf.length) * pbkdf2.iterations,
    decrypt(secret, ciphertext) {
      if (ciphertext.length % cipher.block !== 0) throw damaged('encrypted data is not a whole number of cipher blocks');
      const key = pbkdf2Sync(secret.utf8, pbkdf2.salt, pbkdf2.iterations, keyLength, pbkdf2.prf.node);
      return unpad(nodeDecrypt(cipher.node, key, iv, ciphertext), cipher.block);
    },
  };
}

interface Pbkdf2Params {
  salt: Uint8Array;
  iterations: number;
  keyLength?: number;
  prf: (typeof HMACS)[string];
}

function readPbkdf2(bytes: Uint8Array, params: Tlv | undefined): Pbkdf2Params {
  if (!params) throw damaged('PBKDF2 without parameters');
  const p = sequence(bytes, params, 'PBKDF2 parameters', 2, 4);
  if (p[0]!.tag !== TAG.OCTET_STRING) throw unsupported('PBKDF2 with a salt from another source');
  const salt = octets(bytes, p[0]!, 'PBKDF2 salt');
  const iterations = iterationCount(bytes, p[1]!);
  let next = 2;
  let keyLength: number | undefined;
  if (p[next]?.tag === TAG.INTEGER) keyLength = smallInt(bytes, p[next++]!, 'PBKDF2 key length');
  const prfId = p[next] ? algorithm(bytes, p[next]!, 'PBKDF2 PRF').id : HMAC_WITH_SHA1;
  const prf = HMACS[prfId];
  if (!prf) throw unsupported(prfId, 'PBKDF2 with PRF ');
  return keyLength === undefined ? { salt, iterations, prf } : { salt, iterations, keyLength, prf };
}

interface Mac {
  pbmac1: boolean;
  /** Node's name for the HMAC's hash, and the readable one. */
  node: string;
  hash: string;
  digest: Uint8Array;
  cost: number;
  key(secret: Secret): Uint8Array;
}

/**
 * MacData (RFC 7292 §4): either the classic HMAC keyed by the PKCS #12 KDF, or PBMAC1 (RFC 9579),
 * keyed by PBKDF2, whose macSalt and iterations are placeholders.
 */
function readMac(bytes: Uint8Array, tlv: Tlv): Mac {
  const macData = sequence(bytes, tlv, 'MacData', 2, 3);
  const digestInfo = sequence(bytes, macData[0]!, 'MAC DigestInfo', 2, 2);
  const { id, params } = algorithm(bytes, digestInfo[0]!, 'MAC algorithm');
  const digest = octets(bytes, digestInfo[1]!, 'MAC');
  if (id === OID.pbmac1) {
    if (!params) throw damaged('PBMAC1 without parameters');
    const p = sequence(bytes, params, 'PBMAC1 parameters', 2, 2);
    const kdf = algorithm(bytes, p[0]!, 'PBMAC1 key derivation');
    if (kdf.id !== OID.pbkdf2) throw unsupported(kdf.id, 'PBMAC1 with key derivation ');
    const pbkdf2 = readPbkdf2(bytes, kdf.params);
    // RFC 9579 §5 makes the key length mandatory: without it sender and receiver could disagree.
    const keyLength = pbkdf2.keyLength;
    if (keyLength === undefined || keyLength < 1) throw damaged('PBMAC1 without a key length');
    if (keyLength > MAX_MAC_KEY_LENGTH) throw damaged(`PBMAC1 key length ${keyLength.toLocaleString('en-US')} (at most ${MAX_MAC_KEY_LENGTH} accepted)`);
    const scheme = algorithm(bytes, p[1]!, 'PBMAC1 MAC scheme');
    const hmac = HMACS[scheme.id];
    if (!hmac) throw unsupported(scheme.id, 'PBMAC1 with MAC ');
    return {
      pbmac1: true,
      node: hmac.node,
      hash: hmac.hash,
      digest,
      cost: Math.ceil(keyLength / pbkdf2.prf.length) * pbkdf2.iterations,
      key: (secret) => pbkdf2Sync(secret.utf8, pbkdf2.salt, pbkdf2.iterations, keyLength, pbkdf2.prf.node),
    };
  }
  const md = MAC_DIGESTS[id];
  if (!md) throw new InputError(`unsupported PKCS #12 MAC algorithm ${id}`);
  const salt = octets(bytes, macData[1]!, 'MAC salt');
  const iterations = macData[2] ? iterationCount(bytes, macData[2]) : 1;
  return {
    pbmac1: false,
    node: md.node,
    hash: md.hash,
    digest,
    // The MAC key is one digest long: one block of the derivation.
    cost: iterations * PKCS12_KDF_WEIGHT,
    key: (secret) => pkcs12Kdf(md.node, secret.bmp, salt, iterations, 3, PKCS12_KDF_HASHES[md.node].u),
  };
}

/** `3DES (pbeWith…)` when one scheme protects everything, else `RC2-40 certificates + 3DES key`. */
function summarize(certs: Protection[], keys: Protection[], keyCount: number): string {
  const unique = (list: Protection[]) => [...new Map(list.map((p) => [p.long, p])).values()];
  const c = unique(certs);
  const k = unique(keys);
  const all = unique([...c, ...k]);
  if (all.length === 0) return NONE.long;
  const same = c.length === 0 || k.length === 0 || (c.length === k.length && c.every((p) => k.some((q) => q.long === p.long)));
  if (same) return all.map((p) => p.long).join(' + ');
  const names = (list: Protection[]) => list.map((p) => p.short).join(' and ');
  return `${names(c)} certificates + ${names(k)} ${keyCount === 1 ? 'key' : 'keys'}`;
}

function nodeDecrypt(cipher: string, key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const decipher = createDecipheriv(cipher, key, iv).setAutoPadding(false);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/** Strips PKCS #7 padding (RFC 5652 §6.3); null when it is not there, the sign of a wrong key. */
function unpad(plain: Uint8Array, block: number): Uint8Array | null {
  const n = plain[plain.length - 1];
  if (n === undefined || n < 1 || n > block || n > plain.length) return null;
  for (let i = plain.length - n; i < plain.length; i++) if (plain[i] !== n) return null;
  return plain.subarray(0, plain.length - n);
}

/** Whether `bytes` is exactly one SEQUENCE: how a decryption with the right key is recognised. */
function isOneSequence(bytes: Uint8Array, ber = true): boolean {
  try {
    const tlv = readTlv(bytes, 0, bytes.length, ber);
    return tlv.tag === TAG.SEQUENCE && tlv.next === bytes.length;
  } catch (e) {
    if (e instanceof DerError) return false;
    throw e;
  }
}

// ---- Structure helpers: BER accepted everywhere, every failure an InputError naming the part. ----

function damaged(what: string): InputError {
  return new InputError(`damaged PKCS #12 file: ${what}`);
}

function unsupported(id: string, prefix = ''): InputError {
  const name = UNSUPPORTED_SCHEMES[id];
  return new InputError(`unsupported PKCS #12 encryption ${prefix}${name ? `${name} (${id})` : id}`);
}

/** The single TLV that makes up `bytes`. */
function rootTlv(bytes: Uint8Array, what: string): Tlv {
  const tlv = readTlv(bytes, 0, bytes.length, true);
  if (tlv.next !== bytes.length) throw damaged(`data after the ${what}`);
  return tlv;
}

function sequence(bytes: Uint8Array, tlv: Tlv, what: string, min = 0, max = Infinity): Tlv[] {
  if (tlv.tag !== TAG.SEQUENCE) throw damaged(`${what} is not a SEQUENCE`);
  const items = children(bytes, tlv, true);
  if (items.length < min || items.length > max) throw damaged(`${what} has ${items.length} fields`);
  return items;
}

function oid(bytes: Uint8Array, tlv: Tlv, what: string): string {
  if (tlv.tag !== TAG.OID) throw damaged(`${what} is not an OBJECT IDENTIFIER`);
  return decodeOid(bytes, tlv);
}

function algorithm(bytes: Uint8Array, tlv: Tlv, what: string): { id: string; params?: Tlv } {
  const items = sequence(bytes, tlv, what, 1, 2);
  const id = oid(bytes, items[0]!, what);
  return items[1] ? { id, params: items[1] } : { id };
}

/** The content of `[0] EXPLICIT`. */
function explicit0(bytes: Uint8Array, tlv: Tlv, what: string): Tlv {
  const items = tlv.tag === 0xa0 ? children(bytes, tlv, true) : [];
  if (items.length !== 1) throw damaged(`${what} is not a [0] EXPLICIT value`);
  return items[0]!;
}

function contentInfo(bytes: Uint8Array, tlv: Tlv, what: string): { type: string; content?: Tlv } {
  const items = sequence(bytes, tlv, what, 1, 2);
  const type = oid(bytes, items[0]!, `${what} content type`);
  return items[1] ? { type, content: explicit0(bytes, items[1], what) } : { type };
}

/**
 * OCTET STRING content, joining the segments of a constructed (BER) one. `tag` is the primitive tag:
 * 0x04, or 0x80 for `[0] IMPLICIT OCTET STRING`, whose segments are plain OCTET STRINGs.
 */
function octets(bytes: Uint8Array, tlv: Tlv, what: string, tag: number = TAG.OCTET_STRING, depth = 0): Uint8Array {
  if (tlv.tag === tag) return content(bytes, tlv);
  if (tlv.tag !== (tag | 0x20)) throw damaged(`${what} is not an OCTET STRING`);
  if (depth >= MAX_DEPTH) throw damaged(`${what} nested too deeply`);
  return Buffer.concat(children(bytes, tlv, true).map((segment) => octets(bytes, segment, what, TAG.OCTET_STRING, depth + 1)));
}

function smallInt(bytes: Uint8Array, tlv: Tlv, what: string): number {
  try {
    return decodeSmallInt(bytes, tlv);
  } catch {
    throw damaged(`${what} is not a small non-negative INTEGER`);
  }
}

function iterationCount(bytes: Uint8Array, tlv: Tlv): number {
  if (tlv.tag === TAG.INTEGER && tlv.end - tlv.contentStart > 6 && !(bytes[tlv.contentStart]! & 0x80)) {
    throw new InputError(`refusing PKCS #12 file: iteration count above the limit of ${MAX_ITERATIONS.toLocaleString('en-US')}`);
  }
  const n = smallInt(bytes, tlv, 'iteration count');
  if (n < 1) throw damaged('iteration count 0');
  if (n > MAX_ITERATIONS) {
    throw new InputError(
      `refusing PKCS #12 file: iteration count ${n.toLocaleString('en-US')} is above the limit of ${MAX_ITERATIONS.toLocaleString('en-US')}`,
    );
  }
  return n;
}
