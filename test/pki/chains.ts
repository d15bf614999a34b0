/** The generated chains of fixtures/chains (written by fixtures/chains/make.mjs) and their manifest. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCertificateFile } from '../../src/certs/read.js';
import type { Certificate } from '../../src/certs/x509.js';
import type { Profile, Purpose, ValidationOptions } from '../../src/pki/validate.js';

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

/** The certificates of one of a case's files (leaf.pem, trusted.pem, untrusted.pem); none when it is absent. */
export function load(dir: string, file: string): Certificate[] {
  const path = join(CHAINS, dir, file);
  if (!existsSync(path)) return [];
  const result = readCertificateFile(path);
  if (result.errors.length) throw new Error(result.errors.map((e) => e.describe()).join('\n'));
  return result.certificates;
}

/** A case's leaf, and its trusted and untrusted certificates as Web PKI options for example.com at the cases' time. */
export function chain(dir: string): { leaf: Certificate; options: ValidationOptions } {
  return {
    leaf: load(dir, 'leaf.pem')[0]!,
    options: { trusted: load(dir, 'trusted.pem'), untrusted: load(dir, 'untrusted.pem'), time: new Date('2025-06-01T00:00:00Z'), profile: 'webpki', hostname: 'example.com' },
  };
}
