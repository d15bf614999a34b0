import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCertificateFile } from '../../src/certs/read.js';
import { cli, STACK } from './cli.js';
import { ROOT } from './inputs.js';

// The zlint test corpus (Apache-2.0) beside the repository, as on every developer's machine and in CI:
// 1,384 files, certificates good and bad, CRLs, and a licence text, every one of them through the CLI.
const CORPUS = join(ROOT, '../shared/corpora/zlint-testdata');
const files = readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
  .filter((name) => statSync(join(CORPUS, name)).isFile())
  .sort();

/** A clear message: one line, short, no stack, no engine text, nothing a terminal would act on. */
function expectClear(message: string, where: string): void {
  expect(message, where).toMatch(/^\S.{0,498}$/);
  expect(message, where).not.toMatch(STACK);
  // eslint-disable-next-line no-control-regex
  expect(message, where).not.toMatch(/[\u0000-\u001f\u007f-\u009f]|Cannot read propert|is not a function|\bundefined\b|\bNaN\b/);
}

describe('the zlint corpus through the CLI', () => {
  it('is there', () => {
    expect(files.length, `no corpus at ${CORPUS}`).toBeGreaterThan(1300);
  });

  it('inspect, every file in one call: exit 2 (CRLs and such), each file read or refused with a clear error', async () => {
    const run = await cli(['inspect', '--format', 'json', ...files], { cwd: CORPUS });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
    const entries: Array<{ source: { path: string }; error?: string; thumbprint?: string }> = JSON.parse(run.stdout);
    expect(new Set(entries.map((e) => e.source.path))).toEqual(new Set(files));
    const errors = entries.filter((e) => e.error !== undefined);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expectClear(e.error!, e.source.path);
    expect(entries.filter((e) => e.thumbprint).length).toBeGreaterThan(1300);
  });

  it('lint, with the corpus folders as the certificate files of a snapshot: exit 2, every unreadable file named', async () => {
    const folders = [...new Set(files.map((f) => dirname(f)))].map((d) => join(CORPUS, d));
    const readable = files.map((f) => readCertificateFile(join(CORPUS, f))).filter((r) => r.errors.length === 0 && r.certificates.length > 0);
    const unreadable = files.filter((f) => /\.(pem|der|cer|crt)$/.test(f) && readCertificateFile(join(CORPUS, f)).errors.length > 0);
    const [a, b, c] = readable.map((r) => r.certificates[0]!.facts.thumbprint);
    const dir = mkdtempSync(join(tmpdir(), 'sfb-certlint-zlint-'));
    writeFileSync(
      join(dir, 'snapshot.yaml'),
      `version: 1
sipDomains: [{ name: example.com }]
certificates:
${folders.map((f) => `  - path: ${JSON.stringify(f)}`).join('\n')}
pools:
  - fqdn: pool01.example.com
    role: FrontEnd
    servers:
      - fqdn: fe01.example.com
        assignments:
          - { usage: Default, thumbprint: ${a} }
          - { usage: WebServicesExternal, thumbprint: ${b} }
          - { usage: OAuthTokenIssuer, thumbprint: ${c} }
`,
    );
    // The corpus is outside the snapshot's folder: read as a user's own files are, with --allow-outside-root.
    const run = await cli(['lint', dir, '--format', 'json', '--now', '2026-01-01', '--allow-outside-root']);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout);
    const named = new Set<string>(report.inputErrors.map((e: { path: string }) => relative(CORPUS, join(ROOT, e.path))));
    // A CRL, CSR or lone key in a listed folder is passed over with a notice on standard error, not an error.
    const isStray = (f: string) => {
      const { errors } = readCertificateFile(join(CORPUS, f));
      return errors.length === 1 && /^(no certificate in the file: it holds|not a certificate: this is|the PKCS #7 file holds no certificate, only) (a |an )?(\w+ )?(private key|certificate signing request|certificate revocation list)/.test(errors[0]!.message);
    };
    const stray = unreadable.filter(isStray);
    expect(stray.length).toBeGreaterThan(30);
    expect([...named].sort()).toEqual(unreadable.filter((f) => !stray.includes(f)).sort());
    const noticed = run.stderr.split('\n').filter(Boolean).map((line) => /^sfb-certlint: notice: (.*): skipped: /.exec(line)?.[1]);
    expect(noticed.map((p) => relative(CORPUS, join(ROOT, p!))).sort()).toEqual(stray.sort());
    for (const e of report.inputErrors) expectClear(e.message, e.path);
    // Today an unreadable certificate file stops its snapshot: nothing of it is linted (see docs/robustness.md).
    expect(report.findings).toEqual([]);
    expect(report.inputs).toEqual([]);
  });
});
