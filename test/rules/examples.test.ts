import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintDeployment } from '../../src/engine/run.js';
import { createChainValidation } from '../../src/engine/validation.js';
import { BUILT_IN_RULES } from '../../src/rules/index.js';
import { loadSnapshot } from '../../src/snapshot/load.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const lint = (name: string) =>
  lintDeployment(loadSnapshot(`${EXAMPLES}${name}`, { env: { CONTOSO_PFX_PASSWORD: 'contoso' } }), {
    rules: BUILT_IN_RULES,
    settings: {},
    suppressions: [],
    now: new Date('2026-06-01T00:00:00Z'),
    validate: createChainValidation(),
  });

describe('the bundled example deployment', () => {
  it('examples/contoso breaks each of the six mission rules where its snapshot says so', () => {
    const { findings, failures } = lint('contoso');
    expect(failures).toEqual([]);
    const where = (ruleId: string) => findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.server} ${f.usage}`);
    expect(where('key-size')).toEqual(['med01.contoso.com Default']);
    expect(where('signature-sha2')).toEqual(['dir01.contoso.com Default']);
    expect(where('sip-domain-in-subject')).toHaveLength(1);
    expect(where('oauth-same-certificate')).toEqual(['fe03.contoso.com OAuthTokenIssuer']);
    expect(where('trusted-root-present')).toEqual(['edge02.contoso.com Internal']);
    expect(where('private-key-exportable')).toEqual(['edge01.contoso.com AudioVideoAuthentication']);
  });

  it('examples/contoso-clean has no finding at all', () => {
    const { findings, failures } = lint('contoso-clean');
    expect(failures).toEqual([]);
    expect(findings.map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
  });
});
