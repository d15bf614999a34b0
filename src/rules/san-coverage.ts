import { defineRule } from '../engine/types.js';
import type { Deployment, Pool, Server, Usage } from '../snapshot/model.js';
import { CITATIONS } from './citations.js';
import { at, coveredBy, dnsName, usageList } from './support.js';

export default defineRule({
  meta: {
    id: 'san-coverage',
    description: 'Each assigned certificate\'s subject alternative names cover the names its usages serve: pool and server FQDNs, web services FQDNs, simple URLs, Edge FQDNs and sip.<domain>.',
    severity: 'error',
    citation: CITATIONS.internalServers,
    options: {
      recommended: {
        type: 'boolean',
        default: true,
        description: 'Also warn about names Microsoft recommends for automatic sign-in and mobility (sip.<domain>, lyncdiscover[internal].<domain>).',
      },
    },
    messages: {
      missing:
        'The {{usages}} certificate does not cover {{names}}: clients and servers connecting to a name it does not cover get a certificate name mismatch. Reissue it with every name listed in its subject alternative names.',
      missingRecommended: {
        text: 'The {{usages}} certificate does not cover {{names}}, which automatic sign-in or mobility clients look up: list each in its subject alternative names when you next reissue it.',
        severity: 'warning',
      },
    },
  },
  *check(context) {
    const names = deploymentNames(context.deployment);
    for (const group of context.serverCertificates()) {
      const required = new Set<string>();
      const recommended = new Set<string>();
      for (const usage of group.usages) expectedNames(names, group.pool, group.server, usage, required, recommended);
      const facts = group.certificate.facts;
      // TLS clients match the SAN and ignore the Subject when a SAN exists; an internal Edge name may be the Subject alone.
      const covered = coveredBy(facts.subjectAltNames.dns.length > 0 ? facts.subjectAltNames.dns : facts.subjectCommonName ? [facts.subjectCommonName] : []);
      const uncovered = (wanted: Set<string>) => [...wanted].filter((host) => !covered(host));
      const missing = uncovered(required);
      if (missing.length > 0) yield { messageId: 'missing', data: { usages: usageList(group), names: missing.join(', ') }, ...at(group) };
      if (!context.options.recommended) continue;
      const missingRecommended = uncovered(recommended).filter((n) => !required.has(n));
      if (missingRecommended.length > 0) yield { messageId: 'missingRecommended', data: { usages: usageList(group), names: missingRecommended.join(', ') }, ...at(group) };
    }
  },
});

/** The deployment-wide names certificates serve: its SIP domains and the hosts of its simple URLs. */
function deploymentNames(d: Deployment) {
  const hosts = (urls: string[]) => urls.map(hostOf);
  return {
    domains: d.sipDomains.map((s) => s.name),
    meet: hosts(d.simpleUrls.meet.map((m) => m.url)),
    dialin: hosts(d.simpleUrls.dialin),
    admin: hosts(d.simpleUrls.admin),
  };
}

/** The names a usage serves, from Microsoft's certificate tables for each role. */
function expectedNames(names: ReturnType<typeof deploymentNames>, pool: Pool, server: Server, usage: Usage, required: Set<string>, recommended: Set<string>): void {
  const add = (set: Set<string>, ...hosts: Array<string | undefined>) => hosts.forEach((n) => n && set.add(dnsName(n)));
  const { domains, meet, dialin, admin } = names;
  const serves = pool.role === 'FrontEnd' || pool.role === 'StandardEdition' || pool.role === 'Director';
  switch (usage) {
    case 'Default':
      if (serves || pool.role === 'Mediation' || pool.role === 'PersistentChat') add(required, pool.fqdn, server.fqdn);
      if (pool.role === 'FrontEnd' || pool.role === 'StandardEdition') add(recommended, ...domains.map((x) => `sip.${x}`));
      break;
    case 'WebServicesInternal':
      if (!serves) break;
      add(required, pool.fqdn, server.fqdn, pool.webServices?.internalFqdn, ...meet, ...dialin);
      if (pool.role !== 'Director') add(required, ...admin);
      add(recommended, ...domains.map((x) => `lyncdiscoverinternal.${x}`));
      break;
    case 'WebServicesExternal':
      if (!serves) break;
      add(required, pool.webServices?.externalFqdn, ...meet, ...dialin);
      add(recommended, ...domains.map((x) => `lyncdiscover.${x}`));
      break;
    case 'Internal':
      // Every Edge of a pool holds the one certificate, named for the pool (or its internal load balancer), never a server.
      if (pool.role === 'Edge') add(required, pool.edge?.internalFqdn ?? pool.fqdn);
      break;
    case 'External':
    case 'AccessEdgeExternal':
      if (pool.role !== 'Edge') break;
      // "Plan for Edge Server certificates": the SAN lists sip.<domain> for each SIP domain, unconditionally.
      add(required, pool.edge?.accessEdgeFqdn, ...domains.map((x) => `sip.${x}`));
      if (usage === 'External') add(required, pool.edge?.webConferencingEdgeFqdn);
      break;
    case 'DataEdgeExternal':
      if (pool.role === 'Edge') add(required, pool.edge?.webConferencingEdgeFqdn);
      break;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url.replace(/^[a-z]+:\/\//i, '').split(/[/:]/)[0]!;
  }
}
