#!/usr/bin/env node
// The long fuzz run: every reader's fuzz test (test/fuzz/*.fuzz.test.ts) with many cases, then a table
// of what each reader did with them: facts, clear errors, and the failures (crashed, hung, vague; see
// test/fuzz/harness.ts for what each means). Exits 1 when there is any failure.
//
//   npm run fuzz                          12,500 cases per reader (100,000 in all), a random seed
//   npm run fuzz -- --runs 1000 --seed 7  fewer cases; a seed to replay a run
//   npm run fuzz -- --messages            also the most frequent error messages of each reader
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '12500' },
    seed: { type: 'string', default: String(Math.floor(Math.random() * 2 ** 31)) },
    messages: { type: 'boolean', default: false },
  },
});
const root = fileURLToPath(new URL('..', import.meta.url));
const report = mkdtempSync(join(tmpdir(), 'sfb-certlint-fuzz-report-'));

console.log(`Fuzzing every reader: ${values.runs} cases each, seed ${values.seed}`);
const started = Date.now();
// Only the fuzz properties ("fuzzing ..."), not the fixed hostile cases beside them; no vitest timeout, as a
// long run takes minutes (a case that never returns is the harness's watchdog's to catch).
const vitest = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/fuzz', '-t', '^fuzzing', '--testTimeout', '0', '--reporter', 'dot'], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, FUZZ_RUNS: values.runs, FUZZ_SEED: values.seed, FUZZ_REPORT: report },
});
const minutes = ((Date.now() - started) / 60_000).toFixed(1);

const tallies = existsSync(report) ? readdirSync(report).map((name) => JSON.parse(readFileSync(join(report, name), 'utf8'))) : [];
tallies.sort((a, b) => a.reader.localeCompare(b.reader));
rmSync(report, { recursive: true, force: true });

const rows = tallies.map((t) => [
  t.reader,
  t.cases,
  t.facts,
  t.errors,
  t.crashed,
  t.hung,
  t.vague,
  (t.totalMs / Math.max(t.cases, 1)).toFixed(1),
  Math.round(t.slowestMs),
]);
const total = (i) => tallies.reduce((n, t) => n + t[['cases', 'facts', 'errors', 'crashed', 'hung', 'vague'][i - 1]], 0);
rows.push(['**all readers**', total(1), total(2), total(3), total(4), total(5), total(6), '', '']);
const header = ['reader', 'cases', 'facts', 'clear errors', 'crashed', 'hung', 'vague', 'mean ms', 'slowest ms'];
const line = (cells) => `| ${cells.map((c) => (typeof c === 'number' ? c.toLocaleString('en-US') : c)).join(' | ')} |`;
console.log(`\n${line(header)}\n|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|\n${rows.map(line).join('\n')}\n`);
console.log(`seed ${values.seed}, ${minutes} minutes, Node ${process.version}`);

for (const t of tallies) {
  const reasons = Object.entries(t.vagueReasons).map(([reason, n]) => `${reason} ×${n}`);
  if (reasons.length > 0) console.log(`${t.reader}: vague: ${reasons.join(', ')}`);
  for (const f of t.failures) console.log(`${t.reader}: ${f.outcome} (${f.detail}), saved to ${f.saved}`);
  if (values.messages) {
    console.log(`\n${t.reader}, most frequent errors:`);
    for (const [message, n] of Object.entries(t.messages).sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${String(n).padStart(6)}  ${message}`);
  }
}
const failures = total(4) + total(5) + total(6);
if (vitest.status !== 0 && failures === 0) console.log(`vitest exited with ${vitest.status ?? vitest.signal}: a reader did not finish (see above)`);
process.exitCode = failures > 0 || vitest.status !== 0 ? 1 : 0;
