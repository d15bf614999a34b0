import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Certificate } from '../../src/certs/x509.js';
import { lintDeployment } from '../../src/engine/run.js';
import { createChainValidation } from '../../src/engine/validation.js';
import { InputError } from '../../src/errors.js';
import { requirementsOf } from '../../src/requirements/derive.js';
import type { CertificateRequirement } from '../../src/requirements/model.js';
import { requestedCommonName } from '../../src/requirements/verdicts.js';
import { CITATIONS } from '../../src/rules/citations.js';
import sanCoverage from '../../src/rules/san-coverage.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import type { Deployment, Usage } from '../../src/snapshot/model.js';
import { model, PASSWORD, ROOT } from './helpers.js';

/** Microsoft's tables, as the tests expect them (../shared/reference/lync-sfb-certificates.md and the pages cited). */
const FRONT_END_USAGES = ['Default', 'WebServicesInternal', 'WebServicesExternal', 'OAuthTokenIssuer'];
const EDGE_USAGES = ['Internal', 'AccessEdgeExternal', 'DataEdgeExternal', 'AudioVideoAuthentication'];
const SCHANNEL = 'Microsoft RSA SChannel Cryptographic Provider';

const contoso = loadSnapshot(join(ROOT, 'examples/contoso'), { env: PASSWORD });
const pool = (d: Deployment, fqdn: string) => d.pools.find((p) => p.fqdn === fqdn)!;
const server = (d: Deployment, fqdn: string) => d.pools.flatMap((p) => p.servers).find((s) => s.fqdn === fqdn)!;
const requirement = (d: Deployment, serverFqdn: string, ...usages: Usage[]): CertificateRequirement => {
  const s = server(d, serverFqdn);
  return requirementsOf(d).forCertificate(pool(d, s.pool), s, usages)!;
};
const names = (r: CertificateRequirement, necessity: 'required' | 'recommended') => r.names.filter((n) => n.necessity === necessity).map((n) => n.name);
const named = (r: CertificateRequirement, name: string) => r.names.find((n) => n.name === name)!;

const litware = model({
  sipDomains: ['litwareinc.com', 'litware.net'],
  meet: ['https://meet.litwareinc.com', 'https://meet.litware.net'],
  dialin: ['https://dialin.litwareinc.com'],
  admin: ['https://admin.litwareinc.com'],
  dnsNames: ['sipinternal.litwareinc.com', 'sipexternal.litware.net', 'sipinternal.example.org'],
  pools: [
    { fqdn: 'fepool.litwareinc.com', role: 'FrontEnd', servers: ['fe1.litwareinc.com', 'fe2.litwareinc.com'], webServices: { internalFqdn: 'webint.litwareinc.com', externalFqdn: 'webext.litwareinc.com' } },
    { fqdn: 'se1.litwareinc.com', role: 'StandardEdition', servers: ['se1.litwareinc.com'], webServices: { externalFqdn: 'webext-se.litwareinc.com' } },
    { fqdn: 'dirpool.litwareinc.com', role: 'Director', servers: ['dir1.litwareinc.com'], webServices: { externalFqdn: 'dirweb.litwareinc.com' } },
    { fqdn: 'med.litwareinc.com', role: 'Mediation', servers: ['med1.litwareinc.com'] },
    {
      fqdn: 'edgepool.litwareinc.com',
      role: 'Edge',
      servers: ['edge1.litwareinc.com', 'edge2.litwareinc.com'],
      edge: { accessEdgeFqdn: 'sip.litwareinc.com', webConferencingEdgeFqdn: 'webconf.litwareinc.com', avEdgeFqdn: 'av.litwareinc.com', xmppFederation: true },
    },
    { fqdn: 'edge.single.litwareinc.com', role: 'Edge', servers: ['edge9.litwareinc.com'], edge: { internalFqdn: 'edge-int.litwareinc.com', xmppFederation: false } },
  ],
});

describe('the usages each role needs (issue 18: required-usages-assigned)', () => {
  const needs = (d: Deployment, fqdn: string) => requirementsOf(d).usagesNeeded(pool(d, fqdn));

  it('Front End, Standard Edition and Director: Default, both web services and the global OAuthTokenIssuer', () => {
    for (const fqdn of ['fepool.litwareinc.com', 'se1.litwareinc.com', 'dirpool.litwareinc.com']) expect(needs(litware, fqdn).map((n) => n.usage)).toEqual(FRONT_END_USAGES);
    expect(needs(litware, 'dirpool.litwareinc.com').find((n) => n.usage === 'OAuthTokenIssuer')!.citation).toEqual(CITATIONS.serverToServer);
  });

  it('stand-alone Mediation: Default', () => {
    expect(needs(litware, 'med.litwareinc.com').map((n) => n.usage)).toEqual(['Default']);
  });

  it('Edge: Internal, AccessEdgeExternal and DataEdgeExternal (External serves for both), AudioVideoAuthentication; XmppServer where XMPP federation is on', () => {
    const edge = needs(litware, 'edgepool.litwareinc.com');
    expect(edge.map((n) => n.usage)).toEqual([...EDGE_USAGES, 'XmppServer']);
    expect(edge.find((n) => n.usage === 'XmppServer')!.necessity).toBe('required');
    expect(edge.find((n) => n.usage === 'AccessEdgeExternal')!.alternatives).toEqual(['External']);
    expect(needs(litware, 'edge.single.litwareinc.com').map((n) => n.usage)).toEqual(EDGE_USAGES);
    // The example's Edge says nothing of XMPP: conditional, not demanded.
    expect(needs(contoso, 'edgepool.contoso.com').find((n) => n.usage === 'XmppServer')).toMatchObject({ necessity: 'conditional' });
  });
});

describe('Front End and Director certificates ("Certificate requirements for internal servers")', () => {
  it('Default: Subject the pool FQDN; SAN the pool and this server, sip.<domain> recommended (automatic sign-in with strict DNS)', () => {
    const r = requirement(contoso, 'fe01.contoso.com', 'Default');
    expect(r.subject).toMatchObject([{ kind: 'fqdn', name: 'pool01.contoso.com', necessity: 'required' }]);
    expect(names(r, 'required')).toEqual(['pool01.contoso.com', 'fe01.contoso.com']);
    expect(names(r, 'recommended')).toEqual(['sip.contoso.com', 'sip.fabrikam.com']);
    expect(named(r, 'sip.fabrikam.com').condition).toMatch(/strict DNS/);
    expect(named(r, 'pool01.contoso.com')).toMatchObject({ wildcard: false, citation: CITATIONS.internalServers });
    expect(r.sharing).toMatchObject({ scope: 'server', holders: ['fe01.contoso.com'] });
    expect(r.exportable.exportable).toBe(false);
  });

  it('Standard Edition: Subject and SAN the server FQDN, named once', () => {
    const r = requirement(litware, 'se1.litwareinc.com', 'Default');
    expect(r.subject).toMatchObject([{ kind: 'fqdn', name: 'se1.litwareinc.com' }]);
    // sipinternal.litwareinc.com too: the snapshot does not say which pool the record points at.
    expect(names(r, 'required')).toEqual(['se1.litwareinc.com', 'sipinternal.litwareinc.com']);
  });

  it('WebServicesInternal: the internal web FQDN, pool and server, meet and dial-in (a wildcard serves), admin on a Front End only; lyncdiscoverinternal recommended', () => {
    const fe = requirement(litware, 'fe1.litwareinc.com', 'WebServicesInternal');
    expect(names(fe, 'required')).toEqual(['webint.litwareinc.com', 'fepool.litwareinc.com', 'fe1.litwareinc.com', 'meet.litwareinc.com', 'meet.litware.net', 'dialin.litwareinc.com', 'admin.litwareinc.com']);
    expect(names(fe, 'recommended')).toEqual(['lyncdiscoverinternal.litwareinc.com', 'lyncdiscoverinternal.litware.net']);
    // "Wildcard certificate support": simple URLs (meet, dial-in) and lyncdiscover(internal) only.
    expect(fe.names.filter((n) => n.wildcard).map((n) => n.name)).toEqual(['meet.litwareinc.com', 'meet.litware.net', 'dialin.litwareinc.com', 'lyncdiscoverinternal.litwareinc.com', 'lyncdiscoverinternal.litware.net']);
    const director = requirement(litware, 'dir1.litwareinc.com', 'WebServicesInternal');
    expect(names(director, 'required')).not.toContain('admin.litwareinc.com');
    // No internal FQDN given: the pool's.
    expect(names(requirement(litware, 'dir1.litwareinc.com', 'WebServicesInternal'), 'required')[0]).toBe('dirpool.litwareinc.com');
  });

  it('WebServicesExternal: the external web FQDN, meet and dial-in; lyncdiscover recommended', () => {
    const r = requirement(litware, 'fe1.litwareinc.com', 'WebServicesExternal');
    expect(names(r, 'required')).toEqual(['webext.litwareinc.com', 'meet.litwareinc.com', 'meet.litware.net', 'dialin.litwareinc.com']);
    expect(names(r, 'recommended')).toEqual(['lyncdiscover.litwareinc.com', 'lyncdiscover.litware.net']);
  });

  it('sipinternal.<domain> on the Default certificate when the deployment publishes it, for SIP domains only', () => {
    const r = requirement(litware, 'fe1.litwareinc.com', 'Default');
    expect(named(r, 'sipinternal.litwareinc.com')).toMatchObject({ necessity: 'required', citation: CITATIONS.environment });
    expect(r.names.map((n) => n.name)).not.toContain('sipinternal.example.org');
    expect(r.names.map((n) => n.name)).not.toContain('sipexternal.litware.net');
  });

  it('Mediation: Default, Subject the pool FQDN, SAN the pool and the server', () => {
    const r = requirement(litware, 'med1.litwareinc.com', 'Default');
    expect(r.subject).toMatchObject([{ name: 'med.litwareinc.com' }]);
    expect(names(r, 'required')).toEqual(['med.litwareinc.com', 'med1.litwareinc.com']);
    expect(names(r, 'recommended')).toEqual([]);
  });

  it('one certificate for Default and both web usages: every name once, required where any usage requires it', () => {
    const r = requirement(contoso, 'fe01.contoso.com', 'Default', 'WebServicesInternal', 'WebServicesExternal');
    expect(r.usages).toEqual(['Default', 'WebServicesInternal', 'WebServicesExternal']);
    expect(new Set(r.names.map((n) => n.name)).size).toBe(r.names.length);
    expect(named(r, 'pool01.contoso.com').usages).toEqual(['Default', 'WebServicesInternal']);
    expect(r.subject).toMatchObject([{ kind: 'fqdn', name: 'pool01.contoso.com', necessity: 'required' }]);
    // Memoised: a rule asking per server gets the same object.
    expect(requirement(contoso, 'fe01.contoso.com', 'Default', 'WebServicesInternal', 'WebServicesExternal')).toBe(r);
  });
});

describe('OAuthTokenIssuer ("Assigning a server-to-server authentication certificate", JJ205253)', () => {
  const r = requirement(contoso, 'fe02.contoso.com', 'OAuthTokenIssuer');

  it('is global: one certificate on every Front End, Standard Edition and Director, none on Edge or Mediation', () => {
    expect(r.sharing).toMatchObject({ scope: 'global', holders: ['fe01.contoso.com', 'fe02.contoso.com', 'fe03.contoso.com', 'dir01.contoso.com'] });
    expect(requirementsOf(contoso).forUsage(pool(contoso, 'edgepool.contoso.com'), server(contoso, 'edge01.contoso.com'), 'OAuthTokenIssuer')).toBeUndefined();
    expect(requirementsOf(contoso).forUsage(pool(contoso, 'med.contoso.com'), server(contoso, 'med01.contoso.com'), 'OAuthTokenIssuer')).toBeUndefined();
  });

  it('names a SIP domain in its Subject; a key of 2048 bits whatever the general floor; exportable; a roll 24 hours ahead', () => {
    expect(r.subject).toMatchObject([{ kind: 'sipDomain', domains: ['contoso.com', 'fabrikam.com'], necessity: 'required' }]);
    expect(r.key).toMatchObject({ minRsaBits: 2048, fixed: true, citation: CITATIONS.serverToServer });
    expect(r.exportable).toMatchObject({ exportable: true, necessity: 'required' });
    expect(r.roll?.leadHours).toBe(24);
    expect(r.names).toEqual([]);
  });
});

describe('Edge certificates ("Plan for Edge Server certificates", Gg412750)', () => {
  it("Internal: named for the pool's internal FQDN, else the pool FQDN, never each server's own", () => {
    expect(names(requirement(contoso, 'edge02.contoso.com', 'Internal'), 'required')).toEqual(['edgepool-int.contoso.com']);
    const pooled = requirement(litware, 'edge2.litwareinc.com', 'Internal');
    expect(names(pooled, 'required')).toEqual(['edgepool.litwareinc.com']);
    expect(pooled.subject).toMatchObject([{ name: 'edgepool.litwareinc.com', necessity: 'required', citation: CITATIONS.edgeInternal }]);
    expect(pooled.sharing).toMatchObject({ scope: 'pool', holders: ['edge1.litwareinc.com', 'edge2.litwareinc.com'] });
  });

  it('external: the Access Edge FQDN as Subject and SAN, and sip.<domain> for every SIP domain, required; a public CA', () => {
    const r = requirement(contoso, 'edge01.contoso.com', 'AccessEdgeExternal', 'DataEdgeExternal');
    expect(names(r, 'required')).toEqual(['sip.contoso.com', 'sip.fabrikam.com', 'webconf.contoso.com']);
    expect(named(r, 'sip.fabrikam.com').citation).toEqual(CITATIONS.planEdge);
    expect(r.subject).toMatchObject([{ kind: 'fqdn', name: 'sip.contoso.com', necessity: 'required' }]);
    expect(r.issuer).toMatchObject({ kind: 'public', necessity: 'required', citation: CITATIONS.externalAccess });
    expect(r.trust.outside).toMatch(/federation partners/);
  });

  it('with XMPP federation: xmpp.<domain> for every SIP domain (or *.<domain>); sipexternal.<domain> when published', () => {
    const r = requirement(litware, 'edge1.litwareinc.com', 'AccessEdgeExternal');
    expect(named(r, 'xmpp.litware.net')).toMatchObject({ necessity: 'required', wildcard: true, citation: CITATIONS.edgeEnvironment });
    expect(named(r, 'sipexternal.litware.net').necessity).toBe('required');
    expect(names(requirement(litware, 'edge1.litwareinc.com', 'XmppServer'), 'required')).toEqual(['xmpp.litwareinc.com', 'xmpp.litware.net']);
    expect(names(requirement(contoso, 'edge01.contoso.com', 'AccessEdgeExternal'), 'required')).not.toContain('xmpp.contoso.com');
  });

  it('exportable keys: in a pool of several Edges all of them, the A/V one even on a single Edge', () => {
    expect(requirement(litware, 'edge1.litwareinc.com', 'Internal').exportable).toMatchObject({ exportable: true, necessity: 'required' });
    expect(requirement(litware, 'edge9.litwareinc.com', 'Internal').exportable).toMatchObject({ exportable: true, necessity: 'recommended' });
    const av = requirement(litware, 'edge9.litwareinc.com', 'AudioVideoAuthentication');
    expect(av.exportable).toMatchObject({ exportable: true, necessity: 'required' });
    expect(av.subject).toEqual([]);
    expect(av.names).toEqual([]);
    expect(av.roll?.leadHours).toBe(8);
  });

  it('says what the snapshot lacks rather than guessing a name', () => {
    const r = requirement(litware, 'edge9.litwareinc.com', 'AccessEdgeExternal', 'DataEdgeExternal');
    expect(r.gaps).toEqual([
      'the snapshot gives no edge.accessEdgeFqdn for edge.single.litwareinc.com, so the Access Edge external FQDN cannot be named: add it to the pool',
      'the snapshot gives no edge.webConferencingEdgeFqdn for edge.single.litwareinc.com, so the Web Conferencing Edge external FQDN cannot be named: add it to the pool',
    ]);
  });
});

describe('every certificate', () => {
  it('Server Authentication, an RSA key of 2048 bits (recommended floor), the SChannel CSP, not CNG; trusted by every server', () => {
    for (const [fqdn, usage] of [['fe01.contoso.com', 'Default'], ['edge01.contoso.com', 'Internal'], ['med01.contoso.com', 'Default']] as const) {
      const r = requirement(contoso, fqdn, usage);
      expect(r.eku.required).toEqual([{ oid: '1.3.6.1.5.5.7.3.1', name: 'Server Authentication' }]);
      expect(r.key).toMatchObject({ minRsaBits: 2048, fixed: false, requestBits: 2048 });
      expect(r.provider).toMatchObject({ kind: 'CSP', name: SCHANNEL, type: 12 });
      expect(r.trust.servers).toHaveLength(7);
    }
  });
});

describe('the certificates to request (plan)', () => {
  const plan = (d: Deployment, poolFqdn: string, serverFqdn?: string, usages?: Usage[]) =>
    requirementsOf(d).plan(pool(d, poolFqdn), serverFqdn ? server(d, serverFqdn) : undefined, usages).map((p) => `${p.holder}.${p.label}: ${p.requirement.usages.join(',')}`);

  it('a Front End pool: each member its own Default and web services certificate, and the global OAuth one once', () => {
    expect(plan(contoso, 'pool01.contoso.com')).toEqual([
      'fe01.contoso.com.default-web: Default,WebServicesInternal,WebServicesExternal',
      'fe02.contoso.com.default-web: Default,WebServicesInternal,WebServicesExternal',
      'fe03.contoso.com.default-web: Default,WebServicesInternal,WebServicesExternal',
      'global.oauth: OAuthTokenIssuer',
    ]);
    expect(plan(contoso, 'pool01.contoso.com', 'fe02.contoso.com', ['Default'])).toEqual(['fe02.contoso.com.default-web: Default']);
  });

  it('an Edge pool: one internal and one external certificate for the pool; XmppServer only where XMPP is known to be on', () => {
    expect(plan(contoso, 'edgepool.contoso.com')).toEqual(['edgepool.contoso.com.edge-internal: Internal', 'edgepool.contoso.com.edge-external: AccessEdgeExternal,DataEdgeExternal,AudioVideoAuthentication']);
    expect(plan(litware, 'edgepool.litwareinc.com')[1]).toBe('edgepool.litwareinc.com.edge-external: AccessEdgeExternal,DataEdgeExternal,AudioVideoAuthentication,XmppServer');
  });

  it('refuses a usage the role does not have', () => {
    expect(() => plan(contoso, 'edgepool.contoso.com', undefined, ['Default'])).toThrow(InputError);
    expect(() => plan(contoso, 'med.contoso.com', undefined, ['OAuthTokenIssuer'])).toThrow(/OAuthTokenIssuer is not a usage of a Mediation pool \(med\.contoso\.com uses Default\)/);
  });
});

describe('a certificate made as `requirements` describes it passes san-coverage', () => {
  // Each assigned certificate replaced by one presenting exactly the model's names for its usages, and
  // the Common Name requirements would request: san-coverage must find nothing, required or recommended.
  it('on the example deployment', () => {
    const index = new Map<string, Certificate>();
    const sample = contoso.certificates.all().find((c) => !c.facts.basicConstraints?.ca)!;
    const pools = contoso.pools.map((p) => ({
      ...p,
      servers: p.servers.map((s) => {
        const byThumbprint = new Map<string, Usage[]>();
        for (const a of s.assignments) byThumbprint.set(a.thumbprint, [...(byThumbprint.get(a.thumbprint) ?? []), a.usage]);
        const replaced = new Map<string, string>();
        for (const [thumbprint, usages] of byThumbprint) {
          const r = requirementsOf(contoso).forCertificate(p, s, usages)!;
          const fake = `${s.fqdn}:${thumbprint}`;
          const cn = requestedCommonName(r.subject) ?? 'unnamed';
          index.set(fake, {
            ...sample,
            subjectName: { ...sample.subjectName, rdns: [[{ oid: '2.5.4.3', tag: 0x0c, value: cn }]] },
            facts: { ...sample.facts, thumbprint: fake, subject: `CN=${cn}`, subjectCommonName: cn, subjectAltNames: { dns: r.names.map((n) => n.name), ip: [], uri: [], email: [] } },
          } as Certificate);
          replaced.set(thumbprint, fake);
        }
        return { ...s, assignments: s.assignments.map((a) => ({ ...a, thumbprint: replaced.get(a.thumbprint)! })) };
      }),
    }));
    const d: Deployment = { ...contoso, pools, certificates: { get: (t) => index.get(t), companions: () => [], all: () => [...index.values()] } };
    const result = lintDeployment(d, { rules: [sanCoverage], settings: {}, suppressions: [], now: new Date('2026-06-01T00:00:00Z'), validate: createChainValidation() });
    expect(result.failures).toEqual([]);
    expect(result.findings).toEqual([]);
  });
});
