/**
 * The PKCS #12 key derivation (RFC 7292 appendix B.2), which the pbeWithSHAAnd… schemes and the
 * classic PKCS #12 MAC use. Node has no such primitive (OpenSSL's PKCS12KDF is not exposed), so this
 * drives node:crypto hashes; each iteration is one hash call from JavaScript, about 2 µs.
 */
import { hash } from 'node:crypto';

/**
 * Node digest names the PKCS #12 MAC may use, with their output size u and block size v in bytes
 * (the u and v of RFC 7292 B.2).
 */
export const PKCS12_KDF_HASHES = {
  md5: { u: 16, v: 64 },
  sha1: { u: 20, v: 64 },
  sha224: { u: 28, v: 64 },
  sha256: { u: 32, v: 64 },
  sha384: { u: 48, v: 128 },
  sha512: { u: 64, v: 128 },
  'sha512-224': { u: 28, v: 128 },
  'sha512-256': { u: 32, v: 128 },
} as const;

export type Pkcs12KdfHash = keyof typeof PKCS12_KDF_HASHES;

/** The purpose byte (ID) of B.3: 1 for a cipher key, 2 for an IV, 3 for a MAC key. */
export type Pkcs12KdfPurpose = 1 | 2 | 3;

/**
 * The password as B.1 wants it: UTF-16 big-endian code units (a BMPString; characters outside the
 * BMP become surrogate pairs, as OpenSSL does) followed by two zero bytes.
 */
export function bmpPassword(password: string): Uint8Array {
  const out = new Uint8Array(2 * password.length + 2);
  for (let i = 0; i < password.length; i++) {
    const unit = password.charCodeAt(i);
    out[2 * i] = unit >> 8;
    out[2 * i + 1] = unit & 0xff;
  }
  return out;
}

/** The output blocks `length` bytes need: what one derivation costs, in `iterations` units. */
export function pkcs12KdfBlocks(digest: Pkcs12KdfHash, length: number): number {
  return Math.ceil(length / PKCS12_KDF_HASHES[digest].u);
}

/**
 * Derives `length` bytes. `password` is already encoded (see bmpPassword); an empty array is the
 * "no password" of OpenSSL's NULL password, which differs from the empty BMPString (two zero bytes).
 */
export function pkcs12Kdf(
  digest: Pkcs12KdfHash,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  purpose: Pkcs12KdfPurpose,
  length: number,
): Uint8Array {
  const { u, v } = PKCS12_KDF_HASHES[digest];
  const d = new Uint8Array(v).fill(purpose);
  // I = S || P, each repeated to a whole number of v-byte blocks.
  const input = concat(repeatTo(salt, v * Math.ceil(salt.length / v)), repeatTo(password, v * Math.ceil(password.length / v)));
  const out = new Uint8Array(length);
  for (let offset = 0; ; offset += u) {
    let a = hash(digest, concat(d, input), 'buffer');
    for (let r = 1; r < iterations; r++) a = hash(digest, a, 'buffer');
    out.set(a.subarray(0, Math.min(u, length - offset)), offset);
    if (offset + u >= length) return out;
    // I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block I_j, where B is A repeated to v bytes.
    const b = repeatTo(a, v);
    for (let j = 0; j < input.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = input[j + k]! + b[k]! + carry;
        input[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
}

function repeatTo(bytes: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = bytes[i % bytes.length]!;
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
