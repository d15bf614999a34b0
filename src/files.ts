import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readlinkSync, readSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError, printable, type InputLocation } from './errors.js';

/**
 * The whole content of an input file (a certificate file, snapshot, topology, inventory listing or
 * configuration). Throws InputError for a folder, a device, a named pipe (FIFO) or socket, a file it
 * cannot read, and one over `maxBytes`: counted while reading too, because a file may grow while read.
 * A device such as /dev/zero never ends, and a FIFO blocks until someone writes to it: a path in a
 * hostile snapshot could hang the run, so neither is opened.
 */
export function readInputFile(path: string, maxBytes: number, what = 'file'): Uint8Array {
  const tooLarge = (size: string) =>
    new InputError(`file too large (${size} bytes; the limit is ${maxBytes})`, { path }, 'Raise the limit with --max-input-size if the file is genuine.');
  let fd: number | undefined;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new InputError(`is a folder, not a ${what}`, { path });
    if (stat.isFIFO()) throw new InputError(`is a named pipe (FIFO), not a ${what}: refused, not opened`, { path });
    if (!stat.isFile()) throw new InputError(`is a device or socket, not a ${what}`, { path });
    if (stat.size > maxBytes) throw tooLarge(String(stat.size));
    fd = openSync(path, 'r');
    const chunks: Uint8Array[] = [];
    let total = 0;
    // A file is read into one buffer of its size plus a byte, and a short read is its end: ten thousand
    // small certificate files must not cost a megabyte chunk each. A file that grew while read
    // continues in chunks.
    for (let size = stat.size + 1; ; size = READ_CHUNK) {
      const chunk = Buffer.allocUnsafe(size);
      const n = readSync(fd, chunk, 0, size, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooLarge(`more than ${maxBytes}`);
      chunks.push(chunk.subarray(0, n));
      if (n < size) break;
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
 * a temporary file beside it (same file system), flushed, then renamed over it. Missing folders are
 * created, as ESLint's --output-file does.
 */
export function writeAtomically(path: string, text: string, what: string): void {
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new InputError(`is a folder: give the ${what} a file name in it, e.g. ${printable(join(path, `sfb-certlint.${what === 'report' ? 'json' : 'yaml'}`))}`, { path });
  }
  createFolders(dirname(path), `the ${what}'s folder`);
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
    throw writeError(e, `cannot write the ${what}`, path);
  }
}

/**
 * Creates `folder` and the folders above it that are missing, one level at a time. Not
 * mkdirSync's `recursive`: under /proc, where mkdir answers ENOENT though the parent exists, Node's
 * recursion retries for ever at full CPU. `what` names the folder in the error (exit 2).
 */
export function createFolders(folder: string, what: string): void {
  const missing: string[] = [];
  for (let dir = resolve(folder); ; dir = dirname(dir)) {
    let stat;
    try {
      stat = statSync(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ENOTDIR: a file on the way, found as the walk goes up.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(dir) === dir) throw writeError(e, `cannot create ${what}`, dir);
      missing.unshift(dir);
      continue;
    }
    if (stat.isDirectory()) break;
    const wanted = resolve(folder);
    throw new InputError(`cannot create ${what}: ${dir === wanted ? 'a file of that name is there' : `${printable(dir)} is a file, not a folder`}`, { path: wanted }, WRITE_HINT);
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (e) {
      // Made meanwhile by another process: as good as made here.
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && statSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue;
      throw writeError(e, `cannot create ${what}`, dir);
    }
  }
}

const WRITE_HINT = 'Give a path in a folder you may write to (on a disk, not under /proc or /sys).';

/** A failed write or mkdir in words, with the system's code for a search: an InputError (exit 2) at `path`. */
export function writeError(e: unknown, doing: string, path: string): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  const words = code === undefined ? undefined : WRITE_PROBLEMS[code];
  const reason = words ? `${words} (${code})` : (code ?? (e as Error).message);
  return new InputError(`${doing}: ${reason}`, { path }, WRITE_HINT);
}

const WRITE_PROBLEMS: Record<string, string> = {
  // Its folder is there (made or found just before): a file system that takes no new entries.
  ENOENT: 'the file system takes no new files or folders here, as /proc and /sys do',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links on the way',
};

/**
 * Text by its byte order mark, as Windows tools write it: UTF-16 with one (Windows PowerShell 5.1's `>`
 * and Out-File), else UTF-8, whose decoder drops a BOM itself. `fatal` refuses bytes that are not text.
 */
export function decodeByBom(bytes: Uint8Array, fatal: boolean): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { fatal }).decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be', { fatal }).decode(bytes.subarray(2));
  return new TextDecoder('utf-8', { fatal }).decode(bytes);
}

/** What a root is, for messages: the folder the user chose, a repository, or a snapshot's own folder. */
export type RootKind = 'option' | 'repository' | 'folder';

/**
 * The folder a file's references must stay inside: `--root DIR` when given; else the repository that
 * holds the file (the nearest folder above it with `.git`, a folder or a worktree's file); else the
 * file's own folder.
 */
export function rootOf(path: string, option?: string): { path: string; kind: RootKind } {
  if (option !== undefined) return { path: resolve(option), kind: 'option' };
  const start = dirname(resolve(path));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return { path: dir, kind: 'repository' };
    if (dirname(dir) === dir) return { path: start, kind: 'folder' };
  }
}

const ROOT_NAMES: Record<RootKind, string> = { option: 'the --root folder', repository: 'the repository', folder: 'its own folder (no repository holds it)' };

/**
 * Confinement of the files a snapshot or configuration names to a root (docs/security.md): a path that
 * leaves it, by `..`, an absolute path or a symbolic link anywhere on the way, is refused before it is
 * opened, so a hostile snapshot cannot make the linter read, or tell the existence of, a file of the
 * machine it runs on. `check` never opens the file; only links are read.
 */
export class Confinement {
  private readonly realRoot: string | undefined;

  /**
   * `label` shows the root in messages (relative to the working folder where possible, so a report
   * reads the same on every machine); `off` is --allow-outside-root.
   */
  constructor(
    readonly root: string,
    readonly kind: RootKind,
    private readonly label: string = root,
    readonly off = false,
  ) {
    this.realRoot = off ? undefined : realPath(resolve(root));
  }

  /** Confinement to the root of `path` (rootOf), labelled as given. */
  static around(path: string, rootOption?: string, label?: (root: string) => string): Confinement {
    const root = rootOf(path, rootOption);
    return new Confinement(root.path, root.kind, label ? label(root.path) : root.path);
  }

  /** Confinement that lets everything through (--allow-outside-root). */
  static none(): Confinement {
    return new Confinement(sep, 'option', sep, true);
  }

  /** Whether `path` resolves, links followed, inside the root. */
  contains(path: string): boolean {
    if (this.off) return true;
    const absolute = resolve(path);
    // Lexically first: `../../etc/passwd` is refused without a look at the file system.
    if (!within(absolute, resolve(this.root)) && !within(absolute, this.realRoot!)) return false;
    return within(realPath(absolute), this.realRoot!);
  }

  /** Throws an InputError (exit 2) naming `shown` and the root when `path` leaves the root. */
  check(path: string, shown: string, where: InputLocation = {}): void {
    if (this.contains(path)) return;
    const absolute = resolve(path);
    const lexicallyInside = within(absolute, resolve(this.root)) || within(absolute, this.realRoot!);
    const how = lexicallyInside ? `leads through a symbolic link to ${printable(realPath(absolute), 300)}, ` : 'is ';
    throw new InputError(
      `${printable(shown, 300)} ${how}outside ${ROOT_NAMES[this.kind]} (${printable(this.label, 300)}): refused, not opened`,
      where,
      'sfb-certlint reads only files inside the root, so that an unreviewed snapshot cannot read other files of the machine: move the file inside, or give --root DIR or --allow-outside-root (docs/security.md).',
    );
  }
}

/** Whether `child` is `parent` or inside it (both absolute). */
function within(child: string, parent: string): boolean {
  const r = relative(parent, child);
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}

/** Symbolic links a path may pass through before it is taken as a loop, as Linux's ELOOP limit. */
const MAX_LINKS = 40;

/**
 * The path with every symbolic link resolved, also when it does not exist (or ends in a dangling
 * link): the real path of its deepest existing ancestor, and the rest as written. A link that does not
 * resolve tells where it points all the same, so a missing file outside the root is refused as one
 * that exists would be: no answer tells whether a file exists outside the root.
 */
function realPath(path: string, links = 0): string {
  try {
    return realpathSync.native(path);
  } catch {
    // Not there, a dangling link, a loop, or not allowed: resolved step by step below.
  }
  const parent = dirname(path);
  if (parent === path) return path;
  const folder = realPath(parent, links);
  const here = join(folder, basename(path));
  try {
    if (links < MAX_LINKS && lstatSync(here).isSymbolicLink()) return realPath(resolve(folder, readlinkSync(here)), links + 1);
  } catch {
    // Not there: the rest of the path is as written.
  }
  return here;
}
