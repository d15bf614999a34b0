import { defineRule } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { at, certificateLabel, EDGE_USAGES, usageList } from './support.js';

export default defineRule({
  meta: {
    id: 'private-key-exportable',
    description: 'Every assigned certificate has its private key on its server; on Edge servers the A/V key, and in pools of several Edges the Internal and external keys, are exportable.',
    severity: 'error',
    citation: CITATIONS.edgeInternal,
    messages: {
      notInStore: 'The {{usages}} certificate is not in this server\'s Personal store (LocalMachine\\My): import it with its private key.',
      noKey: 'This server does not hold the private key of its {{usages}} certificate: the service cannot use it. Re-import the .pfx with its key, or complete the pending request.',
      notExportable:
        'The private key of the Edge {{usages}} certificate is not exportable: every Edge in the pool needs a copy of the same certificate and key (and A/V authentication needs it even on a single Edge). Re-request it with an exportable key.',
      pfxKeyMismatch: {
        text: 'The private key in the PFX file of the certificate {{certificate}} does not belong to it: a server that imports that file gets a certificate it cannot use. Export the certificate again with its own key.',
        scope: 'certificate',
      },
    },
  },
  *check(context) {
    for (const group of context.serverCertificates()) {
      const { server, pool, certificate } = group;
      if (certificate.facts.privateKey?.present && certificate.facts.privateKey.matchesCertificate === false) {
        yield { messageId: 'pfxKeyMismatch', data: { certificate: certificateLabel(certificate) }, ...at(group) };
      }
      // A Personal store not collected is inventory-present's finding.
      if (server.stores.personal === null) continue;
      const entry = context.personalEntry(server, certificate.facts.thumbprint);
      const data = { usages: usageList(group) };
      if (!entry) yield { messageId: 'notInStore', data, ...at(group) };
      else if (entry.hasPrivateKey === false) yield { messageId: 'noKey', data, ...at(group) };
      else if (pool.role === 'Edge' && entry.exportable === false) {
        // A/V authentication needs the key even on a single Edge; the others only to copy it to pool members.
        const shared = group.usages.filter((u) => u === 'AudioVideoAuthentication' || (pool.servers.length > 1 && EDGE_USAGES.includes(u)));
        if (shared.length > 0) yield { messageId: 'notExportable', data: { usages: shared.join(', ') }, ...at(group) };
      }
    }
  },
});
