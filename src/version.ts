import { readFileSync } from 'node:fs';
import { packageFile } from './package-files.js';

/** This package's version, from its package.json. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
