import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPublicRoots } from '../../src/certs/public-roots.js';
import { findConfig, loadConfig } from '../../src/engine/config.js';
import { lintDeployment } from '../../src/engine/run.js';
import { createChainValidation } from '../../src/engine/validation.js';
import { BUILT_IN_RULES } from '../../src/rules/index.js';
import { loadSnapshot } from '../../src/snapshot/load.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
/** Lints an example as `sfb-certlint lint` would: with the configuration beside it (its public roots). */
const lint = (name: string) => {
  const config = loadConfig(findConfig(`${EXAMPLES}${name}`)!);
  return lintDeployment(loadSnapshot(`${EXAMPLES}${name}`, { env: { CONTOSO_PFX_PASSWORD: 'contoso' } }), {
    rules: BUILT_IN_RULES,
    settings: config.rules,
    suppressions: config.suppressions,
    now: new Date('2026-06-01T00:00:00Z'),
    validate: createChainValidation(),
    publicRoots: () => loadPublicRoots(config.publicRoots),
  });
};

describe('the bundled example deployment', () => {
  it('examples/contoso breaks each of the six mission rules where its snapshot says so, one finding per fault', () => {
    const { findings, failures } = lint('contoso');
    expect(failures).toEqual([]);
    const where = (ruleId: string) => findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.server} ${f.usage}`);
    expect(where('key-size')).toEqual(['med01.contoso.com Default']);
    expect(where('signature-sha2')).toEqual(['dir01.contoso.com Default']);
    // The OAuth certificate without a SIP domain is one certificate on three servers: one finding.
    expect(where('sip-domain-in-subject')).toEqual(['dir01.contoso.com OAuthTokenIssuer']);
    expect(findings.find((f) => f.ruleId === 'sip-domain-in-subject')!.places!.map((p) => p.server)).toEqual(['dir01.contoso.com', 'fe01.contoso.com', 'fe02.contoso.com']);
    expect(where('oauth-same-certificate')).toEqual(['fe03.contoso.com OAuthTokenIssuer']);
    // The certificate most servers use is the one sip-domain-in-subject reports: never advised as it is.
    const oauth = findings.find((f) => f.ruleId === 'oauth-same-certificate')!.message;
    const faulty = findings.find((f) => f.ruleId === 'sip-domain-in-subject')!.thumbprint!;
    expect(oauth).not.toContain('Assign that one');
    expect(oauth).toContain(`${faulty.slice(0, 4)}…${faulty.slice(-3)} (CN=Lync Server OAuth) only if no finding names it`);
    expect(where('trusted-root-present')).toEqual(['edge02.contoso.com Internal']);
    expect(where('private-key-exportable')).toEqual(['edge01.contoso.com AudioVideoAuthentication']);
    expect(findings).toHaveLength(6);
  });

  it('examples/contoso-clean has no finding at all', () => {
    const { findings, failures } = lint('contoso-clean');
    expect(failures).toEqual([]);
    expect(findings.map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
  });

  it('without the configuration\'s public root, the Edge external certificate from the example\'s own CA is reported', () => {
    const deployment = loadSnapshot(`${EXAMPLES}contoso-clean`, { env: { CONTOSO_PFX_PASSWORD: 'contoso' } });
    const { findings } = lintDeployment(deployment, { rules: BUILT_IN_RULES, settings: {}, suppressions: [], now: new Date('2026-06-01T00:00:00Z'), validate: createChainValidation() });
    expect(findings.map((f) => [f.ruleId, f.places?.map((p) => `${p.server} ${p.usages?.join('+')}`)])).toEqual([
      ['external-certificate-public-ca', ['edge01.contoso.com AccessEdgeExternal+DataEdgeExternal', 'edge02.contoso.com AccessEdgeExternal+DataEdgeExternal']],
    ]);
    expect(findings[0]!.message).toContain('(CN=Northwind Trust Root CA), which is not a publicly trusted root');
  });
});
