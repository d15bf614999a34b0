import { defineRule } from '../engine/types.js';
import { aRole, requirementsOf } from '../requirements/derive.js';
import { CITATIONS } from './citations.js';
import { assignmentsCollected, criteriaOf, holdings, thumbprintLabel } from './support.js';

export default defineRule({
  meta: {
    id: 'required-usages-assigned',
    description:
      'Every server has a certificate assigned to each usage its role requires: Front End, Standard Edition and Director Default, WebServicesInternal and WebServicesExternal; Mediation and Persistent Chat Default; Edge Internal, AccessEdgeExternal and DataEdgeExternal (or External), AudioVideoAuthentication, and XmppServer where XMPP federation is enabled.',
    severity: 'error',
    citation: CITATIONS.configureServers,
    messages: {
      missing:
        'No {{usage}} certificate is assigned on this server, which {{role}} needs ({{why}}; "{{page}}"). Request a certificate with the names that usage serves and assign it: Set-CsCertificate -Type {{usage}} -Thumbprint <thumbprint>, or step 3 of the Deployment Wizard.',
      missingInPool:
        'No {{usage}} certificate is assigned on this Edge server, while the other Edges of the pool hold one ({{holdings}}): every Edge of a pool holds the same one ({{why}}). Give it the certificate the pool is to share, one that has {{criteria}}, and no finding of its own (one the others hold only if no finding names it): import it with its private key from the .pfx exported on another Edge, and assign it: Set-CsCertificate -Type {{usage}} -Thumbprint <thumbprint>.',
    },
  },
  *check(context) {
    const requirements = requirementsOf(context.deployment);
    for (const { pool, server } of context.servers()) {
      // Not collected, or nothing assigned at all: inventory-present's finding.
      if (!assignmentsCollected(server) || server.assignments.length === 0) continue;
      for (const need of requirements.unmetNeeds(pool, server)) {
        // The global OAuthTokenIssuer certificate is oauth-certificate-present's, with its own advice.
        if (need.usage === 'OAuthTokenIssuer') continue;
        const where = { pool: pool.fqdn, server: server.fqdn, usage: need.usage };
        const peers = pool.role === 'Edge' ? pool.servers.flatMap((s) => (s === server ? [] : s.assignments.filter((a) => a.usage === need.usage).map((a) => ({ server: s, assignment: a })))) : [];
        if (peers.length > 0) {
          const held = holdings(peers.map((p) => ({ server: p.server.fqdn, value: thumbprintLabel(context, p.assignment.thumbprint) })));
          const criteria = criteriaOf(requirements.forUsage(pool, server, need.usage)!);
          yield { messageId: 'missingInPool', data: { usage: need.usage, holdings: held, criteria, why: need.why }, ...where };
        } else yield { messageId: 'missing', data: { usage: need.usage, role: aRole(pool.role), why: need.why, page: need.citation.title }, ...where };
      }
    }
  },
});
