/**
 * Certificate revocation lists (RFC 5280 §5) read from files: PEM (`X509 CRL`) or DER, one or more
 * a file. This only reads; src/pki/revocation.ts decides whether a CRL is usable and what it says.
 */
import { hash } from 'node:crypto';
import { InputError } from '../errors.js';
import { readInputFile } from '../files.js';
import { children, content, contextTag, decodeBitString, decodeString, decodeTime, DerError, expectTlv, readTlv, TAG, toHex, whole, type Tlv } from './der.js';
import { decodeBase64, findPemBlocks } from './pem.js';
import { DEFAULT_MAX_BYTES } from './read.js';
import { GENERAL_NAME } from './extensions.js';
import { parseName, type Name } from './name.js';
import { parseExtensionList, type Extension } from './x509.js';

/** CRL and CRL entry extensions (RFC 5280 §5.2, §5.3). */
export const CRL_EXT = {
  authorityKeyIdentifier: '2.5.29.35',
  issuerAltName: '2.5.29.18',
  cRLNumber: '2.5.29.20',
  deltaCRLIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  freshestCRL: '2.5.29.46',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  reasonCode: '2.5.29.21',
  invalidityDate: '2.5.29.24',
  certificateIssuer: '2.5.29.29',
} as const;

/** CRLReason (RFC 5280 §5.3.1), by its ENUMERATED value; 7 is unused. */
export const CRL_REASONS: Record<number, string> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

/** A CRL's or a CRL entry's extension, read as a certificate's. */
export type CrlExtension = Extension;

export interface RevokedEntry {
  /** Upper-case hex of the serial number's DER content bytes, as CertificateFacts.serialNumber. */
  serial: string;
  /** ISO 8601 UTC. */
  revocationDate: string;
  /** A CRL_REASONS name, or null when the entry has no reasonCode. */
  reason: string | null;
  /** OIDs of critical entry extensions other than reasonCode and invalidityDate. */
  unknownCritical: string[];
}

/** issuingDistributionPoint (RFC 5280 §5.2.5): the scope of the CRL. */
export interface IssuingDistributionPoint {
  /** The distribution point's URIs (fullName); empty when it names none or only a relative name. */
  uris: string[];
  /** Whether a distributionPoint field is present at all. */
  named: boolean;
  onlyUserCerts: boolean;
  onlyCACerts: boolean;
  onlySomeReasons: boolean;
  indirectCRL: boolean;
  onlyAttributeCerts: boolean;
}

export interface Crl {
  source: { path: string; index: number };
  /** SHA-256 of the DER, upper-case hex. */
  sha256: string;
  version: number;
  tbs: Uint8Array;
  signatureAlgorithmDer: Uint8Array;
  tbsSignatureAlgorithmDer: Uint8Array;
  signatureValue: Uint8Array;
  issuerName: Name;
  thisUpdate: string;
  nextUpdate: string | null;
  extensions: CrlExtension[];
  /** Hex of the cRLNumber INTEGER, null when absent. */
  crlNumber: string | null;
  /** Upper-case hex keyIdentifier of the authorityKeyIdentifier, null when absent. */
  authorityKeyId: string | null;
  deltaCrl: boolean;
  issuingDistributionPoint: IssuingDistributionPoint | null;
  /** By serial number. */
  revoked: Map<string, RevokedEntry>;
  /** Encoding defects that did not stop reading (a duplicated extension, non-DER times): such a CRL is not used. */
  problems: string[];
}

export interface CrlFileResult {
  path: string;
  crls: Crl[];
  errors: InputError[];
}

/** Reads every CRL in a file (PEM blocks labelled `X509 CRL`, or one DER CRL). */
export function readCrlFile(path: string, options: { maxBytes?: number } = {}): CrlFileResult {
  let bytes: Uint8Array;
  try {
    bytes = readInputFile(path, options.maxBytes ?? DEFAULT_MAX_BYTES, 'CRL file');
  } catch (e) {
    return { path, crls: [], errors: [e as InputError] };
  }
  return readCrlBytes(bytes, path);
}

/** Reads CRLs from a file's bytes; `path` names the file in sources and errors. */
export function readCrlBytes(bytes: Uint8Array, path: string): CrlFileResult {
  const result: CrlFileResult = { path, crls: [], errors: [] };
  const add = (der: Uint8Array, line?: number) => {
    const where = { path, ...(line !== undefined && { line }) };
    try {
      result.crls.push(parseCrl(der, { path, index: result.crls.length }));
    } catch (e) {
      if (!(e instanceof DerError)) throw e;
      result.errors.push(new InputError(`damaged CRL at byte ${e.offset}: ${e.message}`, where));
    }
  };
  if (bytes.length === 0) {
    result.errors.push(new InputError('empty file', { path }));
    return result;
  }
  if (bytes[0] === 0x30) {
    add(bytes);
    return result;
  }
  const text = new TextDecoder('latin1').decode(bytes);
  const blocks = findPemBlocks(text).filter((b) => b.label === 'X509 CRL');
  for (const block of blocks) {
    const der = decodeBase64(block.base64);
    if (der) add(der, block.line);
    else result.errors.push(new InputError('PEM block "X509 CRL" is not valid base64', { path, line: block.line }));
  }
  if (blocks.length === 0) result.errors.push(new InputError('not a CRL file: neither DER nor a PEM block "-----BEGIN X509 CRL-----"', { path }));
  return result;
}

/** Parses one DER CRL. Throws DerError when its structure is unreadable. */
export function parseCrl(der: Uint8Array, source: Crl['source']): Crl {
  const outer = expectTlv(der, 0, der.length, TAG.SEQUENCE, 'CertificateList');
  if (outer.end !== der.length) throw new DerError('trailing data after the CRL', outer.end);
  const [tbsTlv, sigAlgTlv, sigValueTlv, ...extra] = children(der, outer);
  if (!tbsTlv || !sigAlgTlv || !sigValueTlv || extra.length > 0 || tbsTlv.tag !== TAG.SEQUENCE) {
    throw new DerError('a CertificateList has exactly three parts', outer.start);
  }
  const fields = children(der, tbsTlv);
  let i = 0;
  let version = 1;
  if (fields[0]?.tag === TAG.INTEGER) {
    const v = content(der, fields[0]);
    if (v.length !== 1 || v[0] !== 1) throw new DerError('CRL version is not v2', fields[0].start);
    version = 2;
    i = 1;
  }
  const tbsSigAlg = fields[i++];
  const issuerTlv = fields[i++];
  const thisUpdateTlv = fields[i++];
  if (!tbsSigAlg || !issuerTlv || !thisUpdateTlv) throw new DerError('TBSCertList is missing fields', tbsTlv.start);
  const problems: string[] = [];
  const time = (tlv: Tlv) => decodeTime(der, tlv, (m) => problems.push(m));
  const thisUpdate = time(thisUpdateTlv);
  let nextUpdate: string | null = null;
  if (fields[i] && (fields[i]!.tag === TAG.UTC_TIME || fields[i]!.tag === TAG.GENERALIZED_TIME)) nextUpdate = time(fields[i++]!);
  const revoked = new Map<string, RevokedEntry>();
  if (fields[i]?.tag === TAG.SEQUENCE) {
    for (const entry of children(der, fields[i++]!)) {
      const parsed = parseEntry(der, entry, time, problems);
      if (revoked.has(parsed.serial)) problems.push(`serial number ${parsed.serial} is listed twice`);
      revoked.set(parsed.serial, parsed);
    }
  }
  let extensions: CrlExtension[] = [];
  if (fields[i]?.tag === contextTag(0, true)) {
    const inner = children(der, fields[i]!);
    if (inner.length !== 1 || inner[0]!.tag !== TAG.SEQUENCE) throw new DerError('malformed crlExtensions', fields[i]!.start);
    extensions = parseExtensionList(der, inner[0]!, problems);
    i++;
  }
  if (i < fields.length) throw new DerError('unexpected field in TBSCertList', fields[i]!.start);
  if (version === 1 && (extensions.length > 0 || [...revoked.values()].some((e) => e.reason !== null))) problems.push('a version 1 CRL with extensions');

  const ext = (oid: string) => extensions.find((e) => e.oid === oid);
  const guard = <T>(oid: string, read: (value: Uint8Array) => T): T | null => {
    const e = ext(oid);
    if (!e) return null;
    try {
      return read(e.value);
    } catch (err) {
      if (!(err instanceof DerError)) throw err;
      problems.push(`malformed extension ${oid}: ${err.message}`);
      return null;
    }
  };
  return {
    source,
    sha256: hash('sha256', der, 'hex').toUpperCase(),
    version,
    tbs: whole(der, tbsTlv),
    signatureAlgorithmDer: whole(der, sigAlgTlv),
    tbsSignatureAlgorithmDer: whole(der, tbsSigAlg),
    signatureValue: decodeBitString(der, sigValueTlv).bits,
    issuerName: parseName(der, issuerTlv),
    thisUpdate,
    nextUpdate,
    extensions,
    crlNumber: guard(CRL_EXT.cRLNumber, (v) => toHex(content(v, single(v, TAG.INTEGER)))),
    authorityKeyId: guard(CRL_EXT.authorityKeyIdentifier, readAkiKeyId),
    deltaCrl: ext(CRL_EXT.deltaCRLIndicator) !== undefined,
    issuingDistributionPoint: guard(CRL_EXT.issuingDistributionPoint, readIdp),
    revoked,
    problems,
  };
}

function parseEntry(der: Uint8Array, entry: Tlv, time: (tlv: Tlv) => string, problems: string[]): RevokedEntry {
  const [serialTlv, dateTlv, extTlv, ...rest] = children(der, entry);
  if (entry.tag !== TAG.SEQUENCE || !serialTlv || serialTlv.tag !== TAG.INTEGER || !dateTlv || rest.length > 0) {
    throw new DerError('malformed revokedCertificates entry', entry.start);
  }
  const result: RevokedEntry = { serial: toHex(content(der, serialTlv)), revocationDate: time(dateTlv), reason: null, unknownCritical: [] };
  if (!extTlv) return result;
  if (extTlv.tag !== TAG.SEQUENCE) throw new DerError('malformed crlEntryExtensions', extTlv.start);
  for (const e of parseExtensionList(der, extTlv, problems)) {
    if (e.oid === CRL_EXT.reasonCode) {
      const value = single(e.value, TAG.ENUMERATED);
      const code = content(e.value, value);
      result.reason = code.length === 1 ? (CRL_REASONS[code[0]!] ?? `reason ${code[0]}`) : 'unknown reason';
    } else if (e.critical && e.oid !== CRL_EXT.invalidityDate) {
      result.unknownCritical.push(e.oid);
    }
  }
  return result;
}

/** The one TLV an extension value holds, of the tag expected. */
function single(value: Uint8Array, tag: number): Tlv {
  const tlv = readTlv(value, 0);
  if (tlv.tag !== tag || tlv.end !== value.length) throw new DerError('unexpected extension value', 0);
  return tlv;
}

function readAkiKeyId(value: Uint8Array): string | null {
  const keyId = children(value, single(value, TAG.SEQUENCE)).find((t) => t.tag === contextTag(0, false));
  return keyId ? toHex(content(value, keyId)) : null;
}

/** IssuingDistributionPoint ::= SEQUENCE { distributionPoint [0], onlyContainsUserCerts [1], onlyContainsCACerts [2], onlySomeReasons [3], indirectCRL [4], onlyContainsAttributeCerts [5] } */
function readIdp(value: Uint8Array): IssuingDistributionPoint {
  const idp: IssuingDistributionPoint = { uris: [], named: false, onlyUserCerts: false, onlyCACerts: false, onlySomeReasons: false, indirectCRL: false, onlyAttributeCerts: false };
  const flag = (t: Tlv) => content(value, t).length === 1 && content(value, t)[0] !== 0;
  for (const field of children(value, single(value, TAG.SEQUENCE))) {
    switch (field.tag) {
      case contextTag(0, true): {
        idp.named = true;
        const fullName = children(value, field).find((t) => t.tag === contextTag(0, true));
        for (const gn of fullName ? children(value, fullName) : []) {
          if (gn.tag === GENERAL_NAME.uniformResourceIdentifier) idp.uris.push(decodeString(value, gn));
        }
        break;
      }
      case contextTag(1, false):
        idp.onlyUserCerts = flag(field);
        break;
      case contextTag(2, false):
        idp.onlyCACerts = flag(field);
        break;
      case contextTag(3, false):
        idp.onlySomeReasons = true;
        break;
      case contextTag(4, false):
        idp.indirectCRL = flag(field);
        break;
      case contextTag(5, false):
        idp.onlyAttributeCerts = flag(field);
        break;
      default:
        throw new DerError('unexpected field in IssuingDistributionPoint', field.start);
    }
  }
  return idp;
}
