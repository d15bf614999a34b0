import { pushTo } from '../collections.js';
import { defineRule } from '../engine/types.js';
import type { StoreEntry } from '../snapshot/model.js';
import { CITATIONS } from './citations.js';
import { certificateLabel } from './support.js';

export default defineRule({
  meta: {
    id: 'friendly-name-unique',
    description: 'No two certificates in a server\'s Personal store share a friendly name, as the certificate wizards and administrators pick certificates by it.',
    severity: 'info',
    citation: CITATIONS.environment,
    messages: {
      duplicate:
        'The friendly name "{{name}}" is given to {{count}} certificates in this server\'s Personal store ({{certificates}}): friendly names must be unique in the computer store, or the Certificate Wizard and the Certificates console show two certificates one cannot tell apart. Rename all but one (certificate Properties, Friendly name).',
    },
  },
  *check(context) {
    for (const { pool, server } of context.servers()) {
      const byName = new Map<string, StoreEntry[]>();
      // Windows compares friendly names as people read them: case and surrounding spaces aside.
      for (const entry of server.stores.personal ?? []) if (entry.friendlyName !== undefined) pushTo(byName, entry.friendlyName.trim().toLowerCase(), entry);
      for (const entries of byName.values()) {
        const distinct = [...new Map(entries.map((e) => [e.thumbprint, e])).values()];
        if (distinct.length < 2) continue;
        // Named without their friendly name, which is the one they share.
        const certificates = distinct
          .map((e) => {
            const certificate = context.certificate(e.thumbprint);
            return certificate ? certificateLabel(certificate) : e.thumbprint;
          })
          .join('; ');
        yield { messageId: 'duplicate', data: { name: distinct[0]!.friendlyName!, count: distinct.length, certificates }, pool: pool.fqdn, server: server.fqdn, thumbprint: distinct[1]!.thumbprint, location: distinct[1]!.location };
      }
    }
  },
});
