/**
 * `check`'s simulation of a change: new certificates assigned to usages on the servers that would get
 * them (a Front End's own certificate on its server, an Edge pool's on every member, the global
 * OAuthTokenIssuer certificate on every Front End, Standard Edition and Director), their chains where
 * the rules look (the certificate index and each server's Intermediate store), and a Personal store
 * entry for each. The deployment itself is never changed: apply() returns a changed copy.
 */
import type { Certificate } from '../certs/x509.js';
import { InputError, printable } from '../errors.js';
import type { Assignment, CertificateIndex, Deployment, Pool, Server, StoreEntry, Usage } from '../snapshot/model.js';
import { requirementsOf, SCHANNEL_CSP } from './derive.js';
import { presentedNames } from './verdicts.js';

/** A certificate to check, with the CA certificates that came with it (its file, --chain). */
export interface Candidate {
  certificate: Certificate;
  /** Whether its file holds its private key (a .pfx); undefined: not known (a .cer, completed where its request was made). */
  hasPrivateKey?: boolean;
}

/** One server's part of the change. */
export interface PlannedAssignment {
  pool: string;
  server: string;
  usages: Usage[];
  thumbprint: string;
  /** A staged roll: the certificate in use until `effectiveDate`. */
  previousThumbprint?: string;
  effectiveDate?: string;
}

export interface ChangePlan {
  assignments: PlannedAssignment[];
  candidates: Candidate[];
  /** CA certificates to add where the rules look for chains. */
  chain: Certificate[];
  /** Candidate and chain files, absolute, for the report's inputs. */
  files: string[];
  /** What the plan had to decide, said in the report (a server no candidate names, a roll with nothing to roll from). */
  notes: string[];
}

const ROLLABLE: readonly Usage[] = ['OAuthTokenIssuer', 'AudioVideoAuthentication'];

/**
 * Which server gets which candidate for which usages. `target` is the pool (every member) or one server;
 * a global usage (OAuthTokenIssuer) goes to every server that holds it, whatever the target. With several
 * candidates, each server of the pool gets the one that names it (per-server usages only).
 */
export function planChange(
  deployment: Deployment,
  target: { pool: Pool; server?: Server },
  usages: Usage[],
  candidates: Candidate[],
  options: { chain: Certificate[]; files: string[]; effectiveDate?: string },
): ChangePlan {
  const requirements = requirementsOf(deployment);
  const { pool } = target;
  requirements.assertUsages(pool, usages);
  if (options.effectiveDate !== undefined && !usages.every((u) => ROLLABLE.includes(u))) {
    throw new InputError(`--effective-date stages a roll of ${ROLLABLE.join(' or ')} only (Set-CsCertificate -Roll); not of ${usages.filter((u) => !ROLLABLE.includes(u)).join(', ')}`);
  }
  if (candidates.length === 0) throw new InputError('no end-entity certificate among the candidates (only CA certificates)');
  const notes: string[] = [];
  const perServer = usages.filter((u) => requirements.scopeOf(pool, u) === 'server');
  if (candidates.length > 1 && perServer.length !== usages.length) {
    throw new InputError(`${candidates.length} certificates given, but ${usages.filter((u) => !perServer.includes(u)).join(', ')} has one certificate for the whole ${usages.includes('OAuthTokenIssuer') ? 'deployment' : 'pool'}: check one`);
  }

  // Usages by server, and the candidate each server gets.
  const byServer = new Map<Server, { pool: Pool; usages: Usage[]; candidate: Candidate }>();
  const give = (p: Pool, s: Server, usage: Usage, candidate: Candidate) => {
    const entry = byServer.get(s);
    if (entry) entry.usages.push(usage);
    else byServer.set(s, { pool: p, usages: [usage], candidate });
  };
  const members = target.server ? [target.server] : pool.servers;
  const unnamed = new Set(candidates);
  const leftAsIs = new Map<Server, Usage[]>();
  for (const usage of usages) {
    const scope = requirements.scopeOf(pool, usage);
    if (scope === 'global') {
      for (const p of deployment.pools) for (const s of p.servers) if (requirements.forUsage(p, s, usage)) give(p, s, usage, candidates[0]!);
      continue;
    }
    for (const server of members) {
      const candidate = candidates.length === 1 ? candidates[0] : candidates.find((c) => presentedNames(c.certificate.facts).includes(server.fqdn));
      if (!candidate) {
        leftAsIs.set(server, [...(leftAsIs.get(server) ?? []), usage]);
        continue;
      }
      unnamed.delete(candidate);
      give(pool, server, usage, candidate);
    }
  }
  // One note per server: the cause is the server no candidate names, whatever the usages.
  for (const [server, left] of leftAsIs) notes.push(`no candidate names ${server.fqdn}: its ${left.join(', ')} certificate is left as it is`);
  if (candidates.length > 1 && unnamed.size > 0) {
    const files = [...unnamed].map((c) => printable(c.certificate.facts.source.path)).join(', ');
    throw new InputError(`${files}: names no server of ${pool.fqdn} (${members.map((s) => s.fqdn).join(', ')}), so it is no server's certificate: check it with --server`);
  }

  const assignments: PlannedAssignment[] = [];
  const nothingToRoll = new Map<Usage, string[]>();
  for (const [server, { pool: p, usages: serverUsages, candidate }] of byServer) {
    const thumbprint = candidate.certificate.facts.thumbprint;
    if (options.effectiveDate === undefined) {
      assignments.push({ pool: p.fqdn, server: server.fqdn, usages: serverUsages, thumbprint });
      continue;
    }
    for (const usage of serverUsages) {
      const current = server.assignments.find((a) => a.usage === usage);
      if (!current) nothingToRoll.set(usage, [...(nothingToRoll.get(usage) ?? []), server.fqdn]);
      assignments.push({
        pool: p.fqdn,
        server: server.fqdn,
        usages: [usage],
        thumbprint,
        ...(current && { previousThumbprint: current.thumbprint, effectiveDate: options.effectiveDate }),
      });
    }
  }
  for (const [usage, servers] of nothingToRoll) {
    notes.push(`${servers.join(', ')} ${servers.length === 1 ? 'has' : 'have'} no ${usage} certificate to roll from: the candidate is assigned there at once`);
  }
  for (const candidate of candidates.filter(hasEcKey)) {
    const facts = candidate.certificate.facts;
    const servers = new Set(assignments.filter((a) => a.thumbprint === facts.thumbprint).map((a) => a.server));
    const blind = deployment.pools.flatMap((p) => p.servers).filter((s) => servers.has(s.fqdn) && s.stores.personal === undefined);
    notes.push(
      `The candidate ${facts.thumbprint} has an EC key${facts.publicKey.curve ? ` (${facts.publicKey.curve})` : ''}, which exists only in a CNG Key Storage Provider (no CryptoAPI CSP holds one), so its Personal store entries are taken as CNG (cng-key-provider)` +
        (blind.length > 0 ? `; the Personal stores of ${blind.map((s) => s.fqdn).join(', ')} were not collected, so no rule reports it there, but it cannot be used there either` : '') +
        `: Lync Server 2013 cannot use a CNG key. Request it again with an RSA key in ${SCHANNEL_CSP.name}.`,
    );
  }
  return { assignments, candidates, chain: options.chain, files: options.files, notes };
}

/** An EC key lives only in a CNG Key Storage Provider: Windows' CryptoAPI CSPs hold RSA and DSA keys, never EC. */
const hasEcKey = (candidate: Candidate) => candidate.certificate.facts.publicKey.algorithm === 'EC';

/** The deployment with the planned change made: new objects for what changes, the rest shared. */
export function applyChange(deployment: Deployment, plan: ChangePlan): Deployment {
  const added = new Map<string, Certificate>();
  for (const c of [...plan.candidates.map((x) => x.certificate), ...plan.chain]) added.set(c.facts.thumbprint, c);
  const candidates = new Map(plan.candidates.map((c) => [c.certificate.facts.thumbprint, c]));
  // Issuing CAs go into the Intermediate store; roots only into the index, so a root the server does not trust stays a finding.
  const intermediates = plan.chain.filter((c) => c.facts.basicConstraints?.ca && !c.facts.selfIssued);
  const byServer = new Map<string, PlannedAssignment[]>();
  for (const a of plan.assignments) byServer.set(a.server, [...(byServer.get(a.server) ?? []), a]);

  const pools = deployment.pools.map((pool): Pool => {
    if (!pool.servers.some((s) => byServer.has(s.fqdn))) return pool;
    return { ...pool, servers: pool.servers.map((server) => (byServer.has(server.fqdn) ? changeServer(server, byServer.get(server.fqdn)!, intermediates, candidates) : server)) };
  });
  return {
    ...deployment,
    pools,
    certificates: new ChangedIndex(deployment.certificates, added, plan),
    certificateFiles: [...deployment.certificateFiles, ...plan.files.filter((f) => !deployment.certificateFiles.includes(f))],
  };
}

function changeServer(server: Server, planned: PlannedAssignment[], intermediates: Certificate[], candidates: Map<string, Candidate>): Server {
  const location = server.location;
  const changed = new Map<Usage, Assignment>();
  for (const p of planned) {
    for (const usage of p.usages) {
      const current = server.assignments.find((a) => a.usage === usage);
      changed.set(usage, {
        usage,
        thumbprint: p.thumbprint,
        ...(p.previousThumbprint !== undefined && { previousThumbprint: p.previousThumbprint, effectiveDate: p.effectiveDate! }),
        // Findings point where the assignment is declared, or at the server for a new one.
        location: current?.location ?? location,
      });
    }
  }
  const assignments = server.assignments.map((a) => changed.get(a.usage) ?? a);
  for (const [usage, assignment] of changed) if (!server.assignments.some((a) => a.usage === usage)) assignments.push(assignment);
  const { personal, intermediate } = server.stores;
  const entry = (thumbprint: string): StoreEntry => {
    const candidate = candidates.get(thumbprint);
    const hasPrivateKey = candidate?.hasPrivateKey;
    return { thumbprint, ...(hasPrivateKey !== undefined && { hasPrivateKey }), ...(candidate && hasEcKey(candidate) && { keyProvider: 'CNG' as const }), location };
  };
  const thumbprints = [...new Set(planned.map((p) => p.thumbprint))];
  return {
    ...server,
    assignments,
    assignmentsCollected: true,
    stores: {
      ...server.stores,
      // A store not collected stays unknown: the change cannot make it known.
      personal: personal && [...personal, ...thumbprints.filter((t) => !personal.some((e) => e.thumbprint === t)).map(entry)],
      intermediate: intermediate && [
        ...intermediate,
        ...intermediates.filter((c) => !intermediate.some((e) => e.thumbprint === c.facts.thumbprint)).map((c) => ({ thumbprint: c.facts.thumbprint, location })),
      ],
    },
  };
}

/** The snapshot's certificates and the candidates' (with their chains as each candidate's companions). */
class ChangedIndex implements CertificateIndex {
  private readonly candidates: Set<string>;

  constructor(
    private readonly base: CertificateIndex,
    private readonly added: Map<string, Certificate>,
    private readonly plan: ChangePlan,
  ) {
    this.candidates = new Set(plan.candidates.map((c) => c.certificate.facts.thumbprint));
  }

  get(thumbprint: string): Certificate | undefined {
    return this.base.get(thumbprint) ?? this.added.get(thumbprint.toUpperCase());
  }

  companions(thumbprint: string): Certificate[] {
    const own = this.base.companions(thumbprint);
    return this.candidates.has(thumbprint.toUpperCase()) ? [...own, ...this.plan.chain.filter((c) => !own.includes(c))] : own;
  }

  all(): Certificate[] {
    const base = this.base.all();
    return [...base, ...[...this.added.values()].filter((c) => !this.base.get(c.facts.thumbprint))];
  }
}
