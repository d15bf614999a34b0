/**
 * The certificate facts held against two readers that share no code with this one (issue 16):
 * `@peculiar/x509` (asn1js underneath) and Node's `X509Certificate` (OpenSSL underneath), over the zlint
 * corpus and every certificate fixture. Subject, issuer, SANs, key, EKU and validity are compared after
 * the normalisations below (each oracle's notation turned into the facts' terms); every remaining
 * disagreement must be explained by an entry of ALLOWED, with its reason, and every entry must still
 * explain one. Hostname matching (src/pki/names.ts) is held against Node's checkHost and checkIP.
 * DIFFERENTIAL_REPORT=FILE writes every disagreement, and what each oracle could not read, to FILE.
 */
import 'reflect-metadata';
import { X509Certificate as NodeCertificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as peculiar from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateFacts, SubjectAltNames } from '../../src/certs/facts.js';
import { readCertificateFile } from '../../src/certs/read.js';
import type { Certificate } from '../../src/certs/x509.js';
import { dnsNameMatches, parseReferenceId } from '../../src/pki/names.js';
import { parseWindowsName, type ParsedName } from './openssl.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS = join(ROOT, '../shared/corpora/zlint-testdata');

type Oracle = 'peculiar' | 'node';
type Field = 'subject' | 'issuer' | 'subjectAltNames' | 'publicKey' | 'extendedKeyUsage' | 'validity';
const FIELDS: Field[] = ['subject', 'issuer', 'subjectAltNames', 'publicKey', 'extendedKeyUsage', 'validity'];

/** One certificate read by this reader, named `corpus/…` or by its fixture path. */
interface Sample {
  name: string;
  cert: Certificate;
}

interface Disagreement {
  name: string;
  oracle: Oracle;
  field: Field;
  ours: unknown;
  theirs: unknown;
}

/** A class of disagreement that is understood: which oracle and field, which certificates, and why. */
interface Allowed {
  oracle: Oracle;
  field: Field;
  /** The certificates it covers, by name. */
  names: string[];
  reason: string;
  /** Whether the other oracle must agree with the facts there (it reads the field, and reads it right). */
  otherAgrees: boolean;
}

const corpus = (...files: string[]) => files.map((f) => `corpus/${f}`);

/**
 * Every disagreement left after normalisation, explained. Where one oracle errs, the other agrees with the
 * facts (`otherAgrees`), and the test checks that it does.
 */
const ALLOWED: Allowed[] = [
  {
    oracle: 'peculiar',
    field: 'publicKey',
    names: [
      ...corpus('evenRsaMod.pem', 'mpModulus4095.pem', 'oddRsaMod.pem'),
      'fixtures/certs/files/leaf-rsa2047.pem',
      // 2052-bit moduli, made for the Web PKI's rule that a modulus is a whole number of bytes.
      'fixtures/chains/sfb.rsa-not-divisible-by-8-rfc5280/trusted.pem',
      'fixtures/chains/webpki.forbidden-rsa-not-divisible-by-8-in-leaf/leaf.pem',
      'fixtures/chains/webpki.forbidden-rsa-not-divisible-by-8-in-root/trusted.pem',
    ],
    reason: '@peculiar/x509 gives an RSA modulus length as its byte length times 8 (4096 for a 4095-bit modulus); the facts give the exact bit length, as OpenSSL does',
    otherAgrees: true,
  },
  {
    oracle: 'peculiar',
    field: 'validity',
    names: corpus(
      'SANCaseNotMatchingCN.pem',
      'commonNameInSAN.pem',
      'dNSNameNoUnderscores.pem',
      'dNSNameWithUnderscores.pem',
      'evSanIpAddressPresent.pem',
      'generalizedNoSeconds.pem',
      'generalizedNotZulu.pem',
      'utcNoSeconds.pem',
      'utcNotZulu.pem',
    ),
    reason: "asn1js misreads the times RFC 5280 forbids but X.680 allows (a UTC offset such as -0500, no seconds) and GeneralizedTime year 0001 (read as 1901); the facts convert them to UTC as OpenSSL does, and record the form in problems",
    otherAgrees: true,
  },
  {
    oracle: 'node',
    field: 'subject',
    names: ['fixtures/chains/webpki.san.unicode-emoji-san/leaf.pem'],
    reason: "OpenSSL's name printer, which Node's X509Certificate.subject uses, writes a character outside the Basic Multilingual Plane (U+1F61C in the CN) as two replacement characters; the UTF8String holds the emoji, as the facts and @peculiar/x509 read it",
    otherAgrees: true,
  },
  {
    oracle: 'node',
    field: 'publicKey',
    names: ['fixtures/rules/ec-explicit.pem'],
    reason:
      'an EC key on explicit parameters (P-256 written out, no curve name): OpenSSL measures its field prime, 256 bits; the facts give the size of named curves only (null here), and key-size names such a curve specifiedCurve whatever its size',
    otherAgrees: false,
  },
  ...(['node', 'peculiar'] as const).map((oracle) => ({
    oracle,
    field: 'subjectAltNames' as const,
    names: ['fixtures/chains/rfc5280.nc.nc-permits-invalid-ip-san/leaf.pem'],
    reason:
      'an iPAddress SAN of 8 bytes (an address and a mask, which only a name constraint may hold): no reader has an address to show, and each writes the entry its own way, OpenSSL as `<invalid length=8>`, @peculiar/x509 as `192.0.2.0/24`, the facts as `invalid(HEX)` with the defect in problems',
    otherAgrees: false,
  })),
];

/** The facts' terms for key algorithms and curves, by each oracle's names. */
const NODE_KEY_TYPES: Record<string, CertificateFacts['publicKey']['algorithm']> = {
  rsa: 'RSA',
  'rsa-pss': 'RSA',
  ec: 'EC',
  ed25519: 'Ed25519',
  ed448: 'Ed448',
  dsa: 'DSA',
};
/** Curve sizes (SEC 2, RFC 5639), by OpenSSL's and WebCrypto's curve names. */
const CURVE_BITS: Record<string, number> = {
  prime192v1: 192,
  secp224r1: 224,
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
  'P-256': 256,
  'P-384': 384,
  'P-521': 521,
  'K-256': 256,
};

/** RFC 5280 §4.2.1.12 and Microsoft's OIDs for the EKU names the facts use. */
const EKU_OIDS: Record<string, string> = {
  anyExtendedKeyUsage: '2.5.29.37.0',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
  msSGC: '1.3.6.1.4.1.311.10.3.3',
  nsSGC: '2.16.840.1.113730.4.1',
};

/** Attribute types as the facts write them (Windows), by OpenSSL's short names and by @peculiar/x509's. */
const NAME_TYPES: Record<string, string> = {
  ST: 'S',
  emailAddress: 'E',
  GN: 'G',
  title: 'T',
  serialNumber: 'SERIALNUMBER',
  street: 'STREET',
  postalCode: 'PostalCode',
  businessCategory: 'BusinessCategory',
  jurisdictionC: 'JurisdictionC',
  jurisdictionCountryName: 'JurisdictionC',
  organizationIdentifier: 'OrganizationIdentifier',
  initials: 'I',
  // Types Windows has no abbreviation for: the facts write their OIDs.
  telephoneNumber: 'OID.2.5.4.20',
  postOfficeBox: 'OID.2.5.4.18',
  pseudonym: 'OID.2.5.4.65',
  jurisdictionL: 'OID.1.3.6.1.4.1.311.60.2.1.1',
  jurisdictionST: 'OID.1.3.6.1.4.1.311.60.2.1.2',
};
/** OIDs the facts abbreviate that OpenSSL or @peculiar/x509 print as numbers. */
const NAME_OIDS: Record<string, string> = {
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.9': 'STREET',
  '2.5.4.15': 'BusinessCategory',
  '2.5.4.17': 'PostalCode',
  '2.5.4.97': 'OrganizationIdentifier',
  '1.3.6.1.4.1.311.60.2.1.3': 'JurisdictionC',
};
const nameType = (type: string) => NAME_OIDS[type] ?? NAME_TYPES[type] ?? (/^\d+(\.\d+)+$/.test(type) ? `OID.${type}` : type);

const sortRdns = (rdns: ParsedName): ParsedName => rdns.map((rdn) => [...rdn].sort(([a, x], [b, y]) => a.localeCompare(b) || x.localeCompare(y)));

/**
 * Node's names: one RDN a line, most general first, ` + ` inside one; values escaped as RFC 2253 says
 * (`\,`, `\XX` for control characters, UTF-8 bytes of other characters written as they are). An empty
 * name is undefined.
 */
function nodeName(text: string | undefined): ParsedName {
  if (!text) return [];
  const rdns = text.split('\n').map((line) =>
    line.split(' + ').map((atv): [string, string] => {
      const eq = atv.indexOf('=');
      return [nameType(atv.slice(0, eq)), unescapeRfc2253(atv.slice(eq + 1))];
    }),
  );
  return sortRdns(rdns.reverse());
}

function unescapeRfc2253(value: string): string {
  const bytes: number[] = [];
  const utf8 = new TextEncoder();
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\' && /^[0-9A-F]{2}$/i.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      if (value[i] === '\\') i++;
      bytes.push(...utf8.encode(value[i]!));
    }
  }
  return new TextDecoder().decode(Uint8Array.from(bytes));
}

/**
 * @peculiar/x509's names: one object per RDN, most general first, values by type. It keeps an empty RDN
 * (a SET of no attribute, which X.501 forbids), which the facts' string cannot show and their problems
 * name instead: compared as that flag.
 */
function peculiarName(name: peculiar.Name) {
  const rdns = name.toJSON().map((rdn) => Object.entries(rdn).flatMap(([type, values]) => values.map((v): [string, string] => [nameType(type), v])));
  return { rdns: sortRdns(rdns.filter((rdn) => rdn.length > 0).reverse()), emptyRdn: rdns.some((rdn) => rdn.length === 0) };
}

function oursName(f: CertificateFacts, which: 'subject' | 'issuer', oracle: Oracle) {
  const rdns = sortRdns(parseWindowsName(f[which]));
  // OpenSSL's printer skips an empty RDN without a trace.
  if (oracle === 'node') return rdns;
  return { rdns, emptyRdn: f.problems.includes(`the ${which} name has an empty RelativeDistinguishedName`) };
}

/**
 * IPv6 as RFC 5952 writes it: OpenSSL prints eight upper-case groups; the WHATWG URL parser, which shares
 * no code with either reader, compresses them. Anything else (an address of a wrong length) as printed.
 */
function canonicalIp(ip: string): string {
  if (!ip.includes(':')) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip;
  }
}

/**
 * Node's subjectAltName: `DNS:a, IP Address:b, URI:c, email:d, othername:…, DirName:…`, a value in JSON
 * quotes when it holds a separator or a character that is not printable. Undefined without the
 * extension, null when OpenSSL cannot decode it: either way no names.
 */
function nodeSans(text: string | null | undefined): SubjectAltNames {
  const out: SubjectAltNames = { dns: [], ip: [], uri: [], email: [] };
  const kinds: Record<string, keyof SubjectAltNames> = { DNS: 'dns', 'IP Address': 'ip', URI: 'uri', email: 'email' };
  let i = 0;
  while (text != null && i < text.length) {
    const colon = text.indexOf(':', i);
    const kind = text.slice(i, colon);
    let value: string;
    let end: number;
    if (text[colon + 1] === '"') {
      // A JSON string: find its closing quote, past escaped ones.
      let j = colon + 2;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      value = JSON.parse(text.slice(colon + 1, j + 1)) as string;
      end = j + 1;
    } else {
      end = text.indexOf(', ', colon);
      if (end < 0) end = text.length;
      value = text.slice(colon + 1, end);
    }
    const list = kinds[kind];
    if (list) out[list].push(list === 'ip' ? canonicalIp(value) : value);
    i = end + 2;
  }
  return out;
}

function peculiarSans(cert: peculiar.X509Certificate): SubjectAltNames {
  const out: SubjectAltNames = { dns: [], ip: [], uri: [], email: [] };
  const kinds: Record<string, keyof SubjectAltNames> = { dns: 'dns', ip: 'ip', url: 'uri', email: 'email' };
  for (const { type, value } of cert.getExtension(peculiar.SubjectAlternativeNameExtension)?.names.toJSON() ?? []) {
    const list = kinds[type];
    if (list) out[list].push(list === 'ip' ? canonicalIp(value) : value);
  }
  return out;
}

const oursSans = (f: CertificateFacts): SubjectAltNames => ({ ...f.subjectAltNames, ip: f.subjectAltNames.ip.map(canonicalIp) });

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * OpenSSL's ASN1_TIME_print (`Jan  1 00:00:00 2024 GMT`, a fraction after the seconds where the time has
 * one) as ISO 8601 to the second, which the facts give. Parsed by hand: Date would read year 1 as 2001.
 */
function nodeTime(text: string): string {
  const m = /^(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d)(?:\.\d+)? (\d+) GMT$/.exec(text)!;
  const [, month, day, hh, mm, ss, year] = m;
  return `${year!.padStart(4, '0')}-${String(MONTHS.indexOf(month!) + 1).padStart(2, '0')}-${day!.padStart(2, '0')}T${hh}:${mm}:${ss}Z`;
}

/** A Date to the second; years before 1000 keep four digits. */
const isoSecond = (d: Date) => {
  const year = d.getUTCFullYear();
  return `${String(year).padStart(4, '0')}${d.toISOString().slice(d.toISOString().indexOf('-'), 19)}Z`;
};

/** One certificate as each oracle parses it. */
interface Parsed {
  node: NodeCertificate;
  peculiar: peculiar.X509Certificate;
  /** Whether asn1js decodes every extension: it decodes them all at once, and one it cannot loses it the others. */
  peculiarExtensions: boolean;
}

function parse(der: Uint8Array): Parsed {
  const p = new peculiar.X509Certificate(der);
  let peculiarExtensions = true;
  try {
    void p.extensions;
  } catch {
    peculiarExtensions = false;
  }
  return { node: new NodeCertificate(der), peculiar: p, peculiarExtensions };
}

/** What each oracle reads of one field, in the facts' terms; undefined where it cannot read the field. */
function theirs(oracle: Oracle, field: Field, parsed: Parsed): unknown {
  if (oracle === 'node') {
    const c = parsed.node;
    switch (field) {
      case 'subject':
        return nodeName(c.subject);
      case 'issuer':
        return nodeName(c.issuer);
      case 'subjectAltNames':
        return nodeSans(c.subjectAltName);
      case 'extendedKeyUsage':
        // Node calls the EKU OIDs keyUsage; undefined when the extension is absent (or unreadable).
        return c.keyUsage ?? null;
      case 'validity':
        return [nodeTime(c.validFrom), nodeTime(c.validTo)];
      case 'publicKey': {
        let key;
        try {
          key = c.publicKey;
        } catch {
          return undefined; // A key OpenSSL cannot load (unknown algorithm, post-quantum, damaged parameters).
        }
        const algorithm = NODE_KEY_TYPES[key.asymmetricKeyType!] ?? 'unknown';
        const details = key.asymmetricKeyDetails ?? {};
        const bits = details.modulusLength ?? (details.namedCurve ? CURVE_BITS[details.namedCurve] : undefined);
        // OpenSSL gives EdDSA keys no size: only the algorithm is compared there.
        return { algorithm, ...(bits !== undefined && { bits }) };
      }
    }
  }
  const c = parsed.peculiar;
  switch (field) {
    case 'subject':
      return peculiarName(c.subjectName);
    case 'issuer':
      return peculiarName(c.issuerName);
    case 'subjectAltNames':
      return parsed.peculiarExtensions ? peculiarSans(c) : undefined;
    case 'extendedKeyUsage': {
      if (!parsed.peculiarExtensions) return undefined;
      const eku = c.getExtension(peculiar.ExtendedKeyUsageExtension);
      return eku ? [...eku.usages].map(String) : null;
    }
    case 'validity':
      return [isoSecond(c.notBefore), isoSecond(c.notAfter)];
    case 'publicKey': {
      let algorithm: { name: string; modulusLength?: number; namedCurve?: string };
      try {
        algorithm = c.publicKey.algorithm as typeof algorithm;
      } catch {
        return undefined;
      }
      const names: Record<string, CertificateFacts['publicKey']['algorithm']> = { 'RSASSA-PKCS1-v1_5': 'RSA', 'RSA-PSS': 'RSA', ECDSA: 'EC' };
      // @peculiar/x509 names only RSA and the NIST curves; DSA and EdDSA keys come without a size.
      const known = names[algorithm.name];
      if (!known) return undefined;
      const bits = algorithm.modulusLength ?? (algorithm.namedCurve ? CURVE_BITS[algorithm.namedCurve] : undefined);
      return { algorithm: known, ...(bits !== undefined && { bits }) };
    }
  }
}

/** The facts' reading of one field, in the terms `theirs` gives. */
function ours(field: Field, f: CertificateFacts, oracle: Oracle, other: unknown): unknown {
  switch (field) {
    case 'subject':
    case 'issuer':
      return oursName(f, field, oracle);
    case 'subjectAltNames':
      return oursSans(f);
    case 'extendedKeyUsage':
      return f.extendedKeyUsage?.map((n) => EKU_OIDS[n] ?? n) ?? null;
    case 'validity':
      return [f.notBefore, f.notAfter];
    case 'publicKey': {
      // Compared as far as the oracle reads it.
      const theirsKey = other as { bits?: number } | undefined;
      return { algorithm: f.publicKey.algorithm, ...(theirsKey?.bits !== undefined && { bits: f.publicKey.bits }) };
    }
  }
}

/** Every certificate of the zlint corpus and of the fixtures, as this reader reads it. */
function samples(): Sample[] {
  const out: Sample[] = [];
  const add = (name: string, path: string, password?: string) => {
    readCertificateFile(path, { password }).certificates.forEach((cert, i, all) => out.push({ name: all.length > 1 ? `${name}#${i}` : name, cert }));
  };
  const walk = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .map((n) => join(dir, n))
      .filter((p) => statSync(p).isFile())
      .sort();
  for (const path of walk(CORPUS).filter((p) => !/(LICENSE|\.md)$/.test(p))) add(`corpus/${relative(CORPUS, path)}`, path);
  for (const dir of ['fixtures/certs/files', 'fixtures/rules', 'fixtures/chains', 'examples/contoso/certs', 'examples/contoso-clean/certs']) {
    for (const path of walk(join(ROOT, dir)).filter((p) => /\.(pem|cer|p7b|der)$/.test(p))) add(relative(ROOT, path), path);
  }
  const pkcs12: { fixtures: Array<{ file: string; password: string }> } = JSON.parse(readFileSync(join(ROOT, 'fixtures/pkcs12/expected.json'), 'utf8'));
  for (const { file, password } of pkcs12.fixtures) add(`fixtures/pkcs12/${file}`, join(ROOT, 'fixtures/pkcs12', file), password);
  return out;
}

let all: Sample[];
let disagreements: Disagreement[];
/** Certificates each oracle could not read one field of: not disagreements, but counted. */
let unread: Array<{ name: string; oracle: Oracle; field: Field }>;

beforeAll(() => {
  all = samples();
  disagreements = [];
  unread = [];
  for (const sample of all) {
    const parsed = parse(sample.cert.der);
    for (const oracle of ['peculiar', 'node'] as const) {
      for (const field of FIELDS) {
        const t = theirs(oracle, field, parsed);
        if (t === undefined) {
          unread.push({ name: sample.name, oracle, field });
          continue;
        }
        const o = ours(field, sample.cert.facts, oracle, t);
        if (JSON.stringify(o) !== JSON.stringify(t)) disagreements.push({ name: sample.name, oracle, field, ours: o, theirs: t });
      }
    }
  }
  if (process.env.DIFFERENTIAL_REPORT) {
    const report = { certificates: all.length, corpus: all.filter((s) => s.name.startsWith('corpus/')).length, disagreements, unread };
    writeFileSync(process.env.DIFFERENTIAL_REPORT, `${JSON.stringify(report, null, 1)}\n`);
  }
}, 120_000);

const explains = (a: Allowed, d: Disagreement) => a.oracle === d.oracle && a.field === d.field && a.names.includes(d.name);

describe('the facts against @peculiar/x509 and node:crypto', () => {
  it('read the whole zlint corpus and every fixture', () => {
    expect(existsSync(CORPUS), `no corpus at ${CORPUS}`).toBe(true);
    expect(all.filter((s) => s.name.startsWith('corpus/')).length).toBeGreaterThan(1300);
    expect(all.filter((s) => !s.name.startsWith('corpus/')).length).toBeGreaterThan(250);
  });

  it.each(FIELDS)('%s: every disagreement is explained', (field) => {
    const unexplained = disagreements.filter((d) => d.field === field && !ALLOWED.some((a) => explains(a, d)));
    expect(unexplained).toEqual([]);
  });

  it('where one oracle is allowed to differ, the other agrees with the facts', () => {
    for (const a of ALLOWED.filter((x) => x.otherAgrees)) {
      const other: Oracle = a.oracle === 'node' ? 'peculiar' : 'node';
      for (const name of a.names) {
        expect(disagreements.filter((d) => d.name === name && d.oracle === other && d.field === a.field), `${other} on ${name}`).toEqual([]);
        expect(unread.filter((u) => u.name === name && u.oracle === other && u.field === a.field)).toEqual([]);
      }
    }
  });

  it('every allowance still explains a disagreement, each of its certificates one', () => {
    for (const a of ALLOWED) for (const name of a.names) expect(disagreements.some((d) => explains(a, { ...d, name }) && d.name === name), `${a.oracle} ${a.field} ${name}`).toBe(true);
  });
});

/** Node's checkHost as a TLS client of RFC 9525 matches: SAN only, whole-label wildcards, leftmost label only. */
const CHECK_HOST = { subject: 'never', wildcards: true, partialWildcards: false, multiLabelWildcards: false, singleLabelSubdomains: false } as const;

/** Reference names to try against a certificate: each DNS SAN itself, in upper case, below it, above it, and under a wildcard. */
function hostReferences(dns: string[]): string[] {
  const refs = new Set<string>();
  for (const presented of dns) {
    const name = presented.toLowerCase();
    const base = name.startsWith('*.') ? name.slice(2) : name;
    for (const ref of [name.replace(/^\*\./, 'host.'), name.toUpperCase().replace(/^\*\./, 'HOST.'), base, `a.${base}`, `a.b.${base}`, base.slice(base.indexOf('.') + 1)]) {
      // Names a client could ask for: ASCII host names, as typed.
      if (/^[\x21-\x7e]+$/.test(ref) && parseReferenceId(ref)?.kind === 'dns' && !ref.endsWith('.')) refs.add(ref);
    }
  }
  return [...refs];
}

/** Addresses to try: each IP SAN as written, in other IPv6 notations, and its neighbour. */
function ipReferences(ips: string[]): string[] {
  const refs = new Set<string>();
  for (const ip of ips) {
    if (ip.startsWith('invalid(')) continue;
    refs.add(ip);
    if (ip.includes(':')) {
      const bytes = parseReferenceId(ip);
      if (bytes?.kind === 'ip') refs.add(Array.from({ length: 8 }, (_, i) => ((bytes.bytes[2 * i]! << 8) | bytes.bytes[2 * i + 1]!).toString(16).toUpperCase().padStart(4, '0')).join(':'));
      refs.add(`${ip.replace(/[0-9a-f]+$/i, (last) => ((parseInt(last || '0', 16) + 1) & 0xffff).toString(16))}`);
    } else {
      refs.add(ip.replace(/\d+$/, (last) => String((Number(last) + 1) % 256)));
    }
  }
  return [...refs];
}

/**
 * Where the matchers part. Two subjectAltName extensions: OpenSSL's extension look-up refuses a duplicate,
 * so checkHost sees no SAN at all; the facts take the first and record the duplicate in problems, for
 * which path validation refuses the certificate before any name is matched.
 */
const HOST_ALLOWED = {
  names: [...corpus('extSANDuplicated.pem'), 'fixtures/chains/basic.duplicate-extensions/leaf.pem', 'fixtures/chains/rfc5280.duplicate-extensions/leaf.pem'],
  problem: 'subjectAltName extension appears more than once',
};

describe('hostname matching (src/pki/names.ts) against node:crypto checkHost and checkIP', () => {
  let checks: Array<{ name: string; reference: string; ours: boolean; node: boolean }>;

  beforeAll(() => {
    checks = [];
    for (const sample of all) {
      const { facts } = sample.cert;
      const node = new NodeCertificate(sample.cert.der);
      for (const reference of hostReferences(facts.subjectAltNames.dns)) {
        const ref = parseReferenceId(reference)!;
        const ours = ref.kind === 'dns' && facts.subjectAltNames.dns.some((presented) => dnsNameMatches(presented, ref.name));
        checks.push({ name: sample.name, reference, ours, node: node.checkHost(reference, CHECK_HOST) !== undefined });
      }
      for (const reference of ipReferences(facts.subjectAltNames.ip)) {
        const ref = parseReferenceId(reference);
        const ours = ref?.kind === 'ip' && facts.subjectAltNames.ip.some((presented) => JSON.stringify(parseReferenceId(presented)) === JSON.stringify(ref));
        checks.push({ name: sample.name, reference, ours, node: node.checkIP(reference) !== undefined });
      }
    }
  });

  it('agree on every name and address tried, but where a certificate has two subjectAltName extensions', () => {
    expect(checks.length).toBeGreaterThan(3000);
    expect(checks.filter((c) => c.ours !== c.node && !HOST_ALLOWED.names.includes(c.name))).toEqual([]);
  });

  it('those certificates are refused for the duplicate, and each still makes the matchers part', () => {
    for (const name of HOST_ALLOWED.names) {
      expect(all.find((s) => s.name === name)!.cert.facts.problems).toContain(HOST_ALLOWED.problem);
      expect(checks.some((c) => c.name === name && c.ours !== c.node), name).toBe(true);
    }
  });
});
