/**
 * Certificate signature verification on node:crypto, with the two memos path validation needs to
 * stay fast across thousands of validations: one KeyObject per certificate and one verdict per
 * (certificate, issuer) pair, both keyed by SHA-256 thumbprint.
 */
import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { children, contextTag, decodeOid, decodeSmallInt, DerError, readTlv, TAG } from '../certs/der.js';
import type { KeyAlgorithm } from '../certs/facts.js';
import type { Crl } from '../certs/crl.js';
import type { Certificate } from '../certs/x509.js';
import { HASH_ALGORITHMS, OID_MGF1, OID_RSASSA_PSS, SIGNATURE_ALGORITHMS } from '../certs/oids.js';

export type Profile = 'rfc5280' | 'webpki';

/** What a signature covers and carries: a certificate's or a CRL's. */
type Signed = Pick<Certificate, 'tbs' | 'signatureAlgorithmDer' | 'signatureValue'>;

export type SignatureVerdict =
  | { ok: true }
  | { ok: false; code: 'bad-signature' | 'unsupported-algorithm'; message: string };

type Family = 'rsa' | 'rsa-pss' | 'ecdsa' | 'dsa' | 'ed25519' | 'ed448';

interface SignatureAlgorithm {
  name: string;
  family: Family;
  /** node:crypto digest name; null for EdDSA. */
  hash: string | null;
  saltLength?: number;
}

/** The family of a signature algorithm by the key that makes it (RSASSA-PSS is read on its own). */
const FAMILY_BY_KEY: Partial<Record<KeyAlgorithm, Family>> = { RSA: 'rsa', EC: 'ecdsa', DSA: 'dsa', Ed25519: 'ed25519', Ed448: 'ed448' };

/** Digests no profile accepts: collisions are practical, so such a signature proves nothing. */
const BROKEN_HASHES = new Set(['MD2', 'MD4', 'MD5']);
/** Digests the Web PKI no longer accepts in certificate signatures (CA/B Forum BR §7.1.3.2). */
const WEBPKI_HASHES = new Set(['sha256', 'sha384', 'sha512']);
const WEBPKI_CURVES = new Set(['P-256', 'P-384', 'P-521']);

const nodeHash = (name: string) => name.replace('-', '').toLowerCase();

/** An algorithm this validator does not verify, as opposed to a malformed encoding (DerError). */
class Unsupported extends Error {}

/** The signature algorithm of a certificate, from its outer AlgorithmIdentifier. Throws DerError or Unsupported. */
function readAlgorithm(der: Uint8Array): SignatureAlgorithm {
  const seq = readTlv(der, 0);
  const [oidTlv, params] = children(der, seq);
  if (!oidTlv) throw new DerError('empty AlgorithmIdentifier', 0);
  const oid = decodeOid(der, oidTlv);
  if (oid === OID_RSASSA_PSS) return readPss(der, params);
  const known = SIGNATURE_ALGORITHMS[oid];
  const family = known && FAMILY_BY_KEY[known.key];
  if (!known || !family) throw new Unsupported(`signature algorithm ${oid} is not supported`);
  if (known.hash && BROKEN_HASHES.has(known.hash)) throw new Unsupported(`${known.name} is refused: ${known.hash} signatures can be forged`);
  return { name: known.name, family, hash: known.hash ? nodeHash(known.hash) : null };
}

/** RSASSA-PSS-params (RFC 4055 §3.1) with their defaults: SHA-1, MGF1 with SHA-1, salt 20, trailer 1. */
function readPss(der: Uint8Array, params: ReturnType<typeof readTlv> | undefined): SignatureAlgorithm {
  let hash = 'SHA-1';
  let mgfHash = 'SHA-1';
  let saltLength = 20;
  const hashOf = (tlv: ReturnType<typeof readTlv>) => {
    const oid = decodeOid(der, children(der, tlv)[0] ?? tlv);
    const name = HASH_ALGORITHMS[oid];
    if (!name) throw new Unsupported(`RSASSA-PSS with digest ${oid} is not supported`);
    return name;
  };
  for (const field of params && params.tag === TAG.SEQUENCE ? children(der, params) : []) {
    const inner = children(der, field)[0];
    if (!inner) throw new DerError('empty RSASSA-PSS parameter', field.start);
    if (field.tag === contextTag(0, true)) hash = hashOf(inner);
    else if (field.tag === contextTag(1, true)) {
      const [mgfOid, mgfParams] = children(der, inner);
      if (!mgfOid || decodeOid(der, mgfOid) !== OID_MGF1 || !mgfParams) throw new Unsupported('RSASSA-PSS with a mask generation function other than MGF1 is not supported');
      mgfHash = hashOf(mgfParams);
    } else if (field.tag === contextTag(2, true)) saltLength = decodeSmallInt(der, inner);
    else if (field.tag === contextTag(3, true)) {
      if (decodeSmallInt(der, inner) !== 1) throw new Unsupported('RSASSA-PSS trailerField other than 1 is not supported');
    } else throw new DerError('unexpected RSASSA-PSS parameter', field.start);
  }
  // node:crypto derives MGF1's digest from the signature digest; a different one cannot be verified here.
  if (mgfHash !== hash) throw new Unsupported(`RSASSA-PSS with ${hash} and MGF1 over ${mgfHash} is not supported`);
  if (BROKEN_HASHES.has(hash)) throw new Unsupported(`RSASSA-PSS with ${hash} is refused`);
  return { name: `RSASSA-PSS (${hash}, salt ${saltLength})`, family: 'rsa-pss', hash: nodeHash(hash), saltLength };
}

/** Which key types can carry a signature of each family. */
const KEY_TYPES: Record<Family, string[]> = {
  rsa: ['rsa'],
  'rsa-pss': ['rsa', 'rsa-pss'],
  ecdsa: ['ec'],
  dsa: ['dsa'],
  ed25519: ['ed25519'],
  ed448: ['ed448'],
};

/** Why a public key is not acceptable in the profile, or null. */
export function keyDefect(cert: Certificate, profile: Profile): { code: 'weak-key' | 'unsupported-algorithm'; message: string } | null {
  if (profile !== 'webpki') return null;
  const key = cert.facts.publicKey;
  if (key.algorithm === 'RSA') {
    if (key.bits === null || key.bits < 2048) return { code: 'weak-key', message: `RSA key of ${key.bits ?? 'unknown'} bits: the Web PKI requires at least 2048` };
    if (key.bits % 8 !== 0) return { code: 'weak-key', message: `RSA modulus of ${key.bits} bits: the Web PKI requires a length divisible by 8 (CA/B Forum BR §6.1.5)` };
    return null;
  }
  if (key.algorithm === 'EC' && key.curve && WEBPKI_CURVES.has(key.curve)) return null;
  const what = key.algorithm === 'EC' ? `EC key on curve ${key.curve ?? 'unknown'}` : `${key.algorithm === 'unknown' ? key.oid : key.algorithm} key`;
  return { code: 'unsupported-algorithm', message: `${what} is not allowed in the Web PKI (RSA, or ECDSA on P-256, P-384, P-521)` };
}

/** Counters that tests and benchmarks read to see the memos work. */
export interface VerifierStats {
  /** Signature verifications actually performed (memo misses). */
  verifications: number;
  /** KeyObjects created from SubjectPublicKeyInfo. */
  keys: number;
}

export class SignatureVerifier {
  readonly stats: VerifierStats = { verifications: 0, keys: 0 };
  private readonly keys = new Map<string, KeyObject | string>();
  private readonly verdicts = new Map<string, SignatureVerdict>();

  /** Whether `issuer`'s key verifies `child`'s signature, under the profile's algorithm policy. */
  check(child: Certificate, issuer: Certificate, profile: Profile): SignatureVerdict {
    return this.memoised(child.facts.sha256, child, issuer, profile);
  }

  /** Whether `signer`'s key verifies a CRL's signature, under the profile's algorithm policy. */
  checkCrl(crl: Crl, signer: Certificate, profile: Profile): SignatureVerdict {
    return this.memoised(`crl ${crl.sha256}`, crl, signer, profile);
  }

  private memoised(id: string, signed: Signed, issuer: Certificate, profile: Profile): SignatureVerdict {
    const memo = `${id}:${issuer.facts.sha256}:${profile}`;
    let verdict = this.verdicts.get(memo);
    if (!verdict) {
      verdict = this.compute(signed, issuer, profile);
      this.verdicts.set(memo, verdict);
    }
    return verdict;
  }

  private key(cert: Certificate): KeyObject | string {
    let key = this.keys.get(cert.facts.sha256);
    if (key === undefined) {
      this.stats.keys++;
      try {
        key = createPublicKey({ key: Buffer.from(cert.spki), format: 'der', type: 'spki' });
      } catch (e) {
        key = `its public key cannot be read (${e instanceof Error ? e.message : String(e)})`;
      }
      this.keys.set(cert.facts.sha256, key);
    }
    return key;
  }

  private compute(child: Signed, issuer: Certificate, profile: Profile): SignatureVerdict {
    const unsupported = (message: string): SignatureVerdict => ({ ok: false, code: 'unsupported-algorithm', message });
    let alg: SignatureAlgorithm;
    try {
      alg = readAlgorithm(child.signatureAlgorithmDer);
    } catch (e) {
      return unsupported(e instanceof Unsupported ? e.message : `malformed signature algorithm (${e instanceof Error ? e.message : String(e)})`);
    }
    if (profile === 'webpki') {
      const webAlgorithm = (alg.family === 'rsa' || alg.family === 'rsa-pss' || alg.family === 'ecdsa') && alg.hash !== null && WEBPKI_HASHES.has(alg.hash);
      if (!webAlgorithm) return unsupported(`${alg.name} is not allowed in the Web PKI (RSA or ECDSA with SHA-256, SHA-384 or SHA-512)`);
    }
    const key = this.key(issuer);
    if (typeof key === 'string') return { ok: false, code: 'bad-signature', message: `the issuer ${issuer.facts.subject}: ${key}` };
    if (!KEY_TYPES[alg.family].includes(key.asymmetricKeyType ?? '')) {
      return { ok: false, code: 'bad-signature', message: `signed with ${alg.name}, but the issuer's key is ${key.asymmetricKeyType}` };
    }
    this.stats.verifications++;
    let ok: boolean;
    try {
      const target = alg.family === 'rsa-pss' ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: alg.saltLength } : key;
      ok = verify(alg.hash, child.tbs, target, child.signatureValue);
    } catch (e) {
      return unsupported(`${alg.name} could not be verified (${e instanceof Error ? e.message : String(e)})`);
    }
    return ok ? { ok } : { ok: false, code: 'bad-signature', message: `the ${alg.name} signature does not verify with the key of ${issuer.facts.subject || 'its issuer'}` };
  }
}
