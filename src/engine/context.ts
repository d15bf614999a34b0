import { bundledPublicRoots } from '../certs/public-roots.js';
import type { Certificate } from '../certs/x509.js';
import type { Deployment, Pool, Role, Server, StoreEntry, Usage } from '../snapshot/model.js';
import type { AssignedCertificate, ChainResult, RuleContext, RuleMeta, ServerCertificate } from './types.js';

/** Validates a path for `leaf` from the given anchors and intermediates, at `time`. */
export type PathValidation = (leaf: Certificate, trusted: Certificate[], untrusted: Certificate[], time: Date) => ChainResult;

/**
 * What every rule shares for one run: iteration over the deployment and memoised path building.
 * Rules are run once each, so this is built once per lint and its caches serve all rules.
 */
export class DeploymentContext {
  /** Paths by the id of the stores, then by thumbprint. */
  private readonly chains = new Map<number, Map<string, ChainResult>>();
  /** Paths to the public roots, likewise. */
  private readonly publicChains = new Map<number, Map<string, ChainResult>>();
  private readonly personal = new Map<Server, Map<string, StoreEntry>>();
  private readonly storesOf = new Map<Server, ResolvedStores>();
  /** By the stores' thumbprints in the order listed, so that servers with the same stores share one resolution. */
  private readonly storesByContent = new Map<string, ResolvedStores>();
  /** A short id for each set of stores, the order ignored, to key the memo of paths. */
  private readonly storeIds = new Map<string, number>();
  /** What each scope (a rule's roles and usages) sees, made once and shared by the rules with that scope. */
  private readonly scopes = new Map<string, Scope>();

  private publicRootList: Certificate[] | undefined;

  constructor(
    readonly deployment: Deployment,
    readonly now: Date,
    private readonly validate: PathValidation,
    private readonly loadPublicRoots: () => Certificate[] = bundledPublicRoots,
  ) {}

  /** The context a rule is checked with: the deployment as its roles and usages see it, and its options. */
  forRule<Options>(meta: Pick<RuleMeta, 'roles' | 'usages'>, options: Options): RuleContext<Options> {
    const scope = this.scope(meta.roles, meta.usages);
    return {
      deployment: this.deployment,
      options,
      now: this.now,
      servers: () => scope.servers,
      assignments: () => scope.assignments,
      // A copy of the list, which is the caller's to sort or filter.
      serverCertificates: () => [...(scope.grouped ??= groupByServer(scope.assignments))],
      certificate: (thumbprint) => this.deployment.certificates.get(thumbprint),
      chain: (server, certificate) => this.chain(server, certificate),
      publicChain: (server, certificate) => this.publicChain(server, certificate),
      personalEntry: (server, thumbprint) => this.personalEntry(server, thumbprint),
      publicRoots: () => this.publicRoots(),
    };
  }

  private scope(roles: readonly Role[] | undefined, usages: readonly Usage[] | undefined): Scope {
    const key = `${roles?.join(',') ?? '*'}|${usages?.join(',') ?? '*'}`;
    let scope = this.scopes.get(key);
    if (!scope) {
      const servers = this.deployment.pools.filter((p) => !roles || roles.includes(p.role)).flatMap((pool) => pool.servers.map((server) => ({ pool, server })));
      const assignments: AssignedCertificate[] = [];
      for (const { pool, server } of servers) {
        for (const assignment of server.assignments) {
          if (usages && !usages.includes(assignment.usage)) continue;
          assignments.push({ pool, server, assignment, certificate: this.deployment.certificates.get(assignment.thumbprint) });
        }
      }
      scope = { servers, assignments };
      this.scopes.set(key, scope);
    }
    return scope;
  }

  private publicRoots(): Certificate[] {
    return (this.publicRootList ??= this.loadPublicRoots());
  }

  /**
   * The server's view: anchors from its Trusted Root store; intermediates from its Intermediate store
   * and the certificate's own file (a PFX carries its chain). Servers with the same stores share
   * results, so a pool of identical servers costs one validation per certificate.
   */
  chain(server: Server, certificate: Certificate): ChainResult {
    const stores = this.stores(server);
    return memo(this.chains, stores.id, certificate, () => {
      const companions = this.deployment.certificates.companions(certificate.facts.thumbprint);
      // The same arrays for every certificate without companions: the validator indexes each pair of arrays once.
      const untrusted = companions.length === 0 ? stores.intermediates : [...stores.intermediates, ...companions];
      return this.validate(certificate, stores.trusted, untrusted, this.now);
    });
  }

  /** As chain(), but to the public roots, with the server's Trusted Root store among the untrusted certificates. */
  publicChain(server: Server, certificate: Certificate): ChainResult {
    const stores = this.stores(server);
    return memo(this.publicChains, stores.id, certificate, () => {
      stores.held ??= [...stores.intermediates, ...stores.trusted];
      const companions = this.deployment.certificates.companions(certificate.facts.thumbprint);
      const untrusted = companions.length === 0 ? stores.held : [...stores.held, ...companions];
      return this.validate(certificate, this.publicRoots(), untrusted, this.now);
    });
  }

  private stores(server: Server): ResolvedStores {
    let stores = this.storesOf.get(server);
    if (!stores) {
      const { root, intermediate } = server.stores;
      const thumbprints = (entries: StoreEntry[] | null) => (entries ?? []).map((e) => e.thumbprint);
      const listed = `${thumbprints(root).join(',')}|${thumbprints(intermediate).join(',')}`;
      stores = this.storesByContent.get(listed);
      if (!stores) {
        const set = `${thumbprints(root).sort().join(',')}|${thumbprints(intermediate).sort().join(',')}`;
        let id = this.storeIds.get(set);
        if (id === undefined) this.storeIds.set(set, (id = this.storeIds.size));
        const index = this.deployment.certificates;
        const resolve = (entries: StoreEntry[] | null) => (entries ?? []).flatMap((e) => index.get(e.thumbprint) ?? []);
        stores = { id, trusted: resolve(root), intermediates: resolve(intermediate) };
        this.storesByContent.set(listed, stores);
      }
      this.storesOf.set(server, stores);
    }
    return stores;
  }

  personalEntry(server: Server, thumbprint: string): StoreEntry | undefined {
    let byThumbprint = this.personal.get(server);
    if (!byThumbprint) {
      byThumbprint = new Map((server.stores.personal ?? []).map((e) => [e.thumbprint, e]));
      this.personal.set(server, byThumbprint);
    }
    return byThumbprint.get(thumbprint);
  }
}

/** A server's Trusted Root and Intermediate stores as certificates; `id` names the set of stores. */
interface ResolvedStores {
  id: number;
  trusted: Certificate[];
  intermediates: Certificate[];
  /** Both stores as untrusted certificates, for paths to the public roots; made on first use. */
  held?: Certificate[];
}

/** The servers and assignments a rule of some roles and usages sees, and their grouping by server. */
interface Scope {
  servers: Array<{ pool: Pool; server: Server }>;
  assignments: AssignedCertificate[];
  grouped?: ServerCertificate[];
}

/** A path memoised by the id of the stores it was built with, then by the certificate's thumbprint. */
function memo(cache: Map<number, Map<string, ChainResult>>, storesId: number, certificate: Certificate, build: () => ChainResult): ChainResult {
  let byThumbprint = cache.get(storesId);
  if (!byThumbprint) cache.set(storesId, (byThumbprint = new Map()));
  let result = byThumbprint.get(certificate.facts.thumbprint);
  if (!result) byThumbprint.set(certificate.facts.thumbprint, (result = build()));
  return result;
}

/** Assigned certificates grouped by server, then thumbprint, in the order of the assignments. */
function groupByServer(assignments: readonly AssignedCertificate[]): ServerCertificate[] {
  const groups: ServerCertificate[] = [];
  // Nested maps join no strings.
  const byServer = new Map<Server, Map<string, ServerCertificate>>();
  for (const { pool, server, assignment, certificate } of assignments) {
    if (!certificate) continue;
    let byThumbprint = byServer.get(server);
    if (!byThumbprint) byServer.set(server, (byThumbprint = new Map()));
    const group = byThumbprint.get(assignment.thumbprint);
    if (group) group.usages.push(assignment.usage);
    else {
      const created = { pool, server, usages: [assignment.usage], first: assignment, certificate };
      byThumbprint.set(assignment.thumbprint, created);
      groups.push(created);
    }
  }
  return groups;
}
