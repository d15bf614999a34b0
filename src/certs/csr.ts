/**
 * PKCS #10 certificate requests (RFC 2986), as `certreq.exe -new` and `openssl req -new` write them: PEM
 * (`NEW CERTIFICATE REQUEST` or `CERTIFICATE REQUEST`), bare base64, or DER. What a request can tell
 * before a CA sees it: the Subject, the key, the extensions it asks for (names, EKU, key usage), the
 * key's provider where certreq records it, and whether its signature (made with its own key) verifies.
 * Names, keys and extensions are read by the certificate reader's own parsers (x509.ts), so a request
 * and the certificate issued from it are read alike.
 */
import { constants, createPublicKey, hash, verify } from 'node:crypto';
import { InputError, printable } from '../errors.js';
import { decodeByBom, readInputFile } from '../files.js';
import { children, contextTag, decodeBitString, decodeOid, decodeSmallInt, decodeString, DerError, expectTlv, readTlv, TAG, whole, type Tlv } from './der.js';
import type { PublicKeyFacts, SignatureFacts, SubjectAltNames } from './facts.js';
import { EXT, HASH_ALGORITHMS, OID_RSASSA_PSS, SIGNATURE_ALGORITHMS } from './oids.js';
import { decodeBase64, findPemBlocks } from './pem.js';
import { emptySubjectAltNames, parseExtendedKeyUsage, parseGeneralNames, parseKeyUsage, subjectAltNameFacts } from './extensions.js';
import { commonName, formatName, parseName, type Name } from './name.js';
import { extensionName, parseExtensions, parsePublicKey, parseSignatureAlgorithm, type Extension } from './x509.js';

/** What a request says, as `check` and reports show it. */
export interface CertificateRequestFacts {
  source: { path: string; format: 'pem' | 'der'; index: number };
  /** SHA-256 of the request's DER, upper-case hex: names the request in reports. */
  sha256: string;
  /** Distinguished name as Windows writes it: `CN=pool01.contoso.com, O=Contoso`. */
  subject: string;
  subjectCommonName: string | null;
  publicKey: PublicKeyFacts;
  /** The algorithm of the request's own signature (proof of possession, not the CA's signature to come). */
  signature: SignatureFacts;
  /** Whether the signature verifies with the request's key; null when it could not be checked (see signatureProblem). */
  signatureValid: boolean | null;
  signatureProblem?: string;
  /** The names asked for in the subjectAltName extension (empty when none). */
  subjectAltNames: SubjectAltNames;
  /** EKU names asked for; null when the request asks for none (the CA's template decides). */
  extendedKeyUsage: string[] | null;
  keyUsage: string[] | null;
  /** The key's provider, as certreq records it (enrollment CSP attribute); null when the request does not say (OpenSSL). */
  keyProvider: string | null;
  /** The certificate template asked for (certreq's CertificateTemplate attribute or the template name extension); null when none. */
  template: string | null;
  /** Defects that did not stop reading (a malformed extension). */
  problems: string[];
}

export interface CertificateRequest {
  facts: CertificateRequestFacts;
  der: Uint8Array;
  subjectName: Name;
  /** DER of SubjectPublicKeyInfo. */
  spki: Uint8Array;
  extensions: Extension[];
}

export interface CertificateRequestFileResult {
  path: string;
  requests: CertificateRequest[];
  errors: InputError[];
}

/** Requests are a few kilobytes; a larger one is crafted. */
const MAX_REQUEST_BYTES = 1024 * 1024;
const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;

export const REQUEST_PEM_LABELS = ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'];

const OID_EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
/** Microsoft's older form of the extension request (szOID_CERT_EXTENSIONS), same content. */
const OID_MS_CERT_EXTENSIONS = '1.3.6.1.4.1.311.2.1.14';
/** szOID_ENROLLMENT_CSP_PROVIDER: keySpec, the provider's name, and a signature. */
const OID_ENROLLMENT_CSP = '1.3.6.1.4.1.311.13.2.2';
/** szOID_ENROLLMENT_NAME_VALUE_PAIR: certreq's [RequestAttributes] (CertificateTemplate = WebServer). */
const OID_NAME_VALUE_PAIR = '1.3.6.1.4.1.311.13.2.1';
/** szOID_CERTIFICATE_TEMPLATE_NAME (a V1 template's name, BMPString) and szOID_CERTIFICATE_TEMPLATE (V2: OID and version). */
const OID_TEMPLATE_NAME = '1.3.6.1.4.1.311.20.2';

/** Whether a file's bytes hold a certificate request (PEM label or DER shape), so `check` can tell requests from certificates. */
export function isCertificateRequest(bytes: Uint8Array): boolean {
  const text = asText(bytes);
  if (text !== null && text.includes('-----BEGIN ')) return findPemBlocks(text).some((b) => REQUEST_PEM_LABELS.includes(b.label));
  const der = bytes[0] === 0x30 ? bytes : text !== null ? decodeBase64(text.replace(/\s+/g, '')) : null;
  if (!der || der[0] !== 0x30) return false;
  try {
    return looksLikeRequest(der);
  } catch {
    return false;
  }
}

/** Reads every request in a file; an unreadable one is an error naming the file (and the PEM block's line). */
export function readCertificateRequestFile(path: string, options: { maxBytes?: number } = {}): CertificateRequestFileResult {
  let bytes: Uint8Array;
  try {
    bytes = readInputFile(path, options.maxBytes ?? DEFAULT_MAX_FILE_BYTES, 'certificate request');
  } catch (e) {
    return { path, requests: [], errors: [e as InputError] };
  }
  return readCertificateRequestBytes(bytes, path);
}

export function readCertificateRequestBytes(bytes: Uint8Array, path: string): CertificateRequestFileResult {
  const requests: CertificateRequest[] = [];
  const errors: InputError[] = [];
  const add = (der: Uint8Array, format: 'pem' | 'der', line?: number) => {
    try {
      requests.push(parseCertificateRequest(der, { path, format, index: requests.length }));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.push(e.at({ path, ...(line !== undefined && { line }) }));
    }
  };
  const text = asText(bytes);
  if (text !== null && text.includes('-----BEGIN ')) {
    for (const block of findPemBlocks(text)) {
      if (!REQUEST_PEM_LABELS.includes(block.label)) continue;
      const der = decodeBase64(block.base64);
      if (!der) errors.push(new InputError(`PEM block "${printable(block.label, 64)}" is not valid base64`, { path, line: block.line }));
      else add(der, 'pem', block.line);
    }
    if (requests.length === 0 && errors.length === 0) errors.push(new InputError('no certificate request in the file (-----BEGIN CERTIFICATE REQUEST-----)', { path }));
  } else if (bytes[0] === 0x30) add(bytes, 'der');
  else {
    // certreq -new writes base64 with a header; some tools write it bare.
    const der = text !== null ? decodeBase64(text.replace(/\s+/g, '')) : null;
    if (der && der[0] === 0x30) add(der, 'der');
    else errors.push(new InputError('not a certificate request: neither PEM, base64 nor DER', { path }));
  }
  return { path, requests, errors };
}

/** Parses one DER PKCS #10 request. Throws InputError when its structure is unreadable. */
export function parseCertificateRequest(der: Uint8Array, source: CertificateRequestFacts['source']): CertificateRequest {
  if (der.length > MAX_REQUEST_BYTES) throw new InputError(`a certificate request of ${der.length} bytes is far beyond any real one (the limit is ${MAX_REQUEST_BYTES})`);
  try {
    return parse(der, source);
  } catch (e) {
    if (e instanceof DerError) throw new InputError(`malformed certificate request: ${e.message} at byte ${e.offset}`);
    throw e;
  }
}

function looksLikeRequest(der: Uint8Array): boolean {
  const outer = readTlv(der, 0);
  const [info, alg, sig] = children(der, outer, false, 4);
  if (info?.tag !== TAG.SEQUENCE || alg?.tag !== TAG.SEQUENCE || sig?.tag !== TAG.BIT_STRING) return false;
  const [version, subject, spki] = children(der, info, false, 5);
  return version?.tag === TAG.INTEGER && subject?.tag === TAG.SEQUENCE && spki?.tag === TAG.SEQUENCE && children(der, spki, false, 1)[0]?.tag === TAG.SEQUENCE;
}

function parse(der: Uint8Array, source: CertificateRequestFacts['source']): CertificateRequest {
  const outer = expectTlv(der, 0, der.length, TAG.SEQUENCE, 'CertificationRequest');
  if (outer.end !== der.length) throw new DerError('trailing data after the request', outer.end);
  const [infoTlv, sigAlgTlv, sigTlv, ...extra] = children(der, outer);
  if (!infoTlv || !sigAlgTlv || !sigTlv || extra.length > 0) throw new DerError('a CertificationRequest has exactly three parts', outer.start);
  if (infoTlv.tag !== TAG.SEQUENCE) throw new DerError('CertificationRequestInfo is not a SEQUENCE', infoTlv.start);
  const [versionTlv, subjectTlv, spkiTlv, attributesTlv, ...more] = children(der, infoTlv);
  if (!versionTlv || !subjectTlv || !spkiTlv || more.length > 0) throw new DerError('CertificationRequestInfo has version, subject, key and attributes', infoTlv.start);
  const version = decodeSmallInt(der, versionTlv);
  const problems: string[] = [];
  if (version !== 0) problems.push(`version ${version + 1} (PKCS #10 defines version 1 only)`);
  if (attributesTlv && attributesTlv.tag !== contextTag(0, true)) throw new DerError('attributes are not [0]', attributesTlv.start);

  const subjectName = parseName(der, subjectTlv);
  const attributes = attributesTlv ? readAttributes(der, attributesTlv) : [];
  let extensions: Extension[] = [];
  let keyProvider: string | null = null;
  let template: string | null = null;
  for (const { oid, values } of attributes) {
    try {
      if (oid === OID_EXTENSION_REQUEST || oid === OID_MS_CERT_EXTENSIONS) extensions = extensions.concat(parseExtensions(der, values, problems));
      else if (oid === OID_ENROLLMENT_CSP) keyProvider = enrollmentProvider(der, values);
      else if (oid === OID_NAME_VALUE_PAIR) template ??= requestedTemplate(der, values);
    } catch (e) {
      if (!(e instanceof DerError)) throw e;
      problems.push(`malformed attribute ${oid}: ${e.message}`);
    }
  }
  const requested = <T>(oid: string, fallback: T, read: (value: Uint8Array) => T): T => {
    const extension = extensions.find((x) => x.oid === oid);
    if (!extension) return fallback;
    try {
      return read(extension.value);
    } catch (e) {
      problems.push(`malformed ${extensionName(oid)} extension: ${e instanceof Error ? e.message : String(e)}`);
      return fallback;
    }
  };
  const templateExtension = requested(OID_TEMPLATE_NAME, null, (value) => decodeString(value, readTlv(value, 0)));
  const spki = whole(der, spkiTlv);
  const signature = parseSignatureAlgorithm(der, sigAlgTlv);
  const verdict = verifySignature(der, whole(der, infoTlv), sigAlgTlv, decodeBitString(der, sigTlv).bits, spki);
  return {
    facts: {
      source,
      sha256: hash('sha256', der, 'hex').toUpperCase(),
      subject: formatName(subjectName),
      subjectCommonName: commonName(subjectName),
      publicKey: parsePublicKey(der, spkiTlv, problems),
      signature,
      signatureValid: verdict.valid,
      ...(verdict.problem !== undefined && { signatureProblem: verdict.problem }),
      subjectAltNames: requested(EXT.subjectAltName, emptySubjectAltNames(), (value) => subjectAltNameFacts(parseGeneralNames(value), problems)),
      extendedKeyUsage: requested(EXT.extendedKeyUsage, null, (value) => parseExtendedKeyUsage(value, problems)),
      keyUsage: requested(EXT.keyUsage, null, parseKeyUsage),
      keyProvider,
      template: template ?? templateExtension,
      problems,
    },
    der,
    subjectName,
    spki,
    extensions,
  };
}

/** Each Attribute: its type and its SET of values. */
function readAttributes(der: Uint8Array, wrapper: Tlv): Array<{ oid: string; values: Tlv }> {
  return children(der, wrapper).map((attribute) => {
    const [typeTlv, valuesTlv] = children(der, attribute);
    if (attribute.tag !== TAG.SEQUENCE || !typeTlv || valuesTlv?.tag !== TAG.SET) throw new DerError('malformed Attribute', attribute.start);
    return { oid: decodeOid(der, typeTlv), values: valuesTlv };
  });
}

/** The provider named in certreq's enrollment CSP attribute: SEQUENCE { keySpec, cspName BMPString, signature }. */
function enrollmentProvider(der: Uint8Array, values: Tlv): string | null {
  const info = children(der, values)[0];
  if (info?.tag !== TAG.SEQUENCE) throw new DerError('enrollment CSP is not a SEQUENCE', values.start);
  const name = children(der, info).find((t) => t.tag === TAG.BMP_STRING);
  return name ? decodeString(der, name) : null;
}

/** The CertificateTemplate value of certreq's name-value pairs, if any. */
function requestedTemplate(der: Uint8Array, values: Tlv): string | null {
  for (const pair of children(der, values)) {
    const [name, value] = children(der, pair);
    if (name && value && decodeString(der, name).toLowerCase() === 'certificatetemplate') return decodeString(der, value);
  }
  return null;
}

const nodeHash = (name: string) => name.replace('-', '').toLowerCase();

/** Verifies the request's signature with its own public key (node:crypto). */
function verifySignature(der: Uint8Array, signed: Uint8Array, algorithm: Tlv, signatureValue: Uint8Array, spki: Uint8Array): { valid: boolean | null; problem?: string } {
  const [oidTlv, params] = children(der, algorithm);
  if (!oidTlv) return { valid: null, problem: 'no signature algorithm' };
  const oid = decodeOid(der, oidTlv);
  let key;
  try {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (e) {
    return { valid: null, problem: `its public key cannot be read (${e instanceof Error ? e.message : String(e)})` };
  }
  let digest: string | null;
  let target: Parameters<typeof verify>[2] = key;
  if (oid === OID_RSASSA_PSS) {
    const pss = pssParameters(der, params);
    if (typeof pss === 'string') return { valid: null, problem: pss };
    digest = pss.hash;
    target = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength };
  } else {
    const known = SIGNATURE_ALGORITHMS[oid];
    if (!known) return { valid: null, problem: `signature algorithm ${oid} is not known` };
    digest = known.hash && nodeHash(known.hash);
  }
  try {
    return { valid: verify(digest, signed, target, signatureValue) };
  } catch (e) {
    return { valid: null, problem: `the signature could not be verified (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** RSASSA-PSS parameters (RFC 4055): the digest and salt length, or why they cannot be used. */
function pssParameters(der: Uint8Array, params: Tlv | undefined): { hash: string; saltLength: number } | string {
  let digest = 'SHA-1';
  let saltLength = 20;
  for (const field of params?.tag === TAG.SEQUENCE ? children(der, params) : []) {
    const inner = children(der, field)[0];
    if (!inner) continue;
    if (field.tag === contextTag(0, true)) {
      const name = HASH_ALGORITHMS[decodeOid(der, children(der, inner)[0] ?? inner)];
      if (!name) return 'RSASSA-PSS with an unknown digest';
      digest = name;
    } else if (field.tag === contextTag(2, true)) saltLength = decodeSmallInt(der, inner);
  }
  return { hash: nodeHash(digest), saltLength };
}

/** UTF-8 or UTF-16 (with a BOM) text, or null for binary content. */
function asText(bytes: Uint8Array): string | null {
  const bom = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (!bom) for (const b of bytes.subarray(0, 512)) if (b < 0x09 || (b > 0x0d && b < 0x20)) return null;
  return decodeByBom(bytes, false);
}
