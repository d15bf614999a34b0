import { InputError } from '../errors.js';

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

/** --max-input-size in bytes, or undefined for each reader's own default. */
export function maxInputSize(values: { 'max-input-size'?: string }): number | undefined {
  const text = values['max-input-size'];
  return text === undefined ? undefined : parseSize(text, '--max-input-size');
}

/** `65536`, `64K`, `64M`, `1G` as bytes. */
function parseSize(text: string, option: string): number {
  const m = /^(\d+)\s*([kmg]?)i?b?$/i.exec(text.trim());
  if (!m) throw new InputError(`${option}: '${text}' is not a size (e.g. 65536, 64K, 64M)`);
  return Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
}

/** An ISO 8601 date or date-time option (`--now`, `--time`): `2026-01-31` or `2026-01-31T12:00:00Z`. */
export function parseDate(text: string, option: string): Date {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(ms)) throw new InputError(`${option}: '${text}' is not an ISO 8601 date (e.g. 2026-01-31 or 2026-01-31T12:00:00Z)`);
  return new Date(ms);
}
