import { resolve } from 'node:path';
import { configInForce, exitCode, lint, type LintRequest } from '../engine/lint.js';
import type { RuleSetting } from '../engine/types.js';
import { didYouMean, InputError, printable } from '../errors.js';
import { writeAtomically } from '../files.js';
import { summarize, type Formatter } from '../report/types.js';
import { terminalWidth, useColor } from './color.js';
import { EXIT, write, type CliIo } from './io.js';
import { COMMON_OPTIONS, formatName, MAX_INPUT_SIZE_OPTION, maxInputSize, parseCommandLine, parseDate } from './options.js';

const HELP = `Usage: sfb-certlint lint [SNAPSHOT|FOLDER...] [options]
       sfb-certlint [SNAPSHOT|FOLDER...] [options]

Lints Lync Server 2013 / Skype for Business Server deployment snapshots against Microsoft's
certificate requirements. A FOLDER that holds a snapshot file (snapshot.yaml, .yml or .json) is
that snapshot; any other FOLDER is searched for snapshot folders (not node_modules, nor folders
whose names start with a dot). Without a path, the current folder.

Output:
  -f, --format stylish|json|sarif  output format (default stylish; 'text' is stylish)
  -o, --output FILE                write the report to FILE (atomically; missing folders are
                                   created) instead of standard output
  --output-json FILE, --output-sarif FILE, --output-stylish FILE
                                   also write the same run in that format to FILE (repeatable
                                   across formats): one run, one exit code, several reports
  --quiet                          report errors only
  --color, --no-color              force colours on or off (also NO_COLOR, FORCE_COLOR)

Rules and configuration:
  -c, --config FILE                configuration file (default: the nearest
                                   sfb-certlint.config.{json,yaml,yml} beside each snapshot or in
                                   the folders above it, up to the root)
  --print-config SNAPSHOT          print the configuration in force for SNAPSHOT, and where each
                                   part comes from (JSON), instead of linting
  --rule ID:SEVERITY               set a rule to off, info, warning or error (repeatable)
  --max-warnings N                 exit 1 when there are more than N warnings
  --now ISO-DATE, --time ISO-DATE  evaluate at this time instead of now (reproducible audits):
                                   2026-01-31 or 2026-01-31T12:00:00Z (no zone: UTC)

Files it reads (docs/security.md):
  --root DIR                       the folder every file a snapshot or configuration names must
                                   stay inside (default: the repository holding the snapshot,
                                   else the snapshot's folder)
  --allow-outside-root             read files wherever they are (your own machine's snapshots)
  --allow-plugins                  load plug-ins from any configuration, also one inside the
                                   folder being linted (default: only with --config, or at the root)
  --no-plugins                     load no plug-ins at all
  --max-input-size BYTES           refuse larger snapshots, configurations and certificate files
                                   (default 32M for text, 64M for certificate files; K, M, G)

  --debug                          stack traces for internal errors
  -h, --help                       this help

Exit codes: 0 no errors (and warnings within --max-warnings); 1 error findings or too many
warnings; 2 the linter could not do its job (bad input, configuration or usage).

Examples:
  sfb-certlint examples/contoso
  sfb-certlint lint snapshot.yaml --now 2026-01-01T00:00:00Z -f json -o report.json
  sfb-certlint lint snapshots/ --format sarif --output sfb-certlint.sarif
  sfb-certlint lint snapshots/ --output-sarif sfb-certlint.sarif --output-json sfb-certlint.json
  sfb-certlint lint snapshot.yaml --rule certificate-expiry:warning --max-warnings 0
  sfb-certlint lint --print-config snapshots/production
`;

/** Each format's module, loaded only when asked for. */
const FORMATTERS: Record<string, () => Promise<{ format: Formatter }>> = {
  stylish: () => import('../report/stylish.js'),
  json: () => import('../report/json.js'),
  sarif: () => import('../report/sarif.js'),
};
const FORMATS = Object.keys(FORMATTERS);

/** --output-json FILE and the like, one per format. */
const OUTPUT_OPTIONS = Object.fromEntries(FORMATS.map((f) => [`output-${f}`, { type: 'string' as const }]));

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine('lint', argv, {
    format: { type: 'string', short: 'f', default: 'stylish' },
    output: { type: 'string', short: 'o' },
    ...OUTPUT_OPTIONS,
    config: { type: 'string', short: 'c' },
    'print-config': { type: 'string' },
    rule: { type: 'string', multiple: true, default: [] },
    'max-warnings': { type: 'string' },
    now: { type: 'string' },
    time: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    root: { type: 'string' },
    'allow-outside-root': { type: 'boolean', default: false },
    'allow-plugins': { type: 'boolean', default: false },
    'no-plugins': { type: 'boolean', default: false },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
    ...MAX_INPUT_SIZE_OPTION,
    ...COMMON_OPTIONS,
  });
  if (values.help) {
    await write(io.stdout, HELP);
    return EXIT.ok;
  }
  if (values['allow-plugins'] && values['no-plugins']) throw new InputError('give --allow-plugins or --no-plugins, not both');
  if (values.now !== undefined && values.time !== undefined) throw new InputError('give --now or --time, not both (they are the same option)');
  const format = formatName(values.format!, FORMATS);
  const maxWarnings = values['max-warnings'] === undefined ? Infinity : parseCount(values['max-warnings']);
  const time = values.now ?? values.time;
  const request: Omit<LintRequest, 'targets'> = {
    cwd: io.cwd,
    env: io.env,
    ...(values.config !== undefined && { configPath: values.config }),
    ruleSettings: parseRuleFlags(values.rule!),
    ...(time !== undefined && { now: parseDate(time, values.now !== undefined ? '--now' : '--time') }),
    maxBytes: maxInputSize(values),
    quiet: values.quiet!,
    ...(values.root !== undefined && { root: values.root }),
    allowOutsideRoot: values['allow-outside-root']!,
    plugins: values['no-plugins'] ? 'none' : values['allow-plugins'] ? 'all' : 'trusted',
  };
  if (values['print-config'] !== undefined) {
    if (positionals.length > 0) throw new InputError(`--print-config takes one snapshot, and lints none (found also '${printable(positionals[0]!, 80)}')`);
    await write(io.stdout, `${JSON.stringify(await configInForce(request, values['print-config']), null, 2)}\n`);
    return EXIT.ok;
  }
  // Every report of the run: the main one (--format, to --output or standard output), then the extra files.
  const outputs = [
    { format, file: values.output },
    ...FORMATS.flatMap((f) => {
      const file = (values as Record<string, unknown>)[`output-${f}`];
      return typeof file === 'string' ? [{ format: f, file }] : [];
    }),
  ];
  const formatters = Promise.all(outputs.map((o) => FORMATTERS[o.format]!()));
  const report = await lint({ ...request, targets: positionals.length > 0 ? positionals : ['.'] });
  for (const notice of report.notices ?? []) await write(io.stderr, `sfb-certlint: notice: ${printable(notice.path ? `${notice.path}: ${notice.message}` : notice.message)}\n`);
  const modules = await formatters;
  for (const [i, { file }] of outputs.entries()) {
    const toFile = file !== undefined;
    const color = useColor(io, { color: values.color, noColor: values['no-color'], toFile });
    const text = modules[i]!.format(report, { color, ...(!toFile && { width: terminalWidth(io) }) });
    if (toFile) writeAtomically(resolve(io.cwd, file), text, 'report');
    else await write(io.stdout, text);
  }
  const code = exitCode(report, maxWarnings);
  // As ESLint: a run failed by --max-warnings says so, or the log shows "0 errors" and exit 1.
  if (summarize(report.findings).warning > maxWarnings) await write(io.stderr, `sfb-certlint found too many warnings (maximum: ${maxWarnings}).\n`);
  return code;
}

/** Severities as --rule takes them: ours, and ESLint's (`warn`, 0, 1, 2). */
const SEVERITIES: Record<string, RuleSetting> = { off: 'off', info: 'info', warning: 'warning', error: 'error', warn: 'warning', '0': 'off', '1': 'warning', '2': 'error' };

function parseRuleFlags(flags: string[]): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  for (const flag of flags) {
    const m = /^([^:\s]+):(\S+)$/.exec(flag.trim());
    if (!m) throw new InputError(`--rule ${printable(flag, 80)}: expected ID:SEVERITY, e.g. key-size:warning`);
    const severity = SEVERITIES[m[2]!.toLowerCase()];
    if (!severity) throw new InputError(`--rule ${printable(flag, 80)}: '${printable(m[2]!, 80)}' is not a severity (off, info, warning or error)${didYouMean(m[2]!, ['off', 'info', 'warning', 'error'])}`);
    out[m[1]!] = severity;
  }
  return out;
}

function parseCount(text: string): number {
  if (!/^\d+$/.test(text)) throw new InputError(`--max-warnings: '${printable(text, 80)}' is not a whole number`);
  return Number(text);
}
