import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './inputs.js';

/** The real command, as a user runs it: test/global-setup.ts builds dist/ before any test file. */
export const BIN = join(ROOT, 'bin/sfb-certlint.js');

export interface Run {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/sfb-certlint.js ARGS` in `cwd` with only PATH and `env` set; runs may overlap. */
export function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: { PATH: process.env.PATH, ...options.env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ args, code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** A stack trace line, as Node prints one. */
export const STACK = /^\s+at \S|\.[cm]?[jt]s:\d+:\d+/m;
