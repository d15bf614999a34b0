/** Deployment models written as short specs, for the requirements model's tests (no certificates needed). */
import { fileURLToPath } from 'node:url';
import type { Deployment, Pool, Role } from '../../src/snapshot/model.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PREDEPLOY = fileURLToPath(new URL('../../fixtures/predeploy/', import.meta.url));
export const PASSWORD = { CONTOSO_PFX_PASSWORD: 'contoso' };

export interface PoolSpec {
  fqdn: string;
  role: Role;
  servers: string[];
  webServices?: Pool['webServices'];
  edge?: Pool['edge'];
}

export function model(spec: { sipDomains?: string[]; meet?: string[]; dialin?: string[]; admin?: string[]; dnsNames?: string[]; pools: PoolSpec[] }): Deployment {
  let line = 1;
  const at = () => ({ path: 'snapshot.yaml', line: line++ });
  return {
    path: 'snapshot.yaml',
    version: 1,
    sipDomains: (spec.sipDomains ?? ['contoso.com']).map((name, i) => ({ name, isDefault: i === 0 })),
    simpleUrls: { meet: (spec.meet ?? []).map((url) => ({ url })), dialin: spec.dialin ?? [], admin: spec.admin ?? [] },
    sites: [],
    dnsNames: spec.dnsNames ?? [],
    pools: spec.pools.map((p) => ({
      fqdn: p.fqdn,
      role: p.role,
      ...(p.webServices && { webServices: p.webServices }),
      ...(p.edge && { edge: p.edge }),
      location: at(),
      servers: p.servers.map((fqdn) => ({ fqdn, pool: p.fqdn, assignments: [], stores: { personal: [], root: [], intermediate: [] }, location: at() })),
    })),
    certificates: { get: () => undefined, companions: () => [], all: () => [] },
    certificateFiles: [],
  };
}
