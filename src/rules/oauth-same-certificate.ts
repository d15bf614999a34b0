import { defineRule, type Report } from '../engine/types.js';
import type { Assignment, Pool, Server } from '../snapshot/model.js';
import { CITATIONS } from './citations.js';
import { effectiveThumbprint, isFrontEnd, majority, rollLeadTooShort } from './support.js';

export default defineRule<{ minRollLeadHours: number }>({
  meta: {
    id: 'oauth-same-certificate',
    description: 'Every Front End and Standard Edition server uses the same OAuthTokenIssuer certificate (it is global), and a staged roll takes effect at least 24 hours before the current one expires.',
    severity: 'error',
    citation: CITATIONS.serverToServer,
    roles: ['FrontEnd', 'StandardEdition'],
    usages: ['OAuthTokenIssuer'],
    options: {
      minRollLeadHours: { type: 'number', default: 24, minimum: 0, description: 'Hours between a roll\'s EffectiveDate and the expiry of the certificate it replaces.' },
    },
    messages: {
      differs: 'This server\'s OAuthTokenIssuer certificate {{thumbprint}} differs from the one on {{count}} other Front End server(s) ({{expected}}): the certificate is global and must be the same everywhere.',
      rollTooLate: 'The OAuthTokenIssuer roll takes effect {{effectiveDate}}, only {{lead}} hours before the current certificate expires; Microsoft requires at least {{min}} hours.',
    },
  },
  *check(context): Generator<Report> {
    const holders: Array<{ pool: Pool; server: Server; assignment: Assignment; key: string }> = [];
    for (const { pool, server, assignment } of context.assignments()) {
      if (assignment.usage !== 'OAuthTokenIssuer' || !isFrontEnd(pool)) continue;
      // Servers agree when the same certificate is in effect now and the same one is staged next.
      const now = effectiveThumbprint(assignment, context.now);
      // The date as an instant, so the same roll written with another offset or format agrees.
      const from = new Date(assignment.effectiveDate ?? 0).toISOString();
      holders.push({ pool, server, assignment, key: now === assignment.thumbprint ? now : `${now}, with ${assignment.thumbprint} staged from ${from}` });
    }
    // The certificate most servers hold is taken as the intended one.
    const expected = majority(holders.map((h) => h.key));
    const agreeing = holders.filter((h) => h.key === expected).length;
    for (const { pool, server, assignment, key } of holders) {
      const base = { pool: pool.fqdn, server: server.fqdn, usage: assignment.usage, thumbprint: assignment.thumbprint, location: assignment.location };
      if (key !== expected) {
        yield { messageId: 'differs', data: { thumbprint: key, expected: expected!, count: agreeing }, ...base };
      }
      const lead = rollLeadTooShort(context, assignment, context.options.minRollLeadHours);
      if (lead !== null) {
        yield { messageId: 'rollTooLate', data: { effectiveDate: assignment.effectiveDate!, lead, min: context.options.minRollLeadHours }, ...base };
      }
    }
  },
});
