import { defineRule } from '../engine/types.js';
import { requirementsOf } from '../requirements/derive.js';
import { CITATIONS } from './citations.js';
import { at, labelOf, usageList } from './support.js';

export default defineRule({
  meta: {
    id: 'private-key-exportable',
    description:
      'Every assigned certificate has its private key on its server; on Edge servers the A/V key, and in pools of several Edges the Internal and external keys, are exportable, as is the global OAuthTokenIssuer certificate\'s.',
    severity: 'error',
    citation: CITATIONS.edgeInternal,
    messages: {
      notInStore: 'The {{usages}} certificate is not in this server\'s Personal store (LocalMachine\\My): import it with its private key.',
      noKey: 'This server does not hold the private key of its {{usages}} certificate: the service cannot use it. Re-import the .pfx with its key, or complete the pending request.',
      notExportable:
        'The private key of the Edge {{usages}} certificate is not exportable: every Edge in the pool needs a copy of the same certificate and key (and A/V authentication needs it even on a single Edge). Re-request it with an exportable key.',
      oauthNotExportable:
        'The private key of the {{usages}} certificate is not exportable: the global OAuthTokenIssuer certificate is replicated, or copied by hand, to every Front End, Standard Edition and Director server with its private key. Re-request it with an exportable key, or assign another certificate whose key is.',
      pfxKeyMismatch: {
        text: 'The private key in the PFX file of the certificate {{certificate}} does not belong to it: a server that imports that file gets a certificate it cannot use. Export the certificate again with its own key.',
        scope: 'certificate',
      },
    },
  },
  *check(context) {
    const requirements = requirementsOf(context.deployment);
    for (const group of context.serverCertificates()) {
      const { server, pool, certificate } = group;
      if (certificate.facts.privateKey?.present && certificate.facts.privateKey.matchesCertificate === false) {
        yield { messageId: 'pfxKeyMismatch', data: { certificate: labelOf(context, certificate) }, ...at(group) };
      }
      // A Personal store not collected is inventory-present's finding.
      if (server.stores.personal === null) continue;
      const entry = context.personalEntry(server, certificate.facts.thumbprint);
      const data = { usages: usageList(group) };
      if (!entry) yield { messageId: 'notInStore', data, ...at(group) };
      else if (entry.hasPrivateKey === false) yield { messageId: 'noKey', data, ...at(group) };
      else if (entry.exportable === false) {
        // The usages whose key must travel (the requirements model): A/V authentication even on a single
        // Edge, the other Edge usages in a pool of several, the global OAuthTokenIssuer certificate.
        const shared = group.usages.filter((u) => {
          const exportable = requirements.forUsage(pool, server, u)?.exportable;
          return exportable?.exportable === true && exportable.necessity === 'required';
        });
        if (shared.length === 0) continue;
        const messageId = pool.role === 'Edge' ? 'notExportable' : 'oauthNotExportable';
        yield { messageId, data: { usages: shared.join(', ') }, ...at(group) };
      }
    }
  },
});
