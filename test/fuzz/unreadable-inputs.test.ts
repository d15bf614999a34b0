import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, STACK } from './cli.js';
import { ROOT } from './inputs.js';

// Exit code 2 for any unreadable input, with every other input still reported.

const work = mkdtempSync(join(tmpdir(), 'sfb-certlint-unreadable-'));
const NOW = ['--now', '2026-06-01T00:00:00Z'];
const ENV = { CONTOSO_PFX_PASSWORD: 'contoso' };

describe('inspect: good and bad files together', () => {
  const good = readdirSync(join(ROOT, 'examples/contoso/certs')).map((f) => `examples/contoso/certs/${f}`);
  const bad = ['fixtures/certs/files/truncated.cer', 'fixtures/certs/files/crl.pem', 'fixtures/certs/files/random.bin', 'fixtures/certs/files/empty.cer', 'no/such/file.cer', 'examples/contoso/edge/edge-av.pfx'];
  const files = [bad[0]!, ...good.slice(0, 4), ...bad.slice(1), ...good.slice(4)];

  it('JSON: exit 2, a certificate entry for every good file and an error for every bad one', async () => {
    // edge-av.pfx without its password is a bad file too: the password is not given.
    const run = await cli(['inspect', '--format', 'json', ...files]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('');
    const entries: Array<{ source: { path: string }; error?: string }> = JSON.parse(run.stdout);
    for (const f of good) expect(entries.some((e) => e.source.path === f && !e.error), f).toBe(true);
    for (const f of bad) expect(entries.find((e) => e.source.path === f)?.error, f).toMatch(/^\S/);
  });

  it('text: exit 2, the same, and the count of unreadable files', async () => {
    const run = await cli(['inspect', ...files]);
    expect(run.code).toBe(2);
    for (const f of good) expect(run.stdout).toContain(`${f} #0`);
    for (const f of bad) expect(run.stdout).toMatch(new RegExp(`^${f.replace(/\./g, '\\.')}: \\S`, 'm'));
    expect(run.stdout).toMatch(/, 6 unreadable\n$/);
    expect(run.stdout).not.toMatch(STACK);
  });
});

describe('lint: a broken snapshot beside a good one', () => {
  /** A copy of the contoso example, broken by `edit`. */
  function broken(name: string, edit: (dir: string) => void): string {
    const dir = join(work, name);
    cpSync(join(ROOT, 'examples/contoso'), dir, { recursive: true });
    edit(dir);
    return dir;
  }
  const cases = {
    'invalid YAML': broken('yaml', (dir) => writeFileSync(join(dir, 'snapshot.yaml'), 'version: 1\npools: [\n')),
    'a damaged certificate file': broken('certificate', (dir) => copyFileSync(join(ROOT, 'fixtures/certs/files/truncated.cer'), join(dir, 'certs/truncated.cer'))),
    'a missing certificate folder': broken('folder', (dir) => writeFileSync(join(dir, 'snapshot.yaml'), readFileSync(join(dir, 'snapshot.yaml'), 'utf8').replace('- path: certs/', '- path: nowhere/'))),
  };

  it.each(Object.entries(cases))('%s: exit 2, and the good snapshot\'s findings in every format', async (_, dir) => {
    const [stylish, json, sarif] = await Promise.all(
      ['stylish', 'json', 'sarif'].map((format) => cli(['lint', dir, 'examples/contoso', ...NOW, '--format', format, '--no-color'], { env: ENV })),
    );
    for (const run of [stylish!, json!, sarif!]) {
      expect(run.code, run.stderr).toBe(2);
      expect(run.stdout + run.stderr).not.toMatch(STACK);
    }
    const report = JSON.parse(json!.stdout);
    expect(report.inputErrors.length).toBeGreaterThan(0);
    for (const e of report.inputErrors) expect(resolve(ROOT, e.path)).toContain(dir);
    expect(report.inputs.map((i: { snapshot: string }) => i.snapshot)).toEqual(['examples/contoso/snapshot.yaml']);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(stylish!.stdout).toMatch(/✖ \d+ inputs? could not be read/);
    expect(stylish!.stdout).toContain('examples/contoso/snapshot.yaml');
    const log = JSON.parse(sarif!.stdout);
    expect(log.runs[0].results.length).toBe(report.findings.length);
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(false);
  });
});

describe('verify and import: an unreadable input is exit 2 with a clear message', () => {
  it('verify with a damaged trust anchor', async () => {
    const run = await cli(['verify', 'examples/contoso/certs/fe01.cer', '--trusted', 'fixtures/certs/files/truncated.cer', 'examples/contoso/certs/contoso-ca-chain.p7b']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('fixtures/certs/files/truncated.cer: damaged file at byte 0: truncated, 772 bytes missing\n');
  });

  it('import from a topology that is not XML', async () => {
    writeFileSync(join(work, 'topology.xml'), Buffer.from([0xff, 0xfe, 0x00, 0xd8]));
    const run = await cli(['import', '--topology', join(work, 'topology.xml'), '--output', join(work, 'out/snapshot.yaml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/topology\.xml: not text/);
  });
});
