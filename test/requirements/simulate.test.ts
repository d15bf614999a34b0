import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCertificateFile } from '../../src/certs/read.js';
import type { Certificate } from '../../src/certs/x509.js';
import { InputError } from '../../src/errors.js';
import { applyChange, planChange, type Candidate } from '../../src/requirements/simulate.js';
import { findTarget } from '../../src/requirements/targets.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import type { Usage } from '../../src/snapshot/model.js';
import { model, PASSWORD, PREDEPLOY } from './helpers.js';

const twin = loadSnapshot(join(PREDEPLOY, 'contoso'), { env: PASSWORD });
const certificates = (name: string) => readCertificateFile(join(PREDEPLOY, name), { password: 'contoso' }).certificates;
const candidate = (name: string): Candidate => {
  const leaf = certificates(`candidates/${name}`).find((c) => !c.facts.basicConstraints?.ca)!;
  return { certificate: leaf, ...(leaf.facts.privateKey && { hasPrivateKey: leaf.facts.privateKey.present }) };
};
const plan = (target: { pool?: string; server?: string }, usages: Usage[], candidates: Candidate[], chain: Certificate[] = [], effectiveDate?: string) =>
  planChange(twin, findTarget(twin, target), usages, candidates, { chain, files: [], ...(effectiveDate && { effectiveDate }) });
const where = (p: ReturnType<typeof plan>) => p.assignments.map((a) => `${a.server}: ${a.usages.join(',')}`);

describe('planChange: who gets the candidate', () => {
  it("a Front End's certificate: the one server asked, or every member of the pool", () => {
    expect(where(plan({ server: 'fe02.contoso.com' }, ['Default'], [candidate('fe01-default-good.cer')]))).toEqual(['fe02.contoso.com: Default']);
    expect(where(plan({ pool: 'pool01.contoso.com' }, ['Default'], [candidate('fe01-default-good.cer')]))).toEqual(['fe01.contoso.com: Default', 'fe02.contoso.com: Default', 'fe03.contoso.com: Default']);
  });

  it('several certificates for a pool: each server the one that names it', () => {
    const p = plan({ pool: 'pool01.contoso.com' }, ['Default'], ['fe03', 'fe01', 'fe02'].map((n) => candidate(`${n}-default-good.cer`)));
    expect(p.assignments.map((a) => [a.server, certificates(`candidates/${a.server.slice(0, 4)}-default-good.cer`)[0]!.facts.thumbprint === a.thumbprint])).toEqual([
      ['fe01.contoso.com', true],
      ['fe02.contoso.com', true],
      ['fe03.contoso.com', true],
    ]);
    const two = plan({ pool: 'pool01.contoso.com' }, ['Default'], [candidate('fe01-default-good.cer'), candidate('fe02-default-good.cer')]);
    expect(two.notes).toEqual(['no candidate names fe03.contoso.com: its Default certificate is left as it is']);
    // One note for the server, whatever the number of usages.
    const web = plan({ pool: 'pool01.contoso.com' }, ['Default', 'WebServicesInternal', 'WebServicesExternal'], [candidate('fe01-default-good.cer'), candidate('fe02-default-good.cer')]);
    expect(web.notes).toEqual(['no candidate names fe03.contoso.com: its Default, WebServicesInternal, WebServicesExternal certificate is left as it is']);
  });

  it('the OAuthTokenIssuer certificate: every Front End, Standard Edition and Director, whatever the target', () => {
    expect(where(plan({ server: 'fe01.contoso.com' }, ['OAuthTokenIssuer'], [candidate('oauth-good.cer')]))).toEqual([
      'fe01.contoso.com: OAuthTokenIssuer',
      'fe02.contoso.com: OAuthTokenIssuer',
      'fe03.contoso.com: OAuthTokenIssuer',
      'dir01.contoso.com: OAuthTokenIssuer',
    ]);
  });

  it('a staged roll: the current certificate kept until the effective date', () => {
    const p = plan({ pool: 'pool01.contoso.com' }, ['OAuthTokenIssuer'], [candidate('oauth-good.cer')], [], '2030-01-01T00:00:00.000Z');
    const fe03 = p.assignments.find((a) => a.server === 'fe03.contoso.com')!;
    expect(fe03.previousThumbprint).toBe(twin.pools[0]!.servers[2]!.assignments.find((a) => a.usage === 'OAuthTokenIssuer')!.thumbprint);
    expect(fe03.effectiveDate).toBe('2030-01-01T00:00:00.000Z');
  });

  it('refuses what cannot be: a usage the role lacks, a roll of Default, several certificates for a pool-wide usage, one naming no server', () => {
    const cases: Array<[() => unknown, RegExp]> = [
      [() => plan({ pool: 'edgepool.contoso.com' }, ['Default'], [candidate('fe01-default-good.cer')]), /Default is not a usage of an Edge pool \(edgepool\.contoso\.com uses Internal, /],
      [() => plan({ pool: 'pool01.contoso.com' }, ['Default'], [candidate('fe01-default-good.cer')], [], '2030-01-01T00:00:00Z'), /stages a roll of OAuthTokenIssuer or AudioVideoAuthentication only/],
      [() => plan({ pool: 'edgepool.contoso.com' }, ['AccessEdgeExternal'], [candidate('edge-external-good.cer'), candidate('edge-external-bad.cer')]), /one certificate for the whole pool/],
      [() => plan({ pool: 'pool01.contoso.com' }, ['Default'], [candidate('fe01-default-good.cer'), candidate('oauth-good.cer')]), /oauth-good\.cer: names no server of pool01\.contoso\.com/],
    ];
    for (const [run, message] of cases) {
      expect(run).toThrow(InputError);
      expect(run).toThrow(message);
    }
  });
});

describe('applyChange: the deployment as it would be', () => {
  const pfx = candidate('edge-external-good.pfx');
  const chain = certificates('candidates/edge-external-good.pfx').filter((c) => c.facts.basicConstraints?.ca);
  const p = planChange(twin, findTarget(twin, { pool: 'edgepool.contoso.com' }), ['AccessEdgeExternal', 'DataEdgeExternal'], [pfx], { chain, files: ['/x/edge-external-good.pfx'] });
  const changed = applyChange(twin, p);
  const edge = (d: typeof twin, n: number) => d.pools.find((x) => x.role === 'Edge')!.servers[n]!;
  const thumbprint = pfx.certificate.facts.thumbprint;

  it('assigns the candidate where the old certificate was declared, and leaves the original deployment as it was', () => {
    for (const n of [0, 1]) {
      const before = edge(twin, n).assignments.find((a) => a.usage === 'AccessEdgeExternal')!;
      const after = edge(changed, n).assignments.find((a) => a.usage === 'AccessEdgeExternal')!;
      expect(after).toEqual({ usage: 'AccessEdgeExternal', thumbprint, location: before.location });
      expect(before.thumbprint).not.toBe(thumbprint);
      expect(edge(changed, n).assignments.find((a) => a.usage === 'Internal')).toBe(edge(twin, n).assignments.find((a) => a.usage === 'Internal'));
    }
    // Pools without a change are the same objects.
    expect(changed.pools[0]).toBe(twin.pools[0]);
  });

  it('puts it in the Personal store with its key (from the .pfx), its issuing CA in the Intermediate store, its root in neither', () => {
    const server = edge(changed, 1);
    expect(server.stores.personal!.find((e) => e.thumbprint === thumbprint)).toMatchObject({ hasPrivateKey: true });
    const intermediates = server.stores.intermediate!.map((e) => e.thumbprint);
    const issuing = chain.find((c) => !c.facts.selfIssued)!;
    const root = chain.find((c) => c.facts.selfIssued)!;
    expect(intermediates).toContain(issuing.facts.thumbprint);
    expect(intermediates).not.toContain(root.facts.thumbprint);
    expect(edge(twin, 1).stores.intermediate!.map((e) => e.thumbprint)).not.toContain(issuing.facts.thumbprint);
  });

  it("finds the candidate and its chain in the index, the chain as the candidate's companions", () => {
    expect(changed.certificates.get(thumbprint)).toBe(pfx.certificate);
    expect(changed.certificates.companions(thumbprint).map((c) => c.facts.thumbprint).sort()).toEqual(chain.map((c) => c.facts.thumbprint).sort());
    expect(changed.certificates.all().length).toBe(twin.certificates.all().length + 1);
    expect(twin.certificates.get(thumbprint)).toBeUndefined();
    expect(changed.certificateFiles.at(-1)).toBe('/x/edge-external-good.pfx');
  });
});

describe('planChange: one note per cause', () => {
  it('a staged roll where no server has a certificate to roll from: one note naming them all', () => {
    const bare = model({ pools: [{ fqdn: 'pool.contoso.com', role: 'FrontEnd', servers: ['fe1.contoso.com', 'fe2.contoso.com'] }] });
    const p = planChange(bare, findTarget(bare, { pool: 'pool.contoso.com' }), ['OAuthTokenIssuer'], [candidate('oauth-good.cer')], { chain: [], files: [], effectiveDate: '2030-01-01T00:00:00.000Z' });
    expect(p.notes).toEqual(['fe1.contoso.com, fe2.contoso.com have no OAuthTokenIssuer certificate to roll from: the candidate is assigned there at once']);
    expect(p.assignments.map((a) => a.previousThumbprint)).toEqual([undefined, undefined]);
  });
});

describe('applyChange: an EC key', () => {
  const ec = candidate('oauth-ec.cer');
  const ecPlan = plan({ pool: 'pool01.contoso.com' }, ['OAuthTokenIssuer'], [ec]);
  const changed = applyChange(twin, ecPlan);
  const thumbprint = ec.certificate.facts.thumbprint;

  it('is in a CNG provider in every Personal store it goes to (no CryptoAPI CSP holds an EC key), which a note says', () => {
    expect(ec.certificate.facts.publicKey).toMatchObject({ algorithm: 'EC', curve: 'P-256' });
    const entries = changed.pools.flatMap((p) => p.servers).flatMap((s) => s.stores.personal?.filter((e) => e.thumbprint === thumbprint) ?? []);
    expect(entries).toHaveLength(ecPlan.assignments.length);
    for (const entry of entries) expect(entry.keyProvider).toBe('CNG');
    expect(ecPlan.notes).toEqual([
      `The candidate ${thumbprint} has an EC key (P-256), which exists only in a CNG Key Storage Provider (no CryptoAPI CSP holds one), so its Personal store entries are taken as CNG (cng-key-provider): Lync Server 2013 cannot use a CNG key. Request it again with an RSA key in Microsoft RSA SChannel Cryptographic Provider.`,
    ]);
  });

  it('an RSA key keeps its provider unknown: a .cer does not say', () => {
    const rsa = applyChange(twin, plan({ pool: 'pool01.contoso.com' }, ['OAuthTokenIssuer'], [candidate('oauth-good.cer')]));
    const tp = candidate('oauth-good.cer').certificate.facts.thumbprint;
    const entry = rsa.pools[0]!.servers[0]!.stores.personal!.find((e) => e.thumbprint === tp)!;
    expect(entry.keyProvider).toBeUndefined();
  });
});
