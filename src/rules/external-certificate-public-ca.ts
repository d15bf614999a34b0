import { pushTo } from '../collections.js';
import type { Certificate } from '../certs/x509.js';
import { defineRule, type RuleContext, type ServerCertificate } from '../engine/types.js';
import { requirementsOf } from '../requirements/derive.js';
import { CITATIONS } from './citations.js';
import { at, labelOf } from './support.js';

/** How far a path is followed by issuer names through the snapshot's certificates: far beyond any real PKI. */
const MAX_DEPTH = 8;

export default defineRule({
  meta: {
    id: 'external-certificate-public-ca',
    description:
      'The Edge external certificates (External, AccessEdgeExternal, DataEdgeExternal, XmppServer) chain to a publicly trusted root, as federation partners and remote clients require.',
    severity: 'error',
    citation: CITATIONS.externalAccess,
    // Each is about the certificate, whichever Edge's stores show it: one finding listing every Edge that holds it.
    messages: {
      privateRoot: {
        text: 'The certificate {{certificate}} chains to the root {{root}}, which is not a publicly trusted root: federation partners and remote clients will refuse it. Reissue it from a public CA (or, if your partners do trust that root, list it under publicRoots in the configuration).',
        scope: 'certificate',
      },
      privateRootIncomplete: {
        text: 'The certificate {{certificate}} comes from a CA that is not public: its issuers, followed through the snapshot\'s certificates (no Edge that holds it has its whole path in its stores), lead to the root {{root}}, which is not a publicly trusted root. Federation partners and remote clients will refuse it. Reissue it from a public CA (or, if your partners do trust that root, list it under publicRoots in the configuration).',
        scope: 'certificate',
      },
      issuerUnknown: {
        text: 'The certificate {{certificate}} does not chain to a publicly trusted root: its path, from the stores of the Edges that hold it and its own file, stops at "{{issuer}}", which is no public root and no certificate of the snapshot. Federation partners and remote clients refuse a certificate they cannot chain to a public root. If "{{issuer}}" is a public CA\'s intermediate, import it into the Intermediate Certification Authorities store of every Edge (and add it to the snapshot); otherwise reissue the certificate from a public CA.',
        scope: 'certificate',
      },
      issuerEndless: {
        text: 'The certificate {{certificate}} does not chain to a publicly trusted root: no Edge that holds it completes its path, and its issuers, followed by name through the snapshot\'s certificates, name one another in a circle or run deeper than {{depth}} CAs without reaching a root (they were left at "{{issuer}}"). Federation partners and remote clients refuse a certificate they cannot chain to a public root. Reissue it from a public CA, or import the public CA\'s intermediate and root certificates into the stores of every Edge that holds it (and add them to the snapshot).',
        scope: 'certificate',
      },
      selfSigned: {
        text: 'The certificate {{certificate}} is self-signed: federation partners and remote clients will refuse it. Reissue it from a public CA.',
        scope: 'certificate',
      },
    },
  },
  *check(context) {
    const requirements = requirementsOf(context.deployment);
    // The usages the requirements model asks a public CA for (the Edge's external interface), by certificate.
    const holders = new Map<Certificate, Array<{ group: ServerCertificate; usages: ServerCertificate['usages'] }>>();
    for (const group of context.serverCertificates()) {
      const usages = group.usages.filter((u) => requirements.forUsage(group.pool, group.server, u)?.issuer.kind === 'public');
      if (usages.length > 0) pushTo(holders, group.certificate, { group, usages });
    }
    const issuers = new IssuerNames(context);
    for (const [certificate, held] of holders) {
      const verdict = judge(context, issuers, certificate, held.map((h) => h.group));
      if (!verdict) continue;
      const data = { certificate: labelOf(context, certificate), ...verdict.data };
      // Every holder, whether or not its own stores complete the path: the certificate is one.
      for (const { group, usages } of held) yield { messageId: verdict.messageId, data, ...at(group), usage: usages[0]!, usages };
    }
  },
});

type Verdict =
  | { messageId: 'privateRoot' | 'privateRootIncomplete'; data: { root: string } }
  | { messageId: 'issuerUnknown'; data: { issuer: string } }
  | { messageId: 'issuerEndless'; data: { issuer: string; depth: number } }
  | { messageId: 'selfSigned'; data: Record<never, never> };

/**
 * Whether a certificate comes from a public CA, judged from every Edge that holds it: public when one
 * of them builds a path to a public root (an Edge whose own stores lack a link is trusted-root-present's
 * finding); private when a path ends at another root; when no Edge completes its path, its issuers are
 * followed by name through the snapshot's certificates. A path refused for another reason (expiry, a
 * signature) is left to the rules that judge that.
 */
function judge(context: RuleContext<unknown>, issuers: IssuerNames, certificate: Certificate, groups: ServerCertificate[]): Verdict | undefined {
  const results = groups.map((g) => context.publicChain(g.server, certificate));
  if (results.some((r) => r.valid)) return undefined;
  const ended = results.find((r) => r.failure?.code === 'untrusted-root' && r.failure.certificate)?.failure?.certificate;
  if (ended) return ended === certificate ? { messageId: 'selfSigned', data: {} } : { messageId: 'privateRoot', data: { root: labelOf(context, ended) } };
  const missing = results.find((r) => r.failure?.code === 'issuer-not-found' && r.failure.missingIssuer !== undefined)?.failure?.missingIssuer;
  if (missing === undefined) return undefined;
  const top = issuers.follow(missing);
  if (top.kind === 'public') return undefined;
  if (top.kind === 'root') return { messageId: 'privateRootIncomplete', data: { root: labelOf(context, top.root) } };
  if (top.kind === 'endless') return { messageId: 'issuerEndless', data: { issuer: top.name, depth: MAX_DEPTH } };
  return { messageId: 'issuerUnknown', data: { issuer: top.name } };
}

/**
 * Issuer names followed through the snapshot's certificates and the public roots, up to a root, a name
 * nothing holds, or, for names that come back or run on past MAX_DEPTH, no end.
 */
class IssuerNames {
  private bySubject: Map<string, Certificate[]> | undefined;
  private publicThumbprints: Set<string> | undefined;

  constructor(private readonly context: RuleContext<unknown>) {}

  follow(name: string): { kind: 'public' } | { kind: 'root'; root: Certificate } | { kind: 'unknown' | 'endless'; name: string } {
    this.bySubject ??= this.index();
    const seen = new Set<string>();
    // The first self-signed certificate met: the root, unless a CA certificate of the same name certified
    // by another CA (a cross-certificate, as a new CA has from a public one) leads on to a public root.
    let root: Certificate | undefined;
    let current = name;
    for (let depth = 0; depth < MAX_DEPTH && !seen.has(current); depth++) {
      seen.add(current);
      const named = this.bySubject.get(current) ?? [];
      if (named.some((c) => this.publicThumbprints!.has(c.facts.thumbprint))) return { kind: 'public' };
      root ??= named.find((c) => c.facts.selfIssued);
      const onward = named.find((c) => !c.facts.selfIssued);
      if (!onward) return root ? { kind: 'root', root } : { kind: 'unknown', name: current };
      current = onward.facts.issuer;
    }
    return root ? { kind: 'root', root } : { kind: 'endless', name: current };
  }

  private index(): Map<string, Certificate[]> {
    const roots = this.context.publicRoots();
    this.publicThumbprints = new Set(roots.map((r) => r.facts.thumbprint));
    const bySubject = new Map<string, Certificate[]>();
    for (const c of [...this.context.deployment.certificates.all(), ...roots]) pushTo(bySubject, c.facts.subject, c);
    return bySubject;
  }
}
