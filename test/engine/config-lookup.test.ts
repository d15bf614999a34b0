import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configInForce, lint, type LintRequest } from '../../src/engine/lint.js';
import { InputError } from '../../src/errors.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const ENV = { CONTOSO_PFX_PASSWORD: 'contoso' };
const NOW = new Date('2026-06-01T00:00:00Z');

const PLUGIN = `export const rules = [{
  meta: { id: 'acme/always', description: 'Reports once.', severity: 'warning', citation: { title: 'Acme policy', url: 'https://acme.example/policy' }, messages: { once: 'Acme says hello.' } },
  *check() { yield { messageId: 'once' }; },
}];
`;

/**
 * A repository (a folder with .git) holding the faulty example twice, as snapshots/prod and
 * snapshots/lab, without the example's own configuration, and the files given (path: content).
 */
function repository(files: Record<string, string> = {}): string {
  const repo = mkdtempSync(join(tmpdir(), 'sfb-repo-'));
  mkdirSync(join(repo, '.git'));
  for (const name of ['prod', 'lab']) {
    cpSync(join(EXAMPLES, 'contoso'), join(repo, 'snapshots', name), { recursive: true });
    rmSync(join(repo, 'snapshots', name, 'sfb-certlint.config.yaml'));
  }
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(repo, path, '..'), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  return repo;
}

const run = (repo: string, request: Partial<LintRequest> = {}) => lint({ targets: ['snapshots'], cwd: repo, env: ENV, now: NOW, ...request });

async function refusal(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('lint FOLDER: every snapshot below it, each with the configuration found for it', () => {
  it('walks the folder, and finds the configuration beside the snapshot, then upward to the repository root', async () => {
    const repo = repository({
      'sfb-certlint.config.yaml': 'rules:\n  key-size: off\n',
      'snapshots/lab/sfb-certlint.config.yaml': 'rules:\n  signature-sha2: off\n',
    });
    const report = await run(repo);
    expect(report.inputs.map((i) => i.snapshot)).toEqual(['snapshots/lab/snapshot.yaml', 'snapshots/prod/snapshot.yaml']);
    const rulesOf = (snapshot: string) => new Set(report.findings.filter((f) => f.locations[0]!.path === snapshot).map((f) => f.ruleId));
    // The nearest configuration wins, as ESLint's: lab's own turns off signature-sha2 only; prod uses the root's.
    expect(rulesOf('snapshots/lab/snapshot.yaml').has('signature-sha2')).toBe(false);
    expect(rulesOf('snapshots/lab/snapshot.yaml').has('key-size')).toBe(true);
    expect(rulesOf('snapshots/prod/snapshot.yaml').has('key-size')).toBe(false);
    expect(rulesOf('snapshots/prod/snapshot.yaml').has('signature-sha2')).toBe(true);
  });

  it('reports a folder with no snapshot anywhere below it as an input error', async () => {
    const repo = repository({ 'docs/README.md': '# nothing\n' });
    const report = await lint({ targets: ['docs'], cwd: repo, env: ENV, now: NOW });
    expect(report.inputErrors).toEqual([
      { path: 'docs', message: expect.stringMatching(/^the folder holds no snapshot file, and no folder below it does \(A snapshot is a file named snapshot\.yaml/) },
    ]);
  });

  it('gives every path of the report relative to the working folder: suppression sources too', async () => {
    const repo = repository({ 'sfb-certlint.config.yaml': 'suppressions:\n  - rule: key-size\n    server: med01.contoso.com\n    reason: retired\n  - rule: key-size\n    server: gone.contoso.com\n    reason: stale\n' });
    const report = await run(repo, { targets: ['snapshots/prod'] });
    const suppressed = report.findings.find((f) => f.suppression)!;
    expect(suppressed.suppression!.source).toEqual({ path: 'sfb-certlint.config.yaml', line: 2, column: 5 });
    expect(report.unusedSuppressions[0]!.source).toEqual({ path: 'sfb-certlint.config.yaml', line: 5, column: 5 });
    // `root` names the working folder itself, for SARIF's base URI; no other path is absolute.
    expect(JSON.stringify({ ...report, root: undefined })).not.toContain(repo);
  });

  it('passes over a private key in a certificate folder, with a notice in the report', async () => {
    const repo = repository();
    writeFileSync(join(repo, 'snapshots/prod/certs/stray-key.pem'), '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIOr2eG1ysBtYPkUm7y0w5UxkW1yTP3bb8hN+hZ0o/4ND\n-----END PRIVATE KEY-----\n');
    const report = await run(repo, { targets: ['snapshots/prod'] });
    expect(report.inputErrors).toEqual([]);
    expect(report.notices).toEqual([{ path: 'snapshots/prod/certs/stray-key.pem', message: 'skipped: a private key alone, not a certificate' }]);
  });

  it('records what fixed the evaluation time: --now, or the configuration', async () => {
    const repo = repository({ 'sfb-certlint.config.yaml': 'now: 2026-03-01\n' });
    expect((await run(repo)).evaluationTimeFrom).toBe('--now');
    const fromConfig = await run(repo, { now: undefined });
    expect([fromConfig.evaluatedAt, fromConfig.evaluationTimeFrom]).toEqual(['2026-03-01T00:00:00Z', 'sfb-certlint.config.yaml']);
    const clock = await lint({ targets: [join(EXAMPLES, 'contoso-clean')], cwd: EXAMPLES, env: ENV });
    expect(clock.evaluationTimeFrom).toBeUndefined();
  });
});

describe('plug-ins only from a trusted configuration (docs/security.md)', () => {
  it('loads the plug-in of the configuration at the repository root', async () => {
    const repo = repository({ 'sfb-certlint.config.yaml': 'plugins: [./policy/acme.mjs]\n', 'policy/acme.mjs': PLUGIN });
    const report = await run(repo, { targets: ['snapshots/prod'] });
    expect(report.findings.filter((f) => f.ruleId === 'acme/always')).toHaveLength(1);
  });

  it('refuses the plug-in named by a configuration inside the linted folder, which the change under review may have written', async () => {
    const repo = repository({ 'snapshots/prod/sfb-certlint.config.yaml': 'plugins: [./evil.mjs]\n', 'snapshots/prod/evil.mjs': 'globalThis.pwned = true; export const rules = [];\n' });
    const error = await refusal(run(repo, { targets: ['snapshots/prod'] }));
    expect(error.describe()).toBe(
      `${join(repo, 'snapshots/prod/sfb-certlint.config.yaml')}:1:1: plug-ins are code, and load only from a trusted configuration; this one is inside the folder being linted, where an unreviewed change could name code to run`,
    );
    expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined();
  });

  it('loads it with --allow-plugins, or from a configuration given with --config', async () => {
    const repo = repository({ 'snapshots/prod/sfb-certlint.config.yaml': 'plugins: [./acme.mjs]\n', 'snapshots/prod/acme.mjs': PLUGIN });
    expect((await run(repo, { targets: ['snapshots/prod'], plugins: 'all' })).findings.some((f) => f.ruleId === 'acme/always')).toBe(true);
    expect((await run(repo, { targets: ['snapshots/prod'], configPath: 'snapshots/prod/sfb-certlint.config.yaml' })).findings.some((f) => f.ruleId === 'acme/always')).toBe(true);
  });

  it('trusts a configuration in the --root folder, given relative to the working folder', async () => {
    const repo = repository({ 'snapshots/prod/sfb-certlint.config.yaml': 'plugins: [./acme.mjs]\n', 'snapshots/prod/acme.mjs': PLUGIN });
    const report = await run(repo, { targets: ['snapshots/prod'], root: 'snapshots/prod' });
    expect(report.findings.some((f) => f.ruleId === 'acme/always')).toBe(true);
  });

  it('refuses every plug-in with --no-plugins', async () => {
    const repo = repository({ 'sfb-certlint.config.yaml': 'plugins: [./policy/acme.mjs]\n', 'policy/acme.mjs': PLUGIN });
    expect((await refusal(run(repo, { plugins: 'none' }))).message).toBe('the configuration names plug-ins, and --no-plugins refuses them');
  });

  it('treats a configuration outside any repository as inside the linted folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfb-norepo-'));
    cpSync(join(EXAMPLES, 'contoso'), dir, { recursive: true });
    writeFileSync(join(dir, 'sfb-certlint.config.yaml'), 'plugins: [./acme.mjs]\n');
    writeFileSync(join(dir, 'acme.mjs'), PLUGIN);
    expect((await refusal(lint({ targets: [dir], cwd: dir, env: ENV, now: NOW }))).message).toMatch(/^plug-ins are code/);
    // --root names the folder the user vouches for: a configuration there is trusted.
    expect((await lint({ targets: [dir], cwd: dir, env: ENV, now: NOW, root: dir })).findings.some((f) => f.ruleId === 'acme/always')).toBe(true);
  });
});

describe('confinement through lint()', () => {
  it('refuses a snapshot file naming a file outside the repository; --root narrows it; --allow-outside-root lifts it', async () => {
    const repo = repository();
    const outside = mkdtempSync(join(tmpdir(), 'sfb-outside-'));
    cpSync(join(repo, 'snapshots/prod/certs'), join(outside, 'certs'), { recursive: true });
    const snapshot = join(repo, 'snapshots/prod/snapshot.yaml');
    const text = readFileSync(snapshot, 'utf8');
    writeFileSync(snapshot, text.replace('- path: certs/', `- path: ${join(outside, 'certs')}/`));
    const refused = await run(repo, { targets: ['snapshots/prod'] });
    expect(refused.inputErrors).toEqual([
      { path: 'snapshots/prod/snapshot.yaml', line: expect.any(Number), message: expect.stringMatching(new RegExp(`^${outside}/certs/ is outside the repository \\(\\.\\): refused, not opened \\(sfb-certlint reads only files inside the root`)) },
    ]);
    expect((await run(repo, { targets: ['snapshots/prod'], allowOutsideRoot: true })).inputErrors).toEqual([]);
    // With --root at the snapshot's folder, the shared edge/ folder one level up is outside too.
    writeFileSync(snapshot, text.replace('- path: edge/', '- path: ../lab/edge/'));
    expect((await run(repo, { targets: ['snapshots/prod'] })).inputErrors).toEqual([]);
    expect((await run(repo, { targets: ['snapshots/prod'], root: 'snapshots/prod' })).inputErrors[0]!.message).toMatch(/^\.\.\/lab\/edge\/ is outside the --root folder \(snapshots\/prod\)/);
  });

  it('refuses a configuration that names publicRoots outside the root', async () => {
    const repo = repository({ 'sfb-certlint.config.yaml': 'publicRoots:\n  add: [/etc/ssl/certs/ca-certificates.crt]\n' });
    expect((await refusal(run(repo))).message).toBe('/etc/ssl/certs/ca-certificates.crt is outside the repository (.): refused, not opened');
  });
});

describe('configInForce (--print-config)', () => {
  it('shows every setting in force for a snapshot and where it comes from', async () => {
    const repo = repository({
      'sfb-certlint.config.yaml': 'now: 2026-03-01\nrules:\n  key-size: [warn, { minRsaBits: 3072 }]\nplugins: [./policy/acme.mjs]\nallowPasswordEnv: [LEGACY_PASS]\nsuppressions:\n  - rule: signature-sha2\n    server: dir01.contoso.com\n    reason: replaced in CHG-7\n',
      'policy/acme.mjs': PLUGIN,
    });
    const shown = await configInForce({ cwd: repo, env: {}, ruleSettings: { 'san-coverage': 'off' } }, 'snapshots/prod');
    expect(shown).toMatchObject({
      snapshot: 'snapshots/prod',
      root: { path: '.', kind: 'repository' },
      configFile: { path: 'sfb-certlint.config.yaml', found: 'in a folder above the snapshot, up to the root', trusted: true },
      now: { value: '2026-03-01T00:00:00Z', from: 'sfb-certlint.config.yaml:1' },
      suppressions: [{ rule: 'signature-sha2', server: 'dir01.contoso.com', reason: 'replaced in CHG-7', from: 'sfb-certlint.config.yaml:7' }],
      plugins: [{ specifier: './policy/acme.mjs', path: 'policy/acme.mjs', rules: ['acme/always'], from: 'sfb-certlint.config.yaml:4' }],
      allowPasswordEnv: { value: ['PFX_PASSWORD', '*_PFX_PASSWORD', 'LEGACY_PASS'], from: 'default, and sfb-certlint.config.yaml:5' },
      publicRoots: { value: "Node's bundled list", from: 'default' },
    });
    expect(shown.rules['key-size']).toEqual({ severity: { value: 'warning', from: 'sfb-certlint.config.yaml:3' }, options: { value: { minRsaBits: 3072, minRsaBitsByUsage: { OAuthTokenIssuer: 2048 }, allowedCurves: ['P-256', 'P-384', 'P-521'] }, from: 'sfb-certlint.config.yaml:3' } });
    expect(shown.rules['san-coverage']!.severity).toEqual({ value: 'off', from: '--rule' });
    expect(shown.rules['signature-sha2']!.severity).toEqual({ value: 'error', from: 'default' });
    expect(shown.rules['acme/always']!.severity).toEqual({ value: 'warning', from: 'default' });
  });

  it('shows the defaults and the clock where there is no configuration', async () => {
    const repo = repository();
    const shown = await configInForce({ cwd: repo, env: {} }, 'snapshots/prod');
    expect(shown.configFile).toBeNull();
    expect(shown.now.from).toBe('the clock');
    expect(Object.values(shown.rules).every((r) => r.severity.from === 'default' && r.options.from === 'default')).toBe(true);
  });
});
