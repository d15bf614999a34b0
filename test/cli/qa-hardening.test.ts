/**
 * The command line against what a QA run met (issue 12, QA report 1): each case as a person typed it.
 * The real command runs, as CI runs it (test/global-setup.ts builds dist/ first).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/sfb-certlint.js');
const NOW = '2026-06-01T00:00:00Z';
const PASSWORD = { CONTOSO_PFX_PASSWORD: 'contoso' };
const STACK = /^\s+at |\.[jt]s:\d+:\d+/m;

function run(args: string[], { env = PASSWORD, cwd = ROOT }: { env?: Record<string, string>; cwd?: string } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
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

  it('`sfb-certlint -f json --help` is lint\'s help', () => {
    const result = run(['-f', 'json', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: sfb-certlint lint /);
  });
});
