import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError, printable, type InputLocation } from '../errors.js';
import type { Confinement } from '../files.js';
import type { Rule } from './types.js';
import { optionSpecProblem } from './options.js';

/** A plug-in module that loaded: as the configuration names it, the file imported, and its rules' ids. */
export interface LoadedPlugin {
  specifier: string;
  /** The module file, absolute. */
  path: string;
  rules: string[];
}

const SEVERITIES = ['error', 'warning', 'info'];
const RULE_ID = /^[a-z0-9]+(?:[-/][a-z0-9]+)*$/;

/**
 * Imports each plug-in a configuration names: a local module (a path starting with . or /, relative to
 * the configuration file) or a package resolved from the configuration's folder. A plug-in exports
 * `rules` (or a default export with `rules`): an array of rules, with the same API as built-in ones.
 */
export async function loadPlugins(
  specifiers: string[],
  configPath: string,
  where: (index: number) => InputLocation,
  confinement: Confinement,
): Promise<{ rules: Rule[]; modules: LoadedPlugin[] }> {
  const rules: Rule[] = [];
  const modules: LoadedPlugin[] = [];
  for (const [index, specifier] of specifiers.entries()) {
    const location = where(index);
    const path = resolvePlugin(specifier, configPath, location);
    // A package resolved from node_modules may lie above the repository (a global install): confined too.
    confinement.check(path, `plug-in '${specifier}' (${path})`, location);
    let module: { rules?: unknown; default?: { rules?: unknown } };
    try {
      module = await import(pathToFileURL(path).href);
    } catch (e) {
      throw new InputError(`plug-in '${printable(specifier, 200)}' cannot be loaded: ${importProblem(e)}`, location);
    }
    const list = module.rules ?? module.default?.rules;
    if (!Array.isArray(list)) throw new InputError(`plug-in '${specifier}' exports no 'rules' array (docs/writing-rules.md)`, location);
    const own = list.map((rule) => checkRule(rule, specifier, location));
    rules.push(...own);
    modules.push({ specifier, path, rules: own.map((r) => r.meta.id) });
  }
  const ids = new Set<string>();
  for (const rule of rules) {
    if (ids.has(rule.meta.id)) throw new InputError(`two plug-in rules have the id '${rule.meta.id}'`, where(0));
    ids.add(rule.meta.id);
  }
  return { rules, modules };
}

/** The module file a specifier names: a path relative to the configuration, or a package found from its folder. */
function resolvePlugin(specifier: string, configPath: string, location: InputLocation): string {
  if (specifier.startsWith('.') || isAbsolute(specifier)) return resolve(dirname(configPath), specifier);
  try {
    return createRequire(configPath).resolve(specifier);
  } catch {
    throw new InputError(
      `plug-in '${printable(specifier, 200)}' not found: no such package is installed where the configuration is`,
      location,
      `Install it (npm install -D ${printable(specifier, 200)}), or name a local module with a path starting with ./`,
    );
  }
}

/**
 * Why a module did not load, in a line: not a missing file's "imported from" the linter's own bundle
 * chunk, which means nothing to the reader.
 */
function importProblem(e: unknown): string {
  const error = e as NodeJS.ErrnoException;
  if (error.code === 'ERR_MODULE_NOT_FOUND') {
    const missing = /Cannot find (?:module|package) '([^']+)'/.exec(error.message)?.[1];
    return missing ? `${printable(missing, 300)} not found` : 'a module it imports is not found';
  }
  const first = String(error.message ?? e).split('\n')[0]!.replace(/ imported from \S+$/, '');
  return `${error.name && error.name !== 'Error' ? `${error.name}: ` : ''}${printable(first, 300)}`;
}

/** A plug-in rule is checked as the engine relies on it, so a mistake is named at load, not mid-run. */
function checkRule(rule: unknown, plugin: string, location: InputLocation): Rule {
  const problem = ruleProblem(rule);
  if (problem) throw new InputError(`plug-in '${plugin}', rule ${ruleId(rule)}: ${problem}`, location);
  return rule as Rule;
}

const ruleId = (rule: unknown) => {
  const id = (rule as Partial<Rule> | undefined)?.meta?.id;
  return typeof id === 'string' ? id : '(no id)';
};
const nonEmptyText = (value: unknown) => typeof value === 'string' && value.trim() !== '';

/** What keeps a rule from being one the engine can run and report (the built-in rules are held to it too), or undefined. */
export function ruleProblem(rule: unknown): string | undefined {
  const r = rule as Partial<Rule> | undefined;
  const meta = r?.meta;
  return !meta || typeof r?.check !== 'function'
    ? 'a rule is { meta, check(context) }'
    : !RULE_ID.test(ruleId(rule))
      ? 'meta.id must be kebab-case, optionally prefixed (contoso/internal-ca-only)'
      : !nonEmptyText(meta.description)
        ? 'meta.description is missing'
        : !SEVERITIES.includes(meta.severity as string)
          ? 'meta.severity must be error, warning or info'
          : !nonEmptyText(meta.citation?.title) || !nonEmptyText(meta.citation?.url)
            ? 'meta.citation must be { title, url }'
            : typeof meta.messages !== 'object' || meta.messages === null
              ? 'meta.messages must map message ids to texts'
              : (badMessage(meta.messages) ?? badOption(meta.options));
}

/** Options are { type, default, description, minimum? } (docs/writing-rules.md), the default of the type. */
function badOption(options: unknown): string | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) return 'meta.options must map option names to { type, default, description }';
  for (const [name, spec] of Object.entries(options)) {
    const problem = optionSpecProblem(spec);
    if (problem) return `meta.options.${name}: ${problem}`;
  }
  return undefined;
}

/** A message is a text, or { text, severity?, scope? } (docs/writing-rules.md). */
function badMessage(messages: object): string | undefined {
  for (const [id, m] of Object.entries(messages)) {
    const spec = (typeof m === 'string' ? { text: m } : (m ?? {})) as { text?: unknown; severity?: unknown; scope?: unknown };
    if (!nonEmptyText(spec.text)) return `meta.messages.${id} must be a text or { text, severity?, scope? }`;
    if (spec.severity !== undefined && !SEVERITIES.includes(spec.severity as string)) return `meta.messages.${id}.severity must be error, warning or info`;
    if (spec.scope !== undefined && spec.scope !== 'server' && spec.scope !== 'certificate') return `meta.messages.${id}.scope must be server or certificate`;
  }
  return undefined;
}
