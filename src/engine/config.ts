import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { PublicRootsSpec } from '../certs/public-roots.js';
import { dateProblem, parseIsoDate } from '../dates.js';
import { didYouMean, InputError, type InputLocation } from '../errors.js';
import { Confinement, type RootKind } from '../files.js';
import { shown } from '../snapshot/errors.js';
import { isEmptyYaml, YamlSource, type DocumentPath } from '../snapshot/source.js';
import { readTextFile } from '../snapshot/text.js';
import { normaliseThumbprint } from '../snapshot/thumbprint.js';
import { validate as validateSchema } from './config-validator.generated.js';
import { loadPlugins, type LoadedPlugin } from './plugins.js';
import type { RuleSettings } from './run.js';
import type { Suppression } from './suppressions.js';
import type { Rule, RuleSetting } from './types.js';

/** Looked for beside a snapshot, then in each folder above it up to the root, in this order. */
export const CONFIG_FILE_NAMES = ['sfb-certlint.config.json', 'sfb-certlint.config.yaml', 'sfb-certlint.config.yml'];

/** A severity as written: ours, or ESLint's (`warn`, 0, 1, 2). */
type WrittenSeverity = RuleSetting | 'warn' | 0 | 1 | 2;

/** The configuration file as written (schema/config.schema.json). */
interface ConfigDocument {
  now?: string;
  plugins?: string[];
  allowPasswordEnv?: string[];
  publicRoots?: { add?: string[]; replace?: string[] };
  rules?: Record<string, WrittenSeverity | [WrittenSeverity, Record<string, unknown>?] | { severity?: WrittenSeverity; options?: Record<string, unknown> }>;
  suppressions?: Array<Omit<Suppression, 'source'>>;
}

/** Which plug-ins a run loads (docs/security.md): from trusted configurations (default), from any, or none. */
export type PluginPolicy = 'trusted' | 'all' | 'none';

export interface ConfigOptions {
  /** The largest configuration file accepted, in bytes (default DEFAULT_MAX_TEXT_BYTES). */
  maxBytes?: number;
  /**
   * Given with --config, or found at the repository root: its plug-ins load and its allowPasswordEnv
   * counts. Default true, as for a file named on purpose.
   */
  trusted?: boolean;
  /** Default 'trusted'. */
  plugins?: PluginPolicy;
  /** The root the files it names (plug-ins, publicRoots) must stay inside (default: its repository, else its folder). */
  confinement?: Confinement;
}

export interface LintConfig {
  /** The configuration file, absolute. */
  path: string;
  /** Whether it may run code and widen what snapshots read (see ConfigOptions.trusted). */
  trusted: boolean;
  now?: Date;
  rules: Record<string, RuleSettings>;
  suppressions: Suppression[];
  /** Which roots count as public, paths resolved against the configuration's folder. */
  publicRoots?: PublicRootsSpec;
  /** The plug-ins as the file names them; `plugins()` loads them. */
  pluginSpecifiers: string[];
  /** Variables snapshots may name in passwordEnv besides *_PFX_PASSWORD (a trusted configuration's only). */
  allowPasswordEnv: string[];
  /** The plug-ins' rules, imported on first use; refused when the policy or trust forbids them. */
  plugins(): Promise<Rule[]>;
  /** The plug-in modules that loaded, once `plugins()` has, for reports to record; empty before. */
  loadedPlugins(): LoadedPlugin[];
  /** Where a rule's setting is written, for errors about it. */
  ruleLocation(id: string): InputLocation;
  /** Where any part of it is written (`['now']`, `['plugins', 0]`), for --print-config. */
  location(path: DocumentPath): InputLocation;
}

/**
 * The configuration in force for a snapshot (a file or its folder): the first of CONFIG_FILE_NAMES in
 * the snapshot's folder, then in each folder above it up to `root` (as ESLint looks up its flat
 * config); undefined when none is found. A folder above `root` is never looked in.
 */
export function findConfig(snapshotPath: string, root?: string): string | undefined {
  let folder = snapshotPath;
  try {
    if (!statSync(snapshotPath).isDirectory()) folder = dirname(snapshotPath);
  } catch {
    return undefined;
  }
  const top = resolve(root ?? folder);
  for (let dir = resolve(folder); ; dir = dirname(dir)) {
    const found = CONFIG_FILE_NAMES.map((name) => join(dir, name)).find((p) => existsSync(p));
    if (found) return found;
    if (dir === top || dirname(dir) === dir || !dir.startsWith(top)) return undefined;
  }
}

/** Whether a configuration found by lookup is trusted: in the root folder, which is a repository's or --root. */
export function isTrustedLocation(configPath: string, root: { path: string; kind: RootKind }): boolean {
  return root.kind !== 'folder' && resolve(dirname(configPath)) === resolve(root.path);
}

/** Reads a configuration file. */
export function loadConfig(path: string, options: ConfigOptions = {}): LintConfig {
  const { trusted = true, plugins: policy = 'trusted' } = options;
  const text = readTextFile(path, options.maxBytes);
  // An empty file is a mistake (a configuration written halfway, a wrong name); YAML would read it as null.
  if (isEmptyYaml(text)) {
    throw new InputError('the configuration is empty: it sets nothing', { path }, 'Write the settings it should hold (docs/configuration.md), or delete the file.');
  }
  const source = new YamlSource<ConfigDocument>(path, text, { validate: validateInPlainWords, what: 'configuration', docs: 'docs/configuration.md' });
  const doc = source.read();
  const errors: InputError[] = [];
  let now: Date | undefined;
  if (doc.now !== undefined) {
    const parsed = parseIsoDate(doc.now);
    if ('problem' in parsed) errors.push(new InputError(dateProblem('now', shown(doc.now), parsed.problem), source.where(['now'])));
    else now = parsed.date;
  }
  const rules: Record<string, RuleSettings> = {};
  for (const [id, setting] of Object.entries(doc.rules ?? {})) {
    if (typeof setting === 'string' || typeof setting === 'number') rules[id] = { severity: severityOf(setting) };
    else if (Array.isArray(setting)) rules[id] = { severity: severityOf(setting[0]), ...(setting[1] && { options: setting[1] }) };
    else rules[id] = { ...(setting.severity !== undefined && { severity: severityOf(setting.severity) }), ...(setting.options && { options: setting.options }) };
  }
  const suppressions = (doc.suppressions ?? []).map((s, i): Suppression => {
    const where = source.where(['suppressions', i]);
    let thumbprint = s.thumbprint;
    if (thumbprint !== undefined) {
      thumbprint = normaliseThumbprint(thumbprint) ?? undefined;
      if (thumbprint === undefined) errors.push(new InputError(`suppressions[${i}].thumbprint: not a thumbprint (40 hexadecimal digits)`, source.where(['suppressions', i, 'thumbprint'])));
    }
    if (s.expires !== undefined && Number.isNaN(Date.parse(s.expires))) {
      errors.push(new InputError(`suppressions[${i}].expires: '${s.expires}' is not a date`, source.where(['suppressions', i, 'expires'])));
    }
    return { ...s, ...(thumbprint !== undefined && { thumbprint }), source: where };
  });
  if (doc.allowPasswordEnv?.length && !trusted) {
    errors.push(
      new InputError(
        'allowPasswordEnv counts only in a trusted configuration, and this one is inside the folder being linted',
        source.where(['allowPasswordEnv']),
        'Give the configuration with --config, or move the setting to the configuration at the repository root (docs/security.md).',
      ),
    );
  }
  const confinement = options.confinement ?? Confinement.around(path);
  const resolved = (key: 'add' | 'replace') =>
    doc.publicRoots?.[key]?.map((f, i) => {
      const file = resolve(dirname(path), f);
      try {
        confinement.check(file, f, source.where(['publicRoots', key, i]));
      } catch (e) {
        errors.push(e as InputError);
      }
      return file;
    });
  const add = resolved('add');
  const replace = resolved('replace');
  if (errors.length > 0) throw errors[0];
  const publicRoots = doc.publicRoots && { ...(add && { add }), ...(replace && { replace }) };
  const specifiers = doc.plugins ?? [];
  let plugins: Promise<{ rules: Rule[]; modules: LoadedPlugin[] }> | undefined;
  let loaded: LoadedPlugin[] = [];
  return {
    path,
    trusted,
    ...(now && { now }),
    ...(publicRoots && { publicRoots }),
    rules,
    suppressions,
    pluginSpecifiers: specifiers,
    allowPasswordEnv: trusted ? (doc.allowPasswordEnv ?? []) : [],
    plugins: async () => {
      if (specifiers.length === 0) return [];
      refuseUntrustedPlugins(policy, trusted, source.where(['plugins']));
      plugins ??= loadPlugins(specifiers, path, (i) => source.where(['plugins', i]), confinement);
      const result = await plugins;
      loaded = result.modules;
      return result.rules;
    },
    loadedPlugins: () => loaded,
    ruleLocation: (id) => source.where(['rules', id]),
    location: (at) => source.where(at),
  };
}

/** Plug-ins are code: from a configuration an unreviewed change may have written, they do not run. */
function refuseUntrustedPlugins(policy: PluginPolicy, trusted: boolean, where: InputLocation): void {
  if (policy === 'none') {
    throw new InputError('the configuration names plug-ins, and --no-plugins refuses them', where, 'Run without --no-plugins to load them, or remove them from the configuration.');
  }
  if (policy === 'trusted' && !trusted) {
    throw new InputError(
      'plug-ins are code, and load only from a trusted configuration; this one is inside the folder being linted, where an unreviewed change could name code to run',
      where,
      'Give the configuration with --config, move it to the repository root, or pass --allow-plugins if you trust every change it lints (docs/security.md).',
    );
  }
}

/** ESLint's severities as ours: `warn` and 1 are warning, 0 off, 2 error. */
function severityOf(written: WrittenSeverity): RuleSetting {
  if (written === 'warn' || written === 1) return 'warning';
  if (written === 0) return 'off';
  if (written === 2) return 'error';
  return written;
}

/** Whether a snapshot may name `variable` in passwordEnv by a configuration's allowPasswordEnv (names, `*` any characters). */
export function allowedByConfig(config: LintConfig | undefined, variable: string): boolean {
  return (config?.allowPasswordEnv ?? []).some((pattern) => wildcardMatch(pattern.toUpperCase(), variable.toUpperCase()));
}

/**
 * `*` matching any characters, in time proportional to pattern times text: a snapshot may name a long
 * variable, and a regular expression of several `.*` would backtrack polynomially on it.
 */
function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === text[t]) [p, t] = [p + 1, t + 1];
    else if (p < pattern.length && pattern[p] === '*') [star, resume, p] = [p, t, p + 1];
    else if (star >= 0) [p, t, resume] = [star + 1, resume + 1, resume + 1];
    else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

const SEVERITY_WORDS = "off, info, warning or error; ESLint's warn, 0, 1 and 2 work too";

/**
 * The schema's validator, its errors said as a person would: one error for a rule setting that is none
 * of the three forms (not three, and no "must match a schema in anyOf"), what a suppression needs, the
 * severities allowed with the closest one, no regular expression. Errors of the keyword `explained`
 * carry their whole message; the snapshot reader shows it after the property's path.
 */
function validateInPlainWords(data: unknown): boolean {
  const valid = validateSchema(data);
  const errors = (validateSchema as { errors?: SchemaError[] | null }).errors ?? [];
  (validateInPlainWords as { errors?: SchemaError[] | null }).errors = valid ? null : explain(errors, data);
  return valid;
}

function explain(errors: SchemaError[], data: unknown): SchemaError[] {
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf');
  const out: SchemaError[] = [];
  for (const e of errors) {
    const value = valueAt(data, e.instancePath);
    const anyOf = anyOfs.find((a) => e.instancePath === a.instancePath);
    if (e.keyword === 'anyOf') {
      if (e.schemaPath.startsWith('#/properties/suppressions/')) out.push(explained(e.instancePath, 'says which findings it accepts by none of server, pool or thumbprint: give at least one'));
      else if (typeof value === 'string' || typeof value === 'number') out.push(severityError(e.instancePath, value));
      else if (!Array.isArray(value) && (typeof value !== 'object' || value === null)) out.push(severityError(e.instancePath, value, 'a severity, [severity, { options }] or { severity, options }'));
      continue;
    }
    if (anyOf?.schemaPath.startsWith('#/properties/suppressions/')) {
      // Its branches are the three targets, each "missing": the anyOf's own message says it once.
      if (e.schemaPath.startsWith(`${anyOf.schemaPath}/`)) continue;
    } else if (anyOf) {
      // A rule setting's three forms: only the one the value's shape chose is worth reading.
      const branch = Array.isArray(value) ? '/anyOf/1/' : typeof value === 'object' && value !== null ? '/anyOf/2/' : undefined;
      if (!branch || !e.schemaPath.includes(branch)) continue;
    }
    if (e.schemaPath === '#/definitions/severity/enum') out.push(severityError(e.instancePath, value));
    else if (e.keyword === 'pattern' && e.instancePath === '/now') continue; // loadConfig's own date check says more
    else if (e.keyword === 'pattern' && e.instancePath.startsWith('/allowPasswordEnv/')) out.push(explained(e.instancePath, `${shown(value)} is not an environment variable name (letters, digits and _, with * for any characters)`));
    else if (e.keyword === 'pattern') out.push(explained(e.instancePath, 'must not be empty'));
    else out.push(e);
  }
  return out;
}

function severityError(instancePath: string, value: unknown, expected?: string): SchemaError {
  const typo = typeof value === 'string' ? didYouMean(value, ['off', 'info', 'warning', 'error']) : '';
  return explained(instancePath, `${shown(value)} is not ${expected ?? 'a severity'} (${SEVERITY_WORDS})${typo}`);
}

const explained = (instancePath: string, message: string): SchemaError => ({ instancePath, schemaPath: '', keyword: 'explained', params: {}, message });

function valueAt(data: unknown, pointer: string): unknown {
  let value = data;
  for (const key of pointer.split('/').slice(1)) value = (value as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')];
  return value;
}
