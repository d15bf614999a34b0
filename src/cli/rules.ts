import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../engine/config.js';
import { InputError } from '../errors.js';
import { BUILT_IN_RULES } from '../rules/index.js';
import { describeRules } from '../engine/describe-rules.js';
import { EXIT, write, type CliIo } from './io.js';
import { COMMON_OPTIONS } from './options.js';

const HELP = `Usage: sfb-certlint rules [--format text|json] [--config FILE]

Lists every rule: id, default severity, description, the Microsoft page it enforces, and its
options with their defaults. With --config, the configuration's plug-in rules are listed too.

Examples:
  sfb-certlint rules
  sfb-certlint rules --format json | jq -r '.[].id'
`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      config: { type: 'string', short: 'c' },
      ...COMMON_OPTIONS,
    },
  });
  if (values.help) {
    await write(io.stdout, HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new InputError(`rules takes no arguments (found '${positionals[0]}')`);
  if (values.format !== 'text' && values.format !== 'json') throw new InputError(`unknown format '${values.format}' (use text or json)`);
  const plugins = values.config === undefined ? [] : await loadConfig(resolve(io.cwd, values.config)).plugins();
  const rules = describeRules([...BUILT_IN_RULES, ...plugins]);
  if (values.format === 'json') {
    await write(io.stdout, `${JSON.stringify(rules, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines: string[] = [];
  for (const rule of rules) {
    lines.push(`${rule.id}  (${rule.severity})`, `  ${rule.description}`, `  ${rule.citation.title}`, `  ${rule.citation.url}`);
    for (const [name, spec] of Object.entries(rule.options ?? {})) {
      lines.push(`  option ${name} = ${JSON.stringify(spec.default)}: ${spec.description}`);
    }
    lines.push('');
  }
  lines.push(`${rules.length} rules. Documentation: docs/rules/<id>.md`);
  await write(io.stdout, `${lines.join('\n')}\n`);
  return EXIT.ok;
}
