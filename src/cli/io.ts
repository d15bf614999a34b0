import type { Writable } from 'node:stream';

/** What a command needs of its process: passed in, so tests run commands in-process. */
export interface CliIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): CliIo {
  // A reader that stops early (`sfb-certlint rules | head`) closes the pipe: the rest is not wanted,
  // which is no error of the run. Without a listener, Node would throw EPIPE with a stack trace.
  for (const stream of [process.stdout, process.stderr]) if (stream.listenerCount('error') === 0) stream.on('error', ignoreClosedPipe);
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

function ignoreClosedPipe(e: NodeJS.ErrnoException): void {
  if (e.code !== 'EPIPE') throw e;
}

export { EXIT } from '../exit.js';

/**
 * Writes a (possibly large) string and resolves when the stream has taken it, so the process can
 * end by returning an exit code instead of calling process.exit() on a half-flushed pipe.
 */
export function write(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (err) => (err && (err as NodeJS.ErrnoException).code !== 'EPIPE' ? reject(err) : resolve()));
  });
}
