import { resolve } from 'node:path';
import { InputError, printable } from '../errors.js';
import { decodeByBom, readInputFile } from '../files.js';
import { withPasswordSource } from '../snapshot/certificates.js';
import type { CliIo } from './io.js';

export type PasswordOptions = { 'password-env'?: string; 'password-file'?: string };

/** A password file is a line of text: anything larger is not one. */
const MAX_PASSWORD_FILE_BYTES = 64 * 1024;

/**
 * The PFX password from `--password-env VAR` or `--password-file FILE`. A password on the command
 * line would be visible to every user in the process list, so `--password` is deliberately absent.
 */
export function resolvePassword(io: CliIo, options: PasswordOptions): string | undefined {
  const envName = options['password-env'];
  const file = options['password-file'];
  if (envName !== undefined && file !== undefined) throw new InputError('give --password-env or --password-file, not both');
  if (envName !== undefined) {
    const value = io.env[envName];
    if (value === undefined) throw new InputError(`--password-env ${printable(envName, 80)}: the environment variable ${printable(envName, 80)} is not set`);
    return value;
  }
  if (file !== undefined) return readPasswordFile(resolve(io.cwd, file));
  return undefined;
}

/**
 * A password file as people write them: UTF-8, or UTF-16 LE with a byte order mark and CRLF as Windows
 * PowerShell 5.1's Out-File and `>` write it (`Set-Content` writes the ANSI code page, which for an
 * ASCII password is UTF-8 too). One trailing line end is the file's, not the password's, as
 * `openssl -passin file:` reads it; a second one, or spaces, are the password's.
 */
export function readPasswordFile(path: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readInputFile(path, MAX_PASSWORD_FILE_BYTES, 'password file');
  } catch (e) {
    // readInputFile's reasons (not found, a folder, too large) never quote the content.
    throw e instanceof InputError ? new InputError(`cannot read the password file: ${e.message}`, e.where, e.hint) : e;
  }
  return decodeByBom(bytes, false).replace(/\r?\n$/, '');
}

/** Where the password came from, as a failure names it: `the password in PFX_PASSWORD`, `the password in pw.txt`. */
export function passwordSource(options: PasswordOptions): string | undefined {
  if (options['password-env'] !== undefined) return `the password in ${printable(options['password-env'], 80)}`;
  if (options['password-file'] !== undefined) return `the password in ${printable(options['password-file'], 200)}`;
  return undefined;
}

/**
 * A certificate reader's error, naming where the password came from when it did not open the file:
 * `the password in PFX_PASSWORD does not open edge.pfx (MAC check failed: ...)`.
 */
export function explainPasswordError(error: InputError, options: PasswordOptions): InputError {
  return withPasswordSource(error, passwordSource(options));
}
