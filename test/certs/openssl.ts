/**
 * OpenSSL's reading of a certificate (recorded by fixtures/openssl_reading.py) turned into the terms of
 * the facts model. Each function is one normalisation where the two formats legitimately differ; anything
 * else must be equal as OpenSSL printed it.
 */
import { readFileSync } from 'node:fs';
import type { CertificateFacts, CertificateFormat, HashName, KeyAlgorithm, SubjectAltNames, TemplateFacts } from '../../src/certs/facts.js';

/** One file of fixtures/certs/expected.json: fixtures/certs/make.sh's files as OpenSSL read them. */
export interface ExpectedFile {
  file: string;
  format: CertificateFormat | null;
  /** What a file without certificates is, for the ones that hold none. */
  error: ErrorKind | null;
  certificates: OpensslCertificate[];
  /** PEM blocks OpenSSL cannot read, by index among the blocks and line of their BEGIN. */
  badBlocks?: Array<{ index: number; line: number }>;
}
export type ErrorKind = 'crl' | 'private-key' | 'public-key' | 'csr' | 'empty' | 'garbage' | 'damaged';

export const EXPECTED: { files: ExpectedFile[] } = JSON.parse(
  readFileSync(new URL('../../fixtures/certs/expected.json', import.meta.url), 'utf8'),
);
/** One certificate as `openssl x509` printed it. */
export interface OpensslCertificate {
  index: number;
  sha1: string;
  sha256: string;
  serial: string;
  /** -nameopt RFC2253. */
  subject: string;
  issuer: string;
  /** -dateopt iso_8601: `2024-01-01 00:00:00Z`. */
  notBefore: string;
  notAfter: string;
  version: number;
  publicKeyAlgorithm: string;
  publicKeyBits: number | null;
  curve: string | null;
  signatureAlgorithm: string;
  /** The hash parameter of RSASSA-PSS, when the signature is one. */
  signatureHashParameter: string | null;
  /** Hex of the two signature AlgorithmIdentifiers as `openssl asn1parse` delimits them: inside tbsCertificate, and outer. */
  tbsSignatureAlgorithmDer: string;
  signatureAlgorithmDer: string;
  /** The inner one's name, `openssl x509 -text`'s second "Signature Algorithm", recorded only where the two differ. */
  tbsSignatureAlgorithm?: string;
  /** Microsoft's template extensions as `openssl asn1parse -strparse` reads them; null when neither is present. */
  template: TemplateFacts | null;
  /** Value lines of each extension present, by its `openssl x509 -ext` name. */
  extensions: Partial<Record<string, string[]>>;
}

/** Fingerprints: OpenSSL separates the bytes with colons, Windows (and the facts) do not. */
export const hexWithoutColons = (s: string): string => s.replace(/:/g, '').toUpperCase();

/**
 * Serial numbers: OpenSSL prints the integer's magnitude; the facts give the DER content bytes, as .NET's
 * X509Certificate2.SerialNumber does, which begin with 00 when the magnitude's top bit is set.
 */
export const serialAsDerContent = (s: string): string => (/^[89A-F]/i.test(s) ? `00${s}` : s).toUpperCase();

/** Dates: `-dateopt iso_8601` writes a space between date and time, the facts the ISO 8601 `T`. */
export const isoDate = (s: string): string => s.replace(' ', 'T');

/** OpenSSL's key algorithm names as the facts name them. An RSASSA-PSS key is an RSA key. */
const KEY_ALGORITHMS: Record<string, KeyAlgorithm> = {
  rsaEncryption: 'RSA',
  rsassaPss: 'RSA',
  'id-ecPublicKey': 'EC',
  ED25519: 'Ed25519',
  ED448: 'Ed448',
  dsaEncryption: 'DSA',
};
export const keyAlgorithm = (name: string): KeyAlgorithm => KEY_ALGORITHMS[name] ?? 'unknown';

/**
 * `openssl x509 -text` prints no size for EdDSA keys; the facts give the size of the encoded key, as
 * EVP_PKEY_get_bits does for Ed448 (456), and 256 for Ed25519 (32 bytes; OpenSSL's 253 counts the field).
 */
export const EDDSA_BITS: Partial<Record<KeyAlgorithm, number>> = { Ed25519: 256, Ed448: 456 };

/** The digest of each signature algorithm OpenSSL names; RSASSA-PSS takes its hash parameter instead. */
const SIGNATURE_HASHES: Record<string, HashName | null> = {
  md2WithRSAEncryption: 'MD2',
  md4WithRSAEncryption: 'MD4',
  md5WithRSAEncryption: 'MD5',
  sha1WithRSAEncryption: 'SHA-1',
  sha1WithRSA: 'SHA-1',
  sha224WithRSAEncryption: 'SHA-224',
  sha256WithRSAEncryption: 'SHA-256',
  sha384WithRSAEncryption: 'SHA-384',
  sha512WithRSAEncryption: 'SHA-512',
  'ecdsa-with-SHA1': 'SHA-1',
  'ecdsa-with-SHA224': 'SHA-224',
  'ecdsa-with-SHA256': 'SHA-256',
  'ecdsa-with-SHA384': 'SHA-384',
  'ecdsa-with-SHA512': 'SHA-512',
  dsaWithSHA1: 'SHA-1',
  dsa_with_SHA224: 'SHA-224',
  dsa_with_SHA256: 'SHA-256',
  ED25519: null,
  ED448: null,
};
const HASH_PARAMETERS: Record<string, HashName> = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha224: 'SHA-224',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

/** The signature as the facts give it; undefined for an algorithm this table does not know. */
export function signature(name: string, hashParameter: string | null): { algorithm: string; hash: HashName | null; pss: boolean } | undefined {
  // OpenSSL prints RSASSA-PSS by its long name, rsassaPss; the facts use the short name RSASSA-PSS.
  if (name === 'rsassaPss') {
    return { algorithm: 'RSASSA-PSS', hash: hashParameter === null ? null : (HASH_PARAMETERS[hashParameter] ?? null), pss: true };
  }
  if (!(name in SIGNATURE_HASHES)) return undefined;
  return { algorithm: name, hash: SIGNATURE_HASHES[name]!, pss: false };
}

/**
 * Distinguished names as lists of RDNs, most specific first, each a list of [type, value]. OpenSSL's
 * RFC 2253 form separates with "," and escapes with "\" (non-ASCII as \XX UTF-8 bytes); the facts' Windows
 * form separates with ", " and " + " and quotes values with "...". Both are parsed, not re-rendered, so
 * that neither side's quoting rules are copied here. Attribute types differ in name only: see WINDOWS_TYPES.
 * The attributes of one RDN are a SET, so unordered: OpenSSL's RFC 2253 reversal also reverses them, the
 * facts keep the encoded order. They are compared sorted.
 */
export type ParsedName = Array<Array<[string, string]>>;

const sortedRdns = (rdns: ParsedName): ParsedName => rdns.map((rdn) => [...rdn].sort(([a], [b]) => a.localeCompare(b)));

/** RFC 2253 attribute type names (OpenSSL's short names) as Windows abbreviates them. */
const WINDOWS_TYPES: Record<string, string> = { ST: 'S', emailAddress: 'E', GN: 'G', title: 'T', serialNumber: 'SERIALNUMBER' };

export function parseRfc2253(dn: string): ParsedName {
  const rdns: ParsedName = [];
  let rdn: Array<[string, string]> = [];
  let type = '';
  let bytes: number[] = [];
  let inValue = false;
  const utf8 = new TextEncoder();
  const finishAttribute = () => {
    rdn.push([WINDOWS_TYPES[type] ?? type, new TextDecoder().decode(Uint8Array.from(bytes))]);
    type = '';
    bytes = [];
    inValue = false;
  };
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i]!;
    if (!inValue) {
      if (c === '=') inValue = true;
      else type += c;
    } else if (c === '\\') {
      const hex = dn.slice(i + 1, i + 3);
      if (/^[0-9A-F]{2}$/i.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else {
        bytes.push(...utf8.encode(dn[++i]!));
      }
    } else if (c === ',' || c === '+') {
      finishAttribute();
      if (c === ',') {
        rdns.push(rdn);
        rdn = [];
      }
    } else {
      bytes.push(...utf8.encode(c));
    }
  }
  if (type || inValue) finishAttribute();
  if (rdn.length) rdns.push(rdn);
  return sortedRdns(rdns);
}

export function parseWindowsName(dn: string): ParsedName {
  const rdns: ParsedName = [];
  let rdn: Array<[string, string]> = [];
  let i = 0;
  while (i < dn.length) {
    const eq = dn.indexOf('=', i);
    const type = dn.slice(i, eq);
    let value = '';
    i = eq + 1;
    if (dn[i] === '"') {
      for (i++; i < dn.length; i++) {
        if (dn[i] === '"' && dn[i + 1] === '"') value += dn[++i];
        else if (dn[i] === '"') break;
        else value += dn[i];
      }
      i++;
    } else {
      const end = dn.slice(i).search(/, | \+ /);
      value = end < 0 ? dn.slice(i) : dn.slice(i, i + end);
      i += value.length;
    }
    rdn.push([type, value]);
    if (dn.startsWith(' + ', i)) {
      i += 3;
    } else {
      rdns.push(rdn);
      rdn = [];
      i += 2;
    }
  }
  return sortedRdns(rdns);
}

/** -ext subjectAltName: one line, "DNS:a, IP Address:b, URI:c, email:d". */
export function subjectAltNames(lines: string[] | undefined): SubjectAltNames {
  const out: SubjectAltNames = { dns: [], ip: [], uri: [], email: [] };
  for (const name of lines?.join(', ').split(', ') ?? []) {
    const [kind, ...rest] = name.split(':');
    const value = rest.join(':');
    if (kind === 'DNS') out.dns.push(value);
    else if (kind === 'IP Address') out.ip.push(canonicalIp(value));
    else if (kind === 'URI') out.uri.push(value);
    else if (kind === 'email') out.email.push(value);
  }
  return out;
}

/**
 * IPv6: OpenSSL prints eight upper-case groups uncompressed, the facts RFC 5952's compressed lower case.
 * The WHATWG URL parser, independent of both, gives the RFC 5952 form.
 */
function canonicalIp(ip: string): string {
  return ip.includes(':') ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}

/** OpenSSL's display names of extended key usages, as the facts name them (RFC 5280's names). */
const EKU_NAMES: Record<string, string> = {
  'TLS Web Server Authentication': 'serverAuth',
  'TLS Web Client Authentication': 'clientAuth',
  'Code Signing': 'codeSigning',
  'E-mail Protection': 'emailProtection',
  'Time Stamping': 'timeStamping',
  'OCSP Signing': 'OCSPSigning',
  'Any Extended Key Usage': 'anyExtendedKeyUsage',
};
/** OpenSSL's display names of key usage bits, as the facts name them (RFC 5280's names). */
const KEY_USAGE_NAMES: Record<string, string> = {
  'Digital Signature': 'digitalSignature',
  'Non Repudiation': 'nonRepudiation',
  'Key Encipherment': 'keyEncipherment',
  'Data Encipherment': 'dataEncipherment',
  'Key Agreement': 'keyAgreement',
  'Certificate Sign': 'keyCertSign',
  'CRL Sign': 'cRLSign',
  'Encipher Only': 'encipherOnly',
  'Decipher Only': 'decipherOnly',
};
const commaList = (lines: string[] | undefined, names: Record<string, string>): string[] | null =>
  lines ? lines.join(', ').split(', ').map((n) => names[n] ?? n) : null;

/**
 * OpenSSL prints an extension it does not decode as its raw bytes, unprintable ones as dots: an empty
 * extendedKeyUsage SEQUENCE (30 00, which RFC 5280's SIZE (1..MAX) forbids) shows as "0.". It holds no purpose.
 */
const EMPTY_SEQUENCE_DUMP = '0.';
export const extendedKeyUsage = (lines: string[] | undefined) => (lines?.join() === EMPTY_SEQUENCE_DUMP ? [] : commaList(lines, EKU_NAMES));
export const keyUsage = (lines: string[] | undefined) => commaList(lines, KEY_USAGE_NAMES);

/** "CA:TRUE, pathlen:0" */
export function basicConstraints(lines: string[] | undefined): { ca: boolean; pathLength: number | null } | null {
  if (!lines) return null;
  const text = lines.join(' ');
  const pathlen = /pathlen:(\d+)/.exec(text);
  return { ca: text.includes('CA:TRUE'), pathLength: pathlen ? Number(pathlen[1]) : null };
}

/** "Full Name:" then "URI:..." lines, per distribution point. */
export const crlDistributionPoints = (lines: string[] | undefined): string[] =>
  (lines ?? []).filter((l) => l.startsWith('URI:')).map((l) => l.slice('URI:'.length));

/** "OCSP - URI:..." and "CA Issuers - URI:..." lines. */
export function authorityInfoAccess(lines: string[] | undefined): { ocsp: string[]; caIssuers: string[] } {
  const pick = (method: string) =>
    (lines ?? []).filter((l) => l.startsWith(`${method} - URI:`)).map((l) => l.slice(`${method} - URI:`.length));
  return { ocsp: pick('OCSP'), caIssuers: pick('CA Issuers') };
}

/** Key identifiers: colon-separated hex; older OpenSSL prefixes the AKI's with "keyid:". */
export const keyIdentifier = (lines: string[] | undefined): string | null =>
  lines ? hexWithoutColons(lines[0]!.replace(/^keyid:/, '')) : null;

/** The facts, with names parsed so that OpenSSL's RFC 2253 form and the Windows form compare. */
export function comparable(f: CertificateFacts) {
  return {
    source: { format: f.source.format, index: f.source.index },
    thumbprint: f.thumbprint,
    sha256: f.sha256,
    version: f.version,
    serialNumber: f.serialNumber,
    subject: parseWindowsName(f.subject),
    issuer: parseWindowsName(f.issuer),
    subjectCommonName: f.subjectCommonName,
    notBefore: f.notBefore,
    notAfter: f.notAfter,
    publicKey: f.publicKey,
    signature: { algorithm: f.signature.algorithm, hash: f.signature.hash, pss: f.signature.pss },
    subjectAltNames: f.subjectAltNames,
    extendedKeyUsage: f.extendedKeyUsage,
    keyUsage: f.keyUsage,
    basicConstraints: f.basicConstraints,
    crlDistributionPoints: f.crlDistributionPoints,
    authorityInfoAccess: f.authorityInfoAccess,
    subjectKeyIdentifier: f.subjectKeyIdentifier,
    authorityKeyIdentifier: f.authorityKeyIdentifier,
    selfIssued: f.selfIssued,
    template: f.template,
    tbsSignature: f.tbsSignature && { algorithm: f.tbsSignature.algorithm, hash: f.tbsSignature.hash, pss: f.tbsSignature.pss },
  };
}

/** OpenSSL's reading in the same shape, through the normalisations documented in ./openssl.ts. */
export function fromOpenssl(c: OpensslCertificate, format: CertificateFormat): ReturnType<typeof comparable> {
  const subject = parseRfc2253(c.subject);
  const algorithm = keyAlgorithm(c.publicKeyAlgorithm);
  const ext = c.extensions;
  return {
    source: { format, index: c.index },
    thumbprint: hexWithoutColons(c.sha1),
    sha256: hexWithoutColons(c.sha256),
    version: c.version,
    serialNumber: serialAsDerContent(c.serial),
    subject,
    issuer: parseRfc2253(c.issuer),
    subjectCommonName: subject.flat().find(([type]) => type === 'CN')?.[1] ?? null,
    notBefore: isoDate(c.notBefore),
    notAfter: isoDate(c.notAfter),
    publicKey: { algorithm, bits: c.publicKeyBits ?? EDDSA_BITS[algorithm] ?? null, curve: c.curve },
    signature: signature(c.signatureAlgorithm, c.signatureHashParameter)!,
    subjectAltNames: subjectAltNames(ext.subjectAltName),
    extendedKeyUsage: extendedKeyUsage(ext.extendedKeyUsage),
    keyUsage: keyUsage(ext.keyUsage),
    basicConstraints: basicConstraints(ext.basicConstraints),
    crlDistributionPoints: crlDistributionPoints(ext.crlDistributionPoints),
    authorityInfoAccess: authorityInfoAccess(ext.authorityInfoAccess),
    subjectKeyIdentifier: keyIdentifier(ext.subjectKeyIdentifier),
    authorityKeyIdentifier: keyIdentifier(ext.authorityKeyIdentifier),
    // OpenSSL prints no such flag: a certificate is self-issued when its two names are the same.
    selfIssued: c.subject === c.issuer,
    template: c.template,
    // Where asn1parse finds the two AlgorithmIdentifiers' encodings unequal, the inner one by its name in -text.
    tbsSignature: c.tbsSignatureAlgorithmDer === c.signatureAlgorithmDer ? undefined : signature(c.tbsSignatureAlgorithm!, null),
  };
}
