import { defineRule, type Report } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { at, EDGE_USAGES, serverCertificates, usageList } from './support.js';

export default defineRule({
  meta: {
    id: 'private-key-exportable',
    description: 'Every assigned certificate has its private key on its server; on Edge servers the A/V key, and in pools of several Edges the Internal and external keys, are exportable.',
    severity: 'error',
    citation: CITATIONS.edgeInternal,
    messages: {
      notInStore: 'The {{usages}} certificate is not in this server\'s Personal store (LocalMachine\\My): import it with its private key.',
      noKey: 'This server does not hold the private key of its {{usages}} certificate: the service cannot use it. Re-import the .pfx with its key, or complete the pending request.',
      notExportable: 'The private key of the Edge {{usages}} certificate is not exportable: every Edge in the pool needs a copy of the same certificate and key (and A/V authentication needs it even on a single Edge). Re-request it with an exportable key.',
      pfxKeyMismatch: 'The private key in the {{usages}} certificate\'s PFX file does not belong to it: importing that file gives the server a certificate it cannot use.',
      storeNotCollected: 'The Personal store of this server was not collected, so private keys cannot be checked: run the collector (docs/collect.md).',
    },
  },
  *check(context): Generator<Report> {
    const reportedServers = new Set<string>();
    for (const group of serverCertificates(context)) {
      const { server, pool, certificate } = group;
      if (certificate.facts.privateKey?.present && certificate.facts.privateKey.matchesCertificate === false) {
        yield { messageId: 'pfxKeyMismatch', data: { usages: usageList(group) }, ...at(group) };
      }
      if (server.stores.personal === null) {
        if (!reportedServers.has(server.fqdn)) yield { messageId: 'storeNotCollected', severity: 'warning', pool: pool.fqdn, server: server.fqdn };
        reportedServers.add(server.fqdn);
        continue;
      }
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
