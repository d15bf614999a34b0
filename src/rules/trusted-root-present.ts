import type { Certificate } from '../certs/x509.js';
import { defineRule, type Report, type RuleContext } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { at, nameOf, serverCertificates, usageList, type ServerCertificate } from './support.js';
import { pushTo } from '../collections.js';

export default defineRule({
  meta: {
    id: 'trusted-root-present',
    description: 'Each assigned certificate builds a valid path (RFC 5280) through the server\'s intermediates to a root in that server\'s Trusted Root store; Edge servers also trust the internal CA.',
    severity: 'error',
    citation: CITATIONS.configureServers,
    messages: {
      rootMissing: 'The {{usages}} certificate chains to the root CA "{{issuer}}", which is not in this server\'s Trusted Root store: the certificate shows as not valid. Import the root into LocalMachine\\Root.',
      intermediateMissing: 'The {{usages}} certificate needs the intermediate CA "{{issuer}}", which is neither in this server\'s Intermediate store nor in the certificate\'s file: import the CA chain (.p7b) on this server.',
      issuerUnknown: 'No certificate in the snapshot is "{{issuer}}", the issuer of "{{subject}}" in the {{usages}} certificate\'s path: add the CA certificates to the snapshot\'s certificate files, and to this server\'s stores.',
      invalidPath: 'The {{usages}} certificate has no valid path to a trusted root on this server: {{reason}}',
      internalRootMissing: 'This Edge server does not trust the internal root CA "{{issuer}}" that issued the certificate of {{peer}}: import the internal CA chain into the Edge\'s Trusted Root store, or MTLS to the internal servers fails.',
      rootStoreNotCollected: 'The Trusted Root store of this server was not collected, so certificate paths cannot be checked: run the collector (docs/collect.md).',
    },
  },
  *check(context): Generator<Report> {
    const bySubject = new Map<string, Certificate[]>();
    for (const cert of context.deployment.certificates.all()) {
      pushTo(bySubject, cert.facts.subject, cert);
    }
    const groups = serverCertificates(context);
    const unchecked = new Set<string>();
    // `server|root thumbprint` pairs already reported, so an Edge missing the internal root hears it once.
    const missingRoots = new Set<string>();
    for (const group of groups) {
      const { server, pool, certificate } = group;
      if (server.stores.root === null) {
        if (!unchecked.has(server.fqdn)) yield { messageId: 'rootStoreNotCollected', severity: 'warning', pool: pool.fqdn, server: server.fqdn };
        unchecked.add(server.fqdn);
        continue;
      }
      const { valid, failure } = context.chain(server, certificate);
      if (valid || !failure) continue;
      // An expired or future certificate is reported by certificate-expiry and not-yet-valid.
      if (failure.certificate === certificate && (failure.code === 'expired' || failure.code === 'not-yet-valid')) continue;
      const data = { usages: usageList(group) };
      if (failure.code === 'untrusted-root' && failure.certificate) {
        // The path reached a self-signed root (from the PFX or the Intermediate store) the server does not trust.
        missingRoots.add(`${server.fqdn}|${failure.certificate.facts.thumbprint}`);
        yield { messageId: 'rootMissing', data: { ...data, issuer: nameOf(failure.certificate) }, ...at(group), thumbprint: failure.certificate.facts.thumbprint };
      } else if (failure.code === 'issuer-not-found' && failure.missingIssuer !== undefined) {
        const known = bySubject.get(failure.missingIssuer) ?? [];
        const root = known.find((c) => c.facts.selfIssued);
        const messageId = known.length === 0 ? 'issuerUnknown' : root ? 'rootMissing' : 'intermediateMissing';
        if (root) missingRoots.add(`${server.fqdn}|${root.facts.thumbprint}`);
        const subject = failure.certificate ? nameOf(failure.certificate) : certificate.facts.subject;
        yield { messageId, data: { ...data, issuer: failure.missingIssuer, subject }, ...at(group), ...(known[0] && { thumbprint: known[0].facts.thumbprint }) };
      } else {
        // The validator's message names the certificate at fault.
        yield { messageId: 'invalidPath', data: { ...data, reason: failure.message }, ...at(group), ...(failure.certificate && { thumbprint: failure.certificate.facts.thumbprint }) };
      }
    }
    yield* internalRootsOnEdges(context, groups, missingRoots);
  },
});

/** Edge servers must trust the roots of the internal servers' certificates, which call them over MTLS. */
function* internalRootsOnEdges(context: RuleContext<unknown>, groups: ServerCertificate[], reported: Set<string>): Generator<Report> {
  const internalRoots = new Map<string, { root: Certificate; peer: string }>();
  for (const group of groups) {
    if (group.pool.role === 'Edge' || !group.usages.includes('Default') || group.server.stores.root === null) continue;
    const { valid, path } = context.chain(group.server, group.certificate);
    const root = path[path.length - 1];
    if (valid && root && !internalRoots.has(root.facts.thumbprint)) internalRoots.set(root.facts.thumbprint, { root, peer: group.server.fqdn });
  }
  for (const { pool, server } of context.servers()) {
    if (pool.role !== 'Edge' || !server.stores.root) continue;
    const trusted = new Set(server.stores.root.map((e) => e.thumbprint));
    for (const [thumbprint, { root, peer }] of internalRoots) {
      if (!trusted.has(thumbprint) && !reported.has(`${server.fqdn}|${thumbprint}`)) {
        yield { messageId: 'internalRootMissing', data: { issuer: nameOf(root), peer }, pool: pool.fqdn, server: server.fqdn, thumbprint };
      }
    }
  }
}
