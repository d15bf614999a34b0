import { InputError } from '../errors.js';

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `65536`, `64K`, `64M`, `1G` as bytes. */
export function parseSize(text: string, option: string): number {
  const m = /^(\d+)\s*([kmg]?)i?b?$/i.exec(text.trim());
  if (!m) throw new InputError(`${option}: '${text}' is not a size (e.g. 65536, 64K, 64M)`);
  return Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
}
