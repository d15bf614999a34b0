import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCertificateFile } from '../../src/certs/read.js';
import { readCertificateRequestFile } from '../../src/certs/csr.js';
import { checkRequest } from '../../src/requirements/check-request.js';
import { requirementsOf } from '../../src/requirements/derive.js';
import rule from '../../src/rules/san-coverage.js';
import type { Pool } from '../../src/snapshot/model.js';
import { PREDEPLOY, ROOT } from '../requirements/helpers.js';
import { certs, deployment, edgePool, frontEndPool, runRule, ruleTester, type DeploymentSpec, type PoolSpec, type ServerSpec } from './harness.js';

// The names each row of Microsoft's tables requires, written out here as the pages give them
// (Certificate requirements for internal servers in Lync Server 2013; Plan for Edge Server certificates):
// - Front End / Standard Edition Default: the pool FQDN and the server FQDN (a Standard Edition server is
//   its own pool); sip.<domain> for each SIP domain where automatic sign-in uses strict DNS (recommended).
// - WebServicesInternal: the internal web FQDN, pool and server FQDNs, each meeting, dial-in and admin
//   URL (a Director serves no admin URL); lyncdiscoverinternal.<domain> for mobility (recommended).
// - WebServicesExternal: the external web FQDN, meeting and dial-in URLs; lyncdiscover.<domain> (recommended).
// - Director: as a Front End, named for the Director pool. Mediation: the pool FQDN and each member's.
// - Edge Internal: the Edge internal FQDN (or the pool's, its internal load balancer), no server's own.
// - Edge external (Access Edge): the Access Edge FQDN, the Web Conferencing Edge FQDN on a combined
//   (External) certificate, and sip.<domain> for each SIP domain, unconditionally.
// - XMPP federation (Edge environmental requirements, SfB 2015): xmpp.<domain> for each SIP domain, or
//   *.<domain>, on the Access Edge external certificate.
// - sipinternal.<domain> / sipexternal.<domain>, where they exist in DNS, on the Default and the Access
//   Edge external certificate (Environmental requirements for Skype for Business Server 2015).
// - Subjects: the pool FQDN on Default (Standard Edition: the server FQDN), the Access Edge FQDN on the
//   Access Edge external certificate (Plan for Edge Server certificates; Gg398995's wizard requests it).
// - Wildcards (Wildcard certificate support in Lync Server 2013): in the SAN only for the meet and dial-in
//   simple URLs and lyncdiscover(internal) on Front End and Director web services; never the Subject.
// - A Director pool's external web FQDN differs from the Front End pool's (the reference digest).
// The "good" fixture's SANs: pool01.contoso.com, fe01.contoso.com, sip.contoso.com, sip.fabrikam.com.
const SIMPLE_URLS = { meet: [{ url: 'https://meet.contoso.com' }], dialin: ['https://dialin.contoso.com'], admin: ['https://admin.contoso.com'] };
const fe01 = (assignments: ServerSpec['assignments'], extra: Partial<DeploymentSpec> = {}) => deployment({ pools: [frontEndPool(assignments, 1)], ...extra });
const one = (pool: Omit<PoolSpec, 'servers'>, assignments: ServerSpec['assignments'], servers = [pool.fqdn], extra: Partial<DeploymentSpec> = {}) =>
  deployment({ pools: [{ ...pool, servers: servers.map((fqdn) => ({ fqdn, assignments })) }], ...extra });
const SE = { fqdn: 'se01.contoso.com', role: 'StandardEdition' } as const;
const DIRECTOR = { fqdn: 'dirpool.contoso.com', role: 'Director', webServices: { externalFqdn: 'dirweb.contoso.com' } } as const;
const MEDIATION = { fqdn: 'med.contoso.com', role: 'Mediation' } as const;
const withoutInternalFqdn = (spec: PoolSpec): PoolSpec => ({ ...spec, edge: { ...spec.edge, internalFqdn: undefined } });
const OFF = { recommended: false };
certs['empty-subject'] = readCertificateFile(join(ROOT, 'fixtures/chains/rfc5280.san.noncritical-with-empty-subject/leaf.pem')).certificates[0]!;
const xmpp = (spec: PoolSpec): PoolSpec => ({ ...spec, edge: { ...spec.edge, xmppFederation: true } });

ruleTester(rule, {
  valid: [
    { name: 'Front End Default: the pool, the server and sip.<domain> of both SIP domains', deployment: fe01({ Default: 'good' }) },
    { name: 'Standard Edition Default: the server, which is the pool', deployment: one(SE, { Default: 'standard-edition' }) },
    { name: 'Director Default: the Director pool and server', deployment: one(DIRECTOR, { Default: 'director' }, ['dir01.contoso.com']), options: OFF },
    {
      name: 'Director WebServicesInternal: no admin URL is asked of a Director',
      deployment: one(DIRECTOR, { WebServicesInternal: 'director' }, ['dir01.contoso.com'], { simpleUrls: SIMPLE_URLS }),
      options: OFF,
    },
    {
      name: 'Director WebServicesExternal: its own external web FQDN, meeting and dial-in URLs',
      deployment: one(DIRECTOR, { WebServicesExternal: 'director' }, ['dir01.contoso.com'], { simpleUrls: SIMPLE_URLS }),
      options: OFF,
    },
    { name: 'Mediation Default: the pool and its member server', deployment: one(MEDIATION, { Default: 'mediation' }, ['med01.contoso.com']) },
    {
      name: 'WebServicesExternal: the external web FQDN, the simple URLs and lyncdiscover.<domain>',
      deployment: deployment({ sipDomains: ['contoso.com'], simpleUrls: SIMPLE_URLS, pools: [{ ...frontEndPool({ WebServicesExternal: 'web-external' }, 1), webServices: { externalFqdn: 'webext.contoso.com' } }] }),
    },
    { name: 'an Access Edge certificate of its own need not name the Web Conferencing Edge', deployment: deployment({ pools: [edgePool({ AccessEdgeExternal: 'access-edge' }, 1)] }) },
    {
      name: 'XMPP federation: xmpp.<domain> of both SIP domains, and the sipexternal name the deployment publishes',
      deployment: deployment({ dnsNames: ['sipexternal.contoso.com'], pools: [xmpp(edgePool({ AccessEdgeExternal: 'edge-xmpp', XmppServer: 'edge-xmpp' }, 1))] }),
    },
    { name: 'XMPP federation: *.<domain> serves for xmpp.<domain>', deployment: deployment({ pools: [xmpp(edgePool({ AccessEdgeExternal: 'edge-xmpp-wildcard' }, 1))] }) },
    { name: 'no XMPP names are asked without XMPP federation', deployment: deployment({ pools: [edgePool({ AccessEdgeExternal: 'access-edge' }, 1)] }) },
    { name: 'sipinternal.<domain> where the deployment publishes it', deployment: fe01({ Default: 'sipinternal' }, { dnsNames: ['sipinternal.contoso.com'] }) },
    {
      name: 'a Director with an external web FQDN of its own',
      deployment: deployment({ pools: [{ ...DIRECTOR, servers: [{ fqdn: 'dir01.contoso.com' }] }, { ...frontEndPool({}, 1), webServices: { externalFqdn: 'webext.contoso.com' } }] }),
    },
    { name: 'a combined External certificate with the Access and Web Conferencing Edge and sip.<domain> of both domains', deployment: deployment({ pools: [edgePool({ External: 'self-signed' }, 1)] }) },
    {
      name: 'an Edge pool Internal certificate without SAN, named for the pool, when the snapshot gives no internal FQDN',
      deployment: deployment({ pools: [withoutInternalFqdn(edgePool({ Internal: 'no-san' }, 2))] }),
    },
    {
      // WsFedTokenTransfer appears in Get-CsCertificate, but no row of Microsoft's tables names a certificate for it.
      name: 'a WsFedTokenTransfer certificate: no name is asked of a usage the tables do not list',
      deployment: fe01({ WsFedTokenTransfer: 'no-san' }),
    },
    {
      name: 'a wildcard SAN serves the meeting and dial-in URLs and lyncdiscoverinternal',
      deployment: fe01({ WebServicesInternal: 'web-wildcard' }, { sipDomains: ['contoso.com'], simpleUrls: { meet: [{ url: 'https://meet.contoso.com' }], dialin: ['https://dialin.contoso.com'], admin: [] } }),
    },
  ],
  invalid: [
    {
      name: 'a wildcard SAN does not serve a server FQDN: only the simple URLs and lyncdiscover(internal)',
      deployment: fe01({ WebServicesInternal: 'wildcard-subject' }, { sipDomains: ['contoso.com'], simpleUrls: { meet: [{ url: 'https://meet.contoso.com' }], dialin: ['https://dialin.contoso.com'], admin: [] } }),
      findings: [{ messageId: 'wildcardOnly', severity: 'error', message: 'covers fe01.contoso.com only with a wildcard (*.contoso.com)' }],
    },
    {
      // edge-xmpp-wildcard: SAN sip.contoso.com, webconf.contoso.com, sip.fabrikam.com, *.contoso.com, *.fabrikam.com
      // (openssl x509 -ext subjectAltName); the pool, the server and sipinternal.<domain> are no wildcard names.
      name: 'names served only by two wildcards name both',
      deployment: fe01({ Default: 'edge-xmpp-wildcard' }, { dnsNames: ['sipinternal.contoso.com', 'sipinternal.fabrikam.com'] }),
      findings: [{ messageId: 'wildcardOnly', message: 'covers pool01.contoso.com, fe01.contoso.com, sipinternal.contoso.com, sipinternal.fabrikam.com only with a wildcard (*.contoso.com, *.fabrikam.com)' }],
    },
    {
      // RFC 5280 4.1.2.6 allows an empty Subject when the SAN names the subject; openssl prints this
      // certificate's subject as empty and its SAN as DNS:example.com. The wizard requests CN=<pool FQDN>.
      name: 'a certificate with an empty Subject whose SAN names the Standard Edition server',
      deployment: one({ fqdn: 'example.com', role: 'StandardEdition' }, { Default: 'empty-subject' }, ['example.com'], { sipDomains: ['example.com'] }),
      options: OFF,
      findings: [{ messageId: 'subject', usage: 'Default', message: 'is "", not example.com (the Standard Edition server FQDN)' }],
    },
    {
      name: 'a wildcard SAN does not serve the admin URL',
      deployment: fe01({ WebServicesInternal: 'web-wildcard' }, { sipDomains: ['contoso.com'], simpleUrls: { meet: [], dialin: [], admin: ['https://admin.contoso.com'] } }),
      findings: [{ messageId: 'wildcardOnly', message: 'covers admin.contoso.com only with a wildcard (*.contoso.com)' }],
    },
    {
      name: 'a wildcard SAN does not serve sip.<domain> on Default (recommended: a warning)',
      deployment: fe01({ Default: 'web-wildcard' }, { sipDomains: ['contoso.com'] }),
      findings: [{ messageId: 'wildcardOnlyRecommended', severity: 'warning', message: 'covers sip.contoso.com only with a wildcard (*.contoso.com)' }],
    },
    {
      name: 'Director Default: sip.<domain> recommended, as on a Front End (automatic sign-in may point at the Director)',
      deployment: one(DIRECTOR, { Default: 'director' }, ['dir01.contoso.com']),
      findings: [{ messageId: 'missingRecommended', severity: 'warning', message: 'does not cover sip.contoso.com, sip.fabrikam.com,' }],
    },
    {
      name: 'XMPP federation without xmpp.<domain> on the Access Edge certificate',
      deployment: deployment({ pools: [xmpp(edgePool({ AccessEdgeExternal: 'access-edge' }, 1))] }),
      findings: [{ messageId: 'missing', usage: 'AccessEdgeExternal', severity: 'error', message: 'does not cover xmpp.contoso.com, xmpp.fabrikam.com:' }],
    },
    {
      name: 'an XmppServer certificate without the XMPP names',
      deployment: deployment({ pools: [xmpp(edgePool({ AccessEdgeExternal: 'edge-xmpp', XmppServer: 'access-edge' }, 1))] }),
      findings: [{ messageId: 'missing', usage: 'XmppServer', message: 'does not cover xmpp.contoso.com, xmpp.fabrikam.com:' }],
    },
    {
      name: 'sipinternal.<domain> published in DNS and missing from the Default certificate',
      deployment: fe01({ Default: 'good' }, { dnsNames: ['sipinternal.contoso.com'] }),
      findings: [{ messageId: 'missing', usage: 'Default', message: 'does not cover sipinternal.contoso.com:' }],
    },
    {
      name: 'sipexternal.<domain> published in DNS and missing from the Access Edge certificate',
      deployment: deployment({ dnsNames: ['sipexternal.contoso.com'], pools: [edgePool({ AccessEdgeExternal: 'access-edge' }, 1)] }),
      findings: [{ messageId: 'missing', usage: 'AccessEdgeExternal', message: 'does not cover sipexternal.contoso.com:' }],
    },
    {
      name: 'a Default certificate whose Subject is the server, not the pool',
      deployment: fe01({ Default: 'subject-server' }),
      findings: [{ messageId: 'subject', usage: 'Default', message: 'is "O=Contoso, CN=fe01.contoso.com", not pool01.contoso.com (the pool FQDN)' }],
    },
    {
      name: 'an Access Edge certificate whose Subject is the Web Conferencing Edge',
      deployment: deployment({ pools: [edgePool({ AccessEdgeExternal: 'edge-subject-webconf', DataEdgeExternal: 'edge-subject-webconf' }, 1)] }),
      findings: [{ messageId: 'subject', usage: 'AccessEdgeExternal', message: 'is "CN=webconf.contoso.com", not sip.contoso.com' }],
    },
    {
      name: 'a Director pool with the Front End pool\'s external web FQDN',
      deployment: deployment({ pools: [{ ...DIRECTOR, servers: [{ fqdn: 'dir01.contoso.com' }] }, { ...frontEndPool({}, 1), webServices: { externalFqdn: 'dirweb.contoso.com' } }] }),
      findings: [{ messageId: 'directorWebFqdn', message: 'FQDN dirweb.contoso.com is also the external web services FQDN of the Front End pool pool01.contoso.com' }],
    },
    {
      // The reference digest: a Director's external web FQDN must differ from the Front End pool's. Adding
      // the Front End's name to the Director's certificate would follow the fault: the conflict is reported.
      name: 'a Director whose external web FQDN is the Front End pool\'s: the conflict, not a name to add to its certificate',
      deployment: deployment({
        pools: [
          { ...DIRECTOR, webServices: { externalFqdn: 'webext.contoso.com' }, servers: [{ fqdn: 'dir01.contoso.com', assignments: { WebServicesExternal: 'director' } }] },
          { ...frontEndPool({ WebServicesExternal: 'web-external' }, 1), webServices: { externalFqdn: 'webext.contoso.com' } },
        ],
      }),
      options: OFF,
      findings: [{ messageId: 'directorWebFqdn', message: 'FQDN webext.contoso.com is also the external web services FQDN of the Front End pool pool01.contoso.com' }],
    },
    {
      name: 'fe02 is not in the SAN of the pool certificate',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 2)] }),
      findings: [{ messageId: 'missing', server: 'fe02.contoso.com', severity: 'error', message: 'does not cover fe02.contoso.com:' }],
    },
    {
      name: 'a Standard Edition server named in no SAN',
      deployment: one(SE, { Default: 'good' }),
      findings: [{ messageId: 'missing', server: 'se01.contoso.com', message: 'does not cover se01.contoso.com:' }],
    },
    {
      name: 'a Director certificate named for the Front End pool',
      deployment: one(DIRECTOR, { Default: 'good' }, ['dir01.contoso.com']),
      findings: [{ messageId: 'missing', message: 'does not cover dirpool.contoso.com, dir01.contoso.com:' }],
    },
    {
      name: 'a Mediation pool member missing from the SAN',
      deployment: one(MEDIATION, { Default: 'mediation' }, ['med01.contoso.com', 'med02.contoso.com']),
      findings: [{ messageId: 'missing', server: 'med02.contoso.com', message: 'does not cover med02.contoso.com:' }],
    },
    {
      name: 'WebServicesInternal of a Front End: the meeting, dial-in and admin URLs; lyncdiscoverinternal recommended',
      deployment: fe01({ WebServicesInternal: 'good' }, { simpleUrls: SIMPLE_URLS }),
      findings: [
        { messageId: 'missing', message: 'does not cover meet.contoso.com, dialin.contoso.com, admin.contoso.com:' },
        { messageId: 'missingRecommended', severity: 'warning', message: 'does not cover lyncdiscoverinternal.contoso.com, lyncdiscoverinternal.fabrikam.com,' },
      ],
    },
    {
      name: 'WebServicesExternal: lyncdiscover.<domain> of a second SIP domain recommended',
      deployment: deployment({ simpleUrls: SIMPLE_URLS, pools: [{ ...frontEndPool({ WebServicesExternal: 'web-external' }, 1), webServices: { externalFqdn: 'webext.contoso.com' } }] }),
      findings: [{ messageId: 'missingRecommended', severity: 'warning', message: 'does not cover lyncdiscover.fabrikam.com,' }],
    },
    {
      name: 'WebServicesExternal on a certificate without the external web FQDN and simple URLs',
      deployment: deployment({ simpleUrls: SIMPLE_URLS, pools: [{ ...frontEndPool({ WebServicesExternal: 'good' }, 1), webServices: { externalFqdn: 'webext.contoso.com' } }] }),
      options: OFF,
      findings: [{ messageId: 'missing', message: 'does not cover webext.contoso.com, meet.contoso.com, dialin.contoso.com:' }],
    },
    {
      name: 'a certificate without SAN is judged by its Subject: CN=edgepool.contoso.com covers no Front End name',
      deployment: fe01({ Default: 'no-san' }),
      options: OFF,
      findings: [{ messageId: 'missing', message: 'does not cover pool01.contoso.com, fe01.contoso.com:' }],
    },
    {
      name: 'Edge external certificate for Access and Web Conferencing Edge without the Web Conferencing Edge FQDN',
      deployment: deployment({ pools: [edgePool({ AccessEdgeExternal: 'access-edge', DataEdgeExternal: 'access-edge' }, 1)] }),
      findings: [{ messageId: 'missing', usage: 'AccessEdgeExternal', message: 'does not cover webconf.contoso.com:' }],
    },
    {
      name: 'Access Edge certificate without sip.<domain> of the second SIP domain: an error, not a warning',
      deployment: deployment({ pools: [edgePool({ AccessEdgeExternal: 'edge-external' }, 1)] }),
      findings: [{ messageId: 'missing', usage: 'AccessEdgeExternal', severity: 'error', message: 'does not cover sip.fabrikam.com:' }],
    },
    {
      name: 'a combined External certificate without sip.<domain> of the second SIP domain',
      deployment: deployment({ pools: [edgePool({ External: 'edge-external' }, 1)] }),
      findings: [{ messageId: 'missing', usage: 'External', severity: 'error', message: 'does not cover sip.fabrikam.com:' }],
    },
    {
      name: 'Edge internal certificate named for another host',
      deployment: deployment({ pools: [edgePool({ Internal: 'good' }, 1)] }),
      findings: [{ messageId: 'missing', usage: 'Internal', message: 'does not cover edgepool-int.contoso.com:' }],
    },
    {
      name: 'without an internal FQDN in the snapshot, the pool\'s name is asked of the Internal certificate, not each server\'s',
      deployment: deployment({ pools: [withoutInternalFqdn(edgePool({ Internal: 'good' }, 2))] }),
      findings: ['edge01.contoso.com', 'edge02.contoso.com'].map((server) => ({ messageId: 'missing' as const, server, message: 'does not cover edgepool.contoso.com:' })),
    },
  ],
});

// A QA deployment no one on the team wrote: a Front End certificate whose Subject is the pool FQDN and whose
// SAN serves the pool, the server and the published sipinternal name only through a wildcard. TLS clients
// ignore the Subject when a SAN is there, and "Wildcard certificate support" allows a wildcard only for the
// simple URLs and lyncdiscover(internal). openssl x509 -subject -ext subjectAltName prints this certificate's
// CN=ec-P-256.contoso.example and SAN pool01.contoso.example, *.contoso.example, sip.contoso.example.
describe('a SAN that serves the pool, the server and sipinternal only through a wildcard', () => {
  certs['wildcard-san'] = readCertificateFile(join(ROOT, 'fixtures/certs/files/leaf-ec-P-256.pem')).certificates[0]!;
  const QA_SPEC: DeploymentSpec = {
    sipDomains: ['contoso.example'],
    dnsNames: ['sipinternal.contoso.example'],
    pools: [{ fqdn: 'ec-p-256.contoso.example', role: 'FrontEnd', servers: [{ fqdn: 'fe01.contoso.example', assignments: { Default: 'wildcard-san' } }] }],
  };
  const qa = deployment(QA_SPEC);
  const written = ['ec-p-256.contoso.example', 'fe01.contoso.example', 'sipinternal.contoso.example'];

  it('is an error naming each name to write out, though the Subject names the pool', () => {
    const findings = runRule(rule, { deployment: qa });
    expect(findings.map((f) => [f.messageId, f.severity])).toEqual([['wildcardOnly', 'error']]);
    expect(findings[0]!.message).toContain(`covers ${written.join(', ')} only with a wildcard (*.contoso.example)`);
  });

  it('is one finding when the Subject is not the pool either: reissued with the names written out, it gets its Subject too', () => {
    // The pool is pool01.contoso.example (written out in the SAN); the Subject, CN=ec-P-256.contoso.example, is not it.
    const renamed = deployment({ ...QA_SPEC, pools: [{ ...QA_SPEC.pools[0]!, fqdn: 'pool01.contoso.example' }] });
    const findings = runRule(rule, { deployment: renamed });
    expect(findings.map((f) => [f.messageId, f.severity])).toEqual([['wildcardOnly', 'error']]);
    expect(findings[0]!.message).toContain('covers fe01.contoso.example, sipinternal.contoso.example only with a wildcard (*.contoso.example)');
  });

  it('check refuses the same names in a request with the same SANs: one verdict, from the requirements model', () => {
    const pool = qa.pools[0]!;
    const requirement = requirementsOf(qa).forCertificate(pool, pool.servers[0]!, ['Default'])!;
    const request = readCertificateRequestFile(join(PREDEPLOY, 'requests', 'fe01-default-good.csr')).requests[0]!;
    const facts = certs['wildcard-san']!.facts;
    const same = { ...request, facts: { ...request.facts, subjectCommonName: facts.subjectCommonName, subjectAltNames: facts.subjectAltNames } };
    const names = checkRequest(same, requirement).filter((f) => f.check === 'request/names');
    expect(names.map((f) => [f.severity, f.message.match(/^Add SAN (\S+) itself: the wildcard \*\.contoso\.example does not serve it/)?.[1]])).toEqual(written.map((n) => ['error', n]));
  });
});

describe('a Director sharing the Front End pool\'s external web FQDN, in the requirements model', () => {
  const shared = deployment({
    pools: [
      { ...DIRECTOR, webServices: { externalFqdn: 'webext.contoso.com' }, servers: [{ fqdn: 'dir01.contoso.com', assignments: {} }] },
      { ...frontEndPool({}, 1), webServices: { externalFqdn: 'webext.contoso.com' } },
    ],
  });
  it('asks no certificate for the name, and says what to change instead (requirements and check say the same)', () => {
    const [director, frontEnd] = shared.pools as [Pool, Pool];
    const requirement = requirementsOf(shared).forUsage(director, director.servers[0]!, 'WebServicesExternal')!;
    expect(requirement.names.map((n) => n.name)).not.toContain('webext.contoso.com');
    expect(requirement.gaps).toHaveLength(1);
    expect(JSON.stringify(requirement.gaps[0])).toContain(
      "the external web services FQDN webext.contoso.com of the Director pool dirpool.contoso.com is also the Front End pool pool01.contoso.com's, and a Director's must differ: give the Director pool its own in Topology Builder, and name that one",
    );
    expect(requirementsOf(shared).forUsage(frontEnd, frontEnd.servers[0]!, 'WebServicesExternal')!.names.map((n) => n.name)).toContain('webext.contoso.com');
  });
});
