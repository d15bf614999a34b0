import { defineRule } from '../engine/types.js';
import { requirementsOf } from '../requirements/derive.js';
import { CITATIONS } from './citations.js';
import { assignmentsCollected } from './support.js';

export default defineRule({
  meta: {
    id: 'oauth-certificate-present',
    description:
      'Every Front End, Standard Edition and Director server has an OAuthTokenIssuer certificate assigned: the global certificate server-to-server authentication needs (Directors hold it too).',
    severity: 'error',
    citation: CITATIONS.serverToServer,
    messages: {
      missing:
        'No OAuthTokenIssuer certificate is assigned on this server: server-to-server authentication (Exchange, SharePoint, Skype for Business Online) fails. Assign one globally with Set-CsCertificate -Identity global -Type OAuthTokenIssuer, which the Central Management Store replicates to every Front End, Standard Edition and Director server.',
    },
  },
  *check(context) {
    const requirements = requirementsOf(context.deployment);
    for (const { pool, server } of context.servers()) {
      // A server without inventory, or with nothing assigned at all, is inventory-present's finding.
      if (!assignmentsCollected(server) || server.assignments.length === 0) continue;
      if (requirements.unmetNeeds(pool, server).some((n) => n.usage === 'OAuthTokenIssuer')) yield { messageId: 'missing', pool: pool.fqdn, server: server.fqdn, usage: 'OAuthTokenIssuer' };
    }
  },
});
