import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCertificateFile } from '../../src/certs/read.js';

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

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'sfb-certlint-inspect-'));
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('sfb-certlint inspect', () => {
  it('text: subject, SANs, key, digest, validity, EKU and thumbprint of each certificate', () => {
    const { code, stdout, stderr } = inspect([`${CERTS}/leaf-rsa2048.pem`]);
    const facts = readCertificateFile(join(ROOT, CERTS, 'leaf-rsa2048.pem')).certificates[0]!.facts;
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`${CERTS}/leaf-rsa2048.pem #0 (pem)\n`);
    for (const line of [
      'Subject      CN=pool01.contoso.example, OU=Unified Communications, O="Contoso, Ltd", L=Redmond, S=Washington, C=US',
      'SANs         DNS:pool01.contoso.example, DNS:*.contoso.example, DNS:sip.contoso.example, IP:192.0.2.10, IP:2001:db8::10, URI:sip:pool01.contoso.example, email:lyncadmin@contoso.example',
      'Key          RSA 2048 bits',
      'Signature    sha256WithRSAEncryption (SHA-256)',
      'Valid        2024-01-01T00:00:00Z to 2049-12-31T23:59:59Z',
      'EKU          serverAuth, clientAuth',
      `Thumbprint   ${facts.thumbprint}`,
    ]) {
      expect(stdout).toContain(`\n  ${line}\n`);
    }
    expect(stdout.endsWith('\n1 certificate\n')).toBe(true);
  });

  it('json: one array holding every fact of every certificate, in file order', () => {
    const files = [`${CERTS}/chain.p7b`, `${CERTS}/leaf-ec-P-384.pem`];
    const { code, entries } = json(files);
    expect(code).toBe(0);
    const expected = files.flatMap((file) =>
      readCertificateFile(join(ROOT, file)).certificates.map(({ facts }) => ({ ...facts, source: { ...facts.source, path: file } })),
    );
    expect(entries).toEqual(JSON.parse(JSON.stringify(expected)));
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
    expect(wrong.entries).toEqual([{ source: { path: PFX }, error: 'MAC check failed: wrong password or damaged file' }]);
  });

  it.each([
    ['an unknown option', ['--no-such-option', `${CERTS}/leaf.cer`]],
    ['an unknown format', ['--format', 'xml', `${CERTS}/leaf.cer`]],
    ['no file', []],
    ['a password file that does not exist', ['--password-file', 'no/such/password.txt', PFX]],
  ])('%s: a one-line error, exit 2, no stack trace', (_, args) => {
    const { code, stdout, stderr } = inspect(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^sfb-certlint: [^\n]+\n$/);
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
