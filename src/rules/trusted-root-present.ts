import { pushTo } from '../collections.js';
import type { Certificate } from '../certs/x509.js';
import { defineRule, type ChainResult, type RuleContext, type ServerCertificate } from '../engine/types.js';
import type { Pool, Role, Server, Usage } from '../snapshot/model.js';
import { CITATIONS } from './citations.js';
import { at, ekuPermitsNothing, labelOf, SHA2_HASHES } from './support.js';

/** The internal servers an Edge talks to over MTLS: its next hop and the Directors (Plan for Edge Server certificates). */
const INTERNAL_PEERS: readonly Role[] = ['FrontEnd', 'StandardEdition', 'Director'];
/**
 * A path that fails on what certificate-expiry, not-yet-valid, signature-sha2 or certificate-well-formed
 * report, as they judge every certificate of the server's path, or on the assigned certificate's
 * Extended Key Usage that server-auth-eku reports: one cause, one finding.
 */
function judgedElsewhere({ failure, path }: ChainResult): boolean {
  const { code, certificate } = failure!;
  if (code === 'expired' || code === 'not-yet-valid') return true;
  if (code === 'malformed-certificate' || code === 'signature-algorithm-mismatch') {
    if (certificate === undefined) return false;
    // The validator refuses first for a defect the reader noticed (certificate-well-formed's finding); an
    // assigned certificate's EKU that permits nothing is server-auth-eku's.
    return certificate.facts.problems.length > 0 || (certificate === path[0] && ekuPermitsNothing(certificate));
  }
  const signature = certificate?.facts.signature;
  return code === 'unsupported-algorithm' && signature !== undefined && (signature.pss || signature.hash === null || !SHA2_HASHES.has(signature.hash));
}

/** Peers named in a message before the rest are left out. */
const PEERS_SHOWN = 5;

export default defineRule({
  meta: {
    id: 'trusted-root-present',
    description:
      'Each assigned certificate builds a valid path (RFC 5280) through the server\'s intermediates to a root in that server\'s Trusted Root store; each Edge server builds one, with its own stores, for the certificates of the internal servers it talks to.',
    severity: 'error',
    citation: CITATIONS.configureServers,
    messages: {
      rootMissing:
        'The {{usages}} certificate chains to the root CA {{root}}, which is not in this server\'s Trusted Root store: the certificate shows as not valid. Import that root into LocalMachine\\Root on this server.',
      untrustedRoot:
        'The path of the {{usages}} certificate ends at {{root}}, a self-signed certificate nothing should trust: it is no public root, and either no CA certificate or one that came only with the certificate itself. Reissue the certificate from a CA your servers trust.',
      intermediateMissing:
        'The {{usages}} certificate needs the intermediate CA {{issuer}}, which is neither in this server\'s Intermediate store nor in the certificate\'s file: import it into LocalMachine\\CA on this server (the CA chain, .p7b).',
      issuerUnknown:
        'No certificate in the snapshot is "{{issuer}}", the issuer of "{{subject}}" in the path of the {{usages}} certificate: add that CA\'s certificate to the snapshot\'s certificate files and to this server\'s Intermediate store (its Trusted Root store, if it is a root).',
      invalidPath: 'The {{usages}} certificate has no valid path to a trusted root on this server: {{reason}}',
      edgeRootMissing:
        'This Edge server cannot validate the certificates of {{count}} internal server(s) ({{peers}}): they chain to the root CA {{root}}, which is not in its Trusted Root store, so MTLS with them fails. Import that root into LocalMachine\\Root on this Edge.',
      edgeIntermediateMissing:
        'This Edge server cannot build a path for the certificates of {{count}} internal server(s) ({{peers}}): it lacks their intermediate CA {{issuer}}, which is neither in its Intermediate store nor in the certificates\' files. Import it into LocalMachine\\CA on this Edge.',
      edgeIssuerUnknown:
        'This Edge server cannot build a path for the certificates of {{count}} internal server(s) ({{peers}}): no certificate in the snapshot is "{{issuer}}", the issuer of "{{subject}}" in their path. Add that CA\'s certificate to the snapshot\'s certificate files, and import it on this Edge (its Intermediate store, or its Trusted Root store if it is a root).',
      edgeInvalidPath: 'This Edge server has no valid path for the certificates of {{count}} internal server(s) ({{peers}}): {{reason}}',
    },
  },
  *check(context) {
    const causes = new Causes(context);
    const groups = context.serverCertificates();
    // One finding per server and cause, whichever of its certificates show it (an Edge whose Internal and
    // external certificates both need the root it lacks), with the usages of all of them.
    const byCause = new Map<string, { group: ServerCertificate; cause: Cause; usages: Usage[] }>();
    for (const group of groups) {
      const { server, certificate } = group;
      // Stores not collected are inventory-present's finding.
      if (server.stores.root === null) continue;
      const result = context.chain(server, certificate);
      if (result.valid || judgedElsewhere(result)) continue;
      const cause = causes.of(result, server);
      if (!cause) continue;
      const key = `${server.fqdn}|${cause.key}`;
      const found = byCause.get(key);
      if (found) found.usages.push(...group.usages.filter((u) => !found.usages.includes(u)));
      else byCause.set(key, { group, cause, usages: [...group.usages] });
    }
    for (const { group, cause, usages: list } of byCause.values()) {
      const usages = list.join(', ');
      const where = { ...at(group), usages: list };
      switch (cause.kind) {
        case 'root':
          yield { messageId: 'rootMissing', data: { usages, root: labelOf(context, cause.certificate) }, ...where, thumbprint: cause.certificate.facts.thumbprint };
          break;
        case 'untrusted':
          yield { messageId: 'untrustedRoot', data: { usages, root: labelOf(context, cause.certificate) }, ...where, thumbprint: cause.certificate.facts.thumbprint };
          break;
        case 'intermediate':
          yield { messageId: 'intermediateMissing', data: { usages, issuer: labelOf(context, cause.certificate) }, ...where, thumbprint: cause.certificate.facts.thumbprint };
          break;
        case 'unknown':
          yield { messageId: 'issuerUnknown', data: { usages, issuer: cause.issuer, subject: cause.subject }, ...where };
          break;
        case 'invalid':
          // The validator's message names the certificate at fault.
          yield { messageId: 'invalidPath', data: { usages, reason: cause.reason }, ...where, ...(cause.certificate && { thumbprint: cause.certificate.facts.thumbprint }) };
      }
    }
    // `server|cause` pairs reported, so an Edge missing the internal root hears it once.
    const reported = new Set(byCause.keys());
    yield* edgePaths(context, groups, causes, reported);
  },
});

/** Why a path failed, as the advice needs it; `key` tells one cause from another on a server. */
type Cause = { key: string } & (
  | { kind: 'root' | 'untrusted' | 'intermediate'; certificate: Certificate }
  | { kind: 'unknown'; issuer: string; subject: string }
  | { kind: 'invalid'; reason: string; certificate: Certificate | undefined }
);

/** Tells the causes of failed paths apart, with what the snapshot knows of the certificates named. */
class Causes {
  private bySubject: Map<string, Certificate[]> | undefined;
  private trustedAnywhere: Set<string> | undefined;

  constructor(private readonly context: RuleContext<unknown>) {}

  /** The cause of a failed path; undefined when it cannot be known, as the server's Intermediate store was not collected. */
  of(result: ChainResult, server: Server): Cause | undefined {
    const failure = result.failure!;
    const leaf = result.path[0];
    if (failure.code === 'untrusted-root' && failure.certificate) return this.root(failure.certificate, leaf);
    if (failure.code === 'issuer-not-found' && failure.missingIssuer !== undefined) {
      const known = this.named(failure.missingIssuer);
      const root = known.find((c) => c.facts.selfIssued);
      if (root) return this.root(root, leaf);
      if (server.stores.intermediate === null) return undefined;
      if (known[0]) return { key: `intermediate ${known[0].facts.thumbprint}`, kind: 'intermediate', certificate: known[0] };
      const subject = failure.certificate ? failure.certificate.facts.subject : (result.path[0]?.facts.subject ?? '');
      return { key: `unknown ${failure.missingIssuer}`, kind: 'unknown', issuer: failure.missingIssuer, subject };
    }
    return { key: `invalid ${failure.message}`, kind: 'invalid', reason: failure.message, certificate: failure.certificate };
  }

  /**
   * A self-signed certificate at the end of a path: a root to import on this server when it is a
   * public root, or a CA certificate another server of the deployment trusts or the snapshot holds in a
   * file of its own (the organisation's root); else one nothing should trust (a self-signed server
   * certificate, or a root that came only with the certificate, in its own file).
   */
  private root(certificate: Certificate, leaf: Certificate | undefined): Cause {
    const thumbprint = certificate.facts.thumbprint;
    if (!this.trustedAnywhere) {
      this.trustedAnywhere = new Set(this.context.deployment.pools.flatMap((p) => p.servers.flatMap((s) => (s.stores.root ?? []).map((e) => e.thumbprint))));
    }
    // A version 1 certificate has no basicConstraints to say it is a CA: old roots are such.
    const ca = certificate.facts.basicConstraints?.ca === true || certificate.facts.version < 3;
    const trusted =
      this.context.publicRoots().some((r) => r.facts.thumbprint === thumbprint) ||
      (ca && (this.trustedAnywhere.has(thumbprint) || certificate.facts.source.path !== leaf?.facts.source.path));
    return { key: `root ${thumbprint}`, kind: trusted ? 'root' : 'untrusted', certificate };
  }

  private named(subject: string): Certificate[] {
    if (!this.bySubject) {
      this.bySubject = new Map();
      for (const cert of this.context.deployment.certificates.all()) pushTo(this.bySubject, cert.facts.subject, cert);
    }
    return this.bySubject.get(subject) ?? [];
  }
}

/**
 * Each Edge server must build, with its own stores, a path for the certificates of the internal servers
 * that call it over MTLS: the Default certificates of the Front End, Standard Edition and Director pools
 * of its site (all of them when the snapshot gives no site, or none of them is in the Edge's site). Only
 * certificates valid on their own server are asked of the Edge: a certificate that is not is reported
 * there. The advice always names what the Edge itself lacks, never a certificate that happens to end an
 * internal server's path (an intermediate wrongly in its Trusted Root store stays there).
 */
function* edgePaths(context: RuleContext<unknown>, groups: ServerCertificate[], causes: Causes, reported: Set<string>) {
  const internal = groups.filter(
    (g) => INTERNAL_PEERS.includes(g.pool.role) && g.usages.includes('Default') && g.server.stores.root !== null && context.chain(g.server, g.certificate).valid,
  );
  if (internal.length === 0) return;
  const edges = new Map<Pool, Server[]>();
  for (const { pool, server } of context.servers()) if (pool.role === 'Edge') pushTo(edges, pool, server);
  for (const [pool, servers] of edges) {
    const inSite = internal.filter((g) => pool.site !== undefined && g.pool.site === pool.site);
    const peers = inSite.length > 0 ? inSite : internal;
    for (const server of servers) {
      if (server.stores.root === null) continue;
      const failed = new Map<string, { cause: Cause; peers: string[] }>();
      for (const peer of peers) {
        const result = context.chain(server, peer.certificate);
        if (result.valid) continue;
        const cause = causes.of(result, server);
        if (!cause || reported.has(`${server.fqdn}|${cause.key}`)) continue;
        const entry = failed.get(cause.key);
        if (entry) {
          if (!entry.peers.includes(peer.server.fqdn)) entry.peers.push(peer.server.fqdn);
        } else failed.set(cause.key, { cause, peers: [peer.server.fqdn] });
      }
      for (const { cause, peers: names } of failed.values()) {
        const shown = names.length > PEERS_SHOWN ? `${names.slice(0, PEERS_SHOWN).join(', ')}, …` : names.join(', ');
        const where = { pool: pool.fqdn, server: server.fqdn };
        const data = { count: names.length, peers: shown };
        switch (cause.kind) {
          case 'root':
          case 'untrusted':
            // The internal servers trust their own path, so this root is the internal CA's, to import here.
            yield { messageId: 'edgeRootMissing' as const, data: { ...data, root: labelOf(context, cause.certificate) }, ...where, thumbprint: cause.certificate.facts.thumbprint };
            break;
          case 'intermediate':
            yield { messageId: 'edgeIntermediateMissing' as const, data: { ...data, issuer: labelOf(context, cause.certificate) }, ...where, thumbprint: cause.certificate.facts.thumbprint };
            break;
          case 'unknown':
            yield { messageId: 'edgeIssuerUnknown' as const, data: { ...data, issuer: cause.issuer, subject: cause.subject }, ...where };
            break;
          case 'invalid':
            yield { messageId: 'edgeInvalidPath' as const, data: { ...data, reason: cause.reason }, ...where, ...(cause.certificate && { thumbprint: cause.certificate.facts.thumbprint }) };
        }
      }
    }
  }
}
