import { resolve } from 'node:path';
import { loadConfig } from '../engine/config.js';
import { describeRules } from '../engine/describe-rules.js';
import { didYouMean, InputError, printable } from '../errors.js';
import { Confinement } from '../files.js';
import type { ReportedRule } from '../report/types.js';
import { PROBE_RULES } from '../probe/rules/index.js';
import { BUILT_IN_RULES } from '../rules/index.js';
import { EXIT, write, type CliIo } from './io.js';
import { COMMON_OPTIONS, formatName, parseCommandLine } from './options.js';

const HELP = `Usage: sfb-certlint rules [ID] [-f text|json] [-c FILE]

Without ID, lists every rule: id, default severity, description, the Microsoft page it enforces,
and its options with their defaults; lint's rules first, then those of probe (probe-*), which judges
what endpoints serve. With ID, shows that rule in full: also the roles and usages it
looks at, every message it can give, and its documentation page.

Options:
  -f, --format text|json   output format (default text; 'stylish' is text)
  -c, --config FILE        also the plug-in rules of this configuration
  --debug                  stack traces for internal errors
  -h, --help               this help

Examples:
  sfb-certlint rules
  sfb-certlint rules key-size
  sfb-certlint rules --format json | jq -r '.[].id'
`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine('rules', argv, {
    format: { type: 'string', short: 'f', default: 'text' },
    config: { type: 'string', short: 'c' },
    ...COMMON_OPTIONS,
  });
  if (values.help) {
    await write(io.stdout, HELP);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw new InputError(`rules shows one rule at a time (found '${printable(positionals[0]!, 80)}' and '${printable(positionals[1]!, 80)}')`);
  const format = formatName(values.format!, ['text', 'json']);
  // A configuration named here is the user's choice, and no snapshot is read: trusted, its plug-ins load from anywhere.
  const plugins = values.config === undefined ? [] : await loadConfig(resolve(io.cwd, values.config), { confinement: Confinement.none() }).plugins();
  const all = [...BUILT_IN_RULES, ...PROBE_RULES, ...plugins];
  const [id] = positionals;
  if (id !== undefined) {
    const rule = all.find((r) => r.meta.id === id);
    if (!rule) {
      throw new InputError(`unknown rule '${printable(id, 80)}'${didYouMean(id, all.map((r) => r.meta.id))}`, {}, "'sfb-certlint rules' lists every rule.");
    }
    const [described] = describeRules([rule]);
    if (format === 'json') await write(io.stdout, `${JSON.stringify(described, null, 2)}\n`);
    else await write(io.stdout, `${fullText(described!).join('\n')}\n`);
    return EXIT.ok;
  }
  const rules = describeRules(all);
  if (format === 'json') {
    await write(io.stdout, `${JSON.stringify(rules, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines: string[] = [];
  for (const rule of rules) lines.push(...summaryText(rule), '');
  lines.push(`${rules.length} rules. One in full: sfb-certlint rules ID. Documentation: docs/rules/<id>.md`);
  await write(io.stdout, `${lines.join('\n')}\n`);
  return EXIT.ok;
}

/** A rule as the list shows it. Plug-in rules are their authors' text: escaped. */
function summaryText(rule: ReportedRule): string[] {
  const p = (s: string) => printable(s);
  return [
    `${p(rule.id)}  (${rule.severity})`,
    `  ${p(rule.description)}`,
    `  ${p(rule.citation.title)}`,
    `  ${p(rule.citation.url)}`,
    ...Object.entries(rule.options ?? {}).map(([name, spec]) => `  option ${p(name)} = ${p(JSON.stringify(spec.default))}: ${p(spec.description)}`),
  ];
}

/** One rule in full: what the list shows, then what it looks at, what it can say, and its page. */
function fullText(rule: ReportedRule): string[] {
  const p = (s: string) => printable(s);
  return [
    `${p(rule.id)}  (default severity: ${rule.severity})`,
    '',
    `  ${p(rule.description)}`,
    '',
    `  Requirement:   ${p(rule.citation.title)}`,
    `                 ${p(rule.citation.url)}`,
    `  Roles:         ${rule.roles?.join(', ') ?? 'all'}`,
    `  Usages:        ${rule.usages?.join(', ') ?? 'all'}`,
    `  Documentation: ${p(rule.docsUrl)}`,
    '',
    ...(rule.options && Object.keys(rule.options).length > 0
      ? ['  Options:', ...Object.entries(rule.options).map(([name, spec]) => `    ${p(name)} (${spec.type}, default ${p(JSON.stringify(spec.default))}${spec.minimum !== undefined ? `, at least ${spec.minimum}` : ''}): ${p(spec.description)}`), '']
      : ['  Options: none', '']),
    '  Messages:',
    ...Object.entries(rule.messages ?? {}).map(([messageId, m]) => `    ${p(messageId)} (${m.severity}${m.scope === 'certificate' ? ', one finding per certificate' : ''}): ${p(m.text)}`),
  ];
}
