import type { Writable } from 'node:stream';

/** What a command needs of its process: passed in, so tests run commands in-process. */
export interface CliIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });

export { EXIT } from '../exit.js';

/**
 * Writes a (possibly large) string and resolves when the stream has taken it, so the process can
 * end by returning an exit code instead of calling process.exit() on a half-flushed pipe.
 */
export function write(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (err) => (err ? reject(err) : resolve()));
  });
}
