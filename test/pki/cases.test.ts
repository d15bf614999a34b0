import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCertificateFile } from '../../src/certs/read.js';
import type { Certificate } from '../../src/certs/x509.js';
import { PathValidator, type Profile, type Purpose } from '../../src/pki/validate.js';

/** fixtures/chains/cases.json, written by fixtures/chains/make.mjs. */
export interface ChainCase {
  id: string;
  limbo: string | null;
  description: string;
  dir: string;
  untrusted: boolean;
  time: string;
  profile: Profile;
  purpose: Purpose;
  hostname?: string;
  maxDepth?: number;
  expected: { valid: true } | { valid: false; code: string };
  openssl: { valid: boolean; error?: string };
}

export const CHAINS = join(import.meta.dirname, '../../fixtures/chains');
export const manifest = JSON.parse(readFileSync(join(CHAINS, 'cases.json'), 'utf8')) as { cases: ChainCase[] };

function load(dir: string, file: string): Certificate[] {
  const path = join(CHAINS, dir, file);
  if (!existsSync(path)) return [];
  const result = readCertificateFile(path);
  expect(result.errors.map((e) => e.message)).toEqual([]);
  return result.certificates;
}

const validator = new PathValidator();

describe('limbo-mirrored and issue 8 chains (fixtures/chains/cases.json)', () => {
  it.each(manifest.cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const result = validator.validate(load(c.dir, 'leaf.pem')[0]!, {
      trusted: load(c.dir, 'trusted.pem'),
      untrusted: load(c.dir, 'untrusted.pem'),
      time: new Date(c.time),
      profile: c.profile,
      purpose: c.purpose,
      ...(c.hostname !== undefined && { hostname: c.hostname }),
      ...(c.maxDepth !== undefined && { maxDepth: c.maxDepth }),
    });
    const outcome = result.valid ? { valid: true } : { valid: false, code: result.failure!.code };
    expect(outcome, result.failure?.message).toEqual(c.expected);
  });
});
