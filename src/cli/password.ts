import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { CliIo } from './io.js';

/**
 * The PFX password from `--password-env VAR` or `--password-file FILE`. A password on the command
 * line would be visible to every user in the process list, so `--password` is deliberately absent.
 */
export function resolvePassword(io: CliIo, options: { 'password-env'?: string; 'password-file'?: string }): string | undefined {
  const envName = options['password-env'];
  const file = options['password-file'];
  if (envName !== undefined && file !== undefined) throw new InputError('give --password-env or --password-file, not both');
  if (envName !== undefined) {
    const value = io.env[envName];
    if (value === undefined) throw new InputError(`--password-env ${envName}: the environment variable ${envName} is not set`);
    return value;
  }
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, file), 'utf8');
    } catch {
      throw new InputError('cannot read the password file', { path: file });
    }
    // One trailing line end is the file's, not the password's (as `openssl -passin file:` reads it).
    return text.replace(/^\uFEFF/, '').replace(/\r?\n$/, '');
  }
  return undefined;
}
