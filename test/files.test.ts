import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { Confinement, createFolders, readInputFile, rootOf, writeAtomically } from '../src/files.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'sfb-files-'));

describe('rootOf: where a snapshot\'s files must stay', () => {
  it('is --root when given, else the nearest folder with .git (a folder, or a worktree\'s file), else the file\'s folder', () => {
    const repo = fresh();
    mkdirSync(join(repo, 'a', 'b'), { recursive: true });
    expect(rootOf(join(repo, 'a', 'b', 'snapshot.yaml'))).toEqual({ path: join(repo, 'a', 'b'), kind: 'folder' });
    writeFileSync(join(repo, '.git'), 'gitdir: /elsewhere/.git/worktrees/x\n');
    expect(rootOf(join(repo, 'a', 'b', 'snapshot.yaml'))).toEqual({ path: repo, kind: 'repository' });
    expect(rootOf(join(repo, 'a', 'b', 'snapshot.yaml'), join(repo, 'a'))).toEqual({ path: join(repo, 'a'), kind: 'option' });
  });
});

describe('Confinement', () => {
  it('holds inside the root, links resolved, whether the root is reached through a link or not', () => {
    const real = fresh();
    mkdirSync(join(real, 'certs'));
    writeFileSync(join(real, 'certs', 'a.pem'), '');
    const alias = join(fresh(), 'alias');
    symlinkSync(real, alias);
    const confinement = new Confinement(alias, 'option');
    expect(confinement.contains(join(alias, 'certs', 'a.pem'))).toBe(true);
    expect(confinement.contains(join(real, 'certs', 'a.pem'))).toBe(true);
    expect(confinement.contains(join(alias, 'certs', 'not-yet.pem'))).toBe(true);
    expect(confinement.contains(join(alias, '..'))).toBe(false);
    expect(confinement.contains('/etc/passwd')).toBe(false);
    // A name that merely starts with the root's is not inside it.
    expect(confinement.contains(`${real}-other/a.pem`)).toBe(false);
  });

  it('follows a chain of links, and stops at a loop', () => {
    const root = fresh();
    symlinkSync(join(root, 'b'), join(root, 'a'));
    symlinkSync('/etc/hostname', join(root, 'b'));
    symlinkSync(join(root, 'loop2'), join(root, 'loop1'));
    symlinkSync(join(root, 'loop1'), join(root, 'loop2'));
    const confinement = new Confinement(root, 'repository', '.');
    expect(confinement.contains(join(root, 'a'))).toBe(false);
    expect(confinement.contains(join(root, 'loop1'))).toBe(true);
    expect(() => confinement.check(join(root, 'a'), 'a')).toThrow('a leads through a symbolic link to /etc/hostname, outside the repository (.): refused, not opened');
  });

  it('lets everything through with --allow-outside-root', () => {
    expect(Confinement.none().contains('/etc/passwd')).toBe(true);
  });
});

describe('readInputFile refuses what is no file', () => {
  it('a FIFO, without blocking on it', () => {
    const fifo = join(fresh(), 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect(() => readInputFile(fifo, 1000, 'snapshot')).toThrow('is a named pipe (FIFO), not a snapshot: refused, not opened');
  });
});

describe('writeAtomically', () => {
  it('creates missing folders, as ESLint\'s --output-file does', () => {
    const path = join(fresh(), 'reports', 'ci', 'sfb-certlint.sarif');
    writeAtomically(path, '{}\n', 'report');
    expect(readFileSync(path, 'utf8')).toBe('{}\n');
  });

  it('refuses a folder as the file, saying so', () => {
    const folder = fresh();
    let error: unknown;
    try {
      writeAtomically(folder, '{}\n', 'report');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).describe()).toBe(`${folder}: is a folder: give the report a file name in it, e.g. ${join(folder, 'sfb-certlint.json')}`);
  });
});

describe('createFolders', () => {
  const failure = (folder: string) => {
    try {
      createFolders(folder, "the report's folder");
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return e as InputError;
    }
    throw new Error(`createFolders(${folder}) did not fail`);
  };

  it('creates every missing level, and accepts a folder that is there', () => {
    const top = fresh();
    createFolders(join(top, 'a', 'b', 'c'), 'the folder');
    expect(statSync(join(top, 'a', 'b', 'c')).isDirectory()).toBe(true);
    expect(() => createFolders(join(top, 'a', 'b'), 'the folder')).not.toThrow();
  });

  // A folder under /proc: test/cli/output-folders.test.ts, in a child process with a timeout, as a regression spins for ever.
  it('names a file on the way, or a file where the folder should be', () => {
    const top = fresh();
    writeFileSync(join(top, 'f'), '');
    expect(failure(join(top, 'f', 'x', 'y')).describe()).toBe(`${join(top, 'f', 'x', 'y')}: cannot create the report's folder: ${join(top, 'f')} is a file, not a folder`);
    expect(failure(join(top, 'f')).describe()).toBe(`${join(top, 'f')}: cannot create the report's folder: a file of that name is there`);
    expect(failure(join(top, 'f')).hint).toBe('Give a path in a folder you may write to (on a disk, not under /proc or /sys).');
  });
});
