/**
 * The PKCS #12 key derivation (RFC 7292 appendix B.2), which the pbeWithSHAAnd… schemes and the
 * classic PKCS #12 MAC use. Node has no such primitive (OpenSSL's PKCS12KDF is not exposed), so this
 * drives node:crypto hashes, and runs the iterations of SHA-1 and SHA-256 itself (see iterate).
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
    const a = iterate(digest, hash(digest, concat(d, input), 'buffer'), iterations - 1);
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

/**
 * `a` hashed `count` more times. Each of these hashes is of one digest, which fits one block: for SHA-1
 * and SHA-256 the compression function runs here, as a call into node:crypto costs about 2 µs, several
 * times the compression itself, and a PFX as Windows exports it takes 14,000 iterations to open (2,048
 * for the MAC key, and as many for each key and IV block of each encrypted bag): a third of the
 * start-up of a lint that reads three of them.
 */
export function iterate(digest: Pkcs12KdfHash, a: Uint8Array, count: number): Uint8Array {
  const compress = digest === 'sha1' ? sha1 : digest === 'sha256' ? sha256 : undefined;
  if (!compress) {
    let out = a;
    for (let r = 0; r < count; r++) out = hash(digest, out, 'buffer');
    return out;
  }
  const view = new DataView(a.buffer, a.byteOffset, a.byteLength);
  const state = Int32Array.from({ length: a.length / 4 }, (_, i) => view.getInt32(4 * i));
  const w = new Int32Array(compress === sha1 ? 80 : 64);
  for (let r = 0; r < count; r++) {
    // The message is the previous digest, padded: a 1 bit, zeros, and its length in bits.
    w.set(state);
    w[state.length] = 0x80000000 | 0;
    w.fill(0, state.length + 1, 15);
    w[15] = state.length * 32;
    compress(w, state);
  }
  const out = new Uint8Array(a.length);
  const outView = new DataView(out.buffer);
  state.forEach((word, i) => outView.setInt32(4 * i, word));
  return out;
}

const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));
const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

/**
 * SHA-1's compression (FIPS 180-4 §6.1.2) of the block in w[0..15] from the initial hash value, into
 * `out`. One loop per round function, so no round chooses its function and constant: a third faster.
 */
function sha1(w: Int32Array, out: Int32Array): void {
  for (let t = 16; t < 80; t++) w[t] = rotl(w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!, 1);
  const H = SHA1_INITIAL;
  let a = H[0]!, b = H[1]!, c = H[2]!, d = H[3]!, e = H[4]!, temp: number;
  let t = 0;
  for (; t < 20; t++) {
    temp = (rotl(a, 5) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[t]!) | 0;
    e = d; d = c; c = rotl(b, 30); b = a; a = temp;
  }
  for (; t < 40; t++) {
    temp = (rotl(a, 5) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[t]!) | 0;
    e = d; d = c; c = rotl(b, 30); b = a; a = temp;
  }
  for (; t < 60; t++) {
    temp = (rotl(a, 5) + ((b & c) | (b & d) | (c & d)) + e + 0x8f1bbcdc + w[t]!) | 0;
    e = d; d = c; c = rotl(b, 30); b = a; a = temp;
  }
  for (; t < 80; t++) {
    temp = (rotl(a, 5) + (b ^ c ^ d) + e + 0xca62c1d6 + w[t]!) | 0;
    e = d; d = c; c = rotl(b, 30); b = a; a = temp;
  }
  out[0] = (a + H[0]!) | 0;
  out[1] = (b + H[1]!) | 0;
  out[2] = (c + H[2]!) | 0;
  out[3] = (d + H[3]!) | 0;
  out[4] = (e + H[4]!) | 0;
}

/** SHA-256's compression (FIPS 180-4 §6.2.2) of the block in w[0..15] from the initial hash value, into `out`. */
function sha256(w: Int32Array, out: Int32Array): void {
  for (let t = 16; t < 64; t++) {
    const s0 = rotr(w[t - 15]!, 7) ^ rotr(w[t - 15]!, 18) ^ (w[t - 15]! >>> 3);
    const s1 = rotr(w[t - 2]!, 17) ^ rotr(w[t - 2]!, 19) ^ (w[t - 2]! >>> 10);
    w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
  }
  const H = SHA256_INITIAL;
  let a = H[0]!, b = H[1]!, c = H[2]!, d = H[3]!, e = H[4]!, f = H[5]!, g = H[6]!, h = H[7]!;
  for (let t = 0; t < 64; t++) {
    const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + SHA256_K[t]! + w[t]!) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  out[0] = (a + H[0]!) | 0;
  out[1] = (b + H[1]!) | 0;
  out[2] = (c + H[2]!) | 0;
  out[3] = (d + H[3]!) | 0;
  out[4] = (e + H[4]!) | 0;
  out[5] = (f + H[5]!) | 0;
  out[6] = (g + H[6]!) | 0;
  out[7] = (h + H[7]!) | 0;
}

const SHA1_INITIAL = Int32Array.of(0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0);
const SHA256_INITIAL = Int32Array.of(0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19);
const SHA256_K = Int32Array.of(
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
);

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
