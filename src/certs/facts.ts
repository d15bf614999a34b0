/**
 * The facts read from one certificate: the typed model every rule and report uses.
 * Field names are part of the public JSON contract of `inspect --format json`
 * (docs/inspect.md, schema/inspect-output.schema.json): change them only with a version bump.
 */

export type CertificateFormat = 'pem' | 'der' | 'pkcs7' | 'pkcs12';

export type HashName = 'MD2' | 'MD4' | 'MD5' | 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export type KeyAlgorithm = 'RSA' | 'EC' | 'Ed25519' | 'Ed448' | 'DSA' | 'unknown';

export interface CertificateSource {
  path: string;
  format: CertificateFormat;
  /** Position of the certificate within its file, from 0. */
  index: number;
}

export interface PublicKeyFacts {
  algorithm: KeyAlgorithm;
  /** RSA: the modulus' bit length; EC: the curve's size; Ed25519: 256; DSA: the prime's bit length. */
  bits: number | null;
  /** Named curve of an EC key (`P-256`, `P-384`, `P-521`, or the OID when unnamed). */
  curve: string | null;
  /** The algorithm OID when `algorithm` is `unknown`. */
  oid?: string;
}

export interface SignatureFacts {
  /** A readable name such as `sha256WithRSAEncryption`, `ecdsa-with-SHA384`, `RSASSA-PSS`. */
  algorithm: string;
  oid: string;
  hash: HashName | null;
  /** RSASSA-PSS: `hash` is then the hash of its parameters. */
  pss: boolean;
}

export interface SubjectAltNames {
  dns: string[];
  ip: string[];
  uri: string[];
  email: string[];
}

export interface BasicConstraintsFacts {
  ca: boolean;
  pathLength: number | null;
}

export interface AuthorityInfoAccessFacts {
  ocsp: string[];
  caIssuers: string[];
}

export interface PrivateKeyFacts {
  present: boolean;
  /** Whether the key's public half equals the certificate's; null when no key is present. */
  matchesCertificate: boolean | null;
}

export interface ContainerFacts {
  /** How the PKCS #12 file is protected, e.g. `AES-256-CBC (PBES2)`, `RC2-40 + 3DES`, `3DES`, `none`. */
  encryption: string;
  /** The MAC's hash (`SHA-1`, `SHA-256`), or null for a file without integrity protection. */
  macHash: string | null;
  /**
   * Whether Windows Server 2016 and older can import the file: they read only the PKCS #12 PBE
   * schemes (3DES, RC2) with a SHA-1 MAC (or none), and report an AES (PBES2) file, OpenSSL 3's
   * default, as a wrong password.
   */
  legacyWindowsCompatible: boolean;
}

/**
 * The Active Directory Certificate Services template a certificate was issued from, as Microsoft's
 * extensions record it: the name (1.3.6.1.4.1.311.20.2, version 1 templates such as `WebServer`) and the
 * template information (1.3.6.1.4.1.311.21.7, version 2 and later: the template's OID and version).
 */
export interface TemplateFacts {
  /** The template's name from 1.3.6.1.4.1.311.20.2 (a BMPString), e.g. `WebServer`. */
  name?: string;
  /** The template's OID from 1.3.6.1.4.1.311.21.7. */
  oid?: string;
  majorVersion?: number;
  minorVersion?: number;
}

export interface CertificateFacts {
  source: CertificateSource;
  /** SHA-1 of the DER, upper-case hex without separators: what Windows and Get-CsCertificate show. */
  thumbprint: string;
  /** SHA-256 of the DER, same form. */
  sha256: string;
  version: number;
  /** Distinguished names as Windows shows them: most specific first, `CN=a, O=b, C=US`. */
  subject: string;
  issuer: string;
  subjectCommonName: string | null;
  /** Upper-case hex of the serial number's DER content bytes. */
  serialNumber: string;
  /** ISO 8601 UTC, e.g. `2025-01-31T12:00:00Z`. */
  notBefore: string;
  notAfter: string;
  publicKey: PublicKeyFacts;
  signature: SignatureFacts;
  subjectAltNames: SubjectAltNames;
  /** EKU names (`serverAuth`, `clientAuth`, …) or dotted OIDs; null when the extension is absent. */
  extendedKeyUsage: string[] | null;
  /** keyUsage bits by RFC 5280 name (`digitalSignature`, `keyCertSign`, …); null when absent. */
  keyUsage: string[] | null;
  basicConstraints: BasicConstraintsFacts | null;
  crlDistributionPoints: string[];
  authorityInfoAccess: AuthorityInfoAccessFacts;
  /** Upper-case hex, null when absent. */
  subjectKeyIdentifier: string | null;
  authorityKeyIdentifier: string | null;
  /** Subject and issuer names are equal (a root or a self-issued CA certificate). */
  selfIssued: boolean;
  /** The certificate template (Microsoft's extensions); null when the certificate names none. */
  template: TemplateFacts | null;
  /**
   * The signature algorithm inside tbsCertificate, only when it differs from the outer `signature`
   * (RFC 5280 §4.1.1.2 requires them identical: such a certificate is malformed, see `problems`).
   */
  tbsSignature?: SignatureFacts;
  /**
   * Every defect the reader noticed in a certificate it could still read, in words: a malformed or
   * repeated extension, a name or time not in DER's form, an unknown SAN entry, differing signature
   * algorithms. Empty when none. Path validation refuses a certificate with any.
   */
  problems: string[];
  /** Only for certificates read from PKCS #12. */
  privateKey?: PrivateKeyFacts;
  container?: ContainerFacts;
}
