import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requirementsOf } from '../../../src/requirements/derive.js';
import { importSnapshot } from '../../../src/snapshot/import/import.js';
import { parseTopologyBuilder, readTopologyFile } from '../../../src/snapshot/import/tbxml.js';
import { loadSnapshot } from '../../../src/snapshot/load.js';
import { inputErrors, workspace } from '../helpers.js';

const FIXTURE = fileURLToPath(new URL('../../../fixtures/predeploy/litware-planned.tbxml', import.meta.url));
const PUBLISHED = fileURLToPath(new URL('../../../fixtures/topology/contoso-multisite.xml', import.meta.url));
const TEXT = readFileSync(FIXTURE, 'utf8');

describe('parseTopologyBuilder: a Topology Builder file', () => {
  const topology = readTopologyFile(FIXTURE);
  const pool = (fqdn: string) => topology.pools.find((p) => p.fqdn === fqdn)!;

  it('reads the SIP domains (the default one marked) and both central sites', () => {
    expect(topology.sipDomains).toEqual([{ name: 'litwareinc.com', default: true }, { name: 'litware.net' }]);
    expect(topology.sites).toEqual([
      { id: '1', name: 'Seattle' },
      { id: '2', name: 'Lisbon' },
    ]);
  });

  it('reads every pool that holds certificates, with its role, site and servers; a single-machine cluster is its own server', () => {
    expect(topology.pools.map((p) => [p.fqdn, p.role, p.site, p.servers.map((s) => s.fqdn)])).toEqual([
      ['fepool.litwareinc.com', 'FrontEnd', '1', ['fe1.litwareinc.com', 'fe2.litwareinc.com', 'fe3.litwareinc.com']],
      ['dirpool.litwareinc.com', 'Director', '1', ['dir1.litwareinc.com']],
      ['edgepool.litwareinc.com', 'Edge', '1', ['edge1.litwareinc.com', 'edge2.litwareinc.com', 'edge3.litwareinc.com']],
      ['med.litwareinc.com', 'Mediation', '1', ['med1.litwareinc.com', 'med2.litwareinc.com']],
      ['se1.lisbon.litwareinc.com', 'StandardEdition', '2', ['se1.lisbon.litwareinc.com']],
    ]);
    expect(topology.skipped).toEqual(['sql1.litwareinc.com (SQL Server)', 'fs1.litwareinc.com (FileStore)', 'owa1.litwareinc.com (WacService)']);
  });

  it("reads the web services FQDNs and the Edge's external FQDNs and XMPP federation", () => {
    expect(pool('fepool.litwareinc.com').webServices).toEqual({ internalFqdn: 'fepool.litwareinc.com', externalFqdn: 'webext.litwareinc.com' });
    expect(pool('dirpool.litwareinc.com').webServices).toEqual({ internalFqdn: 'dirpool.litwareinc.com', externalFqdn: 'dirweb.litwareinc.com' });
    expect(pool('edgepool.litwareinc.com').edge).toEqual({
      internalFqdn: 'edgepool.litwareinc.com',
      accessEdgeFqdn: 'sip.litwareinc.com',
      webConferencingEdgeFqdn: 'webconf.litwareinc.com',
      avEdgeFqdn: 'av.litwareinc.com',
      xmppFederation: true,
    });
  });

  it('reads the simple URLs, which Get-CsTopology -AsXml does not carry', () => {
    expect(topology.simpleUrls).toEqual({
      meet: [
        { domain: 'litwareinc.com', url: 'https://meet.litwareinc.com' },
        { domain: 'litware.net', url: 'https://meet.litware.net' },
      ],
      dialin: ['https://dialin.litwareinc.com'],
      admin: ['https://admin.litwareinc.com'],
    });
  });

  it('a published topology still goes to its own reader', () => {
    expect(readTopologyFile(PUBLISHED).pools.map((p) => p.fqdn)).toContain('pool01.contoso.com');
  });
});

describe('parseTopologyBuilder: bad input', () => {
  it('refuses a DOCTYPE or an ENTITY before parsing, as for the published topology', () => {
    const doctype = TEXT.replace('<TopologyBuilder ', '<!DOCTYPE x [<!ENTITY lol "lol">]>\n<TopologyBuilder ');
    const [error] = inputErrors(() => parseTopologyBuilder(doctype, 'planned.tbxml'));
    expect(error!.message).toMatch(/^refused: the XML declares a DOCTYPE/);
    expect(error!.where).toMatchObject({ path: 'planned.tbxml', line: 12 });
  });

  it('names each element it cannot use, all in one pass', () => {
    const broken = TEXT.replace('Fqdn="dirpool.litwareinc.com"', '').replace('InstalledOn="7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c04"', 'InstalledOn="00000000-0000-0000-0000-00000000dead"');
    const errors = inputErrors(() => parseTopologyBuilder(broken, 'planned.tbxml'));
    expect(errors.map((e) => e.message)).toEqual(['Cluster has no Fqdn', 'MediationServer is installed on 00000000-0000-0000-0000-00000000dead, which no Cluster or SqlInstance defines']);
    expect(errors[1]!.where.element).toBe('/TopologyBuilder/NewTopology/PartialTopology/Services/Service[8]');
  });

  it('a file in the namespace that is not Topology Builder\'s shape says what it expected', () => {
    const [error] = inputErrors(() => parseTopologyBuilder('<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.WritableTopology.2008"/>', 'x.tbxml'));
    expect(error!.message).toBe('not a Topology Builder file: expected TopologyBuilder/NewTopology/PartialTopology, found Topology');
  });
});

describe('import --topology FILE.tbxml: requirements while the deployment is on paper', () => {
  it('writes a snapshot that loads, with its simple URLs, whose requirements name the planned FQDNs', () => {
    const folder = workspace();
    const output = join(folder, 'planned', 'snapshot.yaml');
    const result = importSnapshot({ topology: FIXTURE, output });
    expect(result).toMatchObject({ pools: 5, servers: 10, certificates: 0 });
    const text = readFileSync(output, 'utf8');
    expect(text).not.toContain('Simple URLs are not in the topology');
    const d = loadSnapshot(output);
    expect(d.simpleUrls.dialin).toEqual(['https://dialin.litwareinc.com']);
    const edge = d.pools.find((p) => p.role === 'Edge')!;
    const external = requirementsOf(d).plan(edge).find((p) => p.label === 'edge-external')!.requirement;
    expect(external.usages).toContain('XmppServer');
    expect(external.names.map((n) => n.name)).toEqual(['sip.litwareinc.com', 'sip.litware.net', 'xmpp.litwareinc.com', 'xmpp.litware.net', 'webconf.litwareinc.com']);
  });
});
