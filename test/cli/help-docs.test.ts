/**
 * Every command's --help against docs/cli.md: an option the help names is listed in that command's
 * section, and an option the section's table lists is one the help names. The help is the command's
 * own text; the page must not drift from it.
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COMMANDS = ['lint', 'probe', 'inspect', 'verify', 'import', 'rules', 'requirements', 'check'];
const PAGE = readFileSync(`${ROOT}docs/cli.md`, 'utf8');

async function help(command: string): Promise<string> {
  let out = '';
  const stdout = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  const io: CliIo = { stdout, stderr: stdout, env: {}, cwd: ROOT };
  expect(await main([command, '--help'], io)).toBe(0);
  return out;
}

/** `--format`, `-f`, `--output-FORMAT`: options as a help or the page writes them, not words with a hyphen. */
const options = (text: string) => new Set(text.match(/(?<![\w-])(--[a-z][A-Za-z0-9-]*|-[a-z])(?![\w-])/g));

/** A command's section of the page: from its `## command` heading to the next. */
function section(command: string): string {
  const start = PAGE.indexOf(`\n## ${command}\n`);
  expect(start, `docs/cli.md has a section '## ${command}'`).toBeGreaterThan(0);
  const end = PAGE.indexOf('\n## ', start + 1);
  return PAGE.slice(start, end < 0 ? undefined : end);
}

/** The options of the section's table: the first cell of each row. */
const tabled = (text: string) => options(text.split('\n').filter((l) => l.startsWith('| `-')).map((l) => l.split(' | ')[0]!).join('\n'));

describe('docs/cli.md says what each --help says', () => {
  it.each(COMMANDS)('%s: every option of the help is in its section, every option of its table is in the help', async (command) => {
    // The examples use documented options, and other tools' (jq -r) too.
    const text = (await help(command)).split(/\nExamples?:\n/)[0]!;
    const page = section(command);
    const documented = options(page);
    expect([...options(text)].filter((o) => !documented.has(o)), `options of '${command} --help' missing from docs/cli.md`).toEqual([]);
    const helped = options(text);
    expect([...tabled(page)].filter((o) => !helped.has(o)), `options in docs/cli.md that '${command} --help' does not name`).toEqual([]);
  });

  it('lists every command the usage lists', async () => {
    const usage = await help('--help');
    const listed = [...usage.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]);
    expect(listed).toEqual(['lint', 'inspect', 'import', 'verify', 'probe', 'rules', 'requirements', 'check']);
    expect(new Set(listed)).toEqual(new Set(COMMANDS));
  });
});
