/**
 * Microsoft's certificate tables, applied to one deployment: which usages each role needs and, for each
 * usage on each server, what its certificate must be (model.ts). Rules, `requirements` and `check`
 * all ask here. Look-ups are memoised per deployment, so a rule may ask once per server and usage.
 */
import { InputError } from '../errors.js';
import { CITATIONS } from '../rules/citations.js';
import { dnsName } from '../rules/support.js';
import { USAGES, type Deployment, type Pool, type Role, type Server, type Usage } from '../snapshot/model.js';
import type {
  CertificateRequirement,
  ExportRequirement,
  Gap,
  IssuerRequirement,
  KeyRequirement,
  NameRequirement,
  Necessity,
  PlannedCertificate,
  ProviderRequirement,
  Sharing,
  SubjectRequirement,
  TrustRequirement,
  UsageNeed,
} from './model.js';

/** Roles with web services and the global OAuthTokenIssuer certificate. */
const WEB_ROLES: readonly Role[] = ['FrontEnd', 'StandardEdition', 'Director'];
/** Usages of an Edge's external interface: a public CA's certificate. */
const EDGE_EXTERNAL: readonly Usage[] = ['External', 'AccessEdgeExternal', 'DataEdgeExternal', 'XmppServer'];

/** Server Authentication: "the EKU every Lync/SfB server certificate needs". */
const SERVER_AUTH = { oid: '1.3.6.1.5.5.7.3.1', name: 'Server Authentication' };

/** The CSP Microsoft's pages and the Lync certificate wizard use: RSA SChannel, PROV_RSA_SCHANNEL. */
export const SCHANNEL_CSP = { name: 'Microsoft RSA SChannel Cryptographic Provider', type: 12 } as const;

const KEY_GENERAL: KeyRequirement = {
  algorithms: ['RSA', 'EC'],
  curves: ['P-256', 'P-384', 'P-521'],
  minRsaBits: 2048,
  fixed: false,
  requestBits: 2048,
  why: 'the wizard also accepts 1024 bits, which a configuration may allow. The page also lists ECDH P-256, P-384 and P-521 keys, but an ECDH key exists only in a CNG Key Storage Provider, which Lync Server 2013 cannot use (see Provider): request RSA',
  citation: CITATIONS.infrastructure,
};

const KEY_OAUTH: KeyRequirement = {
  ...KEY_GENERAL,
  // "At least 2048 bits" is an RSA length (an EC key's is 256 to 521), and an ECDH key lives only in CNG.
  algorithms: ['RSA'],
  fixed: true,
  why: 'the OAuthTokenIssuer key must be at least 2048 bits, whatever the general floor',
  citation: CITATIONS.serverToServer,
};

/** What a usage asks of the key: OAuthTokenIssuer's floor is fixed, every other usage's is the recommendation. */
export const keyRequirementOf = (usage: Usage): KeyRequirement => (usage === 'OAuthTokenIssuer' ? KEY_OAUTH : KEY_GENERAL);

/** The general key requirement, which a configuration may lower to 1024 bits. */
export const GENERAL_KEY: KeyRequirement = KEY_GENERAL;

/** The RSA floors Microsoft fixes per usage, whatever the general floor (OAuthTokenIssuer: 2048, JJ205253). */
export const FIXED_KEY_FLOORS: Partial<Record<Usage, number>> = Object.fromEntries(USAGES.flatMap((u) => (keyRequirementOf(u).fixed ? [[u, keyRequirementOf(u).minRsaBits]] : [])));

const PROVIDER: ProviderRequirement = {
  kind: 'CSP',
  ...SCHANNEL_CSP,
  why: 'a legacy CryptoAPI CSP, not a CNG Key Storage Provider: Lync Server 2010 and 2013 cannot use CNG keys and assignment fails (an ECDH key exists only in CNG)',
  citation: CITATIONS.infrastructure,
};

const EKU = { required: [SERVER_AUTH], why: 'MTLS between servers and TLS to clients require it (the Web Server template gives it)', citation: CITATIONS.infrastructure };

const STAYS: ExportRequirement = {
  exportable: false,
  necessity: 'recommended',
  why: 'not needed: each server requests its own certificate, and its key stays on that server',
  citation: CITATIONS.internalServers,
};

const INTERNAL_CA: IssuerRequirement = {
  kind: 'enterprise',
  necessity: 'recommended',
  why: 'an internal enterprise CA is recommended for internal servers (a public CA works too)',
  citation: CITATIONS.internalServers,
};

const PUBLIC_CA: IssuerRequirement = {
  kind: 'public',
  necessity: 'required',
  why: 'federation partners, remote clients and XMPP partners trust only public roots: the external interface needs a public CA',
  citation: CITATIONS.externalAccess,
};

const DEFAULT_CONDITION = 'needed when clients sign in automatically with strict DNS name matching, the SRV record of the domain pointing at this pool';

/** The host of a simple URL (`https://meet.contoso.com/x` → `meet.contoso.com`). */
export function hostOf(url: string): string {
  try {
    return dnsName(new URL(url).hostname);
  } catch {
    return dnsName(url.replace(/^[a-z]+:\/\//i, '').split(/[/:]/)[0]!);
  }
}

const memo = new WeakMap<Deployment, DeploymentRequirements>();

/** The requirements of a deployment, made once and shared by every caller (rules, commands). */
export function requirementsOf(deployment: Deployment): DeploymentRequirements {
  let found = memo.get(deployment);
  if (!found) memo.set(deployment, (found = new DeploymentRequirements(deployment)));
  return found;
}

/** Deployment-wide facts the tables use, computed once. */
interface DeploymentNames {
  domains: string[];
  meet: string[];
  dialin: string[];
  admin: string[];
  dnsNames: Set<string>;
  allServers: string[];
  webServers: string[];
}

export class DeploymentRequirements {
  private readonly names: DeploymentNames;
  private readonly usages = new Map<string, CertificateRequirement>();
  private readonly certificates = new Map<string, CertificateRequirement | null>();

  constructor(readonly deployment: Deployment) {
    const hosts = (urls: string[]) => [...new Set(urls.map(hostOf))];
    const servers = (pools: Pool[]) => pools.flatMap((p) => p.servers.map((s) => s.fqdn));
    this.names = {
      domains: deployment.sipDomains.map((d) => dnsName(d.name)),
      meet: hosts(deployment.simpleUrls.meet.map((m) => m.url)),
      dialin: hosts(deployment.simpleUrls.dialin),
      admin: hosts(deployment.simpleUrls.admin),
      dnsNames: new Set(deployment.dnsNames.map(dnsName)),
      allServers: servers(deployment.pools),
      webServers: servers(deployment.pools.filter((p) => WEB_ROLES.includes(p.role))),
    };
  }

  /** The usages a pool's role needs on each of its servers (issue 18's required-usages-assigned). */
  usagesNeeded(pool: Pool): UsageNeed[] {
    const need = (usage: Usage, why: string, citation = CITATIONS.internalServers, alternatives: Usage[] = []): UsageNeed => ({ usage, necessity: 'required', why, citation, alternatives });
    switch (pool.role) {
      case 'FrontEnd':
      case 'StandardEdition':
      case 'Director':
        return [
          need('Default', 'SIP and server-to-server MTLS: every Front End, Standard Edition and Director server has a Default certificate'),
          need('WebServicesInternal', 'the internal web services (address book, meetings, mobility inside)'),
          need('WebServicesExternal', 'the external web services, published through the reverse proxy'),
          need('OAuthTokenIssuer', 'server-to-server authentication: the global OAuthTokenIssuer certificate is on every Front End, Standard Edition and Director', CITATIONS.serverToServer),
        ];
      case 'Mediation':
      case 'PersistentChat':
        return [need('Default', `the ${pool.role === 'Mediation' ? 'Mediation' : 'Persistent Chat'} server's MTLS with the Front End pools`)];
      case 'Edge': {
        const needs = [
          need('Internal', "the Edge's internal interface, which the Front End and Director pools connect to", CITATIONS.edgeInternal),
          need('AccessEdgeExternal', 'the Access Edge service: remote users and federation', CITATIONS.externalAccess, ['External']),
          need('DataEdgeExternal', 'the Web Conferencing Edge service', CITATIONS.externalAccess, ['External']),
          need('AudioVideoAuthentication', 'A/V authentication (Media Relay Authentication Service): the same certificate and key on every Edge of the pool', CITATIONS.planEdge),
        ];
        const xmpp = pool.edge?.xmppFederation;
        if (xmpp !== false) {
          const condition = 'XMPP federation is enabled on the pool';
          needs.push({ ...need('XmppServer', 'the XMPP gateway (Skype for Business Server 2015)', CITATIONS.edgeEnvironment), necessity: xmpp ? 'required' : 'conditional', condition });
        }
        return needs;
      }
    }
  }

  /**
   * The required usages a server lacks: neither the usage nor one of its alternatives is assigned there
   * (an External certificate serves for AccessEdgeExternal and DataEdgeExternal). Conditional usages
   * are never listed: the snapshot does not say whether they are needed.
   */
  unmetNeeds(pool: Pool, server: Server): UsageNeed[] {
    const assigned = new Set(server.assignments.map((a) => a.usage));
    return this.usagesNeeded(pool).filter((n) => n.necessity === 'required' && !assigned.has(n.usage) && !n.alternatives.some((u) => assigned.has(u)));
  }

  /** What the certificate assigned to `usage` on `server` must be; undefined when the role does not use that usage. */
  forUsage(pool: Pool, server: Server, usage: Usage): CertificateRequirement | undefined {
    if (!usedBy(pool.role, usage)) return undefined;
    const shared = this.scopeOf(pool, usage);
    const key = `${shared === 'global' ? '*' : shared === 'pool' ? pool.fqdn : server.fqdn}|${usage}`;
    let found = this.usages.get(key);
    if (found === undefined) this.usages.set(key, (found = this.derive(pool, server, usage)));
    return found;
  }

  /**
   * What one certificate serving all of `usages` on `server` must be: the names of every usage, the
   * strictest key, issuer and export need, trust by every server any usage needs. Undefined when none of
   * the usages applies to the role.
   */
  forCertificate(pool: Pool, server: Server, usages: readonly Usage[]): CertificateRequirement | undefined {
    const key = `${server.fqdn}|${[...usages].sort().join(',')}`;
    let found = this.certificates.get(key);
    if (found === undefined) {
      const parts = usages.flatMap((u) => this.forUsage(pool, server, u) ?? []);
      this.certificates.set(key, (found = parts.length === 0 ? null : merge(parts)));
    }
    return found ?? undefined;
  }

  /**
   * The certificates to request for a pool (every member's own, and the shared ones once) or for one of
   * its servers, as Microsoft's tables group usages: a Front End's own Default and web services
   * certificate, the global OAuthTokenIssuer certificate, an Edge pool's internal and external ones.
   * `usages` narrows it (each must be one the role needs); InputError for one it does not.
   */
  plan(pool: Pool, server?: Server, usages?: readonly Usage[]): PlannedCertificate[] {
    const needed = this.usagesNeeded(pool);
    if (usages) this.assertUsages(pool, usages);
    // Unasked, a conditional usage (XmppServer where the snapshot does not say whether XMPP is on) is left out: its names would be demanded.
    const wanted = (group: readonly Usage[]) => (usages ? group.filter((u) => usages.includes(u)) : group.filter((u) => needed.some((n) => n.usage === u && n.necessity === 'required')));
    const members = server ? [server] : pool.servers;
    const planned: PlannedCertificate[] = [];
    const add = (label: string, holder: string, on: Server, group: readonly Usage[]) => {
      const chosen = wanted(group);
      const requirement = chosen.length > 0 ? this.forCertificate(pool, on, chosen) : undefined;
      if (requirement) planned.push({ label, holder, requirement });
    };
    if (pool.role === 'Edge') {
      const first = members[0]!;
      add('edge-internal', pool.fqdn, first, ['Internal']);
      add('edge-external', pool.fqdn, first, ['External', 'AccessEdgeExternal', 'DataEdgeExternal', 'AudioVideoAuthentication', 'XmppServer']);
      return planned;
    }
    const web = WEB_ROLES.includes(pool.role);
    for (const member of members) add(web ? 'default-web' : 'default', member.fqdn, member, web ? ['Default', 'WebServicesInternal', 'WebServicesExternal'] : ['Default']);
    if (web) add('oauth', 'global', members[0]!, ['OAuthTokenIssuer']);
    return planned;
  }

  /** Throws an InputError naming the first usage the pool's role does not have, and the ones it has. */
  assertUsages(pool: Pool, usages: readonly Usage[]): void {
    const wrong = usages.find((u) => !usedBy(pool.role, u));
    if (wrong) throw new InputError(`${wrong} is not a usage of ${aRole(pool.role)} (${pool.fqdn} uses ${this.usagesNeeded(pool).map((n) => n.usage).join(', ')})`);
  }

  /**
   * A Director pool's external web services FQDN when a Front End or Standard Edition pool has it too:
   * the two must differ (Director certificate requirements), so it is a fault of the topology, not a
   * name the Director's certificate lacks.
   */
  sharedWebFqdn(pool: Pool): { fqdn: string; frontEnd: Pool } | undefined {
    const fqdn = pool.role === 'Director' ? pool.webServices?.externalFqdn : undefined;
    if (fqdn === undefined) return undefined;
    const frontEnd = this.deployment.pools.find((p) => (p.role === 'FrontEnd' || p.role === 'StandardEdition') && p.webServices?.externalFqdn !== undefined && dnsName(p.webServices.externalFqdn) === dnsName(fqdn));
    return frontEnd ? { fqdn, frontEnd } : undefined;
  }

  /** Who holds one certificate of this usage: a server alone, the pool, or every Front End, Standard Edition and Director. */
  scopeOf(pool: Pool, usage: Usage): Sharing['scope'] {
    if (usage === 'OAuthTokenIssuer') return 'global';
    return pool.role === 'Edge' ? 'pool' : 'server';
  }

  private derive(pool: Pool, server: Server, usage: Usage): CertificateRequirement {
    const role = pool.role;
    const web = WEB_ROLES.includes(role);
    const edge = role === 'Edge';
    const names = new NameList(usage);
    const subject: SubjectRequirement[] = [];
    const gaps: Gap[] = [];
    const { domains, meet, dialin, admin, dnsNames } = this.names;
    const fqdnSubject = (name: string | undefined, necessity: SubjectRequirement['necessity'], why: string, citation = CITATIONS.internalServers) => {
      if (name) subject.push({ kind: 'fqdn', name: dnsName(name), necessity, why, citation, usages: [usage] });
    };
    const published = (prefix: 'sipinternal' | 'sipexternal') =>
      domains.filter((d) => dnsNames.has(`${prefix}.${d}`)).forEach((d) => names.add(`${prefix}.${d}`, 'required', `the deployment publishes ${prefix}.${d} in DNS (dnsNames), and clients that connect to it are given this certificate`, CITATIONS.environment));
    const gap = (field: string, what: string, unnamed: { subject?: Necessity; names: boolean }) =>
      gaps.push({ field, what, ...unnamed, message: `the snapshot gives no ${field} for ${pool.fqdn}, so ${what} cannot be named: add ${field} to that pool in the snapshot` });

    switch (usage) {
      case 'Default':
        names.add(pool.fqdn, 'required', "it is the pool's FQDN, which servers and clients connect to");
        if (server.fqdn !== pool.fqdn) names.add(server.fqdn, 'required', "it is this server's FQDN, which other servers connect to");
        fqdnSubject(pool.fqdn, 'required', role === 'StandardEdition' ? 'the Standard Edition server FQDN' : 'the pool FQDN');
        if (web) {
          for (const d of domains) names.add(`sip.${d}`, 'recommended', `${d} is a SIP domain of this deployment, and clients signing in automatically look up sip.${d}`, CITATIONS.internalServers, { condition: DEFAULT_CONDITION });
          published('sipinternal');
        }
        break;
      case 'WebServicesInternal':
        names.add(pool.webServices?.internalFqdn ?? pool.fqdn, 'required', "it is the pool's internal web services FQDN");
        names.add(pool.fqdn, 'required', "it is the pool's FQDN, which internal web services also answer to");
        if (server.fqdn !== pool.fqdn) names.add(server.fqdn, 'required', "it is this server's FQDN, which internal web services also answer to");
        this.simpleUrls(names, meet, dialin, role === 'Director' ? [] : admin);
        for (const d of domains) names.add(`lyncdiscoverinternal.${d}`, 'recommended', `${d} is a SIP domain of this deployment, and mobility clients inside look up lyncdiscoverinternal.${d}`, CITATIONS.internalServers, { wildcard: true, condition: 'needed for mobility clients and automatic discovery inside' });
        fqdnSubject(pool.fqdn, 'recommended', 'the pool FQDN, as the certificate wizard requests it (clients match the SAN)');
        break;
      case 'WebServicesExternal': {
        const shared = this.sharedWebFqdn(pool);
        // Not a name to add to the Director's certificate: a topology fault (san-coverage's directorWebFqdn).
        if (shared) {
          gaps.push({
            field: 'webServices.externalFqdn',
            what: "the Director pool's own external web services FQDN",
            names: true,
            message: `the external web services FQDN ${shared.fqdn} of the Director pool ${pool.fqdn} is also the Front End pool ${shared.frontEnd.fqdn}'s, and a Director's must differ: give the Director pool its own in Topology Builder, and name that one`,
          });
        } else if (pool.webServices?.externalFqdn) names.add(pool.webServices.externalFqdn, 'required', "it is the pool's external web services FQDN, which the reverse proxy publishes");
        else gap('webServices.externalFqdn', 'the external web services FQDN', { names: true });
        this.simpleUrls(names, meet, dialin, []);
        for (const d of domains) names.add(`lyncdiscover.${d}`, 'recommended', `${d} is a SIP domain of this deployment, and mobility and external clients look up lyncdiscover.${d}`, CITATIONS.internalServers, { wildcard: true, condition: 'needed for mobility clients and automatic discovery from outside' });
        fqdnSubject(pool.fqdn, 'recommended', 'the pool FQDN, as the certificate wizard requests it (clients match the SAN)');
        break;
      }
      case 'OAuthTokenIssuer':
        subject.push({
          kind: 'sipDomain',
          domains,
          necessity: 'required',
          why: 'a SIP domain of the deployment (or a name under one, as a Default certificate reused for OAuth has)',
          citation: CITATIONS.serverToServer,
          usages: [usage],
        });
        if (domains.length === 0) {
          gaps.push({ field: 'sipDomains', what: 'a SIP domain', subject: 'required', names: false, message: 'the snapshot lists no SIP domains, so the OAuthTokenIssuer Subject cannot be named: add sipDomains to the snapshot' });
        }
        break;
      case 'Internal': {
        // One certificate for every Edge of the pool: named for the pool (or its internal load balancer), never a server.
        const internal = pool.edge?.internalFqdn ?? pool.fqdn;
        names.add(internal, 'required', "it is the Edge pool's internal FQDN (or its internal load balancer's), which the Front End and Director pools connect to", CITATIONS.edgeInternal);
        fqdnSubject(internal, 'required', "the Edge pool's internal FQDN (no SAN is needed beyond it)", CITATIONS.edgeInternal);
        break;
      }
      case 'External':
      case 'AccessEdgeExternal': {
        const access = pool.edge?.accessEdgeFqdn;
        if (access) names.add(access, 'required', 'it is the Access Edge external FQDN (TLS clients match the SAN, not the Subject)', CITATIONS.planEdge);
        else gap('edge.accessEdgeFqdn', 'the Access Edge external FQDN', { subject: 'required', names: true });
        fqdnSubject(access, 'required', 'the Access Edge external FQDN, not a wildcard', CITATIONS.planEdge);
        for (const d of domains) names.add(`sip.${d}`, 'required', `${d} is a SIP domain of this deployment, and remote clients and federated partners connect to sip.${d}`, CITATIONS.planEdge);
        published('sipexternal');
        if (pool.edge?.xmppFederation) this.xmpp(names, domains);
        if (usage === 'External') this.webConferencing(names, pool, gap, undefined);
        break;
      }
      case 'DataEdgeExternal':
        this.webConferencing(names, pool, gap, 'recommended');
        fqdnSubject(pool.edge?.webConferencingEdgeFqdn, 'recommended', 'the Web Conferencing Edge external FQDN, when it has a certificate of its own', CITATIONS.planEdge);
        break;
      case 'XmppServer':
        this.xmpp(names, domains);
        if (!pool.edge?.accessEdgeFqdn) gap('edge.accessEdgeFqdn', 'the Access Edge external FQDN', { subject: 'recommended', names: false });
        fqdnSubject(pool.edge?.accessEdgeFqdn, 'recommended', 'the Access Edge external FQDN: the XMPP gateway uses the external Edge certificate', CITATIONS.edgeEnvironment);
        break;
      case 'AudioVideoAuthentication':
        // The A/V authentication service ignores Subject and SAN: any name serves.
        break;
    }

    const sharing = this.sharing(pool, server, usage);
    const externalSide = EDGE_EXTERNAL.includes(usage);
    return {
      usages: [usage],
      role,
      pool: pool.fqdn,
      server: server.fqdn,
      sharing,
      subject,
      names: names.list,
      eku: EKU,
      key: keyRequirementOf(usage),
      provider: PROVIDER,
      exportable: this.exportable(pool, usage),
      issuer: externalSide
        ? PUBLIC_CA
        : edge || usage === 'OAuthTokenIssuer'
          ? { kind: 'either', necessity: 'recommended', why: usage === 'OAuthTokenIssuer' ? 'any web server certificate with a SIP domain in its Subject serves' : 'an internal or a public CA', citation: usage === 'OAuthTokenIssuer' ? CITATIONS.serverToServer : CITATIONS.edgeInternal }
          : INTERNAL_CA,
      trust: this.trust(pool, usage, externalSide),
      ...(usage === 'OAuthTokenIssuer' && { roll: { leadHours: 24, why: 'a staged OAuthTokenIssuer roll must take effect at least 24 hours before the current certificate expires', citation: CITATIONS.staging } }),
      ...(usage === 'AudioVideoAuthentication' && { roll: { leadHours: 8, why: 'a staged A/V authentication roll must take effect at least 8 hours before the current certificate expires', citation: CITATIONS.staging } }),
      gaps,
    };
  }

  private simpleUrls(names: NameList, meet: string[], dialin: string[], admin: string[]): void {
    const citation = CITATIONS.internalServers;
    for (const host of meet) names.add(host, 'required', 'it is the host of a meeting simple URL', citation, { wildcard: true });
    for (const host of dialin) names.add(host, 'required', 'it is the host of the dial-in simple URL', citation, { wildcard: true });
    for (const host of admin) names.add(host, 'required', 'it is the host of the administrative simple URL', citation);
  }

  private xmpp(names: NameList, domains: string[]): void {
    for (const d of domains) names.add(`xmpp.${d}`, 'required', `${d} is a SIP domain of this deployment and XMPP federation is enabled: XMPP partners connect to xmpp.${d} (or *.${d})`, CITATIONS.edgeEnvironment, { wildcard: true });
  }

  /** The Web Conferencing Edge name; `subject`: how necessary it is as the Subject (DataEdgeExternal's own certificate). */
  private webConferencing(names: NameList, pool: Pool, gap: (field: string, what: string, unnamed: { subject?: Necessity; names: boolean }) => void, subject: Necessity | undefined): void {
    const fqdn = pool.edge?.webConferencingEdgeFqdn;
    if (fqdn) names.add(fqdn, 'required', 'it is the Web Conferencing Edge external FQDN', CITATIONS.planEdge);
    else gap('edge.webConferencingEdgeFqdn', 'the Web Conferencing Edge external FQDN', { ...(subject && { subject }), names: true });
  }

  private sharing(pool: Pool, server: Server, usage: Usage): Sharing {
    switch (this.scopeOf(pool, usage)) {
      case 'global':
        return { scope: 'global', holders: this.names.webServers, why: 'the OAuthTokenIssuer certificate is global: the same certificate on every Front End, Standard Edition and Director server', citation: CITATIONS.serverToServer };
      case 'pool':
        return {
          scope: 'pool',
          holders: pool.servers.map((s) => s.fqdn),
          why: 'every Edge server of the pool holds the same certificate and key: requested on one, exported with its private key (.pfx, with the chain) and imported on the others',
          citation: CITATIONS.edgeInternal,
        };
      case 'server':
        return { scope: 'server', holders: [server.fqdn], why: 'each server has its own certificate (Subject the pool FQDN; SAN the pool FQDN, its own FQDN and the names the pool shares)', citation: CITATIONS.internalServers };
    }
  }

  private exportable(pool: Pool, usage: Usage): ExportRequirement {
    if (usage === 'OAuthTokenIssuer') {
      return { exportable: true, necessity: 'required', why: 'the global certificate is replicated to, or copied onto, every Front End, Standard Edition and Director with its private key', citation: CITATIONS.serverToServer };
    }
    if (usage === 'AudioVideoAuthentication') {
      return { exportable: true, necessity: 'required', why: 'every Edge of the pool needs the same A/V authentication key, and the key must be exportable even on a single Edge', citation: CITATIONS.edgeInternal };
    }
    if (pool.role !== 'Edge') return STAYS;
    const several = pool.servers.length > 1;
    return {
      exportable: true,
      necessity: several ? 'required' : 'recommended',
      why: several ? 'the certificate is copied, with its key, to every Edge of the pool' : 'a single Edge needs no copy, but a key that cannot be exported cannot be copied to a second Edge later',
      citation: CITATIONS.edgeInternal,
    };
  }

  private trust(pool: Pool, usage: Usage, externalSide: boolean): TrustRequirement {
    if (externalSide) {
      return {
        servers: pool.servers.map((s) => s.fqdn),
        outside: 'federation partners, remote users\' clients and public IM and XMPP providers, which connect to it (a public root they already trust)',
        why: "those outside connect to the Edge's external interface and validate its chain against the roots they trust, hence a public CA; the Edge servers send the chain, so they need it too",
        citation: CITATIONS.externalAccess,
      };
    }
    if (usage === 'AudioVideoAuthentication') {
      return {
        servers: pool.servers.map((s) => s.fqdn),
        why: 'the Edge servers of the pool hold it, with the same key, for the A/V authentication service, which ignores its names: no other server connects to it',
        citation: CITATIONS.edgeInternal,
      };
    }
    if (usage === 'OAuthTokenIssuer') {
      return {
        servers: this.names.webServers,
        outside: 'partner applications that use server-to-server authentication (Exchange, SharePoint)',
        why: "the servers and partner applications that validate OAuth tokens need the issuing CA's root in their Trusted Root store",
        citation: CITATIONS.serverToServer,
      };
    }
    return {
      servers: this.names.allServers,
      why: "every internal server and every Edge server connects to it over MTLS: the issuing CA's root must be in each one's Trusted Root store (on the Edges too)",
      citation: pool.role === 'Edge' ? CITATIONS.edgeInternal : CITATIONS.configureServers,
    };
  }
}

/** Whether a role uses a usage at all: Edge usages on Edges, Default on every other role, web services and OAuth on Front End, Standard Edition and Director. */
function usedBy(role: Role, usage: Usage): boolean {
  switch (usage) {
    case 'Default':
      return role !== 'Edge';
    case 'WebServicesInternal':
    case 'WebServicesExternal':
    case 'OAuthTokenIssuer':
      return WEB_ROLES.includes(role);
    case 'WsFedTokenTransfer':
      return false;
    default:
      return role === 'Edge';
  }
}

const ROLE_NAMES: Record<Role, string> = {
  FrontEnd: 'Front End pool',
  StandardEdition: 'Standard Edition server',
  Director: 'Director pool',
  Mediation: 'Mediation pool',
  Edge: 'Edge pool',
  PersistentChat: 'Persistent Chat pool',
};

/** A role's name in prose: `Front End pool`. */
export const roleName = (role: Role): string => ROLE_NAMES[role];

/** With its article: `an Edge pool`, `a Director pool`. */
export const aRole = (role: Role): string => `${/^[AEIOU]/.test(ROLE_NAMES[role]) ? 'an' : 'a'} ${ROLE_NAMES[role]}`;

/** Names in the order added, each once: a required mention wins over a recommended one. */
class NameList {
  readonly list: NameRequirement[] = [];
  private readonly byName = new Map<string, NameRequirement>();

  constructor(private readonly usage: Usage) {}

  add(name: string, necessity: NameRequirement['necessity'], why: string, citation = CITATIONS.internalServers, extra: { wildcard?: boolean; condition?: string } = {}): void {
    const key = dnsName(name);
    const found = this.byName.get(key);
    if (found) {
      if (necessity === 'required' && found.necessity !== 'required') {
        Object.assign(found, { necessity, why, citation, wildcard: extra.wildcard ?? false });
        delete found.condition;
      }
      return;
    }
    const entry: NameRequirement = { name: key, necessity, why, citation, wildcard: extra.wildcard ?? false, usages: [this.usage], ...(extra.condition !== undefined && { condition: extra.condition }) };
    this.byName.set(key, entry);
    this.list.push(entry);
  }
}

/** One certificate for several usages: the union of what each asks, the strictest of each choice. */
function merge(parts: CertificateRequirement[]): CertificateRequirement {
  if (parts.length === 1) return parts[0]!;
  const [first] = parts;
  const names = new Map<string, NameRequirement>();
  for (const part of parts) {
    for (const n of part.names) {
      const found = names.get(n.name);
      if (!found) names.set(n.name, { ...n, usages: [...n.usages] });
      else {
        found.usages.push(...n.usages.filter((u) => !found.usages.includes(u)));
        // Required by one usage is required; a wildcard serves only if it serves every usage that asks.
        if (n.necessity === 'required' && found.necessity !== 'required') {
          const { condition: _, ...rest } = n;
          names.set(n.name, { ...rest, usages: found.usages, wildcard: found.wildcard && n.wildcard });
        } else found.wildcard = found.wildcard && n.wildcard;
      }
    }
  }
  const subject: SubjectRequirement[] = [];
  for (const s of parts.flatMap((p) => p.subject)) {
    const same = subject.find((t) => t.kind === s.kind && (s.kind === 'sipDomain' || (t.kind === 'fqdn' && t.name === s.name)));
    if (same) {
      same.usages = [...same.usages, ...s.usages];
      if (s.necessity === 'required') same.necessity = 'required';
    } else subject.push({ ...s, usages: [...s.usages] });
  }
  const gaps = mergeGaps(parts.flatMap((p) => p.gaps));
  // Two different Common Names cannot both be the Subject: a required one wins over a recommended one,
  // even a required one the snapshot does not name (the recommended one would be a guess).
  const requiredFqdn = subject.some((s) => s.kind === 'fqdn' && s.necessity === 'required') || gaps.some((g) => g.subject === 'required');
  const subjects = subject.filter((s) => !(requiredFqdn && s.kind === 'fqdn' && s.necessity !== 'required'));
  // An unnamed recommended Subject is moot where a required one decides it.
  for (const g of gaps) if (requiredFqdn && g.subject === 'recommended') delete g.subject;
  const strictest = <T>(list: T[], rank: (t: T) => number) => list.reduce((a, b) => (rank(b) > rank(a) ? b : a));
  const key = strictest(parts.map((p) => p.key), (k) => k.minRsaBits + (k.fixed ? 0.5 : 0));
  const servers = unionOf(parts.map((p) => p.trust.servers));
  const outside = [...new Set(parts.flatMap((p) => p.trust.outside ?? []))];
  // Who connects from outside says the most (an Edge's external certificate); then who holds or connects to it.
  const trust = strictest(parts.map((p) => p.trust), (t) => (t.outside ? 1e6 : 0) + t.servers.length);
  const widest = { server: 0, pool: 1, global: 2 } as const;
  const sharing = parts.map((p) => p.sharing).reduce((a, b) => (widest[b.scope] > widest[a.scope] ? b : a));
  return {
    usages: parts.flatMap((p) => p.usages),
    role: first!.role,
    pool: first!.pool,
    server: first!.server,
    sharing,
    subject: subjects,
    names: [...names.values()],
    eku: first!.eku,
    key,
    provider: first!.provider,
    exportable: strictest(parts.map((p) => p.exportable), (e) => (e.exportable ? 2 : 0) + (e.necessity === 'required' ? 1 : 0)),
    issuer: strictest(parts.map((p) => p.issuer), (i) => (i.kind === 'public' ? 4 : i.kind === 'enterprise' ? 2 : 0) + (i.necessity === 'required' ? 1 : 0)),
    trust: { why: trust.why, citation: trust.citation, servers, ...(outside.length > 0 && { outside: outside.join('; ') }) },
    ...(parts.find((p) => p.roll) && { roll: parts.find((p) => p.roll)!.roll! }),
    gaps: gaps.filter((g) => g.subject || g.names),
  };
}

/** Each list's members, made once per list: the deployment-wide lists are shared by every server's requirement. */
const membersOf = new WeakMap<readonly string[], Set<string>>();

/**
 * The union of lists of server names, in order: the widest list itself when it holds the others (the
 * global OAuthTokenIssuer certificate's every server). Copying that list for each server's certificate
 * made a deployment of 10,000 servers take a minute.
 */
function unionOf(lists: ReadonlyArray<readonly string[]>): string[] {
  const widest = lists.reduce((a, b) => (b.length > a.length ? b : a));
  let members = membersOf.get(widest);
  if (!members) membersOf.set(widest, (members = new Set(widest)));
  const others = lists.flatMap((list) => (list === widest ? [] : list.filter((name) => !members.has(name))));
  return others.length === 0 ? (widest as string[]) : [...new Set([...widest, ...others])];
}

/** One gap per missing field, naming what each usage left unnamed (the strictest Subject necessity). */
function mergeGaps(gaps: Gap[]): Gap[] {
  const byField = new Map<string, Gap>();
  for (const g of gaps) {
    const found = byField.get(g.field);
    if (!found) byField.set(g.field, { ...g });
    else {
      found.names ||= g.names;
      if (g.subject === 'required' || (g.subject && !found.subject)) found.subject = g.subject;
    }
  }
  return [...byField.values()];
}
