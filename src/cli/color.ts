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

/** The narrowest and widest stylish output: narrower wraps every message; wider is hard to read. */
const MIN_WIDTH = 60;
const MAX_WIDTH = 160;

/**
 * The terminal's width for stylish output: COLUMNS (as shells and CI set it), else the terminal's own
 * width, within 60-160 columns; undefined (the formatter's default) when neither is known, as in a pipe.
 */
export function terminalWidth(io: CliIo): number | undefined {
  const columns = /^\d+$/.test(io.env.COLUMNS ?? '') ? Number(io.env.COLUMNS) : io.stdout.columns;
  return columns === undefined || columns <= 0 ? undefined : Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, columns));
}
