import { closeSync, cpSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BYTES } from '../../src/certs/read.js';
import { loadConfig } from '../../src/engine/config.js';
import { InputError } from '../../src/errors.js';
import { readInventory } from '../../src/snapshot/import/inventory.js';
import { readTopology } from '../../src/snapshot/import/topology.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { DEFAULT_MAX_TEXT_BYTES } from '../../src/snapshot/text.js';
import { cli } from './cli.js';
import { ROOT } from './inputs.js';
import { HANG_BUDGET_MS } from '../hang-budget.js';

// Every reader has a maximum input size, refuses a larger file with a clear error before reading it, and
// every command that reads files lets the user set it (--max-input-size).

const work = mkdtempSync(join(tmpdir(), 'sfb-certlint-size-'));

/** A sparse file of `size` bytes: nothing is written, and a reader that read it would take seconds. */
function sparse(path: string, size: number): string {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

function refused(read: () => unknown): InputError {
  const started = performance.now();
  let error: unknown;
  try {
    read();
  } catch (e) {
    error = e;
  }
  expect(performance.now() - started).toBeLessThan(HANG_BUDGET_MS);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

const TOO_LARGE = /^file too large \(\d+ bytes; the limit is \d+\)$/;

describe('the readers refuse a file over their limit before reading it', () => {
  const text = DEFAULT_MAX_TEXT_BYTES + 1;

  it('snapshot, and each certificate file it lists', () => {
    expect(refused(() => loadSnapshot(sparse(join(work, 'snapshot.yaml'), text))).message).toBe(`file too large (${text} bytes; the limit is ${DEFAULT_MAX_TEXT_BYTES})`);
    const dir = join(work, 'deployment');
    cpSync(join(ROOT, 'examples/contoso'), dir, { recursive: true });
    sparse(join(dir, 'certs/huge.cer'), DEFAULT_MAX_BYTES + 1);
    const error = refused(() => loadSnapshot(dir, { env: { CONTOSO_PFX_PASSWORD: 'contoso' } }));
    expect(error.message).toBe(`file too large (${DEFAULT_MAX_BYTES + 1} bytes; the limit is ${DEFAULT_MAX_BYTES})`);
    expect(error.where.path).toBe(join(dir, 'certs/huge.cer'));
    expect(refused(() => loadSnapshot(join(ROOT, 'examples/contoso'), { env: { CONTOSO_PFX_PASSWORD: 'contoso' }, maxBytes: 2000 })).message).toMatch(TOO_LARGE);
  });

  it('configuration', () => {
    expect(refused(() => loadConfig(sparse(join(work, 'sfb-certlint.config.yaml'), text))).message).toMatch(TOO_LARGE);
    writeFileSync(join(work, 'small.config.yaml'), 'rules: {}\n'.repeat(100));
    expect(refused(() => loadConfig(join(work, 'small.config.yaml'), { maxBytes: 100 })).message).toBe('file too large (1000 bytes; the limit is 100)');
  });

  it('topology and inventory', () => {
    expect(refused(() => readTopology(sparse(join(work, 'topology.xml'), text))).message).toMatch(TOO_LARGE);
    const inventory = join(work, 'inventory');
    mkdirSync(join(inventory, 'fe01.contoso.com'), { recursive: true });
    sparse(join(inventory, 'fe01.contoso.com', 'my.json'), text);
    expect(refused(() => readInventory(inventory)).message).toMatch(TOO_LARGE);
    // Several of its files are larger: one error each.
    expect(refused(() => readInventory(join(ROOT, 'fixtures/inventory/contoso'), 1000)).message).toMatch(/^file too large \(\d+ bytes; the limit is 1000\) \(and \d+ more\)$/);
  });
});

describe('--max-input-size on every command that reads files', () => {
  const limit = ['--max-input-size', '1K'];
  const big = 'examples/contoso/certs/fe01.cer';

  it('inspect and verify: exit 2, naming the file and the limit', async () => {
    const [inspect, verify] = await Promise.all([
      cli(['inspect', big, ...limit]),
      cli(['verify', big, '--trusted', 'examples/contoso/certs/contoso-ca-chain.p7b', ...limit]),
    ]);
    expect(inspect.code).toBe(2);
    expect(inspect.stdout).toMatch(/^examples\/contoso\/certs\/fe01\.cer: file too large \(\d+ bytes; the limit is 1024\)$/m);
    expect(verify.code).toBe(2);
    expect(verify.stderr).toMatch(/^examples\/contoso\/certs\/fe01\.cer: file too large \(\d+ bytes; the limit is 1024\)$/m);
  });

  it('lint: the snapshot, or its certificate files, over the limit', async () => {
    const [snapshot, certificates] = await Promise.all([
      cli(['lint', 'examples/contoso', '--format', 'json', ...limit], { env: { CONTOSO_PFX_PASSWORD: 'contoso' } }),
      cli(['lint', 'examples/contoso', '--format', 'json', '--max-input-size', '64K'], { env: { CONTOSO_PFX_PASSWORD: 'contoso' } }),
    ]);
    expect(snapshot.code).toBe(2);
    expect(JSON.parse(snapshot.stdout).inputErrors).toEqual([expect.objectContaining({ path: 'examples/contoso/snapshot.yaml', message: expect.stringMatching(/^file too large .*the limit is 1024\)/) })]);
    // The snapshot (about 12 KB) fits in 64K, and so do its certificate files: the limit is not the cause.
    expect(certificates.code).toBe(1);
  });

  it('import: the topology over the limit', async () => {
    const run = await cli(['import', '--topology', 'fixtures/topology/contoso-multisite.xml', '--output', join(work, 'out/snapshot.yaml'), ...limit]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/contoso-multisite\.xml: file too large \(\d+ bytes; the limit is 1024\)/);
  });
});
