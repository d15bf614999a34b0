import { defineRule } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { assignmentsCollected } from './support.js';

export default defineRule({
  meta: {
    id: 'inventory-present',
    description: 'Every server in the snapshot has its certificate assignments and stores collected, so the other rules can judge it.',
    // Its worst finding's: a server with no certificate at all. Data not collected warns.
    severity: 'error',
    citation: CITATIONS.configureServers,
    messages: {
      noAssignments: {
        text: 'No certificate assignments were collected for this server, so no rule could check it: run Collect-SfbCertificates.ps1 on it and import again (docs/collect.md).',
        severity: 'warning',
      },
      noneAssigned: 'No certificate is assigned on this server: its services cannot start TLS. Run the Certificate Wizard or Set-CsCertificate.',
      storesMissing: {
        text: 'The {{stores}} store(s) of this server were not collected, so its certificate paths and private keys were not checked: run Collect-SfbCertificates.ps1 on it and import again (docs/collect.md).',
        severity: 'warning',
      },
    },
  },
  *check(context) {
    for (const { pool, server } of context.servers()) {
      const where = { pool: pool.fqdn, server: server.fqdn };
      if (!assignmentsCollected(server)) {
        yield { messageId: 'noAssignments', ...where };
        continue;
      }
      if (server.assignments.length === 0) yield { messageId: 'noneAssigned', ...where };
      const missing = (['personal', 'root', 'intermediate'] as const).filter((s) => server.stores[s] === null);
      if (missing.length > 0) yield { messageId: 'storesMissing', data: { stores: missing.join(', ') }, ...where };
    }
  },
});
