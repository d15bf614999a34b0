import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exitCode, lint } from '../engine/lint.js';
import type { RuleSetting } from '../engine/types.js';
import { InputError } from '../errors.js';
import { writeAtomically } from '../files.js';
import { useColor } from './color.js';
import { EXIT, write, type CliIo } from './io.js';
import { COMMON_OPTIONS, MAX_INPUT_SIZE_OPTION, maxInputSize, parseDate } from './options.js';

const HELP = `Usage: sfb-certlint lint [SNAPSHOT|FOLDER...] [options]
       sfb-certlint [SNAPSHOT|FOLDER...] [options]

Lints Lync Server 2013 / Skype for Business Server deployment snapshots against Microsoft's
certificate requirements. A FOLDER holds one snapshot file (snapshot.yaml, .yml or .json);
without a path, the current folder.

Options:
  --format FORMAT               stylish (default), json, sarif, html (a report to read and print)
                                or markdown (for a ticket or a pull-request comment)
  --output FILE                 write the report to FILE (atomically) instead of stdout
  --config FILE                 configuration file (default: sfb-certlint.config.{json,yaml,yml}
                                beside each snapshot)
  --rule ID:SEVERITY            set a rule to off, info, warning or error (repeatable)
  --max-warnings N              exit 1 when there are more than N warnings
  --now ISO-DATE                evaluate at this time instead of now (reproducible audits)
  --quiet                       report errors only
  --max-input-size BYTES        refuse larger snapshots, configurations and certificate files
                                (default 32M for text, 64M for certificate files; suffixes K, M, G)
  --color, --no-color           force colours on or off (also NO_COLOR, FORCE_COLOR)
  --debug                       stack traces for internal errors
  --help                        this help

Exit codes: 0 no errors (and warnings within --max-warnings); 1 error findings or too many
warnings; 2 the linter could not do its job (bad input, configuration or usage).

Examples:
  sfb-certlint examples/contoso
  sfb-certlint lint snapshot.yaml --now 2026-01-01T00:00:00Z --format json --output report.json
  sfb-certlint lint snapshots/ --format sarif --output sfb-certlint.sarif
  sfb-certlint lint examples/contoso --format html --output report.html
  sfb-certlint lint snapshot.yaml --rule certificate-expiry:warning --max-warnings 0
`;

const FORMATTERS = {
  stylish: () => import('../report/stylish.js'),
  json: () => import('../report/json.js'),
  sarif: () => import('../report/sarif.js'),
  html: () => import('../report/html.js'),
  markdown: () => import('../report/markdown.js'),
} as const;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'stylish' },
      output: { type: 'string', short: 'o' },
      config: { type: 'string', short: 'c' },
      rule: { type: 'string', multiple: true, default: [] },
      'max-warnings': { type: 'string' },
      now: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      ...MAX_INPUT_SIZE_OPTION,
      ...COMMON_OPTIONS,
    },
  });
  if (values.help) {
    await write(io.stdout, HELP);
    return EXIT.ok;
  }
  const format = values.format!;
  if (!(format in FORMATTERS)) throw new InputError(`unknown format '${format}' (use stylish, json, sarif, html or markdown)`);
  const maxWarnings = values['max-warnings'] === undefined ? Infinity : parseCount(values['max-warnings']);
  const formatterModule = FORMATTERS[format as keyof typeof FORMATTERS]();
  const report = await lint({
    targets: positionals.length > 0 ? positionals : ['.'],
    cwd: io.cwd,
    env: io.env,
    ...(values.config !== undefined && { configPath: values.config }),
    ruleSettings: parseRuleFlags(values.rule!),
    ...(values.now !== undefined && { now: parseDate(values.now, '--now') }),
    maxBytes: maxInputSize(values),
    quiet: values.quiet!,
  });
  const color = useColor(io, { color: values.color, noColor: values['no-color'], toFile: values.output !== undefined });
  const { format: formatReport } = await formatterModule;
  const text = formatReport(report, { color });
  if (values.output !== undefined) writeAtomically(resolve(io.cwd, values.output), text, 'report');
  else await write(io.stdout, text);
  return exitCode(report, maxWarnings);
}

const SETTINGS: readonly RuleSetting[] = ['off', 'info', 'warning', 'error'];

function parseRuleFlags(flags: string[]): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  for (const flag of flags) {
    const m = /^([^:\s]+):(\w+)$/.exec(flag.trim());
    if (!m || !SETTINGS.includes(m[2] as RuleSetting)) throw new InputError(`--rule ${flag}: expected ID:off|info|warning|error`);
    out[m[1]!] = m[2] as RuleSetting;
  }
  return out;
}

function parseCount(text: string): number {
  if (!/^\d+$/.test(text)) throw new InputError(`--max-warnings: '${text}' is not a whole number`);
  return Number(text);
}
