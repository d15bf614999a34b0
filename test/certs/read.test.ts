import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCertificateBytes, readCertificateFile, type CertificateFileResult } from '../../src/certs/read.js';
import { comparable, EXPECTED, fromOpenssl, hexWithoutColons, type ErrorKind } from './openssl.js';

// Made by fixtures/certs/make.sh; expected.json is OpenSSL's own reading of every file.
const FIXTURES = fileURLToPath(new URL('../../fixtures/certs/files/', import.meta.url));

const readable = EXPECTED.files.filter((f) => f.error === null);
const unreadable = EXPECTED.files.filter((f) => f.error !== null);

/** What each kind of non-certificate must be called in its one error. */
const ERROR_MESSAGES: Record<ErrorKind, RegExp> = {
  crl: /certificate revocation list \(CRL\)/,
  'private-key': /private key alone/,
  'public-key': /public key alone/,
  csr: /certificate signing request \(CSR\)/,
  empty: /^empty file$/,
  garbage: /^not a certificate file: /,
  damaged: /^damaged file at byte \d+: /,
};

const read = (file: string): CertificateFileResult => readCertificateFile(`${FIXTURES}${file}`);

const stackLike = /\n\s+at |\.ts:\d+|\.js:\d+/;

describe.each(readable)('$file', ({ file, format, certificates, badBlocks = [] }) => {
  const result = read(file);

  it('yields the certificates openssl reads, and an error for each block it cannot', () => {
    expect(result.certificates.map((c) => c.facts.thumbprint)).toEqual(certificates.map((c) => hexWithoutColons(c.sha1)));
    expect(result.errors.map((e) => e.where.line)).toEqual(badBlocks.map((b) => b.line));
  });

  it.each(certificates.map((c) => [c.index, c] as const))('certificate %i has openssl’s values', (_, c) => {
    const ours = result.certificates.find((cert) => cert.facts.source.index === c.index);
    expect(ours && comparable(ours.facts)).toEqual(fromOpenssl(c, format!));
  });
});

describe.each(unreadable)('$file ($error)', ({ file, error }) => {
  it('gives one error that says what the file is, and no certificate', () => {
    const result = read(file);
    expect(result.certificates).toEqual([]);
    expect(result.errors).toHaveLength(1);
    const [e] = result.errors;
    expect(e!.message).toMatch(ERROR_MESSAGES[error!]);
    expect(e!.message).not.toMatch(stackLike);
    expect(e!.where.path).toBe(`${FIXTURES}${file}`);
  });
});

/** One certificate's facts from a fixture. */
const facts = (file: string, index = 0) => read(file).certificates[index]!.facts;

describe('what the table above proves, spelled out', () => {
  it('a 2047-bit modulus is 2047 bits, not rounded to 2048', () => {
    expect(facts('leaf-rsa2047.pem').publicKey).toEqual({ algorithm: 'RSA', bits: 2047, curve: null });
  });

  it('RSASSA-PSS reads its hash from its parameters', () => {
    expect(facts('sig-rsapss-sha256.pem').signature).toEqual({
      algorithm: 'RSASSA-PSS',
      oid: '1.2.840.113549.1.1.10',
      hash: 'SHA-256',
      pss: true,
    });
  });

  it('EC keys give the curve and its size', () => {
    expect(['P-256', 'P-384', 'P-521'].map((curve) => facts(`leaf-ec-${curve}.pem`).publicKey)).toEqual([
      { algorithm: 'EC', bits: 256, curve: 'P-256' },
      { algorithm: 'EC', bits: 384, curve: 'P-384' },
      { algorithm: 'EC', bits: 521, curve: 'P-521' },
    ]);
  });

  it('names are written as Windows writes them: most specific first, quoted where needed, UTF-8 kept', () => {
    const root = facts('root-ca.pem');
    expect(root.subject).toBe('CN=Contoso Zürich Root CA, O="Contoso, Ltd", L=Zürich, C=CH');
    expect(facts('leaf-rsa1024.pem').subject).toBe('CN=lab01.contoso.example, OU=Lab + UID=lab01, O="Contoso, Ltd"');
    expect(facts('leaf-rsa4096.pem').subject).toMatch(/^E=pki@contoso\.example, CN=rsa4096\.contoso\.example, /);
  });

  it('serial numbers are the DER content bytes: a leading 00 when the top bit is set, as .NET shows them', () => {
    const highBit = readable.flatMap((f) => f.certificates).filter((c) => /^[89A-F]/i.test(c.serial));
    expect(highBit.length).toBeGreaterThan(0);
    expect(facts('root-ca.pem').serialNumber).toMatch(/^00[89A-F]/);
  });

  it('thumbprints are upper-case hex without separators', () => {
    for (const f of readable) for (const c of read(f.file).certificates) expect(c.facts.thumbprint).toMatch(/^[0-9A-F]{40}$/);
  });

  it('the same chain reads the same from every container and encoding, in file order', () => {
    const chain = read('chain.pem').certificates.map((c) => c.facts.thumbprint);
    for (const file of ['chain-text.pem', 'chain-crlf-bom.pem', 'chain.p7b', 'chain-p7.pem', 'chain-certsrv.p7b', 'chain-ber.p7b']) {
      expect(read(file).certificates.map((c) => c.facts.thumbprint), file).toEqual(chain);
    }
    for (const file of ['leaf.cer', 'leaf-base64.cer', 'leaf-utf16.pem', 'leaf-base64-only.txt', 'x509-label.pem', 'cert-and-key.pem']) {
      expect(read(file).certificates.map((c) => c.facts.thumbprint), file).toEqual(chain.slice(0, 1));
    }
  });

  it('a bad PEM block is one error at its BEGIN line; the blocks around it still read, keeping their index', () => {
    const result = read('bundle-bad-block.pem');
    expect(result.certificates.map((c) => c.facts.source.index)).toEqual([0, 2]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.where.line).toBe(EXPECTED.files.find((f) => f.file === 'bundle-bad-block.pem')!.badBlocks![0]!.line);
    expect(result.errors[0]!.message).toMatch(/^damaged PEM block at byte \d+: truncated, \d+ bytes missing$/);
  });

  it('a truncated DER file says it is truncated', () => {
    expect(read('truncated.cer').errors[0]!.message).toMatch(/^damaged file at byte 0: truncated, \d+ bytes missing$/);
  });

  it('a PKCS #7 holding only a CRL says so (regression: it said only "no certificates")', () => {
    expect(read('crl-only.p7b').errors[0]!.message).toBe('the PKCS #7 file holds no certificate, only a certificate revocation list (CRL)');
  });

  it('Microsoft template extensions: the name of a version 1 template, the OID and version of a later one', () => {
    // make-special.sh wrote these values; expected.json holds asn1parse's reading of them, which the table checked.
    expect(facts('template-v1.pem').template).toEqual({ name: 'WebServer' });
    expect(facts('template-v2.pem').template).toEqual({
      oid: '1.3.6.1.4.1.311.21.8.7587021.751874.11405257.10513478.1.2.4101183.6488731',
      majorVersion: 100,
      minorVersion: 4,
    });
    expect(facts('template-v2-major-only.pem').template).toMatchObject({ majorVersion: 4294967295 });
    expect(facts('template-v2-major-only.pem').template).not.toHaveProperty('minorVersion');
    expect(facts('template-both.pem').template).toMatchObject({ name: 'Lync-Webserver-Zürich-𝄞', majorVersion: 101, minorVersion: 0 });
    expect(facts('leaf-rsa2048.pem').template).toBeNull();
  });

  it('an empty extendedKeyUsage is [] (no purpose), not null (any purpose), and a defect', () => {
    const f = facts('empty-eku.pem');
    expect(f.extendedKeyUsage).toEqual([]);
    expect(f.problems).toEqual(['extendedKeyUsage is an empty sequence: it permits no purpose (RFC 5280 §4.2.1.12 requires one or more)']);
    expect(facts('leaf-dsa2048.pem').extendedKeyUsage).not.toEqual([]);
  });

  it('a subjectAltName entry of a type GeneralName does not define: the extension is unreadable, as OpenSSL finds, and a defect', () => {
    const f = facts('san-unknown-type.pem');
    // OpenSSL cannot decode the extension either: it prints its bytes.
    const openssl = readable.find((e) => e.file === 'san-unknown-type.pem')!.certificates[0]!.extensions.subjectAltName!;
    expect(openssl.join()).not.toMatch(/^DNS:/);
    expect(f.subjectAltNames).toEqual({ dns: [], ip: [], uri: [], email: [] });
    expect(f.problems).toEqual(['malformed subjectAltName extension: unknown GeneralName tag 0x89']);
  });

  it('differing inner and outer signature algorithms: both in the facts, and a defect', () => {
    const f = facts('sig-mismatch.pem');
    expect(f.signature.algorithm).toBe('sha256WithRSAEncryption');
    expect(f.tbsSignature).toEqual({ algorithm: 'sha384WithRSAEncryption', oid: '1.2.840.113549.1.1.12', hash: 'SHA-384', pss: false });
    expect(f.problems).toEqual([
      'the signature algorithm inside tbsCertificate (sha384WithRSAEncryption) differs from the outer one (sha256WithRSAEncryption); RFC 5280 §4.1.1.2 requires them identical',
    ]);
  });

  it('every other fixture, made by openssl as RFC 5280 says, has no problem and no tbsSignature', () => {
    const defective = new Set(['empty-eku.pem', 'san-unknown-type.pem', 'sig-mismatch.pem']);
    for (const { file } of readable.filter((f) => !defective.has(f.file))) {
      for (const { facts: f } of read(file).certificates) {
        expect({ file, problems: f.problems, tbsSignature: f.tbsSignature }).toEqual({ file, problems: [], tbsSignature: undefined });
      }
    }
  });

  it('a flipped bit in the modulus still reads, with its own thumbprint; its signature is left to validation', () => {
    expect(facts('flipped-modulus.cer').thumbprint).not.toBe(facts('leaf.cer').thumbprint);
    expect(facts('flipped-modulus.cer').subject).toBe(facts('leaf.cer').subject);
  });
});

describe('text around and inside PEM', () => {
  const leaf = readFileSync(`${FIXTURES}leaf-rsa2048.pem`, 'utf8');
  const thumbprint = facts('leaf-rsa2048.pem').thumbprint;
  const encode = (s: string) => new TextEncoder().encode(s);

  it.each([
    ['text before and after', `Subject: CN=pool01\n\n${leaf}\nsome notes\n`],
    ['CR line ends only', leaf.replace(/\n/g, '\r')],
    ['RFC 1421 headers inside the block', leaf.replace('-----\n', '-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: none\n\n')],
    ['leading spaces on every line', leaf.replace(/^/gm, '   ')],
  ])('%s', (_, text) => {
    const result = readCertificateBytes(encode(text), 'memory.pem');
    expect(result.errors).toEqual([]);
    expect(result.certificates.map((c) => c.facts.thumbprint)).toEqual([thumbprint]);
  });

  it('UTF-16 big-endian with a byte-order mark', () => {
    const utf16be = Buffer.from(`\ufeff${leaf}`, 'utf16le').swap16();
    expect(readCertificateBytes(utf16be, 'memory.pem').certificates[0]!.facts.thumbprint).toBe(thumbprint);
  });

  it('a block whose END label differs is an error at its line', () => {
    const text = `${leaf}${leaf.replace('END CERTIFICATE', 'END CERTIFICATE REQUEST')}`;
    const result = readCertificateBytes(encode(text), 'memory.pem');
    expect(result.certificates).toHaveLength(1);
    expect(result.errors.map((e) => [e.where.line, e.message])).toEqual([
      [leaf.split('\n').length, 'PEM block "CERTIFICATE" ends with "END CERTIFICATE REQUEST"'],
    ]);
  });
});
