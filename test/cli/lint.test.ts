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
    expect(report.evaluatedAt).toBe('2026-06-01T00:00:00Z');
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
    expect(report.evaluatedAt).toBe('2026-06-01T00:00:00Z');
    expect(report.findings.filter((f: { ruleId: string }) => f.ruleId === 'signature-sha2')).toEqual([]);
    const keySize = report.findings.find((f: { ruleId: string }) => f.ruleId === 'key-size');
    expect(keySize.suppression.reason).toBe('Mediation server retired in CHG-1');
    expect(report.summary.suppressed).toBe(1);
    // The configuration's path as the working folder sees it, the same on every machine.
    const fromWork = JSON.parse(lint(['lint', 'contoso', '--format', 'json'], PASSWORD, work).stdout);
    expect(fromWork.findings.find((f: { ruleId: string }) => f.ruleId === 'key-size').suppression.source).toEqual({ path: 'contoso/sfb-certlint.config.yaml', line: 5, column: 5, element: null });
    const sarif = JSON.parse(lint(['lint', 'contoso', '--format', 'sarif'], PASSWORD, work).stdout);
    const suppression = sarif.runs[0].results.find((r: { suppressions: unknown[] }) => r.suppressions.length > 0).suppressions[0];
    expect(suppression.location.physicalLocation.artifactLocation).toEqual({ uri: 'contoso/sfb-certlint.config.yaml', uriBaseId: '%SRCROOT%' });
    const certificate = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'private-key-exportable').relatedLocations[0].physicalLocation;
    // A .pfx is binary: a line would mean nothing there.
    expect(certificate).toEqual({ artifactLocation: { uri: 'contoso/edge/edge-av.pfx', uriBaseId: '%SRCROOT%' } });
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

  it('--help shows examples, within 100 columns; --version prints the version', () => {
    expect(lint(['lint', '--help']).stdout).toMatch(/Examples:/);
    for (const command of ['lint', 'rules', 'import']) {
      for (const line of lint([command, '--help']).stdout.split('\n')) expect([...line].length, `${command}: ${line}`).toBeLessThanOrEqual(100);
    }
    expect(lint(['--version']).stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});

/** A raw control character of any kind that must not reach a terminal (escaped ones are plain text). */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const HOSTILE_THUMBPRINT = '5FABA3FA440FEC20864C4DCD199E1468F91B8A1D';
/** The common name as the certificate holds it (the Subject as shown quotes it). */
const HOSTILE_CN = 'oauth\u001b[2J\u001b]0;owned\u0007\u202emoc.osotnoc';

/** A snapshot folder named with an escape sequence, whose OAuth certificate has a hostile Subject. */
function hostileSnapshot(): string {
  const dir = join(work, `hostile-${Math.random().toString(36).slice(2)}\u001b[31m`);
  execFileSync('mkdir', ['-p', join(dir, 'certs')]);
  cpSync(join(ROOT, 'test/snapshot/fixtures/hostile/hostile.pem'), join(dir, 'certs', 'oauth.pem'));
  writeFileSync(
    join(dir, 'snapshot.yaml'),
    `version: 1\nsipDomains: [{ name: contoso.com }]\ncertificates: [{ path: certs/ }]\npools:\n  - fqdn: se01.contoso.com\n    role: StandardEdition\n    servers:\n      - fqdn: se01.contoso.com\n        assignments: [{ usage: OAuthTokenIssuer, thumbprint: ${HOSTILE_THUMBPRINT} }]\n`,
  );
  writeFileSync(join(dir, 'sfb-certlint.config.yaml'), 'suppressions:\n  - rule: key-size\n    server: gone.contoso.com\n    reason: "bell \\a and \\e]0;title\\a"\n');
  return dir;
}

describe('sfb-certlint lint: hostile text never drives the terminal (issue 12)', () => {
  it('stylish escapes every control character, from certificates, file names and the configuration; JSON keeps the exact values', () => {
    const dir = hostileSnapshot();
    const stylish = lint(['lint', dir, '--now', NOW, '--color'], PASSWORD, work);
    expect(stylish.code).toBe(1);
    // Colour is on: the only escape sequences are the report's own SGR colours.
    const withoutColours = stylish.stdout.replace(/\u001b\[\d+(?:;\d+)*m/g, '');
    expect(withoutColours).not.toMatch(RAW_CONTROL);
    expect(withoutColours).toContain('oauth\\1B[2J\\1B]0;owned\\07\\E2\\80\\AEmoc.osotnoc');
    expect(withoutColours).toMatch(/hostile-\w+\\1B\[31m\/snapshot\.yaml/);
    expect(withoutColours).toContain('bell \\07 and \\1B]0;title\\07');
    const report = JSON.parse(lint(['lint', dir, '--now', NOW, '--format', 'json'], PASSWORD, work).stdout);
    expect(report.findings.find((f: { ruleId: string }) => f.ruleId === 'sip-domain-in-subject').message).toContain(HOSTILE_CN);
  });

  it('errors on standard error are escaped too: a snapshot path with an escape sequence', () => {
    const result = lint(['lint', join(work, 'missing\u001b]0;owned\u0007.yaml'), '--config', join(work, 'no\u001b[2Jconfig.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no\\1B[2Jconfig.yaml: file not found');
    expect(result.stderr).not.toMatch(RAW_CONTROL);
  });
});

describe('sfb-certlint lint: what people type (issue 12)', () => {
  it('refuses a date that is not on the calendar, with the value and the form', () => {
    for (const option of ['--now', '--time']) {
      const result = lint(['lint', 'examples/contoso', option, '2026-02-30']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`sfb-certlint: ${option}: '2026-02-30' is not a date (February 2026 has 28 days); expected an ISO 8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z\n`);
    }
  });

  it('says so on standard error when --max-warnings fails the run', () => {
    const args = ['lint', 'examples/contoso', '--now', NOW, ...['key-size', 'signature-sha2', 'sip-domain-in-subject', 'oauth-same-certificate', 'trusted-root-present', 'private-key-exportable'].flatMap((id) => ['--rule', `${id}:warn`])];
    const failed = lint([...args, '--max-warnings', '2']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/0 errors, 6 warnings/);
    expect(failed.stderr).toBe('sfb-certlint found too many warnings (maximum: 2).\n');
    expect(lint([...args, '--max-warnings', '6']).stderr).toBe('');
  });

  it('suggests the command, option, rule and severity meant', () => {
    const cases: Array<[string[], string]> = [
      [['lnit', 'examples/contoso'], "sfb-certlint: unknown command 'lnit'; did you mean 'lint'?"],
      [['inpsect', 'x.pem'], "sfb-certlint: unknown command 'inpsect'; did you mean 'inspect'?"],
      [['lint', 'examples/contoso', '--fromat', 'json'], "sfb-certlint: unknown option '--fromat'; did you mean '--format'?"],
      [['lint', 'examples/contoso', '--rule', 'key-sise:off'], "sfb-certlint: --rule key-sise: unknown rule; did you mean 'key-size'?"],
      [['lint', 'examples/contoso', '--rule', 'key-size:erorr'], "sfb-certlint: --rule key-size:erorr: 'erorr' is not a severity (off, info, warning or error); did you mean 'error'?"],
      [['lint', 'examples/contoso', '--format', 'sarf'], "sfb-certlint: unknown format 'sarf'; did you mean 'sarif'? (use stylish, json, sarif, html or markdown)"],
      [['lint', 'examples/contoso', '--output'], 'sfb-certlint: --output needs a value'],
      [['lint', 'examples/contoso', '-o', '-report.json'], "sfb-certlint: --output needs a value, and '-report.json' looks like an option"],
    ];
    for (const [args, first] of cases) {
      const result = lint(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.split('\n')[0], args.join(' ')).toBe(first);
      expect(result.stderr).not.toMatch(/positional argument|ERR_PARSE_ARGS|ambiguous/);
    }
    // A file that exists is linted, however close its name is to a command's.
    const lnit = join(work, 'lnit');
    cpSync(join(ROOT, 'examples/contoso-clean'), lnit, { recursive: true });
    expect(lint(['lnit'], PASSWORD, work).code).toBe(0);
  });

  it('a suppression of a misspelt rule is an error that names the rule meant, not an unused suppression', () => {
    const config = join(work, 'misspelt.config.yaml');
    writeFileSync(config, 'suppressions:\n  - rule: key-sise\n    server: med01.contoso.com\n    reason: retired\n');
    const result = lint(['lint', 'examples/contoso', '-c', config]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(`sfb-certlint: ${config}:2:5: suppressions: unknown rule 'key-sise'; did you mean 'key-size'?`);
  });

  it('one vocabulary: -f, -o, -c; text is stylish; format names in any case; --time is --now', () => {
    const out = join(work, 'vocabulary', 'report.json');
    expect(lint(['lint', 'examples/contoso', '--time', NOW, '-f', 'JSON', '-o', out]).code).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8')).evaluatedAt).toBe('2026-06-01T00:00:00Z');
    expect(lint(['lint', 'examples/contoso', '--now', NOW, '-f', 'text', '--no-color']).stdout).toBe(lint(['lint', 'examples/contoso', '--now', NOW, '--no-color']).stdout);
    const help = lint(['lint', '--help']).stdout;
    for (const flag of ['-f, --format', '-o, --output', '-c, --config', '--now ISO-DATE, --time ISO-DATE']) expect(help).toContain(flag);
  });

  it('--output creates missing folders; a folder as the output file is a clear error', () => {
    const out = join(work, 'new', 'folders', 'sfb-certlint.sarif');
    expect(lint(['lint', 'examples/contoso', '--now', NOW, '-f', 'sarif', '-o', out]).code).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8')).version).toBe('2.1.0');
    const folder = lint(['lint', 'examples/contoso', '--now', NOW, '-o', work]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe(`sfb-certlint: ${work}: is a folder: give the report a file name in it, e.g. ${join(work, 'sfb-certlint.json')}\n`);
  });

  it('rules ID shows one rule in full', () => {
    const { stdout, code } = spawnSync(process.execPath, [BIN, 'rules', 'key-size'], { cwd: ROOT, encoding: 'utf8' }) as { stdout: string; code?: number };
    expect(code).toBeUndefined();
    expect(stdout).toMatch(/^key-size {2}\(default severity: error\)\n/);
    expect(stdout).toContain('https://learn.microsoft.com/en-us/previous-versions/office/lync-server-2013/lync-server-2013-certificate-infrastructure-requirements');
    expect(stdout).toMatch(/minRsaBits \(integer, default 2048, at least 512\)/);
    expect(stdout).toContain('Documentation: https://github.com/sfb-certlint/sfb-certlint/blob/main/docs/rules/key-size.md');
    expect(stdout).toMatch(/Messages:\n {4}tooShort \(error, one finding per certificate\): The certificate \{\{certificate\}\} has a \{\{bits\}\}-bit RSA key/);
  });
});

describe('sfb-certlint lint: CI conventions (issue 12)', () => {
  it('lint FOLDER walks it: the help\'s own `lint snapshots/ --format sarif`, one snapshot per sub-folder', () => {
    const snapshots = join(work, 'walk', 'snapshots');
    cpSync(join(ROOT, 'examples/contoso'), join(snapshots, 'prod'), { recursive: true });
    cpSync(join(ROOT, 'examples/contoso-clean'), join(snapshots, 'eu', 'lab'), { recursive: true });
    cpSync(join(ROOT, 'examples/contoso'), join(snapshots, 'node_modules', 'pkg'), { recursive: true });
    const result = lint(['lint', 'snapshots/', '--format', 'sarif', '--now', NOW], PASSWORD, join(work, 'walk'));
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout);
    expect(new Set(log.runs[0].results.map((r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => r.locations[0]!.physicalLocation.artifactLocation.uri))).toEqual(
      new Set(['snapshots/prod/snapshot.yaml']),
    );
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(true);
  });

  it('several outputs from one run: stylish to the log, SARIF and JSON to files, one exit code', () => {
    const sarif = join(work, 'multi', 'sfb-certlint.sarif');
    const json = join(work, 'multi', 'sfb-certlint.json');
    const result = lint(['lint', 'examples/contoso', '--now', NOW, '--no-color', '--output-sarif', sarif, '--output-json', json]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✖ 6 problems \(6 errors, 0 warnings\)/);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).runs[0].results).toHaveLength(6);
    expect(JSON.parse(readFileSync(json, 'utf8')).summary.errors).toBe(6);
  });

  it('--print-config prints the configuration in force and where each part came from', () => {
    const copy = join(work, 'printed');
    cpSync(join(ROOT, 'examples/contoso'), copy, { recursive: true });
    writeFileSync(join(copy, 'sfb-certlint.config.yaml'), 'rules:\n  key-size: [warning, { minRsaBits: 3072 }]\n');
    const result = lint(['lint', '--print-config', 'printed', '--rule', 'san-coverage:off'], PASSWORD, work);
    expect(result.code).toBe(0);
    const shown = JSON.parse(result.stdout);
    expect(shown.configFile).toEqual({ path: 'printed/sfb-certlint.config.yaml', found: 'beside the snapshot', trusted: false });
    expect(shown.rules['key-size']).toEqual({ severity: { value: 'warning', from: 'printed/sfb-certlint.config.yaml:2' }, options: { value: { minRsaBits: 3072, minRsaBitsByUsage: { OAuthTokenIssuer: 2048 }, allowedCurves: ['P-256', 'P-384', 'P-521'] }, from: 'printed/sfb-certlint.config.yaml:2' } });
    expect(shown.rules['san-coverage'].severity).toEqual({ value: 'off', from: '--rule' });
  });

  it('stylish follows the terminal width (COLUMNS), within 60 to 160 columns', () => {
    const widest = (columns: string) => Math.max(...lint(['lint', 'examples/contoso', '--now', NOW, '--no-color'], { ...PASSWORD, COLUMNS: columns }).stdout.split('\n').map((l) => [...l].length));
    expect(widest('70')).toBeLessThanOrEqual(70);
    expect(widest('70')).toBeGreaterThan(60);
    // Narrower than 60 is taken as 60 (a thumbprint or a path is never broken, and may stand out).
    expect(widest('40')).toBe(widest('60'));
    const wide = widest('200');
    expect(wide).toBeGreaterThan(100);
    expect(wide).toBeLessThanOrEqual(160);
  });

  it('passes over a stray private key with a notice on standard error, and still lints', () => {
    const copy = join(work, 'stray');
    cpSync(join(ROOT, 'examples/contoso-clean'), copy, { recursive: true });
    cpSync(join(ROOT, 'test/snapshot/fixtures/stray/private-key.pem'), join(copy, 'certs', 'fe04.pem'));
    const result = lint(['lint', 'stray', '--now', NOW, '-f', 'json'], PASSWORD, work);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('sfb-certlint: notice: stray/certs/fe04.pem: skipped: a private key alone, not a certificate\n');
  });

  it('bin/sfb-certlint.js before the build says what to run', () => {
    const fresh = join(work, 'fresh-clone');
    execFileSync('mkdir', ['-p', join(fresh, 'bin')]);
    cpSync(BIN, join(fresh, 'bin', 'sfb-certlint.js'));
    cpSync(join(ROOT, 'package.json'), join(fresh, 'package.json'));
    const result = spawnSync(process.execPath, [join(fresh, 'bin', 'sfb-certlint.js'), 'lint'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('sfb-certlint: the command is not built yet: run npm ci (or npm run build) first\n');
  });
});

describe('sfb-certlint lint: an unreviewed change cannot reach beyond its repository (issue 19)', () => {
  /** A repository with the clean example in snapshots/prod, and the files given. */
  function repository(files: Record<string, string> = {}): string {
    const repo = join(work, `repo-${Math.random().toString(36).slice(2)}`);
    execFileSync('mkdir', ['-p', join(repo, '.git')]);
    cpSync(join(ROOT, 'examples/contoso-clean'), join(repo, 'snapshots', 'prod'), { recursive: true });
    for (const [path, content] of Object.entries(files)) writeFileSync(join(repo, path), content);
    return repo;
  }

  it('refuses a snapshot naming a file outside the repository (exit 2, nothing opened); --allow-outside-root reads it', () => {
    const repo = repository();
    const snapshot = join(repo, 'snapshots', 'prod', 'snapshot.yaml');
    writeFileSync(snapshot, readFileSync(snapshot, 'utf8').replace('- path: certs/', `- path: certs/\n  - path: ${join(ROOT, 'examples/contoso/certs/fe01.cer')}`));
    const refused = lint(['lint', 'snapshots', '--now', NOW, '-f', 'json'], PASSWORD, repo);
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout).inputErrors[0].message).toMatch(new RegExp(`^${join(ROOT, 'examples/contoso/certs/fe01.cer')} is outside the repository \\(\\.\\): refused, not opened`));
    expect(lint(['lint', 'snapshots', '--now', NOW, '--allow-outside-root'], PASSWORD, repo).code).toBe(0);
  });

  it('refuses a passwordEnv naming another secret of the runner, without its value', () => {
    const repo = repository();
    const snapshot = join(repo, 'snapshots', 'prod', 'snapshot.yaml');
    writeFileSync(snapshot, readFileSync(snapshot, 'utf8').replace('passwordEnv: CONTOSO_PFX_PASSWORD', 'passwordEnv: NPM_TOKEN'));
    const result = lint(['lint', 'snapshots', '--now', NOW, '-f', 'json'], { ...PASSWORD, NPM_TOKEN: 'npm_canary_secret' }, repo);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).inputErrors[0].message).toMatch(/^passwordEnv: NPM_TOKEN is not read: a snapshot may name only PFX_PASSWORD or a variable ending in _PFX_PASSWORD/);
    expect(result.stdout + result.stderr).not.toContain('npm_canary_secret');
  });

  it('refuses a plug-in named by a configuration inside the linted folder, saying how to allow it; loads one from the root', () => {
    const plugin = "export const rules = [{ meta: { id: 'acme/always', description: 'd', severity: 'error', citation: { title: 't', url: 'https://acme.example' }, messages: { once: 'Acme says no.' } }, *check() { yield { messageId: 'once' }; } }];\n";
    const repo = repository({ 'snapshots/prod/sfb-certlint.config.yaml': 'plugins: [./plugin.mjs]\n', 'snapshots/prod/plugin.mjs': plugin });
    const refused = lint(['lint', 'snapshots', '--now', NOW], PASSWORD, repo);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/sfb-certlint\.config\.yaml:1:1: plug-ins are code, and load only from a trusted configuration/);
    expect(refused.stderr).toMatch(/--allow-plugins/);
    expect(lint(['lint', 'snapshots', '--now', NOW, '--allow-plugins', '-f', 'json'], PASSWORD, repo).code).toBe(1);
    writeFileSync(join(repo, 'sfb-certlint.config.yaml'), 'plugins: [./snapshots/prod/plugin.mjs]\n');
    execFileSync('rm', [join(repo, 'snapshots/prod/sfb-certlint.config.yaml')]);
    const fromRoot = JSON.parse(lint(['lint', 'snapshots', '--now', NOW, '-f', 'json'], PASSWORD, repo).stdout);
    expect(fromRoot.findings.some((f: { ruleId: string }) => f.ruleId === 'acme/always')).toBe(true);
    expect(lint(['lint', 'snapshots', '--now', NOW, '--no-plugins'], PASSWORD, repo).code).toBe(2);
  });
});

describe('sfb-certlint lint: the pull request workflow of docs/security.md', () => {
  it('lints the change with the base branch\'s configuration and plug-in (--config beside it, --root the change)', () => {
    const base = join(work, 'fork-ci');
    execFileSync('mkdir', ['-p', join(base, 'change', '.git'), join(base, 'trusted', '.git'), join(base, 'trusted', 'policy')]);
    cpSync(join(ROOT, 'examples/contoso-clean'), join(base, 'change', 'snapshots', 'prod'), { recursive: true });
    // The base branch's configuration: its plug-in, and the example's public root (external-certificate-public-ca).
    cpSync(join(ROOT, 'examples/contoso-clean/public-roots'), join(base, 'trusted', 'public-roots'), { recursive: true });
    writeFileSync(join(base, 'trusted', 'sfb-certlint.config.yaml'), 'plugins: [./policy/acme.mjs]\npublicRoots:\n  add: [public-roots/northwind-trust-root-ca.cer]\n');
    writeFileSync(
      join(base, 'trusted', 'policy', 'acme.mjs'),
      "export const rules = [{ meta: { id: 'acme/reviewed', description: 'd', severity: 'warning', citation: { title: 't', url: 'https://acme.example' }, messages: { hi: 'Linted by the reviewed policy.' } }, *check() { yield { messageId: 'hi' }; } }];\n",
    );
    // The change tries to bring its own plug-in: a configuration given with --config replaces it.
    writeFileSync(join(base, 'change', 'snapshots', 'prod', 'sfb-certlint.config.yaml'), 'plugins: [./evil.mjs]\n');
    const result = lint(['lint', 'snapshots/', '--config', '../trusted/sfb-certlint.config.yaml', '--root', '.', '--now', NOW, '-f', 'json'], PASSWORD, join(base, 'change'));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['acme/reviewed']);
  });
});
