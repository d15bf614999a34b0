import { defineRule } from '../engine/types.js';
import type { StoreEntry } from '../snapshot/model.js';
import { CITATIONS } from './citations.js';
import { labelOf, thumbprintLabel } from './support.js';

export default defineRule({
  meta: {
    id: 'trusted-root-store-hygiene',
    description: 'Trusted Root stores hold only self-signed certificates, no duplicates, and not more than about 100 of them.',
    // Its worst finding's: a certificate that is not self-signed stops services. Crowding and duplicates warn.
    severity: 'error',
    citation: CITATIONS.trustedRootStore,
    options: {
      maxRoots: { type: 'integer', default: 100, minimum: 1, description: 'Most certificates a Trusted Root store should hold before sign-in problems appear.' },
    },
    messages: {
      notSelfSigned: 'The Trusted Root store holds {{certificate}}, issued by "{{issuer}}": a certificate that is not self-signed there stops the Front End service on Windows Server 2012 (event 32042, CERT_E_UNTRUSTEDROOT). Move it to Intermediate Certification Authorities.',
      edgeNotSelfSigned:
        'The Trusted Root store of this Edge server holds {{certificate}}, issued by "{{issuer}}": importing the internal CA\'s whole chain (.p7b) into Trusted Root Certification Authorities, as "Set up certificates for the internal edge interface" (Gg412750) instructs, puts its intermediate CAs there too, and a certificate that is not self-signed there gives CERT_E_UNTRUSTEDROOT (KB 2795828). Keep only the root in Trusted Root Certification Authorities, and move this certificate to Intermediate Certification Authorities (LocalMachine\\CA).',
      tooMany: {
        text: 'The Trusted Root store holds {{count}} certificates (more than {{max}}): the TLS handshake\'s list of trusted CAs overflows and sign-in fails. Remove roots the server does not need.',
        severity: 'warning',
      },
      duplicate: { text: 'The Trusted Root store lists {{certificate}} more than once: remove the extra entry.', severity: 'warning' },
    },
  },
  *check(context) {
    for (const { pool, server } of context.servers()) {
      const notSelfSigned = pool.role === 'Edge' ? 'edgeNotSelfSigned' : 'notSelfSigned';
      const roots = server.stores.root;
      if (!roots) continue;
      const where = { pool: pool.fqdn, server: server.fqdn };
      // Certificates, not entries: a duplicate entry is one certificate (and a finding of its own below).
      const count = new Set(roots.map((e) => e.thumbprint)).size;
      if (count > context.options.maxRoots) yield { messageId: 'tooMany', data: { count, max: context.options.maxRoots }, ...where };
      // Placed at the entry; made only for a finding, as every server's every root is looked at.
      const at = (entry: StoreEntry) => ({ ...where, thumbprint: entry.thumbprint, location: entry.location });
      const seen = new Set<string>();
      for (const entry of roots) {
        if (seen.has(entry.thumbprint)) yield { messageId: 'duplicate', data: { certificate: thumbprintLabel(context, entry.thumbprint) }, ...at(entry) };
        seen.add(entry.thumbprint);
        const cert = context.certificate(entry.thumbprint);
        if (cert && !cert.facts.selfIssued) yield { messageId: notSelfSigned, data: { certificate: labelOf(context, cert), issuer: cert.facts.issuer }, ...at(entry) };
      }
    }
  },
});
