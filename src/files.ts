import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from './errors.js';

/**
 * The whole content of an input file (a certificate file, snapshot, topology, inventory listing or
 * configuration). Throws InputError for a folder, a device, a file it cannot read, and one over
 * `maxBytes`: counted while reading too, because a pipe, or a path such as /dev/zero that a snapshot
 * may name, has no size beforehand and would otherwise fill memory.
 */
export function readInputFile(path: string, maxBytes: number, what = 'file'): Uint8Array {
  const tooLarge = (size: string) =>
    new InputError(`file too large (${size} bytes; the limit is ${maxBytes})`, { path }, 'Raise the limit with --max-input-size if the file is genuine.');
  let fd: number | undefined;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new InputError(`is a folder, not a ${what}`, { path });
    if (!stat.isFile() && !stat.isFIFO()) throw new InputError(`is a device or socket, not a ${what}`, { path });
    if (stat.size > maxBytes) throw tooLarge(String(stat.size));
    fd = openSync(path, 'r');
    const chunks: Uint8Array[] = [];
    let total = 0;
    // A regular file is read into one buffer of its size plus a byte, and a short read is its end: ten
    // thousand small certificate files must not cost a megabyte chunk each. A pipe, or a file that grew
    // while read, continues in chunks.
    for (let size = stat.isFile() ? stat.size + 1 : READ_CHUNK; ; size = READ_CHUNK) {
      const chunk = Buffer.allocUnsafe(size);
      const n = readSync(fd, chunk, 0, size, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooLarge(`more than ${maxBytes}`);
      chunks.push(chunk.subarray(0, n));
      if (n < size && stat.isFile()) break;
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } catch (e) {
    throw e instanceof InputError ? e : new InputError(ioMessage(e), { path });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const READ_CHUNK = 1024 * 1024;

function ioMessage(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `cannot read the file (${code ?? String(e)})`;
}

/**
 * Writes `text` to `path` so that a reader sees the old file or the whole new one, never half of it:
 * a temporary file beside it (same file system), flushed, then renamed over it.
 */
export function writeAtomically(path: string, text: string, what: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o644);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw new InputError(`cannot write the ${what}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path });
  }
}

/**
 * Text by its byte order mark, as Windows tools write it: UTF-16 with one (Windows PowerShell 5.1's `>`
 * and Out-File), else UTF-8, whose decoder drops a BOM itself. `fatal` refuses bytes that are not text.
 */
export function decodeByBom(bytes: Uint8Array, fatal: boolean): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { fatal }).decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be', { fatal }).decode(bytes.subarray(2));
  return new TextDecoder('utf-8', { fatal }).decode(bytes);
}
