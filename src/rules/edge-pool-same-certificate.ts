import { defineRule, type Report } from '../engine/types.js';
import type { Usage } from '../snapshot/model.js';
import { CITATIONS } from './citations.js';
import { assignmentsCollected, EDGE_USAGES, majority, rollLeadTooShort } from './support.js';

export default defineRule<{ minAvRollLeadHours: number }>({
  meta: {
    id: 'edge-pool-same-certificate',
    description: 'Every Edge server in a pool holds the identical Internal, external and A/V authentication certificates, and an A/V roll takes effect at least 8 hours before expiry.',
    severity: 'error',
    citation: CITATIONS.edgeInternal,
    roles: ['Edge'],
    usages: EDGE_USAGES,
    options: {
      minAvRollLeadHours: { type: 'number', default: 8, minimum: 0, description: 'Hours between an AudioVideoAuthentication roll\'s EffectiveDate and the expiry of the certificate it replaces.' },
    },
    messages: {
      differs: 'This Edge server\'s {{usage}} certificate {{thumbprint}} differs from {{expected}} on {{others}}: every Edge in a pool must hold the same certificate and key (else "failed to import a shared session key due to invalid signature").',
      missing: 'This Edge server has no {{usage}} certificate, while {{others}} in the pool have {{expected}}.',
      rollTooLate: 'The AudioVideoAuthentication roll takes effect {{effectiveDate}}, only {{lead}} hours before the current certificate expires; Microsoft requires at least {{min}} hours.',
    },
  },
  *check(context): Generator<Report> {
    for (const pool of context.deployment.pools) {
      if (pool.role !== 'Edge') continue;
      for (const usage of EDGE_USAGES) {
        const holders = pool.servers.map((server) => ({ server, assignment: server.assignments.find((a) => a.usage === usage) }));
        const present = holders.filter((h) => h.assignment);
        if (present.length === 0) continue;
        const expected = majority(present.map((h) => h.assignment!.thumbprint))!;
        const others = (fqdn: string) => present.filter((h) => h.server.fqdn !== fqdn && h.assignment!.thumbprint === expected).map((h) => h.server.fqdn).join(', ');
        for (const { server, assignment } of holders) {
          // A server with no inventory at all is reported by inventory-present.
          if (!assignment) {
            if (assignmentsCollected(server)) yield { messageId: 'missing', data: { usage, expected, others: others(server.fqdn) }, pool: pool.fqdn, server: server.fqdn, usage };
            continue;
          }
          const base = { pool: pool.fqdn, server: server.fqdn, usage: usage as Usage, thumbprint: assignment.thumbprint, location: assignment.location };
          if (assignment.thumbprint !== expected) yield { messageId: 'differs', data: { usage, thumbprint: assignment.thumbprint, expected, others: others(server.fqdn) }, ...base };
          const lead = usage === 'AudioVideoAuthentication' ? rollLeadTooShort(context, assignment, context.options.minAvRollLeadHours) : null;
          if (lead !== null) yield { messageId: 'rollTooLate', data: { effectiveDate: assignment.effectiveDate!, lead, min: context.options.minAvRollLeadHours }, ...base };
        }
      }
    }
  },
});
