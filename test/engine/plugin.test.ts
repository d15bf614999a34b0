import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/engine/config.js';
import { Confinement } from '../../src/files.js';
import { lintDeployment } from '../../src/engine/run.js';
import { createChainValidation } from '../../src/engine/validation.js';
import { loadSnapshot } from '../../src/snapshot/load.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const clean = loadSnapshot(`${ROOT}examples/contoso-clean`, { env: { CONTOSO_PFX_PASSWORD: 'contoso' } });
const contosoRoot = clean.certificates.all().find((c) => c.facts.subjectCommonName === 'Contoso Root CA')!.facts.thumbprint;

/** A configuration beside nothing, loading the example plug-in by its path, as a user's would. */
async function lintWithPlugin(allowedRoots: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'sfb-plugin-'));
  const path = join(dir, 'sfb-certlint.config.json');
  writeFileSync(path, JSON.stringify({ plugins: [`${ROOT}examples/plugin/internal-ca-only.mjs`], rules: { 'contoso/internal-ca-only': ['error', { allowedRoots }] } }));
  // The plug-in lives in this repository, the configuration in a temporary folder: confinement off, as --allow-outside-root.
  const config = loadConfig(path, { confinement: Confinement.none() });
  const rules = await config.plugins();
  return lintDeployment(clean, { rules, settings: config.rules, suppressions: [], now: new Date('2026-06-01T00:00:00Z'), validate: createChainValidation() });
}

describe('the example plug-in (examples/plugin/internal-ca-only.mjs)', () => {
  it('passes when every internal certificate chains to the allowed internal root', async () => {
    const { findings, failures } = await lintWithPlugin([contosoRoot]);
    expect(failures).toEqual([]);
    expect(findings).toEqual([]);
  });

  it('reports internal certificates under a root that is not allowed, and leaves the Edge\'s external ones alone', async () => {
    const { findings } = await lintWithPlugin([]);
    expect(findings.length).toBeGreaterThan(0);
    expect(new Set(findings.map((f) => f.ruleId))).toEqual(new Set(['contoso/internal-ca-only']));
    expect(findings.every((f) => f.message.includes('Contoso Root CA'))).toBe(true);
    expect(findings.some((f) => f.usage === 'AccessEdgeExternal')).toBe(false);
  });
});
