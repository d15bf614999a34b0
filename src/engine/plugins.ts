import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError, type InputLocation } from '../errors.js';
import type { Rule } from './types.js';

const SEVERITIES = ['error', 'warning', 'info'];
const RULE_ID = /^[a-z0-9]+(?:[-/][a-z0-9]+)*$/;

/** A plug-in module as loaded: what the configuration calls it, the file imported, and its rules. */
export interface LoadedPlugin {
  specifier: string;
  path: string;
  rules: Rule[];
}

/**
 * Imports each plug-in a configuration names: a local module (a path starting with . or /, relative to
 * the configuration file) or a package resolved from the configuration's folder. A plug-in exports
 * `rules` (or a default export with `rules`): an array of rules, with the same API as built-in ones.
 */
export async function loadPlugins(specifiers: string[], configPath: string, where: (index: number) => InputLocation): Promise<LoadedPlugin[]> {
  const plugins: LoadedPlugin[] = [];
  for (const [index, specifier] of specifiers.entries()) {
    const location = where(index);
    let module: { rules?: unknown; default?: { rules?: unknown } };
    let path: string;
    try {
      path = resolvePlugin(specifier, configPath);
      module = await import(pathToFileURL(path).href);
    } catch (e) {
      throw new InputError(`plug-in '${specifier}' cannot be loaded: ${(e as Error).message.split('\n')[0]}`, location);
    }
    const list = module.rules ?? module.default?.rules;
    if (!Array.isArray(list)) throw new InputError(`plug-in '${specifier}' exports no 'rules' array (docs/writing-rules.md)`, location);
    plugins.push({ specifier, path, rules: list.map((rule) => checkRule(rule, specifier, location)) });
  }
  const ids = new Set<string>();
  for (const rule of plugins.flatMap((p) => p.rules)) {
    if (ids.has(rule.meta.id)) throw new InputError(`two plug-in rules have the id '${rule.meta.id}'`, where(0));
    ids.add(rule.meta.id);
  }
  return plugins;
}

/** The plug-in's file: a path relative to the configuration, or a package resolved from its folder. */
function resolvePlugin(specifier: string, configPath: string): string {
  if (specifier.startsWith('.') || isAbsolute(specifier)) return resolve(dirname(configPath), specifier);
  return createRequire(configPath).resolve(specifier);
}

/** A plug-in rule is checked as the engine relies on it, so a mistake is named at load, not mid-run. */
function checkRule(rule: unknown, plugin: string, location: InputLocation): Rule {
  const r = rule as Partial<Rule> | undefined;
  const meta = r?.meta;
  const id = typeof meta?.id === 'string' ? meta.id : '(no id)';
  const problem =
    !meta || typeof r?.check !== 'function'
      ? 'a rule is { meta, check(context) }'
      : !RULE_ID.test(id)
        ? 'meta.id must be kebab-case, optionally prefixed (contoso/internal-ca-only)'
        : typeof meta.description !== 'string'
          ? 'meta.description is missing'
          : !SEVERITIES.includes(meta.severity as string)
            ? 'meta.severity must be error, warning or info'
            : typeof meta.citation?.title !== 'string' || typeof meta.citation?.url !== 'string'
              ? 'meta.citation must be { title, url }'
              : typeof meta.messages !== 'object' || meta.messages === null
                ? 'meta.messages must map message ids to texts'
                : undefined;
  if (problem) throw new InputError(`plug-in '${plugin}', rule ${id}: ${problem}`, location);
  return r as Rule;
}
