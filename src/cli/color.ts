import type { CliIo } from './io.js';

/**
 * Whether to colour output: --color/--no-color first, then the NO_COLOR (no-color.org) and FORCE_COLOR
 * conventions, then whether output goes to a terminal (never into a file).
 */
export function useColor(io: CliIo, flags: { color?: boolean; noColor?: boolean; toFile: boolean }): boolean {
  if (flags.noColor) return false;
  if (flags.color) return true;
  if (io.env.NO_COLOR) return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return !flags.toFile && io.stdout.isTTY === true;
}
