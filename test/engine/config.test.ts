import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfig, loadConfig } from '../../src/engine/config.js';
import { InputError } from '../../src/errors.js';

function configFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sfb-config-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('loadConfig', () => {
  it('reads severities, ESLint-style [severity, options], suppressions and now from YAML', () => {
    const path = configFile(
      'sfb-certlint.config.yaml',
      `now: 2026-01-31T12:00:00Z
rules:
  cng-key-provider: off
  key-size: [warning, { minRsaBits: 3072 }]
  certificate-expiry: [error]
  san-coverage: { options: { recommended: false } }
suppressions:
  - rule: private-key-exportable
    server: edge01.contoso.com
    reason: Replaced in change CHG-1234
  - rule: key-size
    thumbprint: "a9 d5 1a 29 11 c7 4f ab ff 7f 2a 8a 99 4b 20 85 7d 39 91 07"
    reason: Legacy appliance
`,
    );
    const config = loadConfig(path);
    expect(config.now?.toISOString()).toBe('2026-01-31T12:00:00.000Z');
    expect(config.rules).toEqual({
      'cng-key-provider': { severity: 'off' },
      'key-size': { severity: 'warning', options: { minRsaBits: 3072 } },
      'certificate-expiry': { severity: 'error' },
      'san-coverage': { options: { recommended: false } },
    });
    expect(config.suppressions.map(({ source, ...s }) => [s, source?.line])).toEqual([
      [{ rule: 'private-key-exportable', server: 'edge01.contoso.com', reason: 'Replaced in change CHG-1234' }, 8],
      [{ rule: 'key-size', thumbprint: 'A9D51A2911C74FABFF7F2A8A994B20857D399107', reason: 'Legacy appliance' }, 11],
    ]);
    expect(config.ruleLocation('key-size').line).toBe(4);
  });

  it('reads the same structure from JSON', () => {
    const config = loadConfig(configFile('sfb-certlint.config.json', JSON.stringify({ rules: { 'key-size': 'warning' } })));
    expect(config.rules).toEqual({ 'key-size': { severity: 'warning' } });
  });

  it('requires a reason and a server, pool or thumbprint for every suppression, naming the line', () => {
    const path = configFile('c.yaml', 'suppressions:\n  - rule: key-size\n    server: fe01.contoso.com\n  - rule: key-size\n    reason: because\n');
    const error = errorOf(() => loadConfig(path));
    expect(error.describe()).toMatch(/c\.yaml:2:\d+: .*missing "reason"/);
    expect(error.describe()).toMatch(/c\.yaml:4:/);
  });

  it('names an unknown severity and an unknown property with their lines', () => {
    expect(errorOf(() => loadConfig(configFile('c.yaml', 'rules:\n  key-size: fatal\n'))).where.line).toBe(2);
    expect(errorOf(() => loadConfig(configFile('c.yaml', 'rulez: {}\n'))).message).toMatch(/unknown property "rulez"/);
  });

  it('refuses a malformed thumbprint in a suppression', () => {
    const error = errorOf(() => loadConfig(configFile('c.yaml', 'suppressions:\n  - rule: key-size\n    thumbprint: ABC\n    reason: x\n')));
    expect(error.message).toMatch(/not a thumbprint/);
    expect(error.where.line).toBe(3);
  });

  it('loads the example plug-in and refuses a module that exports no rules', async () => {
    const plugin = new URL('../../examples/plugin/internal-ca-only.mjs', import.meta.url).pathname;
    const rules = await loadConfig(configFile('c.yaml', `plugins: [${JSON.stringify(plugin)}]\n`)).plugins();
    expect(rules.map((r) => r.meta.id)).toEqual(['contoso/internal-ca-only']);
    const empty = configFile('empty.mjs', 'export const nothing = 1;\n');
    await expect(loadConfig(configFile('c.yaml', `plugins: [${JSON.stringify(empty)}]\n`)).plugins()).rejects.toThrow(/exports no 'rules' array/);
  });

  it('is found beside a snapshot file or in a snapshot folder', () => {
    const path = configFile('sfb-certlint.config.yml', 'rules: {}\n');
    const folder = join(path, '..');
    expect(findConfig(join(folder, 'snapshot.yaml'))).toBeUndefined(); // the snapshot file must exist to be looked beside
    writeFileSync(join(folder, 'snapshot.yaml'), 'version: 1\n');
    expect(findConfig(join(folder, 'snapshot.yaml'))).toBe(path);
    expect(findConfig(folder)).toBe(path);
  });
});
