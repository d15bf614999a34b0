/**
 * The command line against what a QA run met (issue 12, QA report 1): each case as a person typed it.
 * The real command runs, as CI runs it (test/global-setup.ts builds dist/ first).
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../probe/servers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/sfb-certlint.js');
const NOW = '2026-06-01T00:00:00Z';
const PASSWORD = { CONTOSO_PFX_PASSWORD: 'contoso' };

function run(args: string[], { env = PASSWORD, cwd = ROOT }: { env?: Record<string, string>; cwd?: string } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** As run, without blocking this process: a test server it connects to lives here. */
async function runAsync(args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failed = e as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'sfb-certlint-qa-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('--print-config on a snapshot that is not there (QA 1)', () => {
  it('exits 2 with the missing-input error, and prints no configuration', () => {
    const result = run(['lint', '--print-config', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('sfb-certlint: nope: snapshot not found\n');
  });

  it('exits 2 for a folder without a snapshot file, saying what it takes', () => {
    mkdirSync(join(work, 'no-snapshot'));
    const result = run(['lint', '--print-config', 'no-snapshot'], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe('sfb-certlint: no-snapshot: the folder holds no snapshot file');
    expect(result.stderr).toMatch(/--print-config takes one snapshot: a file named snapshot\.yaml/);
  });

  it('still prints the configuration of a snapshot folder and of a snapshot file', () => {
    cpSync(join(ROOT, 'examples/contoso-clean'), join(work, 'clean'), { recursive: true });
    for (const target of ['clean', 'clean/snapshot.yaml']) {
      const result = run(['lint', '--print-config', target], { cwd: work });
      expect(result.code, target).toBe(0);
      expect(JSON.parse(result.stdout).snapshot).toBe(target);
    }
  });
});

describe('options before the path of the default command, as ESLint takes them (QA 2)', () => {
  it('`sfb-certlint -f json examples/contoso` lints, in every leading form', () => {
    const forms = [
      ['-f', 'json', 'examples/contoso', '--now', NOW],
      ['--now', NOW, '-f', 'json', 'examples/contoso'],
      ['--format=json', '--now', NOW, 'examples/contoso'],
      ['--quiet', '--format', 'json', '--now', NOW, 'examples/contoso'],
      ['--now', NOW, '-f', 'json', 'lint', 'examples/contoso'],
    ];
    for (const args of forms) {
      const result = run(args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toBe('');
      expect(JSON.parse(result.stdout).summary.errors, args.join(' ')).toBe(6);
    }
  });

  it('options before another command are that command\'s', () => {
    const listed = run(['-f', 'json', 'rules']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).map((r: { id: string }) => r.id)).toContain('key-size');
    const debug = run(['--debug', 'rules', 'key-size']);
    expect(debug.code).toBe(0);
    expect(debug.stdout).toMatch(/^key-size {2}\(default severity: error\)/);
  });

  it('an unknown leading option is one line and lint\'s help pointer, not the whole usage', () => {
    const result = run(['--bogus', 'examples/contoso']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("sfb-certlint: unknown option '--bogus'\nRun 'sfb-certlint lint --help' for its options.\n");
    expect(run(['--fromat', 'json', 'examples/contoso']).stderr.split('\n')[0]).toBe("sfb-certlint: unknown option '--fromat'; did you mean '--format'?");
  });

  it('a mistyped command after options is still caught; after --, every argument is a path', () => {
    expect(run(['--debug', 'lnit']).stderr.split('\n')[0]).toBe("sfb-certlint: unknown command 'lnit'; did you mean 'lint'?");
    const path = run(['--now', NOW, '--', 'lint']);
    expect(path.code).toBe(2);
    expect(path.stdout).toMatch(/lint {2}snapshot not found/);
  });

  it('--version among leading options prints the version, as ESLint\'s', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    for (const args of [['--version'], ['-v'], ['--debug', '--version']]) expect(run(args), args.join(' ')).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('`sfb-certlint -f json --help` is lint\'s help', () => {
    const result = run(['-f', 'json', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: sfb-certlint lint /);
  });
});

describe('--output-FORMAT for every format name, and no report dropped unsaid (QA 3)', () => {
  const files = (...names: string[]) => names.map((n) => join(work, 'outputs', n));

  it('--output-text is --output-stylish; one format repeated writes every file', () => {
    const [text, stylish, a, b] = files('a.txt', 'b.txt', 'a.json', 'b.json');
    const result = run(['lint', 'examples/contoso', '--now', NOW, '-f', 'json', '--output-text', text!, '--output-stylish', stylish!, '--output-json', a!, '--output-json', b!]);
    expect(result.code).toBe(1);
    const log = readFileSync(text!, 'utf8');
    expect(log).toMatch(/✖ 6 problems \(6 errors, 0 warnings\)/);
    expect(readFileSync(stylish!, 'utf8')).toBe(log);
    // Each file holds the whole report, and the main one still goes to standard output.
    for (const file of [a!, b!]) expect(JSON.parse(readFileSync(file, 'utf8')).summary.errors).toBe(6);
    expect(JSON.parse(result.stdout).summary.errors).toBe(6);
  });

  it('the help names every --output-FORMAT the command takes', () => {
    const help = run(['lint', '--help']).stdout;
    for (const name of ['stylish', 'text', 'json', 'sarif', 'html', 'markdown']) expect(help).toContain(`--output-${name}`);
  });

  it('two reports into one file, or a single-valued option given twice with two values, is refused (exit 2, nothing written)', () => {
    const [same] = files('same.json');
    const cases: Array<[string[], string]> = [
      [['--output-json', same!, '--output-sarif', same!], `sfb-certlint: --output-json and --output-sarif name the same file, '${same}': each report needs a file of its own`],
      [['-o', same!, '--output-html', same!], `sfb-certlint: --output and --output-html name the same file, '${same}': each report needs a file of its own`],
      [['-o', 'a.txt', '--output', 'b.txt'], "sfb-certlint: --output is given twice ('a.txt', then 'b.txt'): give it once"],
      [['-f', 'json', '--format', 'sarif'], "sfb-certlint: --format is given twice ('json', then 'sarif'): give it once"],
      [['--now', '2026-01-01', '--now', '2027-01-01'], "sfb-certlint: --now is given twice ('2026-01-01', then '2027-01-01'): give it once"],
    ];
    for (const [args, message] of cases) {
      const result = run(['lint', 'examples/contoso', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.split('\n')[0], args.join(' ')).toBe(message);
      expect(result.stdout).toBe('');
    }
    expect(existsSync(same!)).toBe(false);
    expect(run(['lint', 'examples/contoso', '-o', 'a.txt', '-o', 'b.txt']).stderr).toMatch(/\nFor more reports from one run, add --output-FORMAT FILE/);
    // The same value twice drops nothing.
    expect(run(['lint', 'examples/contoso-clean', '--now', NOW, '--now', NOW, '-f', 'json']).code).toBe(0);
  });
});

describe('messages say what is true (QA 4)', () => {
  it('an empty snapshot file is said to be empty, with what a snapshot holds, not "Write [] for an empty list"', () => {
    for (const [name, text] of [['empty', ''], ['comments', '# written later\n---\n']] as const) {
      mkdirSync(join(work, name));
      writeFileSync(join(work, name, 'snapshot.yaml'), text);
      const result = run(['lint', name, '-f', 'json'], { cwd: work });
      expect(result.code, name).toBe(2);
      expect(JSON.parse(result.stdout).inputErrors, name).toEqual([
        {
          path: `${name}/snapshot.yaml`,
          line: null,
          message: 'the snapshot is empty (A snapshot holds version: 1, the SIP domains (sipDomains) and the pools with their servers (docs/snapshot.md); sfb-certlint import writes one from the topology.)',
        },
      ]);
    }
    // `null` is no list either: the hint about lists is for lists.
    mkdirSync(join(work, 'null'));
    writeFileSync(join(work, 'null', 'snapshot.yaml'), 'null\n');
    const result = run(['lint', 'null', '-f', 'json'], { cwd: work });
    expect(JSON.parse(result.stdout).inputErrors[0].message).toBe('snapshot: expected object, found nothing (null)');
  });

  it('times in one form, to the second in UTC, as certificates\' dates are: in JSON, --print-config and stylish', () => {
    const instant = '2026-06-01T12:30:45.678Z';
    const report = JSON.parse(run(['lint', 'examples/contoso', '--now', instant, '-f', 'json']).stdout);
    expect(report.evaluatedAt).toBe('2026-06-01T12:30:45Z');
    // Every time in the report, the evaluation's and the certificates', has the one form.
    const times: string[] = [];
    JSON.stringify(report, (_key, value: unknown) => (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value) ? times.push(value) : undefined, value));
    expect(times.length).toBeGreaterThan(10);
    for (const time of times) expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(JSON.parse(run(['lint', '--print-config', 'examples/contoso', '--now', instant]).stdout).now).toEqual({ value: '2026-06-01T12:30:45Z', from: '--now' });
    expect(run(['lint', 'examples/contoso', '--now', instant, '--no-color']).stdout).toContain('Evaluated at 2026-06-01T12:30:45Z (set by --now), not at the current time.');
  });

  it('probe names the address and port it connected to (--connect-to), not the endpoint\'s port', async () => {
    const port = await closedPort();
    const endpoint = 'sip.contoso.com:443';
    const result = await runAsync(['probe', '--endpoint', endpoint, '--connect-to', `${endpoint}=127.0.0.1:${port}`, '--now', NOW, '--timeout', '2s', '-f', 'json']);
    const [finding] = JSON.parse(result.stdout).findings;
    expect(finding.messageId).toBe('refused');
    expect(finding.message).toBe(`No TLS handshake with sip.contoso.com:443 (named on the command line): the connection to 127.0.0.1:${port} was refused: nothing listens there, or a firewall rejects it.`);
  });
});

describe('--quiet hides warnings, and they still count for --max-warnings, as in ESLint 8 and later (QA 7)', () => {
  // The six error rules of the example as warnings: 6 warnings, no error.
  const asWarnings = ['key-size', 'signature-sha2', 'sip-domain-in-subject', 'oauth-same-certificate', 'trusted-root-present', 'private-key-exportable'].flatMap((id) => ['--rule', `${id}:warning`]);
  const args = ['lint', 'examples/contoso', '--now', NOW, '--no-color', ...asWarnings];

  it('--quiet --max-warnings 0 fails a run with warnings (exit 1), showing none and saying why', () => {
    const result = run([...args, '--quiet', '--max-warnings', '0']);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/warning/);
    expect(result.stderr).toBe('sfb-certlint found too many warnings (maximum: 0; 6 found, not shown with --quiet).\n');
  });

  it('within --max-warnings, or without it, --quiet changes no exit code', () => {
    expect(run([...args, '--quiet', '--max-warnings', '6']).code).toBe(0);
    expect(run([...args, '--quiet']).code).toBe(0);
    expect(run([...args, '--quiet', '--max-warnings', '5']).code).toBe(1);
  });

  it('every report of the run hides them: the main one and --output-FORMAT files', () => {
    const json = join(work, 'quiet', 'report.json');
    const result = run([...args, '--quiet', '-f', 'json', '--output-json', json, '--rule', 'key-size:error']);
    for (const report of [JSON.parse(result.stdout), JSON.parse(readFileSync(json, 'utf8'))]) {
      expect(report.findings.length).toBeGreaterThan(0);
      expect(report.findings.every((f: { severity: string }) => f.severity === 'error')).toBe(true);
      expect(report.summary.warnings).toBe(0);
    }
  });
});

describe('a reader that stops early', () => {
  it('`sfb-certlint -f json examples/contoso | head -1`: no EPIPE stack trace, the run\'s own exit code', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [BIN, 'lint', 'examples/contoso', '--now', NOW, '-f', 'json'], { cwd: ROOT, env: { PATH: process.env.PATH, ...PASSWORD } });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    // The reader is gone before the report is written, as when head has read its line.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(1);
  });
});
