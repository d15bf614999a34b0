import { defineRule } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { assignmentsCollected } from './support.js';

export default defineRule({
  meta: {
    id: 'oauth-certificate-present',
    description: 'Every Front End and Standard Edition server has an OAuthTokenIssuer certificate assigned (server-to-server authentication needs it).',
    severity: 'error',
    citation: CITATIONS.serverToServer,
    roles: ['FrontEnd', 'StandardEdition'],
    usages: ['OAuthTokenIssuer'],
    messages: {
      missing:
        'No OAuthTokenIssuer certificate is assigned on this server: server-to-server authentication (Exchange, SharePoint, Skype for Business Online) fails. Assign one globally with Set-CsCertificate -Identity global -Type OAuthTokenIssuer.',
    },
  },
  *check(context) {
    const holders = new Set([...context.assignments()].map((a) => a.server));
    for (const { pool, server } of context.servers()) {
      // A server without inventory, or with nothing assigned at all, is inventory-present's finding.
      if (!assignmentsCollected(server) || server.assignments.length === 0 || holders.has(server)) continue;
      yield { messageId: 'missing', pool: pool.fqdn, server: server.fqdn, usage: 'OAuthTokenIssuer' };
    }
  },
});
