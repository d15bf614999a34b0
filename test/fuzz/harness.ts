/**
 * The fuzzing harness: runs a reader on generated inputs and sorts each outcome as facts, a clear error,
 * or a failure (crashed, hung, vague), never stopping at the first failure, so that a long run
 * (`npm run fuzz`, scripts/fuzz.mjs) can count them. `npm test` runs a few hundred cases per reader.
 *
 *   FUZZ_RUNS    cases per reader (default: each test's short count)
 *   FUZZ_SEED    fast-check seed (default fixed, so that CI runs the same cases every time)
 *   FUZZ_REPORT  folder to write each reader's tally to, as <reader>.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { expect } from 'vitest';
import { InputError } from '../../src/errors.js';
import { InputErrorList } from '../../src/snapshot/errors.js';

export const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

/** Cases per reader: `short` in `npm test`, FUZZ_RUNS in a long run. */
export const runs = (short: number): number => Number(process.env.FUZZ_RUNS) || short;

/** Where failing cases are saved, to replay them. */
export const FINDINGS = join(tmpdir(), 'sfb-certlint-fuzz');

export type Outcome = 'facts' | 'error' | 'crashed' | 'hung' | 'vague';

export interface Reader<C> {
  /** As the report names it: `PEM`, `snapshot (YAML/JSON)`. */
  name: string;
  cases: fc.Arbitrary<C>;
  /** Reads one case and returns the errors the reader reported; anything it throws is judged by `throws`. */
  read(input: C): InputError[];
  /** Whether the reader reports errors by throwing an InputError (snapshot, topology), rather than returning them. */
  throws: boolean;
  /** The file (or folder) the reader was given: every error must name a file. */
  file(input: C): string;
  /** The case's bytes, saved when it fails. */
  bytes(input: C): Uint8Array;
  /** Most milliseconds one case may take before it counts as hung (default 1,000). */
  boundMs?: number;
}

export interface Tally {
  reader: string;
  cases: number;
  facts: number;
  errors: number;
  crashed: number;
  hung: number;
  vague: number;
  /** Why errors were vague, counted by reason. */
  vagueReasons: Record<string, number>;
  slowestMs: number;
  totalMs: number;
  /** How often each error message came, its numbers and quoted parts blanked (a sample for a person to judge). */
  messages: Record<string, number>;
  /** The first few failures, with the saved case. */
  failures: Array<{ outcome: Outcome; detail: string; saved: string }>;
}

/**
 * A measurable "vague": an error a person cannot act on, or one that is unsafe to print. Engine text is
 * what JavaScript says of a bug (a TypeError's "Cannot read properties of undefined"), not of the input.
 */
const ENGINE_TEXT =
  /Cannot (read|set) propert|is not a function|is not iterable|is not defined|Maximum call stack|Invalid (array|string) length|out of memory|circular structure|\bundefined\b|\bNaN\b|\[object \w+\]/;
const STACK = /^\s+at \S|\bat .*\.[cm]?[jt]s:\d+:\d+/m;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;
const MAX_MESSAGE = 500;

/** Why an error is vague, or undefined when it is clear. */
export function vagueness(error: InputError): string | undefined {
  for (const e of error instanceof InputErrorList ? error.errors : [error]) {
    // The element path is printed too, as the location: `path (element): message`.
    const text = `${e.message}\n${e.hint ?? ''}\n${e.where.element ?? ''}`;
    if (e.message.trim() === '') return 'empty message';
    if (!e.where.path) return 'names no file';
    if (ENGINE_TEXT.test(text)) return `engine text: ${e.message.slice(0, 100)}`;
    if (STACK.test(text)) return 'stack trace';
    if (e.message.length > MAX_MESSAGE || (e.where.element?.length ?? 0) > MAX_MESSAGE) return `over ${MAX_MESSAGE} characters`;
    if ([e.message, e.hint, e.where.element].some((t) => t !== undefined && CONTROL.test(t))) return 'raw control characters';
  }
  return undefined;
}

/** One case's outcome, with the reason for a failure. */
export function judge<C>(reader: Reader<C>, input: C): { outcome: Outcome; detail: string; ms: number; messages: string[] } {
  const started = performance.now();
  let outcome: Outcome;
  let detail = '';
  let errors: InputError[] = [];
  try {
    errors = reader.read(input);
    const vague = errors.map((e) => (e instanceof InputError ? vagueness(e) : 'not an InputError')).find((v) => v !== undefined);
    outcome = vague ? 'vague' : errors.length > 0 ? 'error' : 'facts';
    detail = vague ?? '';
  } catch (e) {
    if (reader.throws && e instanceof InputError && !(e instanceof InputErrorList && e.errors.some((x) => !(x instanceof InputError)))) {
      errors = [e];
      const vague = vagueness(e);
      outcome = vague ? 'vague' : 'error';
      detail = vague ?? '';
    } else {
      outcome = 'crashed';
      detail = e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : String(e);
    }
  }
  const ms = performance.now() - started;
  if (ms > (reader.boundMs ?? 1000) && (outcome === 'facts' || outcome === 'error')) {
    outcome = 'hung';
    detail = `${Math.round(ms)} ms`;
  }
  const messages = errors.flatMap((e) => (e instanceof InputErrorList ? e.errors : [e])).map((e) => String(e.message));
  return { outcome, detail, ms, messages };
}

/** A message with what varies from case to case blanked: numbers, and what is quoted. */
const messageShape = (message: string) => message.replace(/"[^"]*"|'[^']*'|\d+/g, (m) => (/^\d/.test(m) ? 'N' : `${m[0]}…${m[0]}`)).slice(0, 160);

/**
 * Runs `reader` on `count` generated cases and returns the tally (also written to FUZZ_REPORT). A case
 * that never returns is caught by a watchdog thread, which saves it and ends the process.
 */
export function fuzz<C>(reader: Reader<C>, count: number): Tally {
  const tally: Tally = { reader: reader.name, cases: 0, facts: 0, errors: 0, crashed: 0, hung: 0, vague: 0, vagueReasons: {}, slowestMs: 0, totalMs: 0, messages: {}, failures: [] };
  const slug = reader.name.replace(/\W+/g, '-').replace(/^-|-$/g, '').toLowerCase();
  const watchdog = new Watchdog(join(FINDINGS, `${slug}-never-returned.bin`));
  try {
    fc.assert(
      fc.property(reader.cases, (input) => {
        const bytes = reader.bytes(input);
        watchdog.starting(bytes);
        const { outcome, detail, ms, messages } = judge(reader, input);
        watchdog.finished();
        for (const shape of new Set(messages.map(messageShape))) tally.messages[shape] = (tally.messages[shape] ?? 0) + 1;
        tally.cases++;
        tally.totalMs += ms;
        tally.slowestMs = Math.max(tally.slowestMs, ms);
        if (outcome === 'facts') tally.facts++;
        else if (outcome === 'error') tally.errors++;
        else {
          tally[outcome]++;
          const reason = detail.replace(/:.*/, '');
          if (outcome === 'vague') tally.vagueReasons[reason] = (tally.vagueReasons[reason] ?? 0) + 1;
          if (tally.failures.length < 10) {
            mkdirSync(FINDINGS, { recursive: true });
            const saved = join(FINDINGS, `${slug}-${outcome}-${tally.failures.length + 1}.bin`);
            writeFileSync(saved, bytes);
            tally.failures.push({ outcome, detail, saved });
          }
        }
      }),
      { numRuns: count, seed: SEED },
    );
  } finally {
    watchdog.stop();
  }
  if (process.env.FUZZ_REPORT) {
    mkdirSync(process.env.FUZZ_REPORT, { recursive: true });
    writeFileSync(join(process.env.FUZZ_REPORT, `${slug}.json`), JSON.stringify(tally, null, 2));
  }
  return tally;
}

/** The property every reader must have: no crash, no hang, no vague error. */
export function expectRobust(tally: Tally): void {
  const failures = tally.failures.map((f) => `${f.outcome} (${f.detail}): ${f.saved}`).join('\n');
  expect({ crashed: tally.crashed, hung: tally.hung, vague: tally.vague }, `${tally.reader}: ${tally.cases} cases\n${failures}`).toEqual({ crashed: 0, hung: 0, vague: 0 });
}

/** Most bytes of the running case the watchdog keeps. */
const WATCHED_BYTES = 16 * 1024 * 1024;
/** A case still running after this long is taken as never returning. */
const NEVER_RETURNS_MS = Number(process.env.FUZZ_WATCHDOG_MS ?? 120_000);

/**
 * A thread that watches the cases run: the case is copied to shared memory before it starts, and when
 * one runs past NEVER_RETURNS_MS, the thread saves it and kills the process (a synchronous loop cannot
 * be interrupted otherwise, and vitest's timeouts never fire in a blocked worker).
 */
class Watchdog {
  private readonly state = new Int32Array(new SharedArrayBuffer(12));
  private readonly input = new Uint8Array(new SharedArrayBuffer(WATCHED_BYTES));
  private readonly worker: Worker;

  constructor(file: string) {
    this.worker = new Worker(
      `const { workerData: { state, input, file, ms } } = require('node:worker_threads');
       const s = new Int32Array(state);
       for (;;) {
         const seen = Atomics.load(s, 0);
         if (Atomics.wait(s, 0, seen, ms) !== 'timed-out' || Atomics.load(s, 1) === 0) continue;
         require('node:fs').mkdirSync(require('node:path').dirname(file), { recursive: true });
         require('node:fs').writeFileSync(file, new Uint8Array(input, 0, Atomics.load(s, 2)));
         process.stderr.write('fuzz: a case ran for more than ' + ms + ' ms; saved to ' + file + '\\n');
         process.kill(process.pid, 'SIGKILL');
       }`,
      { eval: true, workerData: { state: this.state.buffer, input: this.input.buffer, file, ms: NEVER_RETURNS_MS } },
    );
    this.worker.unref();
  }

  starting(bytes: Uint8Array): void {
    const length = Math.min(bytes.length, WATCHED_BYTES);
    this.input.set(bytes.subarray(0, length));
    Atomics.store(this.state, 2, length);
    Atomics.store(this.state, 1, 1);
    this.beat();
  }

  finished(): void {
    Atomics.store(this.state, 1, 0);
    this.beat();
  }

  stop(): void {
    void this.worker.terminate();
  }

  private beat(): void {
    Atomics.add(this.state, 0, 1);
    Atomics.notify(this.state, 0);
  }
}
