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
