import { pushTo } from '../collections.js';
import { defineRule } from '../engine/types.js';
import type { Assignment, Pool, Server } from '../snapshot/model.js';
import { requirementsOf } from '../requirements/derive.js';
import { CITATIONS } from './citations.js';
import { assignmentsCollected, criteriaOf, EDGE_USAGES, holdings, rollLeadTooShort, strictMajority, thumbprintLabel } from './support.js';
import { isoSeconds } from '../dates.js';

export default defineRule({
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
    // Every message is about the pool, not one member: the engine makes one finding of the reports that
    // give the same text (one for each server concerned), listing the servers in its places.
    messages: {
      differs: {
        text: 'The {{usage}} certificate {{certificate}} on {{holders}} differs from {{expected}} on {{others}}: every Edge in a pool must hold the same certificate and key (else "failed to import a shared session key due to invalid signature"). Give every Edge of the pool one certificate that has {{criteria}}, and no finding of its own ({{expected}} only if no finding names it): export it with its private key from an Edge that holds it, import it on the others and assign it.',
        scope: 'certificate',
      },
      disagree: {
        text: 'The Edge servers of this pool hold different {{usage}} certificates, and none is held by more than half of them: {{holdings}}. Every Edge in a pool must hold the same certificate and key: choose one that has {{criteria}}, and no finding of its own, export it with its private key from an Edge that holds it, import it on the others and assign it.',
        scope: 'certificate',
      },
      missing: {
        text: 'No {{usage}} certificate is assigned on {{lacking}}, while {{others}} in the same pool hold one: every Edge of a pool serves the same usages with the same certificates. Give every Edge of the pool one {{usage}} certificate that has {{criteria}}, and no finding of its own (the one the others hold only if no finding names it): export it with its private key from an Edge that holds it, import it on the others and assign it.',
        scope: 'certificate',
      },
      rollTooLate: {
        text: 'The AudioVideoAuthentication roll to {{certificate}} takes effect {{effectiveDate}}, only {{lead}} hours before the current certificate expires; Microsoft requires at least {{min}} hours.',
        scope: 'certificate',
      },
    },
  },
  *check(context) {
    const pools = new Map<Pool, Server[]>();
    for (const { pool, server } of context.servers()) pushTo(pools, pool, server);
    const assigned = new Map<Server, Assignment[]>();
    for (const { server, assignment } of context.assignments()) pushTo(assigned, server, assignment);
    const label = (thumbprint: string) => thumbprintLabel(context, thumbprint);
    const requirements = requirementsOf(context.deployment);
    for (const [pool, servers] of pools) {
      // A usage the server's role requires and it lacks is required-usages-assigned's finding.
      const unmet = new Map(servers.map((server) => [server, new Set(requirements.unmetNeeds(pool, server).map((n) => n.usage))]));
      for (const usage of EDGE_USAGES) {
        const holders = servers.flatMap((server) => {
          const assignment = assigned.get(server)?.find((a) => a.usage === usage);
          return assignment ? [{ server, assignment }] : [];
        });
        if (holders.length === 0) continue;
        const base = (server: Server, assignment: Assignment) => ({ pool: pool.fqdn, server: server.fqdn, usage, location: assignment.location });
        const expected = strictMajority(holders.map((h) => h.assignment.thumbprint));
        // What the pool's one certificate must be (the requirements model), for advice that names none.
        const criteria = criteriaOf(requirements.forUsage(pool, holders[0]!.server, usage)!);
        const names = (list: readonly Server[]) => list.map((s) => s.fqdn).join(', ');
        const lacking = servers.filter(
          // A server with no inventory, or nothing assigned at all, is inventory-present's finding.
          (server) => !holders.some((h) => h.server === server) && assignmentsCollected(server) && server.assignments.length > 0 && !unmet.get(server)!.has(usage),
        );
        if (lacking.length > 0) {
          const data = { usage, lacking: names(lacking), others: names(holders.map((h) => h.server)), criteria };
          for (const server of lacking) yield { messageId: 'missing', data, pool: pool.fqdn, server: server.fqdn, usage };
        }
        if (expected === undefined) {
          // One cause, the pool's: reported without a thumbprint, every holder's report makes one finding.
          const held = holdings(holders.map((h) => ({ server: h.server.fqdn, value: label(h.assignment.thumbprint) })));
          for (const { server, assignment } of holders) yield { messageId: 'disagree', data: { usage, holdings: held, criteria }, ...base(server, assignment) };
        } else {
          const others = names(holders.filter((h) => h.assignment.thumbprint === expected).map((h) => h.server));
          for (const { server, assignment } of holders) {
            if (assignment.thumbprint === expected) continue;
            const same = holders.filter((h) => h.assignment.thumbprint === assignment.thumbprint).map((h) => h.server);
            const data = { usage, certificate: label(assignment.thumbprint), holders: names(same), expected: label(expected), others, criteria };
            yield { messageId: 'differs', data, ...base(server, assignment), thumbprint: assignment.thumbprint };
          }
        }
        if (usage !== 'AudioVideoAuthentication') continue;
        for (const { server, assignment } of holders) {
          const lead = rollLeadTooShort(context, assignment, context.options.minAvRollLeadHours);
          if (lead !== null) {
            // The instant, so that Edges staging the same roll give one text.
            const data = { certificate: label(assignment.thumbprint), effectiveDate: isoSeconds(new Date(assignment.effectiveDate!)), lead, min: context.options.minAvRollLeadHours };
            yield { messageId: 'rollTooLate', data, ...base(server, assignment), thumbprint: assignment.thumbprint };
          }
        }
      }
    }
  },
});
