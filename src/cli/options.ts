import { parseArgs, type ParseArgsConfig } from 'node:util';
import { dateProblem, parseIsoDate } from '../dates.js';
import { didYouMean, InputError, printable } from '../errors.js';

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Options every command takes, for parseArgs. */
export const COMMON_OPTIONS = {
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The PFX password options of the commands that read certificate files (see password.ts). */
export const PASSWORD_OPTIONS = {
  'password-env': { type: 'string' },
  'password-file': { type: 'string' },
} as const;

export const MAX_INPUT_SIZE_OPTION = { 'max-input-size': { type: 'string' } } as const;

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * parseArgs in strict mode, with errors in this tool's words: an unknown option names the closest
 * known one (`--fromat`: did you mean `--format`?), an option missing its value says how to give one
 * that starts with '-'. Node's own texts speak of "positional arguments" and "ambiguous" values.
 */
export function parseCommandLine<const T extends Options>(command: string, args: string[], options: T, allowPositionals = true) {
  const parsed = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  const names = Object.entries(options).flatMap(([name, spec]) => [`--${name}`, ...(spec.short ? [`-${spec.short}`] : [])]);
  const given = new Map<string, string>();
  for (const token of parsed.tokens) {
    if (token.kind === 'positional' && !allowPositionals) throw new InputError(`${command} takes no arguments besides its options (found '${printable(token.value, 80)}')`, {}, `Run 'sfb-certlint ${command} --help' for its options.`);
    if (token.kind !== 'option') continue;
    const spec = options[token.name];
    const shown = printable(token.rawName, 80);
    if (!spec) throw new InputError(`unknown option '${shown}'${didYouMean(token.rawName, names)}`, {}, `Run 'sfb-certlint ${command} --help' for its options.`);
    const long = `--${token.name}`;
    if (spec.type === 'boolean' && token.value !== undefined) throw new InputError(`${long} takes no value (found '${printable(`${token.rawName}=${token.value}`, 80)}')`);
    if (spec.type === 'string' && token.value === undefined) throw new InputError(`${long} needs a value`);
    if (spec.type === 'string' && !token.inlineValue && token.value!.startsWith('-') && token.value!.length > 1) {
      throw new InputError(`${long} needs a value, and '${printable(token.value!, 80)}' looks like an option`, {}, `To give a value that starts with '-', write ${long}=${printable(token.value!, 80)}.`);
    }
    // parseArgs keeps the last of two values: the first, a report file or a date, would be dropped unsaid.
    const earlier = given.get(token.name);
    if (spec.type === 'string' && !spec.multiple && earlier !== undefined && earlier !== token.value) {
      throw new InputError(`${long} is given twice ('${printable(earlier, 80)}', then '${printable(token.value!, 80)}'): give it once`, {}, token.name === 'output' ? 'For more reports from one run, add --output-FORMAT FILE (e.g. --output-sarif report.sarif).' : undefined);
    }
    if (spec.type === 'string') given.set(token.name, token.value!);
  }
  // Checked above: the values have the types the options declare, as strict parsing would give.
  return parsed as unknown as ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true; tokens: true }>>;
}

/** --max-input-size in bytes, or undefined for each reader's own default. */
export function maxInputSize(values: { 'max-input-size'?: string }): number | undefined {
  const text = values['max-input-size'];
  return text === undefined ? undefined : parseSize(text, '--max-input-size');
}

/** `65536`, `64K`, `64M`, `1G` as bytes. */
function parseSize(text: string, option: string): number {
  const m = /^(\d+)\s*([kmg]?)i?b?$/i.exec(text.trim());
  if (!m) throw new InputError(`${option}: '${printable(text, 80)}' is not a size (e.g. 65536, 64K, 64M)`);
  return Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
}

/**
 * An ISO 8601 date or date-time option (`--now`, `--time`): `2026-01-31` or `2026-01-31T12:00:00Z`.
 * A date that is not on the calendar (2026-02-30) is refused, not moved to another day.
 */
export function parseDate(text: string, option: string): Date {
  const parsed = parseIsoDate(text);
  if ('problem' in parsed) throw new InputError(dateProblem(option, `'${printable(text, 80)}'`, parsed.problem));
  return parsed.date;
}

/**
 * A --format value: case-insensitive, with one vocabulary across commands (`text` and `stylish` name
 * the human-readable format of each). Returns the command's own name for it.
 */
export function formatName<const F extends string>(text: string, formats: readonly F[]): F {
  const wanted = text.toLowerCase();
  const human = formats.find((f) => f === 'stylish' || f === 'text');
  const found = formats.find((f) => f === wanted) ?? (human && (wanted === 'text' || wanted === 'stylish') ? human : undefined);
  if (found) return found;
  throw new InputError(`unknown format '${printable(text, 80)}'${didYouMean(text, formats)} (use ${formats.join(', ').replace(/, ([^,]*)$/, ' or $1')})`);
}
