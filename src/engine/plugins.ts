import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError, type InputLocation } from '../errors.js';
import type { Rule } from './types.js';

const SEVERITIES = ['error', 'warning', 'info'];
const RULE_ID = /^[a-z0-9]+(?:[-/][a-z0-9]+)*$/;

/**
 * Imports each plug-in a configuration names: a local module (a path starting with . or /, relative to
 * the configuration file) or a package resolved from the configuration's folder. A plug-in exports
 * `rules` (or a default export with `rules`): an array of rules, with the same API as built-in ones.
 */
export async function loadPlugins(specifiers: string[], configPath: string, where: (index: number) => InputLocation): Promise<Rule[]> {
  const rules: Rule[] = [];
  for (const [index, specifier] of specifiers.entries()) {
    const location = where(index);
    let module: { rules?: unknown; default?: { rules?: unknown } };
    try {
      module = await import(resolvePlugin(specifier, configPath));
    } catch (e) {
      throw new InputError(`plug-in '${specifier}' cannot be loaded: ${(e as Error).message.split('\n')[0]}`, location);
    }
    const list = module.rules ?? module.default?.rules;
    if (!Array.isArray(list)) throw new InputError(`plug-in '${specifier}' exports no 'rules' array (docs/writing-rules.md)`, location);
    for (const rule of list) rules.push(checkRule(rule, specifier, location));
  }
  const ids = new Set<string>();
  for (const rule of rules) {
    if (ids.has(rule.meta.id)) throw new InputError(`two plug-in rules have the id '${rule.meta.id}'`, where(0));
    ids.add(rule.meta.id);
  }
  return rules;
}

function resolvePlugin(specifier: string, configPath: string): string {
  if (specifier.startsWith('.') || isAbsolute(specifier)) return pathToFileURL(resolve(dirname(configPath), specifier)).href;
  return pathToFileURL(createRequire(configPath).resolve(specifier)).href;
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
                : badMessage(meta.messages);
  if (problem) throw new InputError(`plug-in '${plugin}', rule ${id}: ${problem}`, location);
  return r as Rule;
}

/** A message is a text, or { text, severity?, scope? } (docs/writing-rules.md). */
function badMessage(messages: object): string | undefined {
  for (const [id, m] of Object.entries(messages)) {
    if (typeof m === 'string') continue;
    const spec = m as { text?: unknown; severity?: unknown; scope?: unknown } | null;
    if (typeof spec?.text !== 'string') return `meta.messages.${id} must be a text or { text, severity?, scope? }`;
    if (spec.severity !== undefined && !SEVERITIES.includes(spec.severity as string)) return `meta.messages.${id}.severity must be error, warning or info`;
    if (spec.scope !== undefined && spec.scope !== 'server' && spec.scope !== 'certificate') return `meta.messages.${id}.scope must be server or certificate`;
  }
  return undefined;
}
