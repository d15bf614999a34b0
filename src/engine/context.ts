import { bundledPublicRoots } from '../certs/public-roots.js';
import type { Certificate } from '../certs/x509.js';
import type { Deployment, Pool, Server, StoreEntry } from '../snapshot/model.js';
import type { AssignedCertificate, ChainResult, RuleContext } from './types.js';

/** Validates a path for `leaf` from the given anchors and intermediates, at `time`. */
export type PathValidation = (leaf: Certificate, trusted: Certificate[], untrusted: Certificate[], time: Date) => ChainResult;

/**
 * What every rule shares for one run: iteration over the deployment and memoised path building.
 * Rules are run once each, so this is built once per lint and its caches serve all rules.
 */
export class DeploymentContext {
  /** Paths by the id of the stores, then by thumbprint. */
  private readonly chains = new Map<number, Map<string, ChainResult>>();
  private readonly personal = new Map<Server, Map<string, StoreEntry>>();
  private readonly storesOf = new Map<Server, ResolvedStores>();
  /** By the stores' thumbprints in the order listed, so that servers with the same stores share one resolution. */
  private readonly storesByContent = new Map<string, ResolvedStores>();
  /** A short id for each set of stores, the order ignored, to key the memo of paths. */
  private readonly storeIds = new Map<string, number>();
  private assigned: AssignedCertificate[] | undefined;

  private publicRootList: Certificate[] | undefined;

  constructor(
    readonly deployment: Deployment,
    readonly now: Date,
    private readonly validate: PathValidation,
    private readonly loadPublicRoots: () => Certificate[] = bundledPublicRoots,
  ) {}

  forRule<Options>(options: Options): RuleContext<Options> {
    return {
      deployment: this.deployment,
      options,
      now: this.now,
      servers: () => this.servers(),
      assignments: () => this.assignments(),
      certificate: (thumbprint) => this.deployment.certificates.get(thumbprint),
      chain: (server, certificate) => this.chain(server, certificate),
      personalEntry: (server, thumbprint) => this.personalEntry(server, thumbprint),
      publicRoots: () => (this.publicRootList ??= this.loadPublicRoots()),
    };
  }

  *servers(): Iterable<{ pool: Pool; server: Server }> {
    for (const pool of this.deployment.pools) for (const server of pool.servers) yield { pool, server };
  }

  assignments(): AssignedCertificate[] {
    if (!this.assigned) {
      this.assigned = [];
      for (const { pool, server } of this.servers()) {
        for (const assignment of server.assignments) {
          this.assigned.push({ pool, server, assignment, certificate: this.deployment.certificates.get(assignment.thumbprint) });
        }
      }
    }
    return this.assigned;
  }

  /**
   * The server's view: anchors from its Trusted Root store; intermediates from its Intermediate store
   * and the certificate's own file (a PFX carries its chain). Servers with the same stores share
   * results, so a pool of identical servers costs one validation per certificate.
   */
  chain(server: Server, certificate: Certificate): ChainResult {
    const stores = this.stores(server);
    let chains = this.chains.get(stores.id);
    if (!chains) this.chains.set(stores.id, (chains = new Map()));
    let result = chains.get(certificate.facts.thumbprint);
    if (!result) {
      const companions = this.deployment.certificates.companions(certificate.facts.thumbprint);
      // The same arrays for every certificate without companions: the validator indexes each pair of arrays once.
      const untrusted = companions.length === 0 ? stores.intermediates : [...stores.intermediates, ...companions];
      result = this.validate(certificate, stores.trusted, untrusted, this.now);
      chains.set(certificate.facts.thumbprint, result);
    }
    return result;
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
}
