/**
 * The options and output of every command that writes a lint report (lint, probe, check): formats and
 * output files, configuration, rule settings, time, root and plug-ins; and the writing of the reports,
 * notices and exit code, the same for each.
 */
import { normalize, resolve } from 'node:path';
import type { LintRequest } from '../engine/lint.js';
import { exitCode } from '../engine/lint.js';
import type { RuleSetting } from '../engine/types.js';
import { didYouMean, InputError, printable } from '../errors.js';
import { writeAtomically } from '../files.js';
import { summarize, type Formatter, type LintReport } from '../report/types.js';
import { terminalWidth, useColor } from './color.js';
import { write, type CliIo } from './io.js';
import { formatName, maxInputSize, parseDate } from './options.js';

/** Each format's module, loaded only when asked for. */
const FORMATTERS: Record<string, () => Promise<{ format: Formatter }>> = {
  stylish: () => import('../report/stylish.js'),
  json: () => import('../report/json.js'),
  sarif: () => import('../report/sarif.js'),
  html: () => import('../report/html.js'),
  markdown: () => import('../report/markdown.js'),
};
export const FORMATS = Object.keys(FORMATTERS);

/** The names --format takes for FORMATS, and so the --output-FORMAT options: `text` is stylish. */
const FORMAT_NAMES = [...FORMATS, 'text'];

/** Where the reports go: --format, --output and --output-FORMAT. */
const OUTPUT_OPTIONS = {
  format: { type: 'string', short: 'f', default: 'stylish' as string },
  output: { type: 'string', short: 'o' },
  // --output-json FILE and the like, one per format name, each repeatable: every file given is written.
  ...(Object.fromEntries(FORMAT_NAMES.map((f) => [`output-${f}`, { type: 'string', multiple: true }])) as Record<`output-${string}`, { type: 'string'; multiple: true }>),
} as const;

/** What the run reads and how it judges: configuration, rules, time, root, plug-ins; and the output's colour and threshold. */
export const REQUEST_OPTIONS = {
  config: { type: 'string', short: 'c' },
  rule: { type: 'string', multiple: true, default: [] as string[] },
  'max-warnings': { type: 'string' },
  now: { type: 'string' },
  time: { type: 'string' },
  quiet: { type: 'boolean', default: false as boolean },
  root: { type: 'string' },
  'allow-outside-root': { type: 'boolean', default: false as boolean },
  'allow-plugins': { type: 'boolean', default: false as boolean },
  'no-plugins': { type: 'boolean', default: false as boolean },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
} as const;

/** The options of a command that writes a lint report, for parseCommandLine. */
export const REPORT_OPTIONS = { ...OUTPUT_OPTIONS, ...REQUEST_OPTIONS } as const;

/** The --help sections of REPORT_OPTIONS: output, rules and configuration, the files read. */
export const OUTPUT_HELP = `Output:
  -f, --format FORMAT              stylish (default; 'text' is stylish), json, sarif, html (an
                                   audit report to read and print) or markdown (for a ticket or
                                   a pull-request comment)
  -o, --output FILE                write the report to FILE (atomically; missing folders are
                                   created) instead of standard output
  --output-FORMAT FILE             also write the same run in FORMAT to FILE: --output-stylish
                                   (or --output-text), --output-json, --output-sarif,
                                   --output-html, --output-markdown; repeatable, in one format
                                   too: one run, one exit code, several reports
  --quiet                          report errors only (warnings still count for --max-warnings)
  --color, --no-color              force colours on or off (also NO_COLOR, FORCE_COLOR)`;
export const RULES_HELP = `Rules and configuration:
  -c, --config FILE                configuration file (default: the nearest
                                   sfb-certlint.config.{json,yaml,yml} beside each snapshot or in
                                   the folders above it, up to the root)
  --rule ID:SEVERITY               set a rule to off, info, warning or error (repeatable)
  --max-warnings N                 exit 1 when there are more than N warnings
  --now ISO-DATE, --time ISO-DATE  evaluate at this time instead of now (reproducible audits):
                                   2026-01-31 or 2026-01-31T12:00:00Z (no zone: UTC)`;
export const FILES_HELP = `Files it reads (docs/security.md):
  --root DIR                       the folder every file a snapshot or configuration names must
                                   stay inside (default: the repository holding the snapshot,
                                   else the snapshot's folder)
  --allow-outside-root             read files wherever they are (your own machine's snapshots)
  --allow-plugins                  load plug-ins from any configuration, also one inside the
                                   folder being linted (default: only with --config, or at the root)
  --no-plugins                     load no plug-ins at all
  --max-input-size BYTES           refuse larger snapshots, configurations and certificate files
                                   (default 32M for text, 64M for certificate files; K, M, G)`;

/** What parseCommandLine gives for REPORT_OPTIONS (and --max-input-size). */
export interface ReportValues {
  format?: string;
  output?: string;
  config?: string;
  rule?: string[];
  'max-warnings'?: string;
  now?: string;
  time?: string;
  quiet?: boolean;
  root?: string;
  'allow-outside-root'?: boolean;
  'allow-plugins'?: boolean;
  'no-plugins'?: boolean;
  color?: boolean;
  'no-color'?: boolean;
  'max-input-size'?: string;
}

/** The request options (configuration, rules, time, root, plug-ins) the command line sets. */
export function requestOptions(values: ReportValues, io: CliIo): Omit<LintRequest, 'targets'> {
  if (values['allow-plugins'] && values['no-plugins']) throw new InputError('give --allow-plugins or --no-plugins, not both');
  if (values.now !== undefined && values.time !== undefined) throw new InputError('give --now or --time, not both (they are the same option)');
  const time = values.now ?? values.time;
  return {
    cwd: io.cwd,
    env: io.env,
    ...(values.config !== undefined && { configPath: values.config }),
    ruleSettings: parseRuleFlags(values.rule ?? []),
    ...(time !== undefined && { now: parseDate(time, values.now !== undefined ? '--now' : '--time') }),
    maxBytes: maxInputSize(values),
    // --quiet hides warnings when the reports are written (writeReports), after they are counted.
    ...(values.root !== undefined && { root: values.root }),
    allowOutsideRoot: values['allow-outside-root'] ?? false,
    plugins: values['no-plugins'] ? 'none' : values['allow-plugins'] ? 'all' : 'trusted',
  };
}

/** The reports a run writes: the main one (--format, to --output or standard output), then --output-FORMAT files. Checked before the run starts. */
export function reportOutputs(values: ReportValues): ReportOutputs {
  const outputs: Array<{ format: string; file: string | undefined; option: string }> = [
    { format: formatName(values.format ?? 'stylish', FORMATS), file: values.output, option: '--output' },
    ...FORMAT_NAMES.flatMap((name) => {
      const files = (values as Record<string, unknown>)[`output-${name}`];
      return Array.isArray(files) ? files.map((file: string) => ({ format: formatName(name, FORMATS), file, option: `--output-${name}` })) : [];
    }),
  ];
  // Two reports into one file: the second would silently replace the first.
  const byFile = new Map<string, string>();
  for (const { file, option } of outputs) {
    if (file === undefined) continue;
    const earlier = byFile.get(normalize(file));
    if (earlier !== undefined) throw new InputError(`${earlier} and ${option} name the same file, '${printable(file, 200)}': each report needs a file of its own`);
    byFile.set(normalize(file), option);
  }
  return {
    maxWarnings: values['max-warnings'] === undefined ? Infinity : parseCount(values['max-warnings'], '--max-warnings'),
    outputs: outputs.map(({ format, file }) => ({ format, file })),
    // Loaded while the run works.
    formatters: Promise.all(outputs.map((o) => FORMATTERS[o.format]!())),
  };
}

export interface ReportOutputs {
  maxWarnings: number;
  outputs: Array<{ format: string; file: string | undefined }>;
  formatters: Promise<Array<{ format: Formatter }>>;
}

/**
 * Writes the notices, every report of the run, and what failed it; returns the exit code. With
 * --quiet the reports hold the errors only, yet the warnings still count for --max-warnings, as
 * ESLint's (8 and later: "rules marked as warn [...] still run, but not reported").
 */
export async function writeReports(report: LintReport, { outputs, formatters, maxWarnings }: ReportOutputs, values: ReportValues, io: CliIo): Promise<number> {
  for (const notice of report.notices ?? []) await write(io.stderr, `sfb-certlint: notice: ${printable(notice.path ? `${notice.path}: ${notice.message}` : notice.message)}\n`);
  const shown = values.quiet ? { ...report, findings: report.findings.filter((f) => f.severity === 'error') } : report;
  const modules = await formatters;
  for (const [i, { file }] of outputs.entries()) {
    const toFile = file !== undefined;
    const color = useColor(io, { color: values.color, noColor: values['no-color'], toFile });
    const text = modules[i]!.format(shown, { color, ...(!toFile && { width: terminalWidth(io) }) });
    if (toFile) writeAtomically(resolve(io.cwd, file), text, 'report');
    else await write(io.stdout, text);
  }
  await sayTooManyWarnings(report, maxWarnings, values.quiet, io);
  return exitCode(report, maxWarnings);
}

/** As ESLint: a run failed by --max-warnings says so, or the log shows "0 errors" and exit 1. */
export async function sayTooManyWarnings(report: LintReport, maxWarnings: number, quiet: boolean | undefined, io: CliIo): Promise<void> {
  const warnings = summarize(report.findings).warning;
  if (warnings <= maxWarnings) return;
  const hidden = quiet ? `; ${warnings} found, not shown with --quiet` : '';
  await write(io.stderr, `sfb-certlint found too many warnings (maximum: ${maxWarnings}${hidden}).\n`);
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

/** A whole number option (`--max-warnings 0`, `--concurrency 16`). */
export function parseCount(text: string, option: string): number {
  if (!/^\d+$/.test(text)) throw new InputError(`${option}: '${printable(text, 80)}' is not a whole number`);
  return Number(text);
}
