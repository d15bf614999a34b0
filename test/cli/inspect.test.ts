import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateFacts, SignatureFacts, SubjectAltNames } from '../../src/certs/facts.js';
import { readCertificateFile } from '../../src/certs/read.js';
import type { InspectEntry } from '../../src/report/inspect-json.js';
import { formatInspectText } from '../../src/report/inspect-text.js';
import { EXPECTED, fromOpenssl, comparable, hexWithoutColons, parseRfc2253, parseWindowsName, subjectAltNames } from '../certs/openssl.js';

// The real command, as a user runs it: `node bin/sfb-certlint.js`, which runs dist/ (built below, so
// that `npx vitest run` on this file alone tests the current source).
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/sfb-certlint.js');
const CERTS = 'fixtures/certs/files';
const PFX = 'fixtures/pkcs12/aes256.p12';
const PFX_PASSWORD = 'Fixture-Pa55!';

const certFiles = readdirSync(join(ROOT, CERTS))
  .sort()
  .map((name) => `${CERTS}/${name}`);

/** Runs the CLI from the repository root, with only the given environment variables besides PATH. */
function inspect(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, 'inspect', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const json = (args: string[], env?: Record<string, string>) => {
  const result = inspect([...args, '--format', 'json'], env);
  return { ...result, entries: JSON.parse(result.stdout) as Array<Record<string, unknown>> };
};

const STACK = /^\s+at |\.[jt]s:\d+/m;

/** What printable() escapes: C0 but line feeds (the output's own), DEL, C1, separators, bidirectional controls. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

// fixtures/certs/expected.json: OpenSSL's reading of every fixture, the oracle of these tests; `whole`,
// the files it reads entirely (not the bundle with a damaged block).
const readable = EXPECTED.files.filter((f) => f.error === null);
const whole = readable.filter((f) => !f.badBlocks);

/** The SANs row (`DNS:a, IP:b, URI:c, email:d`, or `none`) back into lists. */
function textSans(row: string): SubjectAltNames {
  const out: SubjectAltNames = { dns: [], ip: [], uri: [], email: [] };
  if (row === 'none') return out;
  const kinds: Record<string, keyof SubjectAltNames> = { DNS: 'dns', IP: 'ip', URI: 'uri', email: 'email' };
  for (const entry of row.split(', ')) {
    const colon = entry.indexOf(':');
    out[kinds[entry.slice(0, colon)]!].push(entry.slice(colon + 1));
  }
  return out;
}

const signatureText = (s: Pick<SignatureFacts, 'algorithm' | 'hash' | 'pss'>) => `${s.algorithm}${s.hash ? ` (${s.hash}${s.pss ? ', PSS' : ''})` : ''}`;

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'sfb-certlint-inspect-'));
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('sfb-certlint inspect: where a wrong password came from', () => {
  it('names the variable or file that held the password that does not open the PFX (exit 2)', () => {
    const fromEnv = inspect([PFX, '--password-env', 'X_PFX_PASSWORD'], { X_PFX_PASSWORD: 'not it' });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stdout).toContain(`${PFX}: the password in X_PFX_PASSWORD does not open aes256.p12 (MAC check failed`);
    expect(fromEnv.stdout + fromEnv.stderr).not.toContain('not it');
    const right = inspect([PFX, '--password-env', 'X_PFX_PASSWORD'], { X_PFX_PASSWORD: PFX_PASSWORD });
    expect(right.code).toBe(0);
  });
});

describe('sfb-certlint inspect', () => {
  it('json: every fact of every certificate of every fixture, as openssl read them', () => {
    const files = whole.map((f) => `${CERTS}/${f.file}`);
    const { code, entries } = json(files);
    expect(code).toBe(0);
    const ours = entries as unknown as CertificateFacts[];
    const theirs = whole.flatMap((f) => f.certificates.map((c) => ({ path: `${CERTS}/${f.file}`, facts: fromOpenssl(c, f.format!) })));
    expect(ours.map((e) => ({ path: e.source.path, facts: comparable(e) }))).toEqual(theirs);
  });

  it('text: one block per certificate, each value as openssl read it', () => {
    const files = whole.map((f) => `${CERTS}/${f.file}`);
    const { code, stdout, stderr } = inspect(files);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const blocks = stdout.split('\n\n');
    const count = whole.reduce((n, f) => n + f.certificates.length, 0);
    expect(blocks.pop()).toBe(`${count} certificates\n`);
    const expected = whole.flatMap((f) => f.certificates.map((c) => ({ file: f.file, format: f.format!, c })));
    expect(blocks).toHaveLength(expected.length);
    blocks.forEach((block, i) => {
      const { file, format, c } = expected[i]!;
      const [header, ...lines] = block.split('\n');
      const rows = new Map(lines.map((l) => [l.slice(2, 14).trim(), l.slice(15)]));
      expect(header).toBe(`${CERTS}/${file} #${c.index} (${format})`);
      expect(rows.get('Thumbprint')).toBe(hexWithoutColons(c.sha1));
      // Its names are shown escaped: the next test spells them out.
      if (file === 'hostile-names.pem') return;
      const o = fromOpenssl(c, format);
      // Names: parsed, so that OpenSSL's RFC 2253 escapes and the Windows quoting compare.
      expect(parseWindowsName(rows.get('Subject')!.replace(/^\(empty\)$/, '')), file).toEqual(o.subject);
      expect(parseWindowsName(rows.get('Issuer')!.replace(/ \(self-issued\)$/, ''))).toEqual(o.issuer);
      expect(rows.get('Issuer')!.endsWith(' (self-issued)')).toBe(o.selfIssued);
      expect(textSans(rows.get('SANs')!)).toEqual(o.subjectAltNames);
      expect(rows.get('Key')).toBe(`${o.publicKey.algorithm}${o.publicKey.bits === null ? '' : ` ${o.publicKey.bits} bits`}${o.publicKey.curve ? ` (${o.publicKey.curve})` : ''}`);
      const inner = o.tbsSignature ? `; inside tbsCertificate: ${signatureText(o.tbsSignature)}` : '';
      expect(rows.get('Signature')).toBe(`${signatureText(o.signature)}${inner}`);
      expect(rows.get('Valid')).toBe(`${o.notBefore} to ${o.notAfter}`);
      const eku = o.extendedKeyUsage;
      expect(rows.get('EKU')).toBe(eku === null ? 'none (any purpose)' : eku.length === 0 ? 'empty (no purpose)' : eku.join(', '));
      expect(rows.get('Key usage')).toBe(o.keyUsage?.join(', '));
      const bc = o.basicConstraints;
      expect(rows.get('CA')).toBe(bc === null ? 'no (no basicConstraints)' : bc.ca ? `yes${bc.pathLength === null ? '' : `, path length ${bc.pathLength}`}` : 'no');
      expect(rows.get('CRL')).toBe(o.crlDistributionPoints.join(', ') || 'none');
      expect(rows.get('Serial')).toBe(o.serialNumber);
      expect(rows.get('Thumbprint')).toBe(o.thumbprint);
      expect(rows.has('Template')).toBe(o.template !== null);
      expect(rows.has('Problems')).toBe(['empty-eku.pem', 'san-unknown-type.pem', 'sig-mismatch.pem'].includes(file));
    });
  });

  it('text: the template as the extensions say, and every problem, one a line', () => {
    const reading = (file: string) => readable.find((f) => f.file === file)!.certificates[0]!;
    const { stdout } = inspect(['template-v1.pem', 'template-v2.pem', 'template-both.pem', 'sig-mismatch.pem'].map((f) => `${CERTS}/${f}`));
    const v2 = reading('template-v2.pem').template!;
    const both = reading('template-both.pem').template!;
    expect(stdout).toContain('\n  Template     WebServer\n');
    expect(stdout).toContain(`\n  Template     ${v2.oid}, version ${v2.majorVersion}.${v2.minorVersion}\n`);
    expect(stdout).toContain(`\n  Template     ${both.name} (${both.oid}, version ${both.majorVersion}.${both.minorVersion})\n`);
    const mismatch = reading('sig-mismatch.pem');
    expect(stdout).toMatch(new RegExp(`\\n  Problems     the signature algorithm inside tbsCertificate \\(${mismatch.tbsSignatureAlgorithm}\\) differs from the outer one \\(${mismatch.signatureAlgorithm}\\)`));
  });

  it('text: control characters and bidirectional overrides from certificates and file names are escaped; JSON keeps them', () => {
    // The subject and SANs as openssl read them (RFC 2253 escapes \1B for ESC), made by make-special.sh.
    const reading = readable.find((f) => f.file === 'hostile-names.pem')!.certificates[0]!;
    const hostile = `evil\x1b[2J${'\u202e'}.pem`;
    writeFileSync(join(work, hostile), readFileSync(join(ROOT, CERTS, 'hostile-names.pem')));
    const text = inspect([join(work, hostile), join(work, `missing\x1b]0;title\x07.pem`)]);
    expect(text.stdout).not.toMatch(UNSAFE);
    expect(text.stdout).toContain(`${work}/evil\\1B[2J\\E2\\80\\AE.pem #0 (pem)\n`);
    expect(text.stdout).toContain(`${work}/missing\\1B]0;title\\07.pem: file not found\n`);
    expect(text.stdout).toContain('\n  Subject      CN=evil\\1B[2J\\1B[31m…, OU=Lab\\C2\\9B31m, O=Contoso \\E2\\80\\AEgpj.exe, C=US\n');
    expect(text.stdout).toContain('\n  SANs         DNS:ok.contoso.example, DNS:\\1B]0;pwned\\07.contoso.example, DNS:del\\7F.contoso.example, URI:https://x.contoso.example/\\1B[2J\n');

    const [entry] = json([join(work, hostile)]).entries as unknown as CertificateFacts[];
    expect(entry!.source.path).toBe(join(work, hostile));
    expect(parseWindowsName(entry!.subject)).toEqual(parseRfc2253(reading.subject));
    expect(entry!.subjectCommonName).toBe('evil\x1b[2J\x1b[31m…');
    expect(entry!.subjectAltNames).toEqual(subjectAltNames(reading.extensions.subjectAltName));
    expect(entry!.subjectAltNames.dns).toContain('\x1b]0;pwned\x07.contoso.example');
  });

  it('the text formatter escapes every unsafe character in every string it shows', () => {
    const unsafe = ['\0', '\x07', '\x1b', '\r', '\n', '\x7f', '\x85', '\x9b', '\u061c', '\u200e', '\u200f', '\u2028', '\u2029', '\u202a', '\u202e', '\u2066', '\u2069'];
    const evil = unsafe.join('');
    const [facts] = readCertificateFile(join(ROOT, CERTS, 'leaf-rsa2048.pem')).certificates.map((c) => c.facts);
    const entries: InspectEntry[] = [
      {
        ...facts!,
        source: { ...facts!.source, path: evil },
        subject: evil,
        issuer: evil,
        subjectAltNames: { dns: [evil], ip: [evil], uri: [evil], email: [evil] },
        extendedKeyUsage: [evil],
        keyUsage: [evil],
        crlDistributionPoints: [evil],
        template: { name: evil, oid: evil },
        signature: { ...facts!.signature, algorithm: evil },
        tbsSignature: { ...facts!.signature, algorithm: evil },
        problems: [evil, evil],
        container: { encryption: evil, macHash: evil, legacyWindowsCompatible: true },
        privateKey: { present: false, matchesCertificate: null },
      },
      { source: { path: evil, line: 3 }, error: evil },
    ];
    const text = formatInspectText(entries);
    expect(text).not.toMatch(UNSAFE);
    // Every row and the header hold the escaped string; lines are only the formatter's own.
    const escaped = '\\00\\07\\1B\\0D\\0A\\7F\\C2\\85\\C2\\9B\\D8\\9C\\E2\\80\\8E\\E2\\80\\8F\\E2\\80\\A8\\E2\\80\\A9\\E2\\80\\AA\\E2\\80\\AE\\E2\\81\\A6\\E2\\81\\A9';
    expect(text.split(escaped).length - 1).toBeGreaterThanOrEqual(19);
    // No line break of its own: the header, 17 rows (two problems), a blank, the error, a blank, the count.
    expect(text.split('\n')).toHaveLength(23);
  });

  it('-f is --format; format names in any case, stylish for text, as lint takes them', () => {
    const file = `${CERTS}/leaf.cer`;
    const text = inspect([file]).stdout;
    expect(inspect([file, '--format', 'STYLISH']).stdout).toBe(text);
    expect(inspect([file, '-f', 'Text']).stdout).toBe(text);
    expect(inspect([file, '-f', 'JSON']).stdout).toBe(json([file]).stdout);
  });

  it('- reads standard input', () => {
    const pem = readFileSync(join(ROOT, CERTS, 'chain.pem'));
    const chain = readable.find((f) => f.file === 'chain.pem')!;
    const result = spawnSync(process.execPath, [BIN, 'inspect', '-', '--format', 'json'], { cwd: ROOT, input: pem, encoding: 'utf8' });
    expect(result.status).toBe(0);
    const entries = JSON.parse(result.stdout) as CertificateFacts[];
    expect(entries.map((e) => [e.source.path, e.thumbprint])).toEqual(chain.certificates.map((c) => ['-', hexWithoutColons(c.sha1)]));

    const der = readFileSync(join(ROOT, CERTS, 'leaf.cer'));
    const text = spawnSync(process.execPath, [BIN, 'inspect', `${CERTS}/root-ca.pem`, '-'], { cwd: ROOT, input: der, encoding: 'utf8' });
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`\n- #0 (der)\n  Subject      CN=pool01.contoso.example,`);

    const empty = spawnSync(process.execPath, [BIN, 'inspect', '-'], { cwd: ROOT, input: '', encoding: 'utf8' });
    expect({ status: empty.status, stdout: empty.stdout }).toEqual({ status: 2, stdout: '-: empty file\n\n0 certificates, 1 unreadable\n' });

    const large = spawnSync(process.execPath, [BIN, 'inspect', '-', '--max-input-size', '1K'], { cwd: ROOT, input: pem, encoding: 'utf8' });
    expect(large.status).toBe(2);
    expect(large.stdout).toMatch(/^-: input too large \(more than 1024 bytes; the limit is 1024\)\n/);
  });

  it('an unreadable file among good ones: exit 2, one error entry for it, the others still listed', () => {
    const files = [`${CERTS}/leaf.cer`, `${CERTS}/random.bin`, 'no/such/file.cer', `${CERTS}/chain.pem`];
    const { code, stderr, entries } = json(files);
    expect({ code, stderr }).toEqual({ code: 2, stderr: '' });
    expect(entries.map((e) => ('error' in e ? e : (e.source as { path: string }).path))).toEqual([
      `${CERTS}/leaf.cer`,
      { source: { path: `${CERTS}/random.bin` }, error: 'not a certificate file: unrecognised binary content (not DER, PKCS #7 or PKCS #12)' },
      { source: { path: 'no/such/file.cer' }, error: 'file not found' },
      `${CERTS}/chain.pem`,
      `${CERTS}/chain.pem`,
      `${CERTS}/chain.pem`,
    ]);

    const text = inspect(files);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(`\n${CERTS}/random.bin: not a certificate file: unrecognised binary content`);
    expect(text.stdout).toContain('\nno/such/file.cer: file not found\n');
    expect(text.stdout.endsWith('\n4 certificates, 2 unreadable\n')).toBe(true);
  });

  it('a bad PEM block is reported at its line, in text and JSON', () => {
    const file = `${CERTS}/bundle-bad-block.pem`;
    // The second block lost a line of base64 (48 bytes).
    const line = readFileSync(join(ROOT, file), 'utf8').split('\n').indexOf('-----BEGIN CERTIFICATE-----', 1) + 1;
    const error = 'damaged PEM block at byte 0: truncated, 48 bytes missing';
    expect(json([file]).entries.filter((e) => 'error' in e)).toEqual([{ source: { path: file, line }, error }]);
    expect(inspect([file]).stdout).toContain(`\n${file}:${line}: ${error}\n`);
  });

  it('3,000 certificates piped to another program arrive whole', () => {
    const pems = certFiles.filter((f) => f.endsWith('.pem') && readCertificateFile(join(ROOT, f)).errors.length === 0);
    const blocks = pems.flatMap((f) => readFileSync(join(ROOT, f), 'utf8').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g) ?? []);
    const bundle = Array.from({ length: 3000 }, (_, i) => blocks[i % blocks.length]).join('');
    writeFileSync(join(work, 'big.pem'), bundle);
    // The reader is slow on purpose, so that the writer meets a full pipe many times over.
    const reader = `let n = 0; const parts = []; process.stdin.on('data', (c) => { parts.push(c); n += c.length; process.stdin.pause(); setTimeout(() => process.stdin.resume(), 1); });
      process.stdin.on('end', () => console.log(n, JSON.parse(Buffer.concat(parts).toString()).length));`;
    const out = execFileSync('bash', ['-c', `set -o pipefail; node "$BIN" inspect big.pem --format json | node -e "$READER"`], {
      cwd: work,
      env: { PATH: process.env.PATH, BIN, READER: reader },
      encoding: 'utf8',
    });
    const [bytes, count] = out.trim().split(' ').map(Number);
    expect(count).toBe(3000);
    expect(bytes).toBeGreaterThan(3000 * 1500);
  }, 60_000);

  it('--password-env naming an unset variable is a one-line error, exit 2', () => {
    const { code, stdout, stderr } = inspect([PFX, '--password-env', 'SFB_CERTLINT_TEST_UNSET']);
    expect({ code, stdout, stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: 'sfb-certlint: --password-env SFB_CERTLINT_TEST_UNSET: the environment variable SFB_CERTLINT_TEST_UNSET is not set\n',
    });
  });

  it('reads a PFX with the password from the environment, and never shows the password', () => {
    const { code, stdout, entries } = json([PFX, '--password-env', 'PFX_PASSWORD'], { PFX_PASSWORD });
    expect(code).toBe(0);
    expect(entries[0]).toMatchObject({ source: { format: 'pkcs12' }, privateKey: { present: true, matchesCertificate: true } });
    expect(stdout).not.toContain(PFX_PASSWORD);
    const wrong = json([PFX, '--password-env', 'PFX_PASSWORD'], { PFX_PASSWORD: 'wrong' });
    expect(wrong.code).toBe(2);
    expect(wrong.entries).toEqual([{ source: { path: PFX }, error: 'the password in PFX_PASSWORD does not open aes256.p12 (MAC check failed: wrong password or damaged file)' }]);
  });

  it.each([
    ['an unknown option', ['--no-such-option', `${CERTS}/leaf.cer`]],
    ['an unknown format', ['--format', 'xml', `${CERTS}/leaf.cer`]],
    ['no file', []],
    ['a password file that does not exist', ['--password-file', 'no/such/password.txt', PFX]],
  ])('%s: an error line (and a line saying what to do), exit 2, no stack trace', (_, args) => {
    const { code, stdout, stderr } = inspect(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^sfb-certlint: [^\n]+\n([^\n]+\n)?$/);
    expect(stderr).not.toMatch(STACK);
  });

  it('an unknown option names the help', () => {
    expect(inspect(['--no-such-option', `${CERTS}/leaf.cer`]).stderr).toBe("sfb-certlint: unknown option '--no-such-option'\nRun 'sfb-certlint inspect --help' for its options.\n");
  });

  it('no stack trace in any output, for any fixture', () => {
    const text = inspect(certFiles);
    expect(text.stdout).not.toMatch(STACK);
    expect(text.stderr).toBe('');
  });
});

describe('schema/inspect-output.schema.json', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schema/inspect-output.schema.json'), 'utf8'));

  it('accepts the real output for every fixture, certificates and errors, PFX facts included', () => {
    const validate = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true }).compile(schema);
    const { entries } = json([...certFiles, PFX, 'fixtures/pkcs12/key-mismatch.p12', '--password-env', 'PFX_PASSWORD'], { PFX_PASSWORD });
    const valid = validate(entries);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(entries.some((e) => 'error' in e && (e.source as { line?: number }).line)).toBe(true);
    expect(entries.some((e) => 'container' in e)).toBe(true);
  });

  it('lists exactly the fields src/certs/facts.ts declares, optional ones as optional, each described', () => {
    expect(schemaFields(schema)).toEqual(declaredFields());
  });
});

/** Every field of CertificateFacts, nested ones as `publicKey.bits`, optional ones marked `?`. */
function declaredFields(): string[] {
  const file = join(ROOT, 'src/certs/facts.ts');
  const program = ts.createProgram([file], { noEmit: true, strict: true, types: [] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const root = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!).find((s) => s.name === 'CertificateFacts')!;
  const fields: string[] = [];
  const walk = (type: ts.Type, prefix: string) => {
    for (const property of checker.getPropertiesOfType(type)) {
      const path = `${prefix}${property.name}${property.flags & ts.SymbolFlags.Optional ? '?' : ''}`;
      fields.push(path);
      let inner = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(property, property.valueDeclaration!));
      if (checker.isArrayType(inner)) inner = checker.getTypeArguments(inner as ts.TypeReference)[0]!;
      const declaration = inner.getSymbol()?.declarations?.[0];
      if (declaration && ts.isInterfaceDeclaration(declaration) && declaration.getSourceFile() === source) walk(inner, `${path}.`);
    }
  };
  walk(checker.getDeclaredTypeOfSymbol(root), '');
  return fields.sort();
}

interface SchemaNode {
  $ref?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
}

/** The same list from the schema's certificate definition; fails on a property without a description. */
function schemaFields(schema: { $defs: Record<string, SchemaNode> }): string[] {
  const resolve = (node: SchemaNode): SchemaNode => (node.$ref ? resolve(schema.$defs[node.$ref.replace('#/$defs/', '')]!) : node);
  const fields: string[] = [];
  const walk = (node: SchemaNode, prefix: string) => {
    const target = resolve(node);
    if (!target.properties) {
      if (target.items) walk(target.items, prefix);
      return;
    }
    for (const [name, child] of Object.entries(target.properties)) {
      const path = `${prefix}${name}${target.required?.includes(name) ? '' : '?'}`;
      expect(child.description, path).toMatch(/\w/);
      fields.push(path);
      walk(child, `${path}.`);
    }
  };
  walk(schema.$defs.certificate!, '');
  return fields.sort();
}
