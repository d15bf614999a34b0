/**
 * Reads the published topology as `Get-CsTopology -AsXml` writes it: SIP domains, sites, and every pool
 * (Cluster) whose role holds certificates, with its servers (Machine), web services and Edge FQDNs.
 * How each role is told is documented in docs/collect.md ("What import reads from the topology").
 */
import { readFileSync } from 'node:fs';
import { InputError, printable } from '../../errors.js';
import { packageFile } from '../../package-files.js';
import type { PoolDocument, SnapshotDocument } from '../document.js';
import { ErrorCollector, shown } from '../errors.js';
import type { Role } from '../model.js';
import { DEFAULT_MAX_IMPORT_BYTES, readTextFile } from '../text.js';
import { parseXml, type XmlElement } from './xml.js';
import { pushTo } from '../../collections.js';

export const TOPOLOGY_NAMESPACE = 'urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008';

export interface ImportedPool extends PoolDocument {
  /** Why the pool has its role, for the reviewer of the written snapshot. */
  reason: string;
}

export interface ImportedTopology {
  sipDomains: SnapshotDocument['sipDomains'];
  /** Undefined when the XML has no SimpleUrlConfiguration (Get-CsTopology's output usually has none). */
  simpleUrls?: NonNullable<SnapshotDocument['simpleUrls']>;
  sites: Array<{ id: string; name: string }>;
  pools: ImportedPool[];
  /** Clusters without a role that holds certificates (SQL Server, file shares, gateways), as `fqdn (roles)`. */
  skipped: string[];
}

export function readTopology(path: string, maxBytes = DEFAULT_MAX_IMPORT_BYTES): ImportedTopology {
  return parseTopology(readTextFile(path, maxBytes), path);
}

/** Edge services by the Owner of their external ports. */
const EDGE_OWNERS = {
  accessEdgeFqdn: 'urn:component:AccessEdge',
  webConferencingEdgeFqdn: 'urn:component:DataEdge',
  avEdgeFqdn: 'urn:component:MediaRelayEdge',
} as const;

/** The Owner of the Edge service's XMPP federation port. */
const XMPP_PROXY_OWNER = 'urn:component:XmppFederationProxy';

export interface Service {
  roleName: string;
  element: XmlElement;
}

export function parseTopology(text: string, path: string): ImportedTopology {
  const { root, namespace } = parseXml(text, path);
  if (root.name === 'TopologyBuilder') {
    throw new InputError('this is a Topology Builder file (.tbxml), not the published topology', { path }, 'Export the published topology with: Get-CsTopology -AsXml | Out-File topology.xml');
  }
  if (root.name !== 'Topology' || namespace !== TOPOLOGY_NAMESPACE) {
    throw new InputError(`not a Lync or Skype for Business topology: the document element is ${printable(root.name, 80)} in namespace ${namespace === undefined ? '(none)' : printable(namespace, 80)}`, { path, element: root.path }, `Get-CsTopology -AsXml writes a Topology element in ${TOPOLOGY_NAMESPACE}.`);
  }
  const { errors, fail, required, checked } = topologyReader(path);
  const clusterKey = (id: XmlElement) => `${required(id, 'SiteId')}:${required(id, 'Number')}`;
  const sipDomains = readSipDomains(root, { fail, required, checked });

  // Central sites, and branch sites whose pools (Survivable Branch Appliances) may still be listed.
  const sites = (root.child('Sites')?.children('CentralSite') ?? [])
    .concat(root.child('Sites')?.children('BranchSite') ?? [])
    .map((s) => {
      const id = required(s, 'SiteId');
      return { id, name: s.child('Name')?.text() || id };
    });

  const sqlClusters = new Set(
    (root.child('SqlInstances')?.children('SqlInstance') ?? []).flatMap((i) => {
      const id = i.child('SqlInstanceId')?.child('ClusterId');
      return id ? [clusterKey(id)] : [];
    }),
  );

  const servicesByCluster = new Map<string, Service[]>();
  for (const service of root.child('Services')?.children('Service') ?? []) {
    const serviceId = service.child('ServiceId');
    const installedOn = service.child('InstalledOn')?.child('ClusterId');
    if (!serviceId) {
      fail('Service has no ServiceId', service);
      continue;
    }
    // Stores installed on a SQL Server instance (InstalledOn/SqlInstanceId) are not on a pool's servers.
    if (!installedOn) continue;
    const key = clusterKey(installedOn);
    pushTo(servicesByCluster, key, { roleName: required(serviceId, 'RoleName'), element: service });
  }

  const pools: ImportedPool[] = [];
  const skipped: string[] = [];
  const clusterKeys = new Set<string>();
  for (const cluster of root.child('Clusters')?.children('Cluster') ?? []) {
    const fqdn = checked(required(cluster, 'Fqdn'), cluster, 'Cluster Fqdn').toLowerCase();
    const id = cluster.child('ClusterId');
    if (!id) {
      fail('Cluster has no ClusterId', cluster);
      continue;
    }
    const key = clusterKey(id);
    clusterKeys.add(key);
    const services = servicesByCluster.get(key) ?? [];
    const kind = roleOf(services, sqlClusters.has(key) || cluster.attr('IsSingleMachineOnly') === 'true');
    if (!kind) {
      const roles = [...(sqlClusters.has(key) ? ['SQL Server'] : []), ...services.map((s) => s.roleName)];
      skipped.push(`${fqdn} (${roles.join(', ') || 'no services'})`);
      continue;
    }
    const machines = cluster.children('Machine');
    if (machines.length === 0) fail('Cluster has no Machine', cluster);
    pools.push({
      fqdn,
      role: kind.role,
      // clusterKey reported a missing SiteId already.
      site: id.attr('SiteId')?.trim() ?? '',
      ...(kind.role === 'Edge' && { edge: edgeFqdns(fqdn, services, checked) }),
      ...(WEB_ROLES.includes(kind.role) && { webServices: webServices(fqdn, services, checked) }),
      servers: machines.map((m) => ({ fqdn: checked(required(m, 'Fqdn'), m, 'Machine Fqdn').toLowerCase() })),
      reason: kind.reason,
    });
  }
  for (const [key, services] of servicesByCluster) {
    if (!clusterKeys.has(key)) fail(`${printable(services[0]!.roleName, 80)} is installed on cluster ${printable(key, 80)}, which no Cluster defines`, services[0]!.element);
  }
  const simpleUrls = readSimpleUrls(root, checked);
  errors.throwIfAny({ path });
  return { sipDomains, ...(simpleUrls && { simpleUrls }), sites, pools, skipped };
}

/**
 * The role of a cluster, from the services installed on it. A Standard Edition server is a Front End
 * that hosts its own SQL Server store (an Enterprise pool's back end is a separate SQL cluster);
 * Topology Builder also marks it IsSingleMachineOnly. A Director is a Registrar with IsDirector and
 * no user services.
 */
/**
 * What both topology readers (the published topology and Topology Builder's file) report errors with:
 * every error is collected, so that one pass finds them all; a required attribute that is absent is
 * reported and read as ''.
 */
export function topologyReader(path: string) {
  const errors = new ErrorCollector();
  const fail = (message: string, element: XmlElement) => errors.push(new InputError(message, { path, element: element.path }));
  const required = (element: XmlElement, name: string): string => {
    const value = element.attr(name);
    if (value === undefined || value.trim() === '') fail(`${element.name} has no ${name}`, element);
    return value?.trim() ?? '';
  };
  return { errors, fail, required, checked: nameChecker(fail) };
}

/** The SIP domains under `parent`'s InternalDomains, the default one marked; none is an error. */
export function readSipDomains(parent: XmlElement, reader: Pick<ReturnType<typeof topologyReader>, 'fail' | 'required' | 'checked'>): SnapshotDocument['sipDomains'] {
  const { fail, required, checked } = reader;
  const domains = parent.child('InternalDomains');
  const defaultDomain = domains?.attr('DefaultDomain')?.toLowerCase();
  const sipDomains = (domains?.children('InternalDomain') ?? []).map((d) => {
    const name = checked(required(d, 'Name'), d, 'InternalDomain Name').toLowerCase();
    return { name, ...(name === defaultDomain && { default: true }) };
  });
  if (sipDomains.length === 0) fail('no SIP domain: InternalDomains/InternalDomain is missing', domains ?? parent);
  return sipDomains;
}

export function roleOf(services: Service[], singleMachine: boolean): { role: Role; reason: string } | undefined {
  const has = (roleName: string) => services.some((s) => s.roleName === roleName);
  if (has('EdgeServer')) return { role: 'Edge', reason: 'EdgeServer service' };
  if (has('UserServices')) {
    return singleMachine
      ? { role: 'StandardEdition', reason: 'UserServices with its SQL Server store on the same server' }
      : { role: 'FrontEnd', reason: 'UserServices service, back end on a separate SQL Server' };
  }
  const registrar = services.find((s) => s.roleName === 'Registrar');
  if (registrar?.element.child('RegistrarService')?.attr('IsDirector') === 'true') {
    return { role: 'Director', reason: 'Registrar with IsDirector="true"' };
  }
  if (has('MediationServer')) return { role: 'Mediation', reason: 'stand-alone MediationServer service' };
  if (has('PersistentChatServer')) return { role: 'PersistentChat', reason: 'PersistentChatServer service' };
  return undefined;
}

/** Roles with web services (Front End, Standard Edition, Director). */
export const WEB_ROLES: readonly Role[] = ['FrontEnd', 'StandardEdition', 'Director'];

/**
 * A Check reporting through `fail`: a name that lint will read as a DNS name (the snapshot schema's own
 * pattern), so that import never writes what lint refuses: a script's template left unexpanded
 * (`$SkypeFQDN`) is refused here, with the element and the value.
 */
function nameChecker(fail: (message: string, element: XmlElement) => void): Check {
  return (value, element, what, definition = 'fqdn') => {
    if (value !== '' && !snapshotPattern(definition).test(value)) {
      const placeholder = /[$%{}<>[\]]/.test(value) ? ' (a placeholder left unexpanded?)' : '';
      fail(`${what} ${shown(value)} is not ${definition === 'fqdn' ? 'a DNS name' : 'an https URL'}${placeholder}`, element);
    }
    return value;
  };
}

/** Checks a value lint will read against the snapshot schema's pattern, reporting it at `element`; returns it. */
export type Check = (value: string, element: XmlElement, what: string, definition?: 'fqdn' | 'url') => string;

let patterns: Record<string, RegExp> | undefined;

/** A pattern of the snapshot schema's definitions (fqdn, url), read on first use: one source for import and lint. */
function snapshotPattern(definition: 'fqdn' | 'url'): RegExp {
  if (!patterns) {
    const { definitions } = JSON.parse(readFileSync(packageFile('schema/snapshot.schema.json'), 'utf8')) as { definitions: Record<string, { pattern?: string }> };
    patterns = Object.fromEntries(Object.entries(definitions).flatMap(([name, d]) => (d.pattern ? [[name, new RegExp(d.pattern)]] : [])));
  }
  return patterns[definition]!;
}

export function webServices(poolFqdn: string, services: Service[], checked: Check): NonNullable<PoolDocument['webServices']> {
  const web = services.find((s) => s.roleName === 'WebServices')?.element.child('WebService');
  const host = (side: string) => {
    const settings = web?.child(side);
    const value = settings?.attr('Host');
    return value === undefined ? undefined : checked(value, settings!, `${side} Host`).toLowerCase();
  };
  const externalFqdn = host('ExternalSettings');
  // Topology Builder writes an internal host only when it overrides the pool FQDN.
  const internalFqdn = host('InternalSettings') ?? poolFqdn;
  return { internalFqdn, ...(externalFqdn && { externalFqdn }) };
}

export function edgeFqdns(poolFqdn: string, services: Service[], checked: Check): NonNullable<PoolDocument['edge']> {
  const ports = services.flatMap((s) => s.element.child('Ports')?.children('Port') ?? []);
  const external = (owner: string) => {
    const port = ports.find((p) => p.attr('Owner') === owner && p.attr('InterfaceSide') === 'External' && p.attr('ConfiguredFqdn'));
    return port && checked(port.attr('ConfiguredFqdn')!, port, 'Port ConfiguredFqdn').toLowerCase();
  };
  // The Edge pool's FQDN is its internal FQDN: Topology Builder names the internal side so.
  const edge: NonNullable<PoolDocument['edge']> = { internalFqdn: poolFqdn };
  for (const [field, owner] of Object.entries(EDGE_OWNERS) as Array<[keyof typeof EDGE_OWNERS, string]>) {
    const fqdn = external(owner);
    if (fqdn) edge[field] = fqdn;
  }
  // XMPP federation gives the Edge service an external XMPP proxy port (5269). Without one the flag stays
  // unknown rather than false: the topology's other ways of saying so are not documented.
  if (ports.some((p) => p.attr('Owner') === XMPP_PROXY_OWNER && p.attr('InterfaceSide') === 'External')) edge.xmppFederation = true;
  const federation = services.find((s) => s.roleName === 'EdgeServer')?.element.child('EdgeServer')?.attr('IsFederationEnabled');
  if (federation === 'true' || federation === 'false') edge.federation = federation === 'true';
  return edge;
}

/** Simple URLs, when the XML carries a SimpleUrlConfiguration (Topology Builder's form of Get-CsSimpleUrlConfiguration). */
export function readSimpleUrls(root: XmlElement, checked: Check): ImportedTopology['simpleUrls'] {
  const config = root.child('SimpleUrlConfiguration');
  if (!config) return undefined;
  const urls: NonNullable<ImportedTopology['simpleUrls']> = { meet: [], dialin: [], admin: [] };
  for (const simpleUrl of config.children('SimpleUrl')) {
    const written = simpleUrl.attr('ActiveUrl') ?? simpleUrl.child('SimpleUrlEntry')?.attr('Url');
    const writtenDomain = simpleUrl.attr('Domain');
    if (!written) continue;
    const url = checked(written, simpleUrl, 'SimpleUrl', 'url');
    const domain = writtenDomain === undefined || writtenDomain === '*' ? writtenDomain : checked(writtenDomain, simpleUrl, 'SimpleUrl Domain').toLowerCase();
    switch (simpleUrl.attr('Component')?.toLowerCase()) {
      case 'meet':
        urls.meet!.push({ ...(domain && domain !== '*' && { domain }), url });
        break;
      case 'dialin':
        urls.dialin!.push(url);
        break;
      case 'cscp':
        urls.admin!.push(url);
        break;
    }
  }
  return urls;
}
