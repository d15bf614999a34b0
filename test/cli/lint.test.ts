import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The real command, as CI runs it (test/global-setup.ts builds dist/ first).
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/sfb-certlint.js');
const NOW = '2026-06-01T00:00:00Z';
const PASSWORD = { CONTOSO_PFX_PASSWORD: 'contoso' };

function lint(args: string[], env: Record<string, string> = PASSWORD, cwd = ROOT) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const STACK = /^\s+at |\.[jt]s:\d+:\d+/m;
const ANSI = /\u001b\[/;
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'sfb-certlint-lint-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('sfb-certlint lint: exit codes (as ESLint\'s)', () => {
  it('1 when there are error findings, in every format', () => {
    for (const format of ['stylish', 'json', 'sarif']) expect(lint(['lint', 'examples/contoso', '--now', NOW, '--format', format]).code).toBe(1);
  });

  it('0 for the clean deployment, and `lint` is the default command when the first argument is a path', () => {
    const result = lint(['examples/contoso-clean', '--now', NOW]);
    expect(result.code).toBe(0);
    // Clean as of the time asked for, which is not now: stylish says so, and nothing else.
    expect(result.stdout).toBe('\nEvaluated at 2026-06-01T00:00:00Z (set by --now), not at the current time.\n');
    expect(lint(['examples/contoso-clean']).stdout).toBe('');
  });

  it('1 when warnings exceed --max-warnings, 0 when within', () => {
    // The six mission rules' errors, turned into warnings.
    const asWarnings = ['key-size', 'signature-sha2', 'sip-domain-in-subject', 'oauth-same-certificate', 'trusted-root-present', 'private-key-exportable'].flatMap((id) => ['--rule', `${id}:warning`]);
    const args = ['lint', 'examples/contoso', '--now', NOW, ...asWarnings];
    const warnings = JSON.parse(lint([...args, '--format', 'json']).stdout).summary.warnings as number;
    expect(warnings).toBeGreaterThanOrEqual(6);
    expect(lint(args).code).toBe(0);
    expect(lint([...args, '--max-warnings', String(warnings - 1)]).code).toBe(1);
    expect(lint([...args, '--max-warnings', String(warnings)]).code).toBe(0);
  });

  it('2 for a usage error, an unknown format or rule, a bad --now, never with a stack trace', () => {
    for (const args of [['lint', '--bogus'], ['lint', 'examples/contoso', '--format', 'xml'], ['lint', 'examples/contoso', '--rule', 'no-such-rule:off'], ['lint', 'examples/contoso', '--rule', 'key-size:fatal'], ['lint', 'examples/contoso', '--now', 'tomorrow']]) {
      const result = lint(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^sfb-certlint: /);
      expect(result.stderr).not.toMatch(STACK);
    }
  });

  it('2 for an unreadable snapshot, with the other snapshots still reported', () => {
    const broken = join(work, 'broken.yaml');
    writeFileSync(broken, 'version: 1\npools: [\n');
    const result = lint(['lint', broken, 'examples/contoso', '--now', NOW, '--format', 'json']);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout);
    expect(report.inputErrors).toEqual([expect.objectContaining({ path: expect.stringContaining('broken.yaml'), line: expect.any(Number) })]);
    expect(report.findings.length).toBeGreaterThan(0);
  });

  it('2 when the PFX password variable is missing, naming the variable, not a password', () => {
    const result = lint(['lint', 'examples/contoso', '--now', NOW], {});
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/CONTOSO_PFX_PASSWORD/);
  });

  it('2 for an unreadable configuration, naming its line', () => {
    const config = join(work, 'bad.config.yaml');
    writeFileSync(config, 'rules:\n  key-size: [error, { minBits: 3072 }]\n');
    const result = lint(['lint', 'examples/contoso', '--config', config]);
    expect(result.code).toBe(2);
    expect(result.stderr + result.stdout).toMatch(/bad\.config\.yaml:2:.*no option 'minBits'/);
  });

  it('2 for an unwritable --output, and nothing half-written', () => {
    const dir = join(work, 'readonly');
    execFileSync('mkdir', ['-p', dir]);
    chmodSync(dir, 0o500);
    const result = lint(['lint', 'examples/contoso', '--now', NOW, '--output', join(dir, 'report.json'), '--format', 'json']);
    // root may write anywhere: then the report must be whole.
    if (result.code === 2) expect(result.stderr).toMatch(/cannot write the report/);
    else expect(() => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))).not.toThrow();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('does not depend on --format: the same findings decide it', () => {
    const codes = ['stylish', 'json', 'sarif'].map((format) => lint(['lint', 'examples/contoso-clean', '--now', NOW, '--format', format]).code);
    expect(codes).toEqual([0, 0, 0]);
  });
});

describe('sfb-certlint lint: formats on the example deployment', () => {
  it('stylish: grouped by pool and server, rule id at the end, ESLint\'s summary line', () => {
    const { stdout } = lint(['lint', 'examples/contoso', '--now', NOW, '--no-color']);
    expect(stdout).toMatch(/pool01\.contoso\.com › fe03\.contoso\.com/);
    expect(stdout).toMatch(/^\s+\d+:\d+\s+error\s+.*oauth-same-certificate$/m);
    expect(stdout).toMatch(/✖ \d+ problems? \(\d+ errors?, \d+ warnings?\)/);
    for (const line of stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('json: every mission rule, the evaluation time, the inputs', () => {
    const report = JSON.parse(lint(['lint', 'examples/contoso', '--now', NOW, '--format', 'json']).stdout);
    expect(report.evaluatedAt).toBe('2026-06-01T00:00:00.000Z');
    expect(report.inputs[0].snapshot).toBe('examples/contoso/snapshot.yaml');
    expect(new Set(report.findings.map((f: { ruleId: string }) => f.ruleId))).toEqual(
      new Set(['key-size', 'signature-sha2', 'sip-domain-in-subject', 'oauth-same-certificate', 'trusted-root-present', 'private-key-exportable']),
    );
  });

  it('sarif: a SARIF 2.1.0 log pointing at snapshot lines relative to the working directory', () => {
    const log = JSON.parse(lint(['lint', 'examples/contoso', '--now', NOW, '--format', 'sarif']).stdout);
    expect(log.version).toBe('2.1.0');
    const location = log.runs[0].results[0].locations[0].physicalLocation;
    expect(location.artifactLocation.uri).toBe('examples/contoso/snapshot.yaml');
    expect(location.region.startLine).toBeGreaterThan(1);
  });

  it('--quiet leaves only errors', () => {
    const report = JSON.parse(lint(['lint', 'examples/contoso', '--now', NOW, '--format', 'json', '--quiet', '--rule', 'key-size:warning']).stdout);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((f: { severity: string }) => f.severity === 'error')).toBe(true);
  });

  it('--now and the configuration\'s now make the run reproducible: certificates expire in 2049', () => {
    const report = JSON.parse(lint(['lint', 'examples/contoso-clean', '--now', '2050-01-01', '--format', 'json']).stdout);
    expect(report.findings.some((f: { ruleId: string; messageId: string }) => f.ruleId === 'certificate-expiry' && f.messageId === 'expired')).toBe(true);
  });

  it('a configuration beside the snapshot is used: severities, options and suppressions with reasons', () => {
    const copy = join(work, 'contoso');
    cpSync(join(ROOT, 'examples/contoso'), copy, { recursive: true });
    writeFileSync(
      join(copy, 'sfb-certlint.config.yaml'),
      `now: ${NOW}\nrules:\n  signature-sha2: [error, { allowSha1: true }]\nsuppressions:\n  - rule: key-size\n    server: med01.contoso.com\n    reason: Mediation server retired in CHG-1\n`,
    );
    const report = JSON.parse(lint(['lint', copy, '--format', 'json']).stdout);
    expect(report.evaluatedAt).toBe('2026-06-01T00:00:00.000Z');
    expect(report.findings.filter((f: { ruleId: string }) => f.ruleId === 'signature-sha2')).toEqual([]);
    const keySize = report.findings.find((f: { ruleId: string }) => f.ruleId === 'key-size');
    expect(keySize.suppression.reason).toBe('Mediation server retired in CHG-1');
    expect(report.summary.suppressed).toBe(1);
  });
});

describe('sfb-certlint lint: terminals, pipes and files', () => {
  it('colours with --color or FORCE_COLOR, never with --no-color, NO_COLOR or into a pipe', () => {
    const args = ['lint', 'examples/contoso', '--now', NOW];
    expect(lint([...args, '--color']).stdout).toMatch(ANSI);
    expect(lint(args, { ...PASSWORD, FORCE_COLOR: '1' }).stdout).toMatch(ANSI);
    expect(lint(args).stdout).not.toMatch(ANSI);
    expect(lint([...args, '--no-color'], { ...PASSWORD, FORCE_COLOR: '1' }).stdout).not.toMatch(ANSI);
    expect(lint(args, { ...PASSWORD, NO_COLOR: '1' }).stdout).not.toMatch(ANSI);
  });

  it('a large report through a pipe arrives whole', () => {
    // 12 copies of the faulty deployment: well over a pipe's 64 KiB buffer of JSON.
    const targets = Array.from({ length: 12 }, () => 'examples/contoso');
    const reader = 'let n=0;process.stdin.on("data",c=>n+=c.length).on("end",()=>{console.log(n)})';
    const piped = execFileSync('bash', ['-c', `node "${BIN}" lint ${targets.join(' ')} --now ${NOW} --format json | node -e '${reader}'`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...PASSWORD },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const direct = lint(['lint', ...targets, '--now', NOW, '--format', 'json']).stdout;
    expect(direct.length).toBeGreaterThan(64 * 1024);
    expect(Number(piped.trim())).toBe(Buffer.byteLength(direct));
    expect(JSON.parse(direct).findings.length).toBe(12 * 6);
  });

  it('--output writes the report atomically and prints nothing', () => {
    const out = join(work, 'report.sarif');
    const result = lint(['lint', 'examples/contoso', '--now', NOW, '--format', 'sarif', '--output', out]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).version).toBe('2.1.0');
    expect(readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(out)).toBe(true);
  });

  it('--help shows examples; --version prints the version', () => {
    expect(lint(['lint', '--help']).stdout).toMatch(/Examples:/);
    expect(lint(['--version']).stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});
