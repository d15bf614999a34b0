import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HANG_BUDGET_MS } from '../hang-budget.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/sfb-certlint.js');
const NOW = '2026-06-01T00:00:00Z';

/** The real command, killed after the hang budget: a regression fails the test instead of hanging the suite. */
function cli(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, CONTOSO_PFX_PASSWORD: 'contoso' },
    encoding: 'utf8',
    timeout: HANG_BUDGET_MS,
  });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

// Node's mkdirSync(path, { recursive: true }) never returns for a new folder under /proc (mkdir answers
// ENOENT, Node retries for ever): every command that creates output folders must refuse it, exit 2.
describe.skipIf(process.platform !== 'linux')('an output folder under /proc: exit 2 with the folder and what to do, never a hang', () => {
  const refused = (args: string[], what: string) => {
    const result = cli(args);
    expect(result.signal, 'killed by the timeout: the command hung').toBeNull();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`/proc/sfb-certlint-test: cannot create ${what}: the file system takes no new files or folders here, as /proc and /sys do (ENOENT)`);
    expect(result.stderr).toContain('Give a path in a folder you may write to (on a disk, not under /proc or /sys).');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  };

  it('lint --output and --output-FORMAT', () => {
    refused(['lint', 'examples/contoso', '--now', NOW, '-o', '/proc/sfb-certlint-test/r.txt'], "the report's folder");
    refused(['lint', 'examples/contoso', '--now', NOW, '--output-json', '/proc/sfb-certlint-test/a/b/r.json'], "the report's folder");
  });

  it('import --output', () => {
    refused(['import', '--topology', 'fixtures/topology/contoso-multisite.xml', '--output', '/proc/sfb-certlint-test/s.yaml'], "the snapshot's folder");
  });

  it('requirements --output, a folder for the request files', () => {
    refused(['requirements', 'examples/contoso', '--pool', 'pool01.contoso.com', '-f', 'certreq', '-o', '/proc/sfb-certlint-test/requests'], 'the folder for the request files');
  });

  it('probe --save (refused before any connection)', () => {
    refused(['probe', '--endpoint', '127.0.0.1:9', '--save', '/proc/sfb-certlint-test/served'], 'the folder for the served chains');
  });
});
