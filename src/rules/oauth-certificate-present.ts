import { defineRule, type Report } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { assignmentsCollected, isFrontEnd } from './support.js';

export default defineRule({
  meta: {
    id: 'oauth-certificate-present',
    description: 'Every Front End and Standard Edition server has an OAuthTokenIssuer certificate assigned (server-to-server authentication needs it).',
    severity: 'error',
    citation: CITATIONS.serverToServer,
    roles: ['FrontEnd', 'StandardEdition'],
    usages: ['OAuthTokenIssuer'],
    messages: {
      missing: 'No OAuthTokenIssuer certificate is assigned on this server: server-to-server authentication (Exchange, SharePoint, Skype for Business Online) fails. Assign one globally with Set-CsCertificate -Identity global -Type OAuthTokenIssuer.',
    },
  },
  *check(context): Generator<Report> {
    for (const { pool, server } of context.servers()) {
      // A server without any assignment is missing inventory, which inventory-present reports.
      if (!isFrontEnd(pool) || !assignmentsCollected(server)) continue;
      if (!server.assignments.some((a) => a.usage === 'OAuthTokenIssuer')) {
        yield { messageId: 'missing', pool: pool.fqdn, server: server.fqdn, usage: 'OAuthTokenIssuer' };
      }
    }
  },
});
