import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('schema/snapshot.schema.json', () => {
  it('has a description on every property, for editors', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (!node || typeof node !== 'object') return;
      const properties = (node as { properties?: Record<string, { description?: string }> }).properties;
      for (const [name, schema] of Object.entries(properties ?? {})) if (!schema.description) missing.push(`${path}/${name}`);
      for (const [key, value] of Object.entries(node)) walk(value, `${path}/${key}`);
    };
    walk(JSON.parse(readFileSync(`${root}schema/snapshot.schema.json`, 'utf8')), '#');
    expect(missing).toEqual([]);
  });

  it('matches the committed standalone validator', () => {
    // Fails (exit 1) when the schema changed and `node scripts/generate-validators.mjs` was not run.
    expect(() => execFileSync(process.execPath, [`${root}scripts/generate-validators.mjs`, '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
