/**
 * One cause, one rule: a fault that several rules could each see (an expired certificate also fails its
 * path; a store not collected leaves every store-reading rule blind) is reported by exactly one rule of
 * the built-in set, so a finding count means faults, and a fix clears exactly its finding.
 */
import { describe, expect, it } from 'vitest';
import { lintDeployment } from '../../src/engine/run.js';
import type { Deployment } from '../../src/snapshot/model.js';
import { createChainValidation } from '../../src/engine/validation.js';
import { BUILT_IN_RULES } from '../../src/rules/index.js';
import { deployment, edgePool, frontEndPool, NOW, type DeploymentSpec, type ServerSpec } from './harness.js';

const lint = (d: Deployment, now = NOW) => {
  const result = lintDeployment(d, { rules: BUILT_IN_RULES, settings: {}, suppressions: [], now, validate: createChainValidation() });
  expect(result.failures).toEqual([]);
  return result.findings.map((f) => `${f.ruleId}/${f.messageId}`);
};

/** A Front End that every rule passes, with its settings changed. */
const frontEnd = (server: Partial<ServerSpec> = {}, extra: Partial<DeploymentSpec> = {}) =>
  deployment({ pools: [frontEndPool({ Default: 'good', OAuthTokenIssuer: 'good' }, 1, { all: server })], ...extra });

/** The Front End beside Edges whose Internal certificate is named for their pool (no internal FQDN given). */
const withEdge = (edge: Partial<ServerSpec>, n = 1, per: Record<number, Partial<ServerSpec>> = {}) => {
  const pool = edgePool({ Internal: 'no-san' }, n, { all: edge, per });
  return deployment({ pools: [frontEndPool({ Default: 'good', OAuthTokenIssuer: 'good' }, 1), { ...pool, edge: { ...pool.edge, internalFqdn: undefined } }] });
};

describe('a single cause is reported by a single rule', () => {
  it('the baselines pass every rule', () => {
    expect(lint(frontEnd())).toEqual([]);
    expect(lint(withEdge({}))).toEqual([]);
  });

  const cases: Array<{ name: string; deployment: Deployment; now?: Date; expected: string[] }> = [
    { name: 'an expired leaf: certificate-expiry only, not trusted-root-present too', deployment: frontEnd({ assignments: { Default: 'expires-2027', OAuthTokenIssuer: 'good' } }), now: new Date('2027-02-01T00:00:00Z'), expected: ['certificate-expiry/expired'] },
    {
      name: 'an expired issuing CA: certificate-expiry only',
      deployment: frontEnd({ assignments: { Default: 'under-expired-ca', OAuthTokenIssuer: 'good' }, intermediate: ['issuing', 'expired-ca'] }),
      expected: ['certificate-expiry/caExpired'],
    },
    {
      name: 'a clock set back: not-yet-valid only, once per certificate',
      deployment: frontEnd(),
      now: new Date('2023-06-01T00:00:00Z'),
      expected: ['not-yet-valid/caNotYetValid', 'not-yet-valid/caNotYetValid', 'not-yet-valid/notYetValid'],
    },
    { name: 'a Trusted Root store not collected: one finding, not two', deployment: frontEnd({ root: null }), expected: ['inventory-present/storesMissing'] },
    { name: 'a Personal store not collected: one finding, not two', deployment: frontEnd({ personal: null }), expected: ['inventory-present/storesMissing'] },
    { name: 'an Intermediate store not collected: no intermediate is called missing', deployment: frontEnd({ intermediate: null }), expected: ['inventory-present/storesMissing'] },
    { name: 'nothing assigned: not also a missing OAuth certificate', deployment: frontEnd({ assignments: {} }), expected: ['inventory-present/noneAssigned'] },
    { name: 'assignments not collected', deployment: frontEnd({ assignments: {}, assignmentsCollected: false }), expected: ['inventory-present/noAssignments'] },
    { name: 'an Edge with nothing assigned: not also missing its pool\'s certificates', deployment: withEdge({}, 2, { 1: { assignments: {} } }), expected: ['inventory-present/noneAssigned'] },
    { name: 'a 1024-bit key on two usages', deployment: frontEnd({ assignments: { Default: 'rsa-1024', OAuthTokenIssuer: 'rsa-1024' } }), expected: ['key-size/tooShort'] },
    { name: 'a SHA-1 signature', deployment: frontEnd({ assignments: { Default: 'sha1', OAuthTokenIssuer: 'good' } }), expected: ['signature-sha2/weak'] },
    { name: 'a PFX whose key is not the certificate\'s', deployment: frontEnd({ assignments: { Default: 'key-mismatch', OAuthTokenIssuer: 'good' } }), expected: ['private-key-exportable/pfxKeyMismatch'] },
    { name: 'a root missing on the server, for two certificates of one', deployment: frontEnd({ root: [] }), expected: ['trusted-root-present/rootMissing'] },
    { name: 'a missing intermediate', deployment: frontEnd({ intermediate: [] }), expected: ['trusted-root-present/intermediateMissing'] },
    { name: 'an Edge without the internal root, which its own Internal certificate needs too: one finding', deployment: withEdge({ root: [] }), expected: ['trusted-root-present/rootMissing'] },
    { name: 'no CRL distribution point', deployment: frontEnd({ assignments: { Default: 'no-cdp', OAuthTokenIssuer: 'good' } }), expected: ['crl-distribution-point/missing'] },
    { name: 'no EKU', deployment: frontEnd({ assignments: { Default: 'no-eku', OAuthTokenIssuer: 'good' } }), expected: ['server-auth-eku/absent'] },
    { name: 'an EKU that permits nothing: server-auth-eku only, not also a path refused as malformed', deployment: frontEnd({ assignments: { Default: 'empty-eku', OAuthTokenIssuer: 'good' } }), expected: ['server-auth-eku/empty'] },
    {
      name: 'a wildcard Subject',
      deployment: frontEnd({ assignments: { Default: 'wildcard-subject', OAuthTokenIssuer: 'good' } }, { sipDomains: ['contoso.com'] }),
      expected: ['no-wildcard-subject/wildcard'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(lint(c.deployment, c.now).sort()).toEqual([...c.expected].sort());
    });
  }
});
