import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { InputError, printable } from '../errors.js';
import { decodeByBom, readInputFile } from '../files.js';
import { children, decodeOid, DerError, readTlv, TAG, type Tlv } from './der.js';
import type { CertificateFormat, PrivateKeyFacts } from './facts.js';
import { decodeBase64, pemBlocks } from './pem.js';
import { readPkcs12, type Pkcs12Contents } from './pkcs12.js';
import { bytesEqual, CertificateParseError, parseCertificate, type Certificate } from './x509.js';

export interface ReadOptions {
  /** Password for PKCS #12 files; undefined tries the empty password. */
  password?: string;
  /** Largest file accepted, in bytes (default DEFAULT_MAX_BYTES). */
  maxBytes?: number;
  /** Most certificates read from one file (default DEFAULT_MAX_CERTIFICATES); the rest is reported as left out. */
  maxCertificates?: number;
}

/** Certificate stores are small; a larger file is a mistake or an attack, refused before it is read. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** What one file yielded: its certificates, and an error for each part that could not be read. */
export interface CertificateFileResult {
  path: string;
  certificates: Certificate[];
  errors: InputError[];
}

/** Reads every certificate in a file, detecting PEM, DER, PKCS #7 and PKCS #12 from its content. */
export function readCertificateFile(path: string, options: ReadOptions = {}): CertificateFileResult {
  let bytes: Uint8Array;
  try {
    bytes = readInputFile(path, options.maxBytes ?? DEFAULT_MAX_BYTES, 'certificate file');
  } catch (e) {
    return { path, certificates: [], errors: [e as InputError] };
  }
  return readCertificateBytes(bytes, path, options);
}

/**
 * Reads every certificate from a stream (standard input), which `path` names in facts and errors; refused
 * past the size limit, as a file is, counted while reading because a pipe has no size beforehand.
 */
export async function readCertificateStream(stream: AsyncIterable<Uint8Array>, path: string, options: ReadOptions = {}): Promise<CertificateFileResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    if (total > maxBytes) {
      const error = new InputError(`input too large (more than ${maxBytes} bytes; the limit is ${maxBytes})`, { path }, 'Raise the limit with --max-input-size if the input is genuine.');
      return { path, certificates: [], errors: [error] };
    }
    chunks.push(chunk);
  }
  return readCertificateBytes(Buffer.concat(chunks, total), path, options);
}

/** Reads certificates from a file's bytes; `path` names it in facts and errors. */
export function readCertificateBytes(bytes: Uint8Array, path: string, options: ReadOptions = {}): CertificateFileResult {
  const reader = new FileReader(path, options);
  try {
    reader.read(bytes);
  } catch (e) {
    reader.fail(e);
  }
  return { path, certificates: reader.certificates, errors: reader.errors };
}

/** What a DER structure is, told from its shape. */
type DerKind =
  | { kind: 'certificate' }
  | { kind: 'pkcs7' }
  | { kind: 'pkcs12' }
  | { kind: 'other'; what: string };

/**
 * Certificates read from one file, at most: a store export holds hundreds, a CA's dump tens of thousands;
 * each costs some kilobytes of memory, so a crafted file of millions must stop somewhere.
 */
const DEFAULT_MAX_CERTIFICATES = 100_000;
/** Errors reported for one file, at most: past these the file is too damaged for more to help, and each costs memory. */
const MAX_ERRORS = 100;
/** Fields read to tell a structure's kind, and of a SignedData: real ones have at most six. */
const SHAPE_FIELDS = 10;

class FileReader {
  readonly certificates: Certificate[] = [];
  readonly errors: InputError[] = [];
  /** Whether a limit stopped the reading, the rest of the file left unread. */
  private stopped = false;
  private readonly maxCertificates: number;

  constructor(
    private readonly path: string,
    private readonly options: ReadOptions,
  ) {
    this.maxCertificates = options.maxCertificates ?? DEFAULT_MAX_CERTIFICATES;
  }

  read(bytes: Uint8Array): void {
    if (bytes.length === 0) throw new InputError('empty file');
    const text = asText(bytes);
    if (text !== null && text.includes('-----BEGIN ')) return this.readPem(text);
    if (bytes[0] === 0x30) return this.readDer(bytes, 'der', undefined);
    const base64 = text?.replace(/\s+/g, '');
    const decoded = base64 ? decodeBase64(base64) : null;
    if (decoded && decoded[0] === 0x30) return this.readDer(decoded, 'der', undefined);
    throw new InputError(
      text !== null
        ? 'not a certificate file: text without a PEM block (-----BEGIN CERTIFICATE-----)'
        : 'not a certificate file: unrecognised binary content (not DER, PKCS #7 or PKCS #12)',
    );
  }

  fail(e: unknown, line?: number): void {
    const where = { path: this.path, ...(line !== undefined && { line }) };
    const damaged = line !== undefined ? 'PEM block' : 'file';
    if (e instanceof InputError) this.errors.push(e.at(where));
    else if (e instanceof CertificateParseError) this.errors.push(new InputError(e.message, where));
    else if (e instanceof DerError) this.errors.push(new InputError(`damaged ${damaged} at byte ${e.offset}: ${e.message}`, where));
    else throw e;
  }

  /**
   * Whether to read the next part of a file (block, certificate of a container): not once maxCertificates
   * or MAX_ERRORS is reached, which is reported, once. Thus a crafted file of millions of tiny parts
   * costs neither millions of objects nor millions of lines of output.
   */
  private more(): boolean {
    if (this.stopped) return false;
    if (this.certificates.length < this.maxCertificates && this.errors.length < MAX_ERRORS) return true;
    this.stopped = true;
    const limit = this.errors.length >= MAX_ERRORS ? `${MAX_ERRORS} errors` : `${this.maxCertificates.toLocaleString('en-US')} certificates`;
    this.errors.push(new InputError(`more than ${limit}: the rest of the file is not read`, { path: this.path }));
    return false;
  }

  private readPem(text: string): void {
    const others: string[] = [];
    let certificateBlocks = 0;
    for (const block of pemBlocks(text)) {
      if (!this.more()) break;
      try {
        if (block.label !== block.endLabel) {
          throw new InputError(`PEM block "${label(block.label)}" ends with "END ${label(block.endLabel)}"`);
        }
        const what = PEM_NOT_CERTIFICATE[block.label];
        if (what) {
          others.push(what);
          continue;
        }
        certificateBlocks++;
        const der = decodeBase64(block.base64);
        if (!der) throw new InputError(`PEM block "${label(block.label)}" is not valid base64`);
        // Windows' certsrv labels a PKCS #7 chain "CERTIFICATE": the content decides, not the label.
        this.readDer(der, block.label === 'PKCS7' || block.label === 'CMS' ? 'pkcs7' : 'pem', block.label);
      } catch (e) {
        this.fail(e, block.line);
      }
    }
    if (certificateBlocks === 0 && this.errors.length === 0) {
      throw new InputError(
        others.length > 0
          ? `no certificate in the file: it holds ${unique(others).join(' and ')}`
          : 'not a certificate file: no complete PEM block',
      );
    }
  }

  private readDer(bytes: Uint8Array, format: CertificateFormat, pemLabel: string | undefined): void {
    const shape = classify(bytes);
    switch (shape.kind) {
      case 'certificate': {
        // TRUSTED CERTIFICATE is a certificate followed by OpenSSL's trust settings.
        const end = pemLabel === 'TRUSTED CERTIFICATE' ? readTlv(bytes, 0).end : bytes.length;
        this.add(bytes.subarray(0, end), format);
        return;
      }
      case 'pkcs7':
        for (const der of pkcs7Certificates(bytes, this.maxCertificates)) if (this.more()) this.addGuarded(der, 'pkcs7');
        return;
      case 'pkcs12':
        return this.readPkcs12(bytes);
      case 'other':
        throw new InputError(`not a certificate: this is ${shape.what}`);
    }
  }

  private readPkcs12(bytes: Uint8Array): void {
    const contents = readPkcs12(bytes, this.options.password);
    const certs = contents.certificates.map((c) => (this.more() ? this.addGuarded(c.der, 'pkcs12') : undefined));
    const keyFacts = pairKeys(
      contents.certificates.map((c, i) => ({ localKeyId: c.localKeyId, cert: certs[i] })),
      contents.privateKeys,
    );
    certs.forEach((cert, i) => {
      if (!cert) return;
      cert.facts.privateKey = keyFacts[i]!;
      cert.facts.container = contents.container;
    });
  }

  /** Adds a certificate from a container, where one bad member must not hide the others. */
  private addGuarded(der: Uint8Array, format: CertificateFormat): Certificate | undefined {
    try {
      return this.add(der, format);
    } catch (e) {
      this.fail(e);
      return undefined;
    }
  }

  private add(der: Uint8Array, format: CertificateFormat): Certificate {
    const index = this.certificates.length + this.errors.length;
    const cert = parseCertificate(der, { path: this.path, format, index });
    this.certificates.push(cert);
    return cert;
  }
}

const PEM_NOT_CERTIFICATE: Record<string, string> = {
  'X509 CRL': 'a certificate revocation list (CRL)',
  'CERTIFICATE REQUEST': 'a certificate signing request (CSR)',
  'NEW CERTIFICATE REQUEST': 'a certificate signing request (CSR)',
  'PRIVATE KEY': 'a private key alone',
  'ENCRYPTED PRIVATE KEY': 'a private key alone',
  'RSA PRIVATE KEY': 'a private key alone',
  'EC PRIVATE KEY': 'a private key alone',
  'DSA PRIVATE KEY': 'a private key alone',
  'PUBLIC KEY': 'a public key alone',
  'RSA PUBLIC KEY': 'a public key alone',
  'EC PARAMETERS': 'EC parameters',
  'DH PARAMETERS': 'DH parameters',
  'PKCS12': 'a PKCS #12 file in PEM form',
};

const unique = (list: string[]) => [...new Set(list)];

/** A PEM label as a message quotes it: a damaged file's may hold control characters, or run for a whole line. */
const label = (text: string) => printable(text, 64);

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const PKCS7_TYPES: Record<string, string> = {
  '1.2.840.113549.1.7.1': 'PKCS #7 data',
  '1.2.840.113549.1.7.3': 'PKCS #7 enveloped data',
  '1.2.840.113549.1.7.6': 'PKCS #7 encrypted data',
};

/** Tells a certificate from the other DER structures an admin may hold, by shape alone. */
function classify(bytes: Uint8Array): DerKind {
  const outer = readTlv(bytes, 0, bytes.length, true);
  if (outer.tag !== TAG.SEQUENCE) return { kind: 'other', what: 'not a DER SEQUENCE' };
  const parts = children(bytes, outer, true, SHAPE_FIELDS);
  const [a, b, c] = parts;
  if (a?.tag === TAG.OID) {
    const oid = decodeOid(bytes, a);
    if (oid === OID_SIGNED_DATA) return { kind: 'pkcs7' };
    return { kind: 'other', what: PKCS7_TYPES[oid] ?? `a structure of type ${oid}` };
  }
  if (a?.tag === TAG.INTEGER && b?.tag === TAG.SEQUENCE && isInteger(bytes, a, 3) && parts.length <= 3) {
    return { kind: 'pkcs12' };
  }
  if (parts.length === 3 && a?.tag === TAG.SEQUENCE && b?.tag === TAG.SEQUENCE && c?.tag === TAG.BIT_STRING) {
    return classifySigned(bytes, a);
  }
  if (a?.tag === TAG.ENUMERATED && parts.length <= 2) return { kind: 'other', what: 'an OCSP response' };
  if (parts.length === 3 && a?.tag === TAG.INTEGER && b?.tag === TAG.SEQUENCE && c?.tag === TAG.OCTET_STRING) {
    return { kind: 'other', what: 'a private key alone (PKCS #8), no certificate' };
  }
  if (parts.length === 2 && a?.tag === TAG.SEQUENCE && b?.tag === TAG.OCTET_STRING) {
    return { kind: 'other', what: 'an encrypted private key alone (PKCS #8), no certificate' };
  }
  if (parts.length === 2 && a?.tag === TAG.SEQUENCE && b?.tag === TAG.BIT_STRING) {
    return { kind: 'other', what: 'a public key alone, no certificate' };
  }
  if (parts.length >= 9 && parts.every((p) => p.tag === TAG.INTEGER)) {
    return { kind: 'other', what: 'an RSA private key alone (PKCS #1), no certificate' };
  }
  if (a?.tag === TAG.INTEGER && b?.tag === TAG.OCTET_STRING && isInteger(bytes, a, 1)) {
    return { kind: 'other', what: 'an EC private key alone, no certificate' };
  }
  return { kind: 'other', what: 'an unrecognised DER structure (not a certificate, PKCS #7 or PKCS #12)' };
}

/** SIGNED{...} structures: a certificate, a CRL or a CSR, told apart by their to-be-signed part. */
function classifySigned(bytes: Uint8Array, tbs: Tlv): DerKind {
  const fields = children(bytes, tbs, true, SHAPE_FIELDS);
  if (fields[0]?.tag === 0xa0) return { kind: 'certificate' };
  if (fields.slice(0, 5).some((f) => f.tag === TAG.UTC_TIME || f.tag === TAG.GENERALIZED_TIME)) {
    return { kind: 'other', what: 'a certificate revocation list (CRL)' };
  }
  const second = fields[1];
  if (fields[0]?.tag === TAG.INTEGER && second?.tag === TAG.SEQUENCE && fields[2]?.tag === TAG.SEQUENCE) {
    const first = children(bytes, second, true, 1)[0];
    // A CSR's second field is the subject Name (a SEQUENCE of SETs); a certificate's is an AlgorithmIdentifier.
    if (fields[3]?.tag === 0xa0 || (first?.tag === TAG.SET && fields.length === 4)) {
      return { kind: 'other', what: 'a certificate signing request (CSR)' };
    }
  }
  return { kind: 'certificate' };
}

function isInteger(bytes: Uint8Array, tlv: Tlv, value: number): boolean {
  return tlv.end - tlv.contentStart === 1 && bytes[tlv.contentStart] === value;
}

/** The certificates of a PKCS #7 SignedData (RFC 2315 §9.1), DER or BER. */
function pkcs7Certificates(bytes: Uint8Array, maxCertificates: number): Uint8Array[] {
  const outer = readTlv(bytes, 0, bytes.length, true);
  const explicit = children(bytes, outer, true, 2)[1];
  if (explicit?.tag !== 0xa0) throw new InputError('damaged PKCS #7 file: no content');
  const signedData = children(bytes, explicit, true, 1)[0];
  if (signedData?.tag !== TAG.SEQUENCE) throw new InputError('damaged PKCS #7 file: SignedData is not a SEQUENCE');
  const fields = children(bytes, signedData, true, SHAPE_FIELDS);
  const certSet = fields.find((t) => t.tag === 0xa0);
  // One more than are read: the reader reports that the rest is left out.
  const certs = certSet ? children(bytes, certSet, true, maxCertificates + 1).filter((t) => t.tag === TAG.SEQUENCE) : [];
  if (certs.length === 0) {
    const crls = fields.some((t) => t.tag === 0xa1);
    throw new InputError(`the PKCS #7 file holds no certificate${crls ? ', only a certificate revocation list (CRL)' : ''}`);
  }
  return certs.map((t) => bytes.subarray(t.start, t.next));
}

/** UTF-8 (with or without BOM) or UTF-16 text, or null for binary content. */
function asText(bytes: Uint8Array): string | null {
  const bom = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (!bom) for (const b of bytes.subarray(0, 512)) if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) return null;
  return decodeByBom(bytes, false);
}

/** A public key in one canonical SPKI encoding, or null when Node cannot read it. */
function canonicalSpki(key: () => KeyObject): Uint8Array | null {
  try {
    return key().export({ type: 'spki', format: 'der' });
  } catch {
    return null;
  }
}

/**
 * Which certificate each private key belongs to: by localKeyId where the file has them (as Windows and
 * OpenSSL write), else by public key. A key paired by localKeyId that does not match is reported so.
 */
function pairKeys(
  certs: Array<{ localKeyId?: string; cert: Certificate | undefined }>,
  keys: Pkcs12Contents['privateKeys'],
): PrivateKeyFacts[] {
  const keySpkis = keys.map((k) =>
    canonicalSpki(() => createPublicKey(createPrivateKey({ key: Buffer.from(k.pkcs8), format: 'der', type: 'pkcs8' }))),
  );
  // A certificate's SPKI as written usually equals the key's canonical encoding; only when it does not is
  // it re-encoded by OpenSSL (a key object and an export per certificate add up in a PFX of a long chain).
  const canonical = new Map<number, Uint8Array | null>();
  const certSpki = (c: number) => {
    const cert = certs[c]!.cert;
    if (!cert) return null;
    if (!canonical.has(c)) canonical.set(c, canonicalSpki(() => createPublicKey({ key: Buffer.from(cert.spki), format: 'der', type: 'spki' })));
    return canonical.get(c)!;
  };
  const matches = (k: number, c: number) => {
    const a = keySpkis[k];
    const raw = certs[c]!.cert?.spki;
    if (a == null || raw === undefined) return false;
    if (bytesEqual(a, raw)) return true;
    const b = certSpki(c);
    return b != null && bytesEqual(a, b);
  };
  const unpaired = new Set(keys.keys());
  const facts: PrivateKeyFacts[] = certs.map(({ localKeyId }, c) => {
    let k = localKeyId !== undefined ? keys.findIndex((key) => key.localKeyId === localKeyId) : -1;
    if (k < 0) k = keys.findIndex((_, j) => matches(j, c));
    if (k < 0) return { present: false, matchesCertificate: null };
    unpaired.delete(k);
    return { present: true, matchesCertificate: matches(k, c) };
  });
  // A key that pairs with no certificate was meant for the end-entity certificate: say it does not match.
  if (unpaired.size > 0) {
    const c = certs.findIndex(({ cert }, i) => !facts[i]!.present && cert && !cert.facts.basicConstraints?.ca);
    if (c >= 0) facts[c] = { present: true, matchesCertificate: false };
  }
  return facts;
}
