import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { readCertificateFile } from '../../src/certs/read.js';
import { InputError } from '../../src/errors.js';
import { InputErrorList } from '../../src/snapshot/errors.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** The thumbprint of the first certificate in a fixture file (fixtures/certs/). */
export function fixtureThumbprint(name: string): string {
  return readCertificateFile(join(FIXTURES, 'certs', name)).certificates[0]!.facts.thumbprint;
}

/** A fresh folder holding a copy of fixtures/certs/ as certs/, and the given files. */
export function workspace(files: Record<string, string | Uint8Array> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sfb-certlint-'));
  cpSync(join(FIXTURES, 'certs'), join(dir, 'certs'), { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** The 1-based line of the first line of `text` containing `marker`. */
export function lineOf(text: string, marker: string, after = 0): number {
  const lines = text.split('\n');
  const index = lines.findIndex((l, i) => i >= after && l.includes(marker));
  if (index < 0) throw new Error(`marker not found: ${marker}`);
  return index + 1;
}

/** The InputErrors `run` throws: one, or the list of an InputErrorList. */
export function inputErrors(run: () => unknown): InputError[] {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e instanceof InputErrorList ? [...e.errors] : [e as InputError];
  }
  throw new Error('expected an InputError');
}
