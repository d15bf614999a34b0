import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { PublicRootsSpec } from '../certs/public-roots.js';
import { InputError, type InputLocation } from '../errors.js';
import { YamlSource } from '../snapshot/source.js';
import { readTextFile } from '../snapshot/text.js';
import { normaliseThumbprint } from '../snapshot/thumbprint.js';
import { validate as validateConfig } from './config-validator.generated.js';
import { loadPlugins, type LoadedPlugin } from './plugins.js';
import type { RuleSettings } from './run.js';
import type { Suppression } from './suppressions.js';
import type { Rule, RuleSetting } from './types.js';

/** Looked for in a snapshot's folder, in this order, when --config is not given. */
export const CONFIG_FILE_NAMES = ['sfb-certlint.config.json', 'sfb-certlint.config.yaml', 'sfb-certlint.config.yml'];

/** The configuration file as written (schema/config.schema.json). */
interface ConfigDocument {
  now?: string;
  plugins?: string[];
  publicRoots?: { add?: string[]; replace?: string[] };
  rules?: Record<string, RuleSetting | [RuleSetting, Record<string, unknown>?] | RuleSettings>;
  suppressions?: Array<Omit<Suppression, 'source'>>;
}

export interface LintConfig {
  path: string;
  now?: Date;
  rules: Record<string, RuleSettings>;
  suppressions: Suppression[];
  /** Which roots count as public, paths resolved against the configuration's folder. */
  publicRoots?: PublicRootsSpec;
  /** The plug-ins' rules, imported on first use. */
  plugins(): Promise<Rule[]>;
  /** The same, by plug-in module (what the report records of them). */
  pluginModules(): Promise<LoadedPlugin[]>;
  /** Where a rule's setting is written, for errors about it. */
  ruleLocation(id: string): InputLocation;
}

/** The configuration beside a snapshot (in its folder, or in the folder given), if there is one. */
export function findConfig(snapshotPath: string): string | undefined {
  let folder = snapshotPath;
  try {
    if (!statSync(snapshotPath).isDirectory()) folder = dirname(snapshotPath);
  } catch {
    return undefined;
  }
  return CONFIG_FILE_NAMES.map((name) => join(folder, name)).find((p) => existsSync(p));
}

/** Reads a configuration file; `maxBytes` is the largest accepted (default DEFAULT_MAX_TEXT_BYTES). */
export function loadConfig(path: string, maxBytes?: number): LintConfig {
  const source = new YamlSource<ConfigDocument>(path, readTextFile(path, maxBytes), { validate: validateConfig, what: 'configuration', docs: 'docs/configuration.md' });
  const doc = source.read();
  const errors: InputError[] = [];
  let now: Date | undefined;
  if (doc.now !== undefined) {
    now = new Date(doc.now);
    if (Number.isNaN(now.getTime())) errors.push(new InputError(`now: '${doc.now}' is not a date`, source.where(['now'])));
  }
  const rules: Record<string, RuleSettings> = {};
  for (const [id, setting] of Object.entries(doc.rules ?? {})) {
    if (typeof setting === 'string') rules[id] = { severity: setting };
    else if (Array.isArray(setting)) rules[id] = { severity: setting[0], ...(setting[1] && { options: setting[1] }) };
    else rules[id] = setting;
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
  if (errors.length > 0) throw errors[0];
  let plugins: Promise<LoadedPlugin[]> | undefined;
  const pluginModules = () => (plugins ??= loadPlugins(doc.plugins ?? [], path, (i) => source.where(['plugins', i])));
  const resolved = (files: string[] | undefined) => files?.map((f) => resolve(dirname(path), f));
  const publicRoots = doc.publicRoots && { ...(doc.publicRoots.add && { add: resolved(doc.publicRoots.add)! }), ...(doc.publicRoots.replace && { replace: resolved(doc.publicRoots.replace)! }) };
  return {
    path,
    ...(now && { now }),
    ...(publicRoots && { publicRoots }),
    rules,
    suppressions,
    plugins: async () => (await pluginModules()).flatMap((p) => p.rules),
    pluginModules,
    ruleLocation: (id) => source.where(['rules', id]),
  };
}
