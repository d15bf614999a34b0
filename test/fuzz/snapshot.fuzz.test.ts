import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readCertificateFile } from '../../src/certs/read.js';
import { loadConfig } from '../../src/engine/config.js';
import { InputError } from '../../src/errors.js';
import { InputErrorList } from '../../src/snapshot/errors.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { expectRobust, fuzz, runs, vagueness, type Reader } from './harness.js';
import { encode, mutatedText, ROOT } from './inputs.js';
import { HANG_BUDGET_MS } from '../hang-budget.js';

const ENV = { CONTOSO_PFX_PASSWORD: 'contoso' };

/**
 * A copy of an example deployment to load fuzzed snapshots in. Its .pfx files are replaced by their
 * certificates as DER: the same thumbprints, without a key derivation on every case (the PKCS #12 reader
 * is fuzzed on its own).
 */
function workspace(example: string): string {
  const dir = mkdtempSync(join(tmpdir(), `sfb-certlint-fuzz-${example}-`));
  cpSync(join(ROOT, 'examples', example, 'certs'), join(dir, 'certs'), { recursive: true });
  mkdirSync(join(dir, 'edge'));
  for (const pfx of ['edge-av.pfx', 'edge-external.pfx', 'edge-internal.pfx']) {
    readCertificateFile(join(ROOT, 'examples', example, 'edge', pfx), { password: ENV.CONTOSO_PFX_PASSWORD }).certificates.forEach((c, i) =>
      writeFileSync(join(dir, 'edge', `${basename(pfx, '.pfx')}-${i}.cer`), c.der),
    );
  }
  return dir;
}

/** Each example as YAML, and as JSON (which the same reader reads). */
const EXAMPLES = ['contoso', 'contoso-clean'].flatMap((example) => {
  const yaml = readFileSync(join(ROOT, 'examples', example, 'snapshot.yaml'), 'utf8');
  const dir = workspace(example);
  return [
    { dir, name: 'snapshot.yaml', text: yaml },
    { dir, name: 'snapshot.json', text: JSON.stringify(parseYaml(yaml), null, 2) },
  ];
});

/** YAML's syntax, its hostile features (anchors, aliases, tags, merge keys), JSON's, and values the model checks. */
const YAML_DICTIONARY = [
  ...['&a ', '*a', '&b [*a, *a, *a]', '<<: *a\n', '!!binary ', '!!str ', '!!js/function ', '!<tag:yaml.org,2002:int> ', '? ', '- ', ': ', '{', '}', '[', ']', ',', '"', "'", '|\n', '>-\n'],
  ...['---\n', '...\n', '%YAML 1.1\n', '%TAG ! tag:x,2000:\n', '\t', '# ', '\n', '\r', '\u0000', '\u202e', '\ufeff', '\ud800', '"\\u0000"', '"\\x1b[2J"'],
  ...['__proto__: ', 'constructor: ', 'prototype: ', 'thumbprint: ', 'previousThumbprint: ', 'fqdn: ', 'usage: Default', 'role: Edge', 'site: 99', 'default: true'],
  ...['0x1F', '1e999', '-0', '.nan', '.inf', '~', 'null', 'true', '2026-02-30', '12345678901234567890123456789012345678901234567890', "'0123456789012345678901234567890123456789'"],
  ...['path: /dev/zero', 'path: /', 'path: ../../../../etc/passwd', 'path: certs/fe01.cer/', 'passwordEnv: PATH', 'passwordEnv: NOT_SET', 'effectiveDate: yesterday'],
  'A'.repeat(300),
  '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
];

interface SnapshotCase {
  example: number;
  bytes: Uint8Array;
}

const snapshotReader: Reader<SnapshotCase> = {
  name: 'snapshot (YAML/JSON)',
  cases: fc.nat(EXAMPLES.length - 1).chain((example) => mutatedText([EXAMPLES[example]!.text], YAML_DICTIONARY).map((bytes) => ({ example, bytes }))),
  throws: true,
  file: (c) => join(EXAMPLES[c.example]!.dir, EXAMPLES[c.example]!.name),
  bytes: (c) => c.bytes,
  read: (c) => {
    const path = snapshotReader.file(c);
    writeFileSync(path, c.bytes);
    loadSnapshot(path, { env: ENV });
    return [];
  },
};

/** The complete example of docs/configuration.md, as YAML and as JSON. */
const configYaml = /```yaml\n((?:#.*\n)*now:[\s\S]*?)```/.exec(readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8'))![1]!;
const CONFIGS = [
  { name: 'sfb-certlint.config.yaml', text: configYaml },
  { name: 'sfb-certlint.config.json', text: JSON.stringify(parseYaml(configYaml), null, 2) },
];
const configDir = mkdtempSync(join(tmpdir(), 'sfb-certlint-fuzz-config-'));

interface ConfigCase {
  config: number;
  bytes: Uint8Array;
}

const configReader: Reader<ConfigCase> = {
  name: 'configuration (YAML/JSON)',
  cases: fc.nat(CONFIGS.length - 1).chain((config) =>
    mutatedText([CONFIGS[config]!.text], [...YAML_DICTIONARY, 'off', 'error', '[warning, { minRsaBits: 1e309 }]', '{ options: [] }', 'rule: "*"', 'plugins: [x]']).map((bytes) => ({ config, bytes })),
  ),
  throws: true,
  file: (c) => join(configDir, CONFIGS[c.config]!.name),
  bytes: (c) => c.bytes,
  read: (c) => {
    writeFileSync(configReader.file(c), c.bytes);
    loadConfig(configReader.file(c));
    return [];
  },
};

describe('fuzzing the YAML/JSON readers: a model or a clear error naming the file and line', () => {
  it('snapshot', () => expectRobust(fuzz(snapshotReader, runs(120))));
  it('configuration', () => expectRobust(fuzz(configReader, runs(400))));
});

describe('hostile YAML, refused with a clear error at once', () => {
  /** The error `load` throws: an InputError, clear, without running away. */
  function refusedBy(load: () => unknown): InputError {
    const started = performance.now();
    const error = errorOf(load);
    expect(performance.now() - started).toBeLessThan(HANG_BUDGET_MS);
    expect(vagueness(error)).toBeUndefined();
    return error;
  }

  /** The messages for `text` read as a snapshot and as a configuration. */
  function refused(text: string | Uint8Array): string[] {
    const snapshot = join(EXAMPLES[0]!.dir, 'snapshot.yaml');
    const config = join(configDir, 'sfb-certlint.config.yaml');
    writeFileSync(snapshot, text);
    writeFileSync(config, text);
    return [refusedBy(() => loadSnapshot(snapshot)).message, refusedBy(() => loadConfig(config)).message];
  }

  it('a billion laughs made of aliases, without expanding them', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    for (const message of refused(lines.join('\n'))) expect(message).toMatch(/^invalid YAML: .*alias/i);
  });

  it('an alias that contains itself', () => {
    // Read without crashing, then refused by the schema, as any other document of the wrong shape.
    expect(refused('version: &a [*a]\n')).toEqual(['the document: missing "sipDomains" (and 2 more)', 'the document: unknown property "version"']);
  });

  it.each([
    ['20,000 nested flow sequences', '['.repeat(20_000) + ']'.repeat(20_000)],
    ['20,000 unclosed flow mappings', '{a: '.repeat(20_000)],
    ['10,000 nested JSON objects', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)],
    ['a compact sequence nested 20,000 deep', '- '.repeat(20_000) + 'x'],
    ['a block mapping nested 2,000 deep', Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')],
  ])('%s: nested too deeply (yaml overflowed its stack, and V8 could die of it)', (_, text) => {
    for (const message of refused(text)) expect(message).toMatch(/^invalid (YAML|JSON): nested more than 64 levels deep$/);
  });

  it('30,000 distinct keys in one mapping take linear time (yaml checked each against all: 80 s at 40,000)', () => {
    const text = Array.from({ length: 30_000 }, (_, i) => `k${i}: 1`).join('\n');
    const started = performance.now();
    writeFileSync(join(configDir, 'keys.yaml'), text);
    const error = errorOf(() => loadConfig(join(configDir, 'keys.yaml')));
    expect(error.message).toMatch(/unknown property "k0" \(and 100 more\)$/);
    expect(performance.now() - started).toBeLessThan(HANG_BUDGET_MS);
  });

  it('a key written twice, at its second line', () => {
    const [snapshot] = refused('version: 1\nversion: 1\n');
    expect(snapshot).toBe('invalid YAML: key "version" appears twice in the same mapping');
  });

  it('a second document', () => {
    expect(refused('version: 1\n---\nversion: 2\n')).toEqual([
      'invalid YAML: a second document starts here; a snapshot is one document',
      'invalid YAML: a second document starts here; a configuration is one document',
    ]);
  });

  it('a long value is cut short in the message, control characters escaped', () => {
    const file = join(EXAMPLES[0]!.dir, 'snapshot.yaml');
    writeFileSync(file, `version: "${'\\u001b[2J'.repeat(100)}"\nsipDomains: []\npools: []\n`);
    const messages = inputErrors(() => loadSnapshot(file)).map((e) => e.message);
    expect(messages.find((m) => m.startsWith('version:'))).toMatch(/^version: "(\\u001b\[2J){19}\\u001b\[2…" is not supported/);
  });

  it('DEL and C1 control characters in a property name or a value are escaped too (JSON leaves them raw)', () => {
    const config = join(configDir, 'sfb-certlint.config.yaml');
    writeFileSync(config, 'rules:\n  key-size:\n    optio\u009bns: {}\n');
    expect(inputErrors(() => loadConfig(config)).map((e) => e.message)).toContain('rules.key-size: unknown property "optio\\u009bns"');
    const snapshot = join(EXAMPLES[0]!.dir, 'snapshot.yaml');
    writeFileSync(snapshot, 'version: "1\u007f"\n');
    expect(inputErrors(() => loadSnapshot(snapshot)).map((e) => e.message)).toContain('version: "1\\u007f" is not supported: this sfb-certlint reads snapshot version 1');
  });

  it('a certificate path with control characters, quoted escaped (found by the long run)', () => {
    const snapshot = join(EXAMPLES[0]!.dir, 'snapshot.yaml');
    writeFileSync(snapshot, EXAMPLES[0]!.text.replace('- path: certs/', '- path: "certs/\\r\\u001b[2J"'));
    expect(inputErrors(() => loadSnapshot(snapshot, { env: ENV })).map((e) => e.message)).toEqual([`certificate file or folder not found: ${join(EXAMPLES[0]!.dir, 'certs')}/\\0D\\1B[2J`]);
  });

  it('a list as a key: a schema error, not a Node warning on stderr quoting the file', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    try {
      expect(refused('? [a, b]\n: 1\n')[1]).toBe('the document: unknown property "[ a, b ]"');
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('UTF-16 with a byte-order mark is read; without one, refused as not text', () => {
    expect(refused(encode('now: soon\n', 'utf16le-bom'))[1]).toMatch(/^now: "soon" is not/);
    expect(refused(encode('now: soon\n', 'utf16le'))).toEqual(Array(2).fill('not text: it holds NUL characters (UTF-16 without a byte order mark?)'));
  });
});

/** Every InputError `run` throws: one, or those of a list. */
function inputErrors(run: () => unknown): InputError[] {
  const error = errorOf(run);
  return error instanceof InputErrorList ? [...error.errors] : [error];
}

function errorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}
