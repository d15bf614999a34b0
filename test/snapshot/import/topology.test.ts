import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTopology, readTopology } from '../../../src/snapshot/import/topology.js';
import { inputErrors, workspace } from '../helpers.js';
import { HANG_BUDGET_MS } from '../../hang-budget.js';

const FIXTURE = fileURLToPath(new URL('../../../fixtures/topology/contoso-multisite.xml', import.meta.url));
const XML = readFileSync(FIXTURE, 'utf8');
const NS = 'urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008';

describe('readTopology', () => {
  const topology = readTopology(FIXTURE);
  const pool = (fqdn: string) => topology.pools.find((p) => p.fqdn === fqdn)!;

  it('reads the SIP domains, the default one marked', () => {
    expect(topology.sipDomains).toEqual([{ name: 'contoso.com', default: true }, { name: 'fabrikam.com' }]);
  });

  it('reads both central sites', () => {
    expect(topology.sites).toEqual([
      { id: '1', name: 'Redmond' },
      { id: '2', name: 'Dublin' },
    ]);
  });

  it('reads every pool that holds certificates, with its role, site and servers', () => {
    expect(topology.pools.map((p) => [p.fqdn, p.role, p.site, p.servers.map((s) => s.fqdn)])).toEqual([
      ['pool01.contoso.com', 'FrontEnd', '1', ['fe01.contoso.com', 'fe02.contoso.com', 'fe03.contoso.com']],
      ['dirpool.contoso.com', 'Director', '1', ['dir01.contoso.com']],
      ['edgepool.contoso.com', 'Edge', '1', ['edge01.contoso.com', 'edge02.contoso.com']],
      ['med.contoso.com', 'Mediation', '1', ['med01.contoso.com']],
      ['se01.dublin.contoso.com', 'StandardEdition', '2', ['se01.dublin.contoso.com']],
    ]);
  });

  it('tells the Director (a Registrar with IsDirector) from the Front End pool (user services)', () => {
    expect(pool('dirpool.contoso.com')).toMatchObject({ role: 'Director', reason: 'Registrar with IsDirector="true"' });
    expect(pool('pool01.contoso.com').role).toBe('FrontEnd');
  });

  it('tells Standard Edition by the SQL Server store on its own cluster, a collocated Mediation Server notwithstanding', () => {
    expect(pool('se01.dublin.contoso.com')).toMatchObject({ role: 'StandardEdition', reason: 'UserServices with its SQL Server store on the same server' });
  });

  it('reads the web services FQDNs: internal defaults to the pool, external from ExternalSettings', () => {
    expect(pool('pool01.contoso.com').webServices).toEqual({ internalFqdn: 'pool01.contoso.com', externalFqdn: 'webext.contoso.com' });
    expect(pool('dirpool.contoso.com').webServices).toEqual({ internalFqdn: 'dirpool.contoso.com', externalFqdn: 'dirweb.contoso.com' });
    expect(pool('se01.dublin.contoso.com').webServices?.externalFqdn).toBe('webext-dub.contoso.com');
    expect(pool('med.contoso.com').webServices).toBeUndefined();
  });

  it("reads the Edge pool's internal FQDN, its external FQDNs from the ports' ConfiguredFqdn, and whether federation is enabled", () => {
    expect(pool('edgepool.contoso.com').edge).toEqual({
      internalFqdn: 'edgepool.contoso.com',
      accessEdgeFqdn: 'sip.contoso.com',
      webConferencingEdgeFqdn: 'webconf.contoso.com',
      avEdgeFqdn: 'av.contoso.com',
      xmppFederation: true,
      // <EdgeServer IsFederationEnabled="true" .../> in fixtures/topology/contoso-multisite.xml
      federation: true,
    });
  });

  it('leaves XMPP federation unknown when the Edge service has no external XMPP proxy port', () => {
    const xmppPort = /\s*<Port Owner="urn:component:XmppFederationProxy"[^>]*\/>/;
    expect(XML).toMatch(xmppPort);
    const edge = parseTopology(XML.replace(xmppPort, ''), 'topology.xml').pools.find((p) => p.role === 'Edge')!.edge!;
    expect(edge).not.toHaveProperty('xmppFederation');
    expect(edge.accessEdgeFqdn).toBe('sip.contoso.com');
  });

  it('says federation is off when the topology says so, and nothing when it does not say', () => {
    const edgeOf = (xml: string) => parseTopology(xml, 'topology.xml').pools.find((p) => p.role === 'Edge')!.edge;
    expect(edgeOf(XML.replace('IsFederationEnabled="true"', 'IsFederationEnabled="false"'))?.federation).toBe(false);
    expect(edgeOf(XML.replace('IsFederationEnabled="true"', '')) ?? {}).not.toHaveProperty('federation');
  });

  it('lists the clusters it leaves out, and why', () => {
    expect(topology.skipped).toEqual(['sqlbe01.contoso.com (SQL Server)', 'fs01.contoso.com (FileStore)', 'gw01.contoso.com (PstnGateway)']);
  });

  it('has no simple URLs: Get-CsTopology does not write them', () => {
    expect(topology.simpleUrls).toBeUndefined();
  });

  it('reads the file as Windows PowerShell 5.1 redirects it: UTF-16LE with a BOM', () => {
    const dir = workspace({ 'topology.xml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(XML.replace('encoding="utf-8"', 'encoding="utf-16"'), 'utf16le')]) });
    expect(readTopology(join(dir, 'topology.xml'))).toEqual(topology);
  });
});

describe('parseTopology tolerates', () => {
  it('unknown elements and other namespaces', () => {
    const xml = XML.replace('<Clusters>', '<Extensions xmlns="urn:example:unknown"><Clusters><Cluster Fqdn="x.example.com" /></Clusters></Extensions>\n  <Clusters>').replace(
      '<ClusterId SiteId="1" Number="1" />',
      '<ClusterId SiteId="1" Number="1" />\n      <Notes xmlns:n="urn:example:notes"><n:Note>rack 12</n:Note></Notes>',
    );
    expect(parseTopology(xml, 'topology.xml').pools).toHaveLength(5);
  });

  it('a prefixed namespace', () => {
    const xml = `<t:Topology xmlns:t="${NS}"><t:InternalDomains DefaultDomain="contoso.com"><t:InternalDomain Name="contoso.com" /></t:InternalDomains>
      <t:Clusters><t:Cluster Fqdn="se.contoso.com"><t:ClusterId SiteId="1" Number="1" /><t:Machine Fqdn="se.contoso.com" /></t:Cluster></t:Clusters>
      <t:Services><t:Service><t:ServiceId SiteId="1" RoleName="EdgeServer" Instance="1" /><t:InstalledOn><t:ClusterId SiteId="1" Number="1" /></t:InstalledOn></t:Service></t:Services></t:Topology>`;
    expect(parseTopology(xml, 'topology.xml').pools.map((p) => p.role)).toEqual(['Edge']);
  });

  it('reads simple URLs when the XML has a SimpleUrlConfiguration', () => {
    const xml = XML.replace(
      '<Sites>',
      `<SimpleUrlConfiguration UseBackendDatabase="false" xmlns="urn:schema:Microsoft.Rtc.Management.Settings.SimpleUrl.2008">
        <SimpleUrl Component="Dialin" Domain="*" ActiveUrl="https://dialin.contoso.com"><SimpleUrlEntry Url="https://dialin.contoso.com" /></SimpleUrl>
        <SimpleUrl Component="Meet" Domain="contoso.com" ActiveUrl="https://meet.contoso.com"><SimpleUrlEntry Url="https://meet.contoso.com" /></SimpleUrl>
        <SimpleUrl Component="Meet" Domain="fabrikam.com"><SimpleUrlEntry Url="https://meet.fabrikam.com" /></SimpleUrl>
        <SimpleUrl Component="Cscp" Domain="*" ActiveUrl="https://admin.contoso.com" />
      </SimpleUrlConfiguration>
      <Sites>`,
    );
    expect(parseTopology(xml, 'topology.xml').simpleUrls).toEqual({
      meet: [
        { domain: 'contoso.com', url: 'https://meet.contoso.com' },
        { domain: 'fabrikam.com', url: 'https://meet.fabrikam.com' },
      ],
      dialin: ['https://dialin.contoso.com'],
      admin: ['https://admin.contoso.com'],
    });
  });

  it('entities in values, decoding only the predefined ones', () => {
    const xml = XML.replace('<Name>Redmond</Name>', '<Name>R&amp;D &#x2013; Redmond &lt;1&gt;</Name>');
    expect(parseTopology(xml, 'topology.xml').sites[0]!.name).toBe('R&D \u2013 Redmond <1>');
  });
});

describe('parseTopology refuses', () => {
  const refuse = (xml: string) => inputErrors(() => parseTopology(xml, 'topology.xml'));

  it('malformed XML, with its line', () => {
    const [e] = refuse(XML.replace('</Sites>', '</Site>'));
    expect(e!.message).toMatch(/^malformed XML: /);
    expect(e!.where).toMatchObject({ path: 'topology.xml', line: XML.split('\n').findIndex((l) => l.includes('</Sites>')) + 1 });
  });

  it('another kind of XML, naming the document element', () => {
    const [e] = refuse('<?xml version="1.0"?>\n<configuration xmlns="urn:example"><appSettings /></configuration>');
    expect(e!.describe()).toBe('topology.xml (/configuration): not a Lync or Skype for Business topology: the document element is configuration in namespace urn:example');
  });

  it('a Topology Builder file, saying what to export instead', () => {
    const [e] = refuse('<TopologyBuilder xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.TopologyBuilder.2008"><NewTopology /></TopologyBuilder>');
    expect(e!.message).toBe('this is a Topology Builder file (.tbxml), not the published topology');
    expect(e!.hint).toContain('Get-CsTopology -AsXml');
  });

  it('a topology without SIP domains or with incomplete elements, by element path', () => {
    const errors = refuse(
      XML.replace(/<InternalDomain Name="[^"]+"[^>]*\/>/g, '')
        .replace('<Machine OrdinalInCluster="2" Fqdn="fe02.contoso.com"', '<Machine OrdinalInCluster="2"')
        .replace('<ClusterId SiteId="1" Number="6" />', '<ClusterId SiteId="1" />'),
    );
    expect(errors.map((e) => [e.where.element, e.message])).toEqual([
      ['/Topology/InternalDomains', 'no SIP domain: InternalDomains/InternalDomain is missing'],
      ["/Topology/Clusters/Cluster[@Fqdn='pool01.contoso.com']/Machine[2]", 'Machine has no Fqdn'],
      ["/Topology/Clusters/Cluster[@Fqdn='med.contoso.com']/ClusterId", 'ClusterId has no Number'],
      ['/Topology/Services/Service[13]', 'MediationServer is installed on cluster 1:6, which no Cluster defines'],
    ]);
  });

  it('names that are not DNS names (a template left unexpanded), with the element and the value as written: lint would refuse them', () => {
    const errors = refuse(
      XML.replace('<Machine OrdinalInCluster="1" Fqdn="fe01.contoso.com"', '<Machine OrdinalInCluster="1" Fqdn="$SkypeFQDN"')
        .replace('<InternalDomain Name="fabrikam.com"', '<InternalDomain Name="fabrikam com"')
        .replace('ConfiguredFqdn="sip.contoso.com"', 'ConfiguredFqdn="sip.%SipDomain%"')
        .replace('<ExternalSettings Host="webext.contoso.com"', '<ExternalSettings Host="{{ExternalWeb}}"'),
    );
    expect(errors.map((e) => [e.where.element, e.message])).toEqual([
      ['/Topology/InternalDomains/InternalDomain[2]', 'InternalDomain Name "fabrikam com" is not a DNS name'],
      [expect.stringMatching(/^\/Topology\/Services\/Service\[\d+\]\/WebService\/ExternalSettings$/), 'ExternalSettings Host "{{ExternalWeb}}" is not a DNS name (a placeholder left unexpanded?)'],
      ["/Topology/Clusters/Cluster[@Fqdn='pool01.contoso.com']/Machine[@Fqdn='$SkypeFQDN']", 'Machine Fqdn "$SkypeFQDN" is not a DNS name (a placeholder left unexpanded?)'],
      [expect.stringMatching(/^\/Topology\/Services\/Service\[\d+\]\/Ports\/Port\[\d+\]$/), 'Port ConfiguredFqdn "sip.%SipDomain%" is not a DNS name (a placeholder left unexpanded?)'],
    ]);
  });

  it('at most 100 errors, and a note that the rest was not checked', () => {
    const errors = refuse(XML.replace('<Machine OrdinalInCluster="2" Fqdn="fe02.contoso.com"', `${'<Machine /> '.repeat(300)}<Machine OrdinalInCluster="2" Fqdn="fe02.contoso.com"`));
    expect(errors).toHaveLength(101);
    expect(errors.at(-1)!.message).toBe('stopped after 100 errors: the rest is not checked');
  });
});

describe('untrusted XML', () => {
  const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE Topology [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Topology xmlns="${NS}"><InternalDomains><InternalDomain Name="&lol9;" /></InternalDomains></Topology>`;

  it('a billion laughs DTD is refused before any expansion, quickly', () => {
    const started = performance.now();
    const [e] = inputErrors(() => parseTopology(BILLION_LAUGHS, 'topology.xml'));
    expect(performance.now() - started).toBeLessThan(HANG_BUDGET_MS);
    expect(e!.message).toBe('refused: the XML declares a DOCTYPE (entity expansion and external entities are not allowed)');
    expect(e!.where.line).toBe(2);
  });

  it('an external entity is refused without reading it', () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE Topology [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<Topology xmlns="${NS}"><Sites><CentralSite SiteId="1"><Name>&xxe;</Name></CentralSite></Sites></Topology>`;
    const [e] = inputErrors(() => parseTopology(xxe, 'topology.xml'));
    expect(e!.message).toMatch(/^refused: the XML declares a DOCTYPE/);
  });

  it('an entity declared without a DOCTYPE is refused too', () => {
    const [e] = inputErrors(() => parseTopology(`<Topology xmlns="${NS}"><!ENTITY x "y"></Topology>`, 'topology.xml'));
    expect(e!.message).toMatch(/^refused: the XML declares an ENTITY/);
  });

  it('a file over the size limit is refused before it is read', () => {
    const dir = workspace({ 'topology.xml': XML });
    const [e] = inputErrors(() => readTopology(join(dir, 'topology.xml'), 1024));
    expect(e!.message).toBe(`file too large (${Buffer.byteLength(XML)} bytes; the limit is 1024)`);
  });

  it('undeclared entity references stay as written', () => {
    const xml = XML.replace('<Name>Dublin</Name>', '<Name>&unknown;Dublin</Name>');
    expect(parseTopology(xml, 'topology.xml').sites[1]!.name).toBe('&unknown;Dublin');
  });
});
