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
import { certs, deployment, edgePool, frontEndPool, NOW, type DeploymentSpec, type ServerSpec } from './harness.js';

// The test root stands for a public one, so the Edge's external certificate passes external-certificate-public-ca.
const lint = (d: Deployment, now = NOW) => {
  const result = lintDeployment(d, { rules: BUILT_IN_RULES, settings: {}, suppressions: [], now, validate: createChainValidation(), publicRoots: () => [certs.root!] });
  expect(result.failures).toEqual([]);
  return result.findings.map((f) => `${f.ruleId}/${f.messageId}`);
};

/** The four usages a Front End needs (Gg398995), on one certificate with every name they ask for. */
const FE = { Default: 'front-end', WebServicesInternal: 'front-end', WebServicesExternal: 'front-end', OAuthTokenIssuer: 'front-end' } as const;
/** The usages an Edge needs: its Internal certificate named for the pool (no internal FQDN given), the external one for the rest. */
const EDGE = { Internal: 'no-san', AccessEdgeExternal: 'edge-3des', DataEdgeExternal: 'edge-3des', AudioVideoAuthentication: 'edge-3des' } as const;

/** A Front End that every rule passes, with its settings changed. */
const frontEnd = (server: Partial<ServerSpec> = {}, extra: Partial<DeploymentSpec> = {}) => deployment({ pools: [frontEndPool(FE, 1, { all: server })], ...extra });

/** The Front End beside Edges. */
const withEdge = (edge: Partial<ServerSpec>, n = 1, per: Record<number, Partial<ServerSpec>> = {}) => {
  const pool = edgePool(EDGE, n, { all: edge, per });
  return deployment({ pools: [frontEndPool(FE, 1), { ...pool, edge: { ...pool.edge, internalFqdn: undefined } }] });
};

describe('a single cause is reported by a single rule', () => {
  it('the baselines pass every rule', () => {
    expect(lint(frontEnd())).toEqual([]);
    expect(lint(withEdge({}))).toEqual([]);
  });

  const cases: Array<{ name: string; deployment: Deployment; now?: Date; expected: string[] }> = [
    { name: 'an expired leaf: certificate-expiry only, not trusted-root-present too', deployment: frontEnd({ assignments: { ...FE, Default: 'expires-2027' } }), now: new Date('2027-02-01T00:00:00Z'), expected: ['certificate-expiry/expired'] },
    {
      name: 'an expired issuing CA: certificate-expiry only',
      deployment: frontEnd({ assignments: { ...FE, Default: 'under-expired-ca' }, intermediate: ['issuing', 'expired-ca'] }),
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
    { name: 'a 1024-bit key on two usages', deployment: frontEnd({ assignments: { ...FE, Default: 'rsa-1024', OAuthTokenIssuer: 'rsa-1024' } }), expected: ['key-size/tooShort'] },
    { name: 'a SHA-1 signature', deployment: frontEnd({ assignments: { ...FE, Default: 'sha1' } }), expected: ['signature-sha2/weak'] },
    { name: 'a PFX whose key is not the certificate\'s', deployment: frontEnd({ assignments: { ...FE, Default: 'key-mismatch' } }), expected: ['private-key-exportable/pfxKeyMismatch'] },
    { name: 'a root missing on the server, for two certificates of one', deployment: frontEnd({ root: [] }), expected: ['trusted-root-present/rootMissing'] },
    { name: 'a missing intermediate', deployment: frontEnd({ intermediate: [] }), expected: ['trusted-root-present/intermediateMissing'] },
    { name: 'an Edge without the internal root, which its own Internal certificate needs too: one finding', deployment: withEdge({ root: [] }), expected: ['trusted-root-present/rootMissing'] },
    { name: 'no CRL distribution point', deployment: frontEnd({ assignments: { ...FE, Default: 'no-cdp' } }), expected: ['crl-distribution-point/missing'] },
    { name: 'no EKU', deployment: frontEnd({ assignments: { ...FE, Default: 'no-eku' } }), expected: ['server-auth-eku/absent'] },
    { name: 'an EKU that permits nothing: server-auth-eku only, not also a path refused as malformed', deployment: frontEnd({ assignments: { ...FE, Default: 'empty-eku' } }), expected: ['server-auth-eku/empty'] },
    {
      // On WebServicesExternal, whose names (lyncdiscover.contoso.com here) a wildcard SAN may serve.
      name: 'a wildcard Subject: no-wildcard-subject only, not also a Subject that is not the pool\'s',
      deployment: frontEnd({ assignments: { ...FE, WebServicesExternal: 'wildcard-subject' } }, { sipDomains: ['contoso.com'] }),
      expected: ['no-wildcard-subject/wildcard'],
    },
    {
      name: 'a wildcard Subject on the OAuth certificate: not also a Subject naming no SIP domain',
      deployment: frontEnd({ assignments: { ...FE, OAuthTokenIssuer: 'wildcard-subject' } }, { sipDomains: ['contoso.com'] }),
      expected: ['no-wildcard-subject/wildcard'],
    },
    { name: 'a missing usage: required-usages-assigned only', deployment: frontEnd({ assignments: { ...FE, WebServicesExternal: undefined } }), expected: ['required-usages-assigned/missing'] },
    { name: 'a missing OAuthTokenIssuer certificate: oauth-certificate-present only', deployment: frontEnd({ assignments: { ...FE, OAuthTokenIssuer: undefined } }), expected: ['oauth-certificate-present/missing'] },
    {
      name: 'an Edge lacking the A/V certificate its peer holds: required-usages-assigned only, not also edge-pool-same-certificate',
      deployment: withEdge({}, 2, { 1: { assignments: { ...EDGE, AudioVideoAuthentication: undefined } } }),
      expected: ['required-usages-assigned/missingInPool'],
    },
    {
      name: 'a certificate the reader found malformed: certificate-well-formed, not also a path refused',
      deployment: frontEnd({ assignments: { ...FE, Default: 'under-tbs-mismatch-ca' }, intermediate: ['issuing', 'tbs-mismatch-ca'] }),
      // The CA's inner SHA-1 is signature-sha2's too: the digest is a requirement of its own (allowSha1 may accept it).
      expected: ['certificate-well-formed/caMalformed', 'signature-sha2/caInnerWeak'],
    },
    {
      name: 'an AES-256 .pfx on an Edge of unknown Windows: one finding for both Edges',
      deployment: withEdge({ assignments: { ...EDGE, AudioVideoAuthentication: 'edge-aes' } }, 2),
      expected: ['pfx-import-compatible/osUnknown'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(lint(c.deployment, c.now).sort()).toEqual([...c.expected].sort());
    });
  }
});
