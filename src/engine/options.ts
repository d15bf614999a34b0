import { InputError } from '../errors.js';
import { USAGES } from '../snapshot/model.js';
import { OPTION_TYPES, type OptionSpec, type RuleMeta } from './types.js';

/** A rule's options: its defaults overlaid with what the configuration sets, each checked against its spec. */
export function resolveOptions(meta: RuleMeta, given: Record<string, unknown> = {}): Record<string, unknown> {
  const specs = meta.options ?? {};
  const resolved: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) resolved[name] = spec.default;
  for (const [name, value] of Object.entries(given)) {
    const spec = specs[name];
    if (!spec) {
      const known = Object.keys(specs);
      throw new InputError(`rule ${meta.id} has no option '${name}'${known.length ? ` (options: ${known.join(', ')})` : ''}`);
    }
    const problem = checkOption(spec, value);
    if (problem) throw new InputError(`rule ${meta.id}, option ${name}: ${problem}`);
    resolved[name] = value;
  }
  return resolved;
}

/** What keeps an option's declaration from being one the engine can check values against, or undefined. */
export function optionSpecProblem(spec: unknown): string | undefined {
  const s = (spec ?? {}) as Partial<OptionSpec>;
  if (!(OPTION_TYPES as readonly unknown[]).includes(s.type)) return `type must be one of ${OPTION_TYPES.join(', ')}`;
  if (typeof s.description !== 'string' || s.description.trim() === '') return 'description is missing';
  const problem = checkOption(s as OptionSpec, s.default);
  return problem && `default: ${problem}`;
}

function checkOption(spec: OptionSpec, value: unknown): string | undefined {
  switch (spec.type) {
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value) || (spec.type === 'integer' && !Number.isInteger(value))) {
        return `expected ${spec.type === 'integer' ? 'an integer' : 'a number'}, got ${JSON.stringify(value)}`;
      }
      if (spec.minimum !== undefined && value < spec.minimum) return `must be at least ${spec.minimum}`;
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected true or false, got ${JSON.stringify(value)}`;
    case 'string':
      return typeof value === 'string' ? undefined : `expected a string, got ${JSON.stringify(value)}`;
    case 'usage-integers': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return `expected a map of usage to integer, e.g. { OAuthTokenIssuer: 2048 }, got ${JSON.stringify(value)}`;
      for (const [usage, n] of Object.entries(value)) {
        if (!(USAGES as readonly string[]).includes(usage)) return `${JSON.stringify(usage)} is not a certificate usage (use ${USAGES.join(', ')})`;
        const problem = checkOption({ ...spec, type: 'integer' }, n);
        if (problem) return `${usage}: ${problem}`;
      }
      return undefined;
    }
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? undefined : `expected a list of strings, got ${JSON.stringify(value)}`;
  }
}
