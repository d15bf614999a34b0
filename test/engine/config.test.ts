import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowedByConfig, findConfig, loadConfig } from '../../src/engine/config.js';
import { InputError } from '../../src/errors.js';
import { Confinement } from '../../src/files.js';

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
    const unknown = errorOf(() => loadConfig(configFile('c.yaml', 'now: 2026-01-01\nrulez: {}\n')));
    expect(unknown.message).toBe('the document: unknown property "rulez"');
    expect(unknown.where.line).toBe(2);
  });

  it('refuses a malformed thumbprint in a suppression', () => {
    const error = errorOf(() => loadConfig(configFile('c.yaml', 'suppressions:\n  - rule: key-size\n    thumbprint: ABC\n    reason: x\n')));
    expect(error.message).toMatch(/not a thumbprint/);
    expect(error.where.line).toBe(3);
  });

  it('loads the example plug-in and refuses a module that exports no rules', async () => {
    const plugin = new URL('../../examples/plugin/internal-ca-only.mjs', import.meta.url).pathname;
    const config = loadConfig(configFile('c.yaml', `plugins: [${JSON.stringify(plugin)}]\n`), { confinement: Confinement.none() });
    expect(config.loadedPlugins()).toEqual([]);
    const rules = await config.plugins();
    expect(rules.map((r) => r.meta.id)).toEqual(['contoso/internal-ca-only']);
    expect(config.loadedPlugins()).toEqual([{ specifier: plugin, path: plugin, rules: ['contoso/internal-ca-only'] }]);
    const empty = configFile('empty.mjs', 'export const nothing = 1;\n');
    writeFileSync(join(empty, '..', 'c.yaml'), 'plugins: [./empty.mjs]\n');
    await expect(loadConfig(join(empty, '..', 'c.yaml')).plugins()).rejects.toThrow(/exports no 'rules' array/);
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

/** Every error a load throws, as the CLI prints them. */
function described(fn: () => unknown): string {
  return errorOf(fn).describe();
}

describe('configuration errors in people\'s words', () => {
  it("accepts ESLint's severities: warn, and 0, 1, 2", () => {
    const config = loadConfig(configFile('c.yaml', 'rules:\n  key-size: warn\n  signature-sha2: 0\n  san-coverage: 1\n  cng-key-provider: 2\n  not-yet-valid: [warn, { }]\n  certificate-expiry: { severity: 2 }\n'));
    expect(config.rules).toEqual({
      'key-size': { severity: 'warning' },
      'signature-sha2': { severity: 'off' },
      'san-coverage': { severity: 'warning' },
      'cng-key-provider': { severity: 'error' },
      'not-yet-valid': { severity: 'warning', options: {} },
      'certificate-expiry': { severity: 'error' },
    });
  });

  it('a severity that is none: one line, the allowed values, the closest, no schema jargon', () => {
    const error = errorOf(() => loadConfig(configFile('c.yaml', 'rules:\n  key-size: fatal\n')));
    expect(error.describe()).toMatch(/c\.yaml:2:3: rules\.key-size: "fatal" is not a severity \(off, info, warning or error; ESLint's warn, 0, 1 and 2 work too\)$/);
    expect(error.describe().split('\n')).toHaveLength(1);
    expect(described(() => loadConfig(configFile('c.yaml', 'rules:\n  key-size: erorr\n')))).toMatch(/^\S*c\.yaml:2:3: rules\.key-size: "erorr" is not a severity .*; did you mean 'error'\?$/);
    expect(described(() => loadConfig(configFile('c.yaml', 'rules:\n  key-size: [fatal, {}]\n')))).toMatch(/^\S*c\.yaml:2:\d+: rules\.key-size\[0\]: "fatal" is not a severity [^\n]*$/);
    expect(described(() => loadConfig(configFile('c.yaml', 'rules:\n  key-size: { severity: error, option: {} }\n')))).toMatch(/^\S*c\.yaml:2:\d+: rules\.key-size: unknown property "option"$/);
    expect(described(() => loadConfig(configFile('c.yaml', 'rules:\n  key-size: true\n')))).toMatch(/^\S*c\.yaml:2:3: rules\.key-size: true is not a severity, \[severity, \{ options \}\] or \{ severity, options \} [^\n]*$/);
  });

  it('a suppression without a target says what it needs; an empty field says it is empty; never a regular expression', () => {
    const noTarget = described(() => loadConfig(configFile('c.yaml', 'suppressions:\n  - rule: key-size\n    reason: accepted\n')));
    expect(noTarget).toMatch(/^\S*c\.yaml:2:\d+: suppressions\[0\]: says which findings it accepts by none of server, pool or thumbprint: give at least one$/);
    const empty = described(() => loadConfig(configFile('c.yaml', 'suppressions:\n  - rule: " "\n    server: fe01.contoso.com\n    reason: accepted\n')));
    expect(empty).toMatch(/^\S*c\.yaml:2:\d+: suppressions\[0\]\.rule: must not be empty$/);
    for (const text of [noTarget, empty]) expect(text).not.toMatch(/anyOf|pattern|\\S|must match/);
  });

  it('an empty file, or one of comments only, says it is empty', () => {
    for (const text of ['', '\n\n', '# nothing yet\n', '---\n']) {
      const error = errorOf(() => loadConfig(configFile('sfb-certlint.config.yaml', text)));
      expect(error.message).toBe('the configuration is empty: it sets nothing');
    }
  });

  it('refuses a `now` that is not on the calendar, with the value and the form expected', () => {
    expect(described(() => loadConfig(configFile('c.yaml', 'now: 2026-04-31\n')))).toMatch(
      /c\.yaml:1:1: now: "2026-04-31" is not a date \(April 2026 has 30 days\); expected an ISO 8601 date or date-time, e\.g\. 2026-01-31 or 2026-01-31T12:00:00Z$/,
    );
    expect(described(() => loadConfig(configFile('c.yaml', 'now: 2026-02-29T10:00:00Z\n')))).toMatch(/February 2026 has 28 days/);
    expect(described(() => loadConfig(configFile('c.yaml', 'now: next monday\n')))).toMatch(/now: "next monday" is not a date \(not in that form\)/);
    // 2028 is a leap year; a time without a zone is UTC, the same instant on every machine.
    expect(loadConfig(configFile('c.yaml', 'now: 2028-02-29T12:00:00\n')).now?.toISOString()).toBe('2028-02-29T12:00:00.000Z');
  });

  it("a plug-in that does not load says why in a line, without the linter's own module names", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfb-config-'));
    writeFileSync(join(dir, 'imports-missing.mjs'), "import './not-there.mjs';\nexport const rules = [];\n");
    writeFileSync(join(dir, 'broken.mjs'), 'export const rules = [;\n');
    for (const [plugin, expected] of [
      ['./imports-missing.mjs', /plug-in '\.\/imports-missing\.mjs' cannot be loaded: \S*not-there\.mjs not found$/],
      // Node says SyntaxError; vitest's own module loader says it in its words.
      ['./broken.mjs', /plug-in '\.\/broken\.mjs' cannot be loaded: \S.*$/],
      ['no-such-package-sfb', /plug-in 'no-such-package-sfb' not found: no such package is installed where the configuration is$/],
    ] as const) {
      writeFileSync(join(dir, 'c.yaml'), `plugins: [${plugin}]\n`);
      const error = await loadConfig(join(dir, 'c.yaml'))
        .plugins()
        .then(() => undefined, (e: unknown) => e as InputError);
      expect(error).toBeInstanceOf(InputError);
      expect(error!.describe()).toMatch(expected);
      expect(error!.describe()).not.toMatch(/imported from|bundle|chunk|\n/);
    }
  });
});

describe('plug-ins and password variables only from a trusted configuration (docs/security.md)', () => {
  function withPlugin(): string {
    const dir = mkdtempSync(join(tmpdir(), 'sfb-config-'));
    writeFileSync(join(dir, 'plugin.mjs'), "export const rules = [{ meta: { id: 'acme/x', description: 'd', severity: 'info', citation: { title: 't', url: 'https://x' }, messages: {} }, *check() {} }];\n");
    writeFileSync(join(dir, 'sfb-certlint.config.yaml'), 'plugins: [./plugin.mjs]\n');
    return join(dir, 'sfb-certlint.config.yaml');
  }

  it('refuses the plug-ins of a configuration that is not trusted, saying why and how to allow them', async () => {
    const error = await loadConfig(withPlugin(), { trusted: false }).plugins().catch((e: InputError) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/^plug-ins are code, and load only from a trusted configuration; this one is inside the folder being linted/);
    expect((error as InputError).hint).toMatch(/--config.*repository root.*--allow-plugins/);
    expect((error as InputError).where.line).toBe(1);
  });

  it('loads them from a trusted configuration, or from any with --allow-plugins; --no-plugins refuses them everywhere', async () => {
    expect((await loadConfig(withPlugin(), { trusted: true }).plugins()).map((r) => r.meta.id)).toEqual(['acme/x']);
    expect((await loadConfig(withPlugin(), { trusted: false, plugins: 'all' }).plugins()).map((r) => r.meta.id)).toEqual(['acme/x']);
    await expect(loadConfig(withPlugin(), { trusted: true, plugins: 'none' }).plugins()).rejects.toThrow(/--no-plugins refuses them/);
  });

  it('refuses a plug-in outside the root, even from a trusted configuration', async () => {
    const outside = withPlugin();
    const dir = mkdtempSync(join(tmpdir(), 'sfb-config-'));
    writeFileSync(join(dir, 'c.yaml'), `plugins: [${JSON.stringify(join(outside, '..', 'plugin.mjs'))}]\n`);
    await expect(loadConfig(join(dir, 'c.yaml')).plugins()).rejects.toThrow(/is outside its own folder \(no repository holds it\) \(.*\): refused, not opened/);
  });

  it('counts allowPasswordEnv only in a trusted configuration', () => {
    const path = configFile('c.yaml', 'allowPasswordEnv: [LEGACY_PASS, "OLD_*"]\n');
    expect(loadConfig(path).allowPasswordEnv).toEqual(['LEGACY_PASS', 'OLD_*']);
    expect(errorOf(() => loadConfig(path, { trusted: false })).message).toMatch(/^allowPasswordEnv counts only in a trusted configuration/);
    expect(described(() => loadConfig(configFile('c.yaml', 'allowPasswordEnv: ["A B"]\n')))).toMatch(/allowPasswordEnv\[0\]: "A B" is not an environment variable name/);
  });
});

describe('findConfig: beside the snapshot, then upward to the root', () => {
  it('takes the nearest, and never looks above the root', () => {
    const root = mkdtempSync(join(tmpdir(), 'sfb-config-'));
    const snapshot = join(root, 'snapshots', 'prod');
    mkdirSync(snapshot, { recursive: true });
    writeFileSync(join(snapshot, 'snapshot.yaml'), 'version: 1\n');
    expect(findConfig(snapshot, root)).toBeUndefined();
    writeFileSync(join(root, 'sfb-certlint.config.yaml'), 'rules: {}\n');
    expect(findConfig(snapshot, root)).toBe(join(root, 'sfb-certlint.config.yaml'));
    expect(findConfig(join(snapshot, 'snapshot.yaml'), root)).toBe(join(root, 'sfb-certlint.config.yaml'));
    // The root stops the search: a configuration above it is not this repository's.
    expect(findConfig(snapshot, join(root, 'snapshots'))).toBeUndefined();
    writeFileSync(join(snapshot, 'sfb-certlint.config.json'), '{}');
    expect(findConfig(snapshot, root)).toBe(join(snapshot, 'sfb-certlint.config.json'));
  });
});

describe('the emptiness check', () => {
  it('is linear: blank lines before a setting do not make it backtrack (a regular expression took 92 ms for 22, hours for 40)', () => {
    expect(loadConfig(configFile('c.yaml', `${'\n'.repeat(40)}rules: {}\n`)).rules).toEqual({});
  });
});

describe('allowedByConfig: allowPasswordEnv patterns', () => {
  const config = loadConfig(configFile('c.yaml', 'allowPasswordEnv: [LEGACY_PASS, "OLD_*", "*_EDGE_*_KEY"]\n'));
  it('matches names, and * as any characters, without regard to case', () => {
    for (const name of ['LEGACY_PASS', 'legacy_pass', 'OLD_', 'OLD_EDGE', 'X_EDGE_Y_KEY', 'A_EDGE__KEY']) expect(allowedByConfig(config, name), name).toBe(true);
    for (const name of ['LEGACY_PASSWORD', 'XOLD_A', 'X_EDGE_Y_KEYS', 'GITHUB_TOKEN']) expect(allowedByConfig(config, name), name).toBe(false);
    expect(allowedByConfig(undefined, 'LEGACY_PASS')).toBe(false);
  });
});
