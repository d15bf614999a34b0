import { describe, expect, it } from 'vitest';
import { terminalWidth } from '../../src/cli/color.js';
import type { CliIo } from '../../src/cli/io.js';

const io = (env: NodeJS.ProcessEnv, columns?: number) => ({ env, stdout: { columns } }) as unknown as CliIo;

describe('terminalWidth', () => {
  it('is COLUMNS, else the terminal\'s own width, within 60 to 160', () => {
    expect(terminalWidth(io({ COLUMNS: '120' }, 80))).toBe(120);
    expect(terminalWidth(io({}, 80))).toBe(80);
    expect(terminalWidth(io({}, 20))).toBe(60);
    expect(terminalWidth(io({ COLUMNS: '400' }))).toBe(160);
  });

  it('is unknown in a pipe, or when COLUMNS is not a number', () => {
    expect(terminalWidth(io({}))).toBeUndefined();
    expect(terminalWidth(io({ COLUMNS: 'wide' }))).toBeUndefined();
    expect(terminalWidth(io({ COLUMNS: 'wide' }, 90))).toBe(90);
  });
});
