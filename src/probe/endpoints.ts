/**
 * The TLS endpoints of a deployment, as clients, servers and federation partners reach them, derived
 * from the snapshot (docs/probe.md lists each port and why), and the endpoints named on the command
 * line. An endpoint says what should be served there (the usage, the servers behind it) and whom it
 * serves (inside or outside the network), which is how its certificate is judged.
 */
import { InputError, printable } from '../errors.js';
import { parseReferenceId } from '../pki/names.js';
import type { Deployment, Pool, Role, Server, SourceLocation, Usage } from '../snapshot/model.js';

export type Exposure = 'internal' | 'external';
export const EXPOSURES: readonly Exposure[] = ['internal', 'external'];

export interface Endpoint {
  /** The name (or address) connected to. */
  host: string;
  port: number;
  /** The name a client asks for (SNI), which the certificate must cover: the host, or the pool name an Edge server answers to. */
  name: string;
  /** Internal endpoints are judged with the servers' Trusted Root stores, external ones with the public roots and the Web PKI profile. */
  exposure: Exposure;
  /** What listens there, for people and the evidence record. */
  service: string;
  /** The usages whose certificate serves it, the preferred first (an Edge may assign AccessEdgeExternal or External). */
  usages: readonly [Usage, ...Usage[]];
  /** The snapshot's pool, when the endpoint belongs to one. */
  pool?: Pool;
  /**
   * The snapshot's servers answering there: their assignments say what must be served, their Trusted
   * Root stores what an internal client trusts. Empty when the snapshot cannot say (a reverse proxy).
   */
  servers: Server[];
  /** SIP ports, where servers authenticate each other with certificates (MTLS): asking for a client certificate is normal there. */
  mutualTls: boolean;
  /** Where the snapshot declares it; `--endpoint` for one only the command line names. */
  location: SourceLocation;
}

/** `host:port`, the endpoint's name in findings and the key of --endpoint and --connect-to. */
export const endpointKey = (e: { host: string; port: number }): string => `${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;

const WEB_ROLES: readonly Role[] = ['FrontEnd', 'StandardEdition', 'Director'];
const SIP_TLS = 5061;
const HTTPS = 443;
/** The Front End's external web site, which the reverse proxy forwards to. */
const WEB_EXTERNAL = 4443;

/** Every endpoint the snapshot implies, each once (the first derivation of a host and port wins), and the simple URLs it cannot read. */
export function deriveEndpoints(deployment: Deployment): { endpoints: Endpoint[]; errors: InputError[] } {
  const endpoints = new Map<string, Endpoint>();
  const add = (e: Endpoint) => {
    const key = endpointKey(e).toLowerCase();
    if (!endpoints.has(key)) endpoints.set(key, e);
  };
  const webServers = deployment.pools.filter((p) => WEB_ROLES.includes(p.role)).flatMap((p) => p.servers);
  for (const pool of deployment.pools) {
    if (WEB_ROLES.includes(pool.role)) webEndpoints(pool).forEach(add);
    else if (pool.role === 'Edge') edgeEndpoints(pool).forEach(add);
  }
  const errors: InputError[] = [];
  const { meet, dialin, admin } = deployment.simpleUrls;
  const simpleUrls = [
    ...meet.map(({ url }) => ({ url, kind: 'meet' })),
    ...dialin.map((url) => ({ url, kind: 'dial-in' })),
    ...admin.map((url) => ({ url, kind: 'admin' })),
  ];
  for (const { url, kind } of simpleUrls) {
    const target = hostOfUrl(url);
    if (!target) {
      errors.push(new InputError(`the ${kind} simple URL ${printable(url, 200)} has no host name the probe can connect to`, { path: deployment.path }));
      continue;
    }
    const location = { path: deployment.path };
    // Meeting and dial-in pages are published to the Internet through the reverse proxy; the admin URL stays inside.
    if (kind === 'admin') add({ ...target, name: target.host, exposure: 'internal', service: `${kind} simple URL`, usages: ['WebServicesInternal'], servers: webServers, mutualTls: false, location });
    else add({ ...target, name: target.host, exposure: 'external', service: `${kind} simple URL through the reverse proxy`, usages: ['WebServicesExternal'], servers: [], mutualTls: false, location });
  }
  return { endpoints: [...endpoints.values()], errors };
}

/** A Front End, Standard Edition or Director pool: SIP on 5061, the internal web site on 443, the external one on 4443. */
function webEndpoints(pool: Pool): Endpoint[] {
  const externalWeb = pool.webServices?.externalFqdn;
  const internalWeb = pool.webServices?.internalFqdn ?? pool.fqdn;
  const endpoints: Endpoint[] = [];
  for (const server of pool.servers) {
    const at = (usage: Usage) => server.assignments.find((a) => a.usage === usage)?.location ?? server.location;
    const common = { pool, servers: [server] };
    endpoints.push(
      { ...common, host: server.fqdn, port: SIP_TLS, name: server.fqdn, exposure: 'internal', service: 'SIP over TLS', usages: ['Default'], mutualTls: true, location: at('Default') },
      { ...common, host: server.fqdn, port: HTTPS, name: server.fqdn, exposure: 'internal', service: 'internal web services', usages: ['WebServicesInternal'], mutualTls: false, location: at('WebServicesInternal') },
      // The reverse proxy asks for the external web services FQDN, and the certificate must cover it.
      { ...common, host: server.fqdn, port: WEB_EXTERNAL, name: externalWeb ?? server.fqdn, exposure: 'internal', service: 'external web services as the reverse proxy reaches them', usages: ['WebServicesExternal'], mutualTls: false, location: at('WebServicesExternal') },
    );
  }
  const common = { pool, servers: pool.servers, location: pool.location };
  endpoints.push(
    { ...common, host: pool.fqdn, port: SIP_TLS, name: pool.fqdn, exposure: 'internal', service: 'SIP over TLS by the pool name', usages: ['Default'], mutualTls: true },
    { ...common, host: internalWeb, port: HTTPS, name: internalWeb, exposure: 'internal', service: 'internal web services by the internal web FQDN', usages: ['WebServicesInternal'], mutualTls: false },
    { ...common, host: internalWeb, port: WEB_EXTERNAL, name: externalWeb ?? internalWeb, exposure: 'internal', service: 'external web services as the reverse proxy reaches them', usages: ['WebServicesExternal'], mutualTls: false },
  );
  // Served by the reverse proxy with a certificate of its own, which the snapshot does not know.
  if (externalWeb) endpoints.push({ ...common, host: externalWeb, port: HTTPS, name: externalWeb, exposure: 'external', service: 'external web services through the reverse proxy', usages: ['WebServicesExternal'], servers: [], mutualTls: false });
  return endpoints;
}

/**
 * An Edge pool: its internal interface on 5061 (each server, and the pool name the Front Ends use), the
 * Access Edge on 443 (remote users) and 5061 (federation, when enabled), the Web Conferencing Edge on
 * 443. The A/V Edge's 443 is TURN over TCP, not TLS: not probed.
 */
function edgeEndpoints(pool: Pool): Endpoint[] {
  const internal = pool.edge?.internalFqdn ?? pool.fqdn;
  const endpoints: Endpoint[] = [];
  const internalInterface = { exposure: 'internal', service: 'Edge internal interface', usages: ['Internal'], mutualTls: true, port: SIP_TLS, name: internal, pool } as const;
  for (const server of pool.servers) {
    const location = server.assignments.find((a) => a.usage === 'Internal')?.location ?? server.location;
    endpoints.push({ ...internalInterface, host: server.fqdn, servers: [server], location });
  }
  endpoints.push({ ...internalInterface, host: internal, servers: pool.servers, location: pool.location });
  const external = (host: string, port: number, service: string, usages: Endpoint['usages'], mutualTls: boolean): Endpoint => ({
    host,
    port,
    name: host,
    exposure: 'external',
    service,
    usages,
    pool,
    servers: pool.servers,
    mutualTls,
    location: pool.location,
  });
  const access = pool.edge?.accessEdgeFqdn;
  if (access) {
    endpoints.push(external(access, HTTPS, 'Access Edge for remote users', ['AccessEdgeExternal', 'External'], false));
    if (pool.edge?.federation) endpoints.push(external(access, SIP_TLS, 'Access Edge for federation', ['AccessEdgeExternal', 'External'], true));
  }
  const webConferencing = pool.edge?.webConferencingEdgeFqdn;
  if (webConferencing) endpoints.push(external(webConferencing, HTTPS, 'Web Conferencing Edge', ['DataEdgeExternal', 'External'], false));
  return endpoints;
}

function hostOfUrl(url: string): { host: string; port: number } | null {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!parseReferenceId(host)) return null;
    return { host, port: parsed.port === '' ? HTTPS : Number(parsed.port) };
  } catch {
    return null;
  }
}

/**
 * An endpoint only the command line names: judged as one reached from outside (public roots, Web PKI),
 * its certificate named as the Access Edge's on 5061 and the external web services' elsewhere.
 */
export function commandLineEndpoint(target: { host: string; port: number }): Endpoint {
  const sip = target.port === SIP_TLS;
  return {
    ...target,
    name: target.host,
    exposure: 'external',
    service: 'named on the command line',
    usages: sip ? ['AccessEdgeExternal'] : ['WebServicesExternal'],
    servers: [],
    mutualTls: sip,
    location: { path: '--endpoint' },
  };
}

/**
 * `HOST:PORT` as --endpoint and --connect-to write it: a DNS name or an IP address (IPv6 in brackets),
 * and a port. Names are lower-cased, as DNS compares them.
 */
export function parseHostPort(text: string, option: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[2]) : NaN;
  const host = m?.[1]!.replace(/^\[(.*)\]$/, '$1');
  if (!m || !host || !parseReferenceId(host) || port < 1 || port > 65535) {
    throw new InputError(`${option} '${printable(text, 200)}': expected HOST:PORT, e.g. sip.contoso.com:443 or [2001:db8::1]:5061`);
  }
  return { host: host.toLowerCase(), port };
}

/** --connect-to `HOST:PORT=ADDRESS:PORT`: probe the name at another address, as curl's --connect-to. */
export function parseConnectTo(text: string): { from: string; to: { host: string; port: number } } {
  const [from, to, ...rest] = text.split('=');
  if (from === undefined || to === undefined || rest.length > 0) {
    throw new InputError(`--connect-to '${printable(text, 200)}': expected HOST:PORT=ADDRESS:PORT, e.g. pool01.contoso.com:443=10.0.0.5:443`);
  }
  return { from: endpointKey(parseHostPort(from, '--connect-to')), to: parseHostPort(to, '--connect-to') };
}
