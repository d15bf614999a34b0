import rule from '../../src/rules/san-coverage.js';
import { deployment, edgePool, frontEndPool, ruleTester } from './harness.js';

// The "good" fixture's SANs: pool01.contoso.com, fe01.contoso.com, sip.contoso.com, sip.fabrikam.com.
const fe01 = (assignments: Parameters<typeof frontEndPool>[0], extra: Partial<Parameters<typeof deployment>[0]> = {}) =>
  deployment({ pools: [frontEndPool(assignments, 1)], ...extra });

ruleTester(rule, {
  valid: [
    { name: 'Default covers the pool, the server and sip.<domain> of both SIP domains', deployment: fe01({ Default: 'good' }) },
    { name: 'an Access Edge certificate of its own need not name the Web Conferencing Edge', deployment: deployment({ pools: [edgePool({ AccessEdgeExternal: 'good' }, 1)] }) },
    {
      name: 'a wildcard SAN covers the simple URLs',
      deployment: fe01({ WebServicesInternal: 'wildcard-subject' }, { simpleUrls: { meet: [{ url: 'https://meet.contoso.com' }], dialin: ['https://dialin.contoso.com'], admin: [] } }),
      options: { recommended: false },
    },
  ],
  invalid: [
    {
      name: 'fe02 is not in the SAN of the pool certificate',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 2)] }),
      findings: [{ messageId: 'missing', server: 'fe02.contoso.com', message: 'fe02.contoso.com' }],
    },
    {
      name: 'a meeting URL the web certificate does not cover, and lyncdiscoverinternal recommended',
      deployment: fe01({ WebServicesInternal: 'good' }, { simpleUrls: { meet: [{ url: 'https://meet.contoso.com' }], dialin: [], admin: [] } }),
      findings: [
        { messageId: 'missing', message: 'meet.contoso.com' },
        { messageId: 'missingRecommended', severity: 'warning', message: 'lyncdiscoverinternal.contoso.com, lyncdiscoverinternal.fabrikam.com' },
      ],
    },
    {
      name: 'Edge external certificate for Access and Web Conferencing Edge without the Web Conferencing Edge FQDN',
      deployment: deployment({ pools: [edgePool({ AccessEdgeExternal: 'good', DataEdgeExternal: 'good' }, 1)] }),
      findings: [{ messageId: 'missing', usage: 'AccessEdgeExternal', message: 'webconf.contoso.com' }],
    },
    {
      name: 'Edge internal certificate named for another host',
      deployment: deployment({ pools: [edgePool({ Internal: 'good' }, 1)] }),
      findings: [{ messageId: 'missing', usage: 'Internal', message: 'edgepool-int.contoso.com' }],
    },
  ],
});
