/**
 * Reads Topology Builder's saved file (`.tbxml`): the topology before it is published, so `requirements`
 * and `check` work while the deployment is still on paper. Its shape, from Topology Builder's own files
 * (docs/pre-deployment.md, "Topology Builder files"):
 *
 *   TopologyBuilder (urn:...Deploy.TopologyBuilder.2008)
 *     NewTopology
 *       PartialTopology (urn:...Deploy.WritableTopology.2008)
 *         InternalDomains[@DefaultDomain]/InternalDomain[@Name]        (the published topology's own)
 *         SimpleUrlConfiguration/SimpleUrl[@Component,@Domain,@ActiveUrl]
 *         CentralSites/CentralSite[@SiteId]/Name
 *           Clusters/Cluster[@Fqdn,@UniqueId,@IsSingleMachineOnly]
 *             Machines/Machine[@Fqdn]  (no Fqdn on a single-machine cluster: the cluster's)
 *             SqlInstances/SqlInstance[@UniqueId]
 *         Services/Service[@RoleName,@InstalledOn = a Cluster's or SqlInstance's UniqueId]
 *           Ports/Port, RegistrarService[@IsDirector], WebService/ExternalSettings[@Host]  (as published)
 *
 * Unlike Get-CsTopology -AsXml, it carries the simple URLs. A service's role, web services and Edge
 * FQDNs are read by the published topology's own helpers (topology.ts).
 */
import { InputError, printable } from '../../errors.js';
import { DEFAULT_MAX_IMPORT_BYTES, readTextFile } from '../text.js';
import { edgeFqdns, parseTopology, readSimpleUrls, readSipDomains, roleOf, topologyReader, webServices, WEB_ROLES, type ImportedPool, type ImportedTopology, type Service } from './topology.js';
import { parseXml, type XmlElement } from './xml.js';

export const WRITABLE_TOPOLOGY_NAMESPACE = 'urn:schema:Microsoft.Rtc.Management.Deploy.WritableTopology.2008';

/** A topology file of either kind: Topology Builder's (told by its namespace), or Get-CsTopology -AsXml's. */
export function readTopologyFile(path: string, maxBytes = DEFAULT_MAX_IMPORT_BYTES): ImportedTopology {
  const text = readTextFile(path, maxBytes);
  return text.includes(WRITABLE_TOPOLOGY_NAMESPACE) ? parseTopologyBuilder(text, path) : parseTopology(text, path);
}

export function parseTopologyBuilder(text: string, path: string): ImportedTopology {
  // parseXml refuses a DOCTYPE or ENTITY before anything is parsed, as for the published topology.
  const { root } = parseXml(text, path);
  const partial = root.child('NewTopology')?.child('PartialTopology');
  if (root.name !== 'TopologyBuilder' || !partial) {
    throw new InputError(
      `not a Topology Builder file: expected TopologyBuilder/NewTopology/PartialTopology, found ${printable(root.name, 80)}`,
      { path, element: root.path },
      'Save the topology from Topology Builder (File > Save a copy of the topology), or export the published one with Get-CsTopology -AsXml.',
    );
  }
  const namespace = partial.attr('xmlns');
  if (namespace !== undefined && namespace !== WRITABLE_TOPOLOGY_NAMESPACE) {
    throw new InputError(`PartialTopology is in namespace ${printable(namespace, 80)}, not ${WRITABLE_TOPOLOGY_NAMESPACE}`, { path, element: partial.path });
  }
  const { errors, fail, required, checked } = topologyReader(path);
  const sipDomains = readSipDomains(partial, { fail, required, checked });

  const sites: ImportedTopology['sites'] = [];
  const clusters: Array<{ element: XmlElement; siteId: string; id: string; fqdn: string; sql: boolean }> = [];
  const sqlInstances = new Set<string>();
  for (const site of partial.child('CentralSites')?.children('CentralSite') ?? []) {
    const siteId = required(site, 'SiteId');
    sites.push({ id: siteId, name: site.child('Name')?.text() || siteId });
    for (const cluster of site.child('Clusters')?.children('Cluster') ?? []) {
      const instances = cluster.child('SqlInstances')?.children('SqlInstance') ?? [];
      for (const instance of instances) sqlInstances.add(required(instance, 'UniqueId').toLowerCase());
      clusters.push({ element: cluster, siteId, id: required(cluster, 'UniqueId').toLowerCase(), fqdn: checked(required(cluster, 'Fqdn'), cluster, 'Cluster Fqdn').toLowerCase(), sql: instances.length > 0 });
    }
  }

  const servicesByCluster = new Map<string, Service[]>();
  const clusterIds = new Set(clusters.map((c) => c.id));
  for (const service of partial.child('Services')?.children('Service') ?? []) {
    const roleName = required(service, 'RoleName');
    const installedOn = required(service, 'InstalledOn').toLowerCase();
    // Stores installed on a SQL Server instance are not on a pool's servers.
    if (sqlInstances.has(installedOn) || installedOn === '') continue;
    if (!clusterIds.has(installedOn)) {
      fail(`${printable(roleName, 80)} is installed on ${printable(installedOn, 80)}, which no Cluster or SqlInstance defines`, service);
      continue;
    }
    servicesByCluster.set(installedOn, [...(servicesByCluster.get(installedOn) ?? []), { roleName, element: service }]);
  }

  const pools: ImportedPool[] = [];
  const skipped: string[] = [];
  for (const { element, siteId, id, fqdn, sql } of clusters) {
    const services = servicesByCluster.get(id) ?? [];
    const kind = roleOf(services, sql || element.attr('IsSingleMachineOnly') === 'true');
    if (!kind) {
      const roles = [...(sql ? ['SQL Server'] : []), ...services.map((s) => s.roleName)];
      skipped.push(`${fqdn} (${roles.join(', ') || 'no services'})`);
      continue;
    }
    const machines = element.child('Machines')?.children('Machine') ?? [];
    if (machines.length === 0) fail('Cluster has no Machine', element);
    pools.push({
      fqdn,
      role: kind.role,
      site: siteId,
      ...(kind.role === 'Edge' && { edge: edgeFqdns(fqdn, services, checked) }),
      ...(WEB_ROLES.includes(kind.role) && { webServices: webServices(fqdn, services, checked) }),
      // A single-machine cluster's Machine has no Fqdn of its own: it is the cluster's.
      servers: machines.map((m) => ({ fqdn: checked(m.attr('Fqdn')?.trim() || fqdn, m, 'Machine Fqdn').toLowerCase() })),
      reason: kind.reason,
    });
  }
  errors.throwIfAny({ path });

  const simpleUrls = readSimpleUrls(partial, checked);
  return { sipDomains, ...(simpleUrls && { simpleUrls }), sites, pools, skipped };
}
