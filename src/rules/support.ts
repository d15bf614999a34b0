/** Small helpers the built-in rules share; plug-ins may import them too. */
import type { Certificate } from '../certs/x509.js';
import type { AssignedCertificate, Report, RuleContext } from '../engine/types.js';
import type { Pool, Role, Server, Usage } from '../snapshot/model.js';

/** One certificate as one server uses it, for every usage it is assigned to there. */
export interface ServerCertificate {
  pool: Pool;
  server: Server;
  usages: Usage[];
  /** The first assignment, where findings point. */
  first: AssignedCertificate['assignment'];
  certificate: Certificate;
}

/** Groupings made, by the list of assignments they were made from and the usages asked for. */
const groupings = new WeakMap<object, Map<string, ServerCertificate[]>>();

/**
 * Assigned certificates grouped by server and thumbprint: a Front End's one certificate for Default and
 * both web usages is one finding, not three. The engine hands every rule the same list of assignments
 * and a dozen rules group it, so the groups are made once per list and shared: a rule must not change them.
 */
export function serverCertificates(context: RuleContext<unknown>, usages?: readonly Usage[]): ServerCertificate[] {
  const assignments = context.assignments();
  let byUsages = groupings.get(assignments);
  if (!byUsages) groupings.set(assignments, (byUsages = new Map()));
  const key = usages?.join(',') ?? '*';
  let groups = byUsages.get(key);
  if (!groups) byUsages.set(key, (groups = group(assignments, usages)));
  // A copy of the list, which is the caller's to sort or filter.
  return [...groups];
}

function group(assignments: Iterable<AssignedCertificate>, usages: readonly Usage[] | undefined): ServerCertificate[] {
  const groups: ServerCertificate[] = [];
  // By server, then thumbprint: most rules group every assignment, and nested maps join no strings.
  const byServer = new Map<string, Map<string, ServerCertificate>>();
  for (const { pool, server, assignment, certificate } of assignments) {
    if (!certificate || (usages && !usages.includes(assignment.usage))) continue;
    let byThumbprint = byServer.get(server.fqdn);
    if (!byThumbprint) byServer.set(server.fqdn, (byThumbprint = new Map()));
    const group = byThumbprint.get(assignment.thumbprint);
    if (group) group.usages.push(assignment.usage);
    else {
      const created = { pool, server, usages: [assignment.usage], first: assignment, certificate };
      byThumbprint.set(assignment.thumbprint, created);
      groups.push(created);
    }
  }
  return groups;
}

/** The report fields that place a finding on a server certificate's assignment. */
export function at(group: ServerCertificate): Pick<Report, 'pool' | 'server' | 'usage' | 'thumbprint' | 'location'> {
  return {
    pool: group.pool.fqdn,
    server: group.server.fqdn,
    usage: group.first.usage,
    thumbprint: group.certificate.facts.thumbprint,
    location: group.first.location,
  };
}

/** `Default, WebServicesInternal` for a message. */
export const usageList = (group: { usages: readonly Usage[] }): string => group.usages.join(', ');

/** A certificate's name for a message: its subject, or its thumbprint when the subject is empty. */
export const nameOf = (certificate: Certificate): string => certificate.facts.subject || certificate.facts.thumbprint;

/**
 * The CA certificates above a server certificate, as the server builds its path, each once per run:
 * a weak issuing CA shared by a thousand servers is one finding, placed at the first assignment using it.
 */
export function* issuersOnce(
  context: RuleContext<unknown>,
  groups: ServerCertificate[],
): Iterable<{ group: ServerCertificate; issuer: Certificate; isAnchor: boolean }> {
  const seen = new Set<string>();
  for (const group of groups) {
    const { path, valid } = context.chain(group.server, group.certificate);
    for (let i = 1; i < path.length; i++) {
      const issuer = path[i]!;
      if (seen.has(issuer.facts.thumbprint)) continue;
      seen.add(issuer.facts.thumbprint);
      yield { group, issuer, isAnchor: valid && i === path.length - 1 };
    }
  }
}

const FRONT_END_ROLES: readonly Role[] = ['FrontEnd', 'StandardEdition'];
export const EDGE_USAGES: readonly Usage[] = ['Internal', 'External', 'AccessEdgeExternal', 'DataEdgeExternal', 'AudioVideoAuthentication', 'XmppServer'];

export const isFrontEnd = (pool: Pool) => FRONT_END_ROLES.includes(pool.role);

/** Lower-cased DNS name without a trailing dot, for comparison. */
export const dnsName = (name: string) => name.trim().replace(/\.$/, '').toLowerCase();

/**
 * Whether a SAN or subject name covers `host`, with a wildcard only as the whole leftmost label. Looser
 * than verify's dnsNameMatches (src/pki/names.ts), on purpose: a rule asks which names a certificate
 * serves; verify's hostname check also applies the Web PKI's syntax (A-labels, no `*.com`).
 */
export function nameCovers(pattern: string, host: string): boolean {
  return coveredBy([pattern])(host);
}

/**
 * Whether any of `patterns` covers a host, as nameCovers: the patterns normalised once, for checking
 * many hosts against one certificate's names.
 */
export function coveredBy(patterns: readonly string[]): (host: string) => boolean {
  const names = new Set(patterns.map(dnsName));
  return (host) => {
    const h = dnsName(host);
    const dot = h.indexOf('.');
    return names.has(h) || (dot > 0 && names.has(`*.${h.slice(dot + 1)}`));
  };
}

/** Milliseconds in an hour and a day, for option units. */
const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** The thumbprint a staged roll (Set-CsCertificate -Roll -EffectiveDate) has in effect at `now`. */
export function effectiveThumbprint(assignment: AssignedCertificate['assignment'], now: Date): string {
  const staged = assignment.previousThumbprint !== undefined && assignment.effectiveDate !== undefined;
  return staged && now.getTime() < Date.parse(assignment.effectiveDate!) ? assignment.previousThumbprint! : assignment.thumbprint;
}

/**
 * A staged roll scheduled too late: Microsoft requires the EffectiveDate to fall at least `leadHours`
 * (24 for OAuthTokenIssuer, 8 for AudioVideoAuthentication) before the certificate in use expires.
 * Returns the hours of lead a pending roll has, when too few.
 */
export function rollLeadTooShort(context: RuleContext<unknown>, assignment: AssignedCertificate['assignment'], leadHours: number): number | null {
  if (assignment.previousThumbprint === undefined || assignment.effectiveDate === undefined) return null;
  // A roll that has taken effect is history; only a pending one can still be rescheduled.
  if (Date.parse(assignment.effectiveDate) <= context.now.getTime()) return null;
  const current = context.certificate(assignment.previousThumbprint);
  if (!current) return null;
  const lead = (Date.parse(current.facts.notAfter) - Date.parse(assignment.effectiveDate)) / HOUR;
  return lead < leadHours ? Math.round(lead * 10) / 10 : null;
}

/** The value most entries share; the first one seen breaks a tie. */
export function majority(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = values[0];
  for (const [v, n] of counts) if (n > counts.get(best!)!) best = v;
  return best;
}

/** An assigned certificate or one of its issuing CAs, with the words a message uses for it. */
export interface JudgedCertificate {
  group: ServerCertificate;
  certificate: Certificate;
  /** `Default, WebServicesInternal certificate` or `issuing CA "CN=…" of the Default certificate`. */
  what: string;
  issuer: boolean;
  /** The trust anchor that ended a valid path. */
  anchor: boolean;
}

/** Every assigned certificate (once per server) and every CA above them (once per run), for rules that judge each. */
export function* certificatesAndIssuers(context: RuleContext<unknown>): Iterable<JudgedCertificate> {
  const groups = serverCertificates(context);
  for (const group of groups) {
    yield { group, certificate: group.certificate, what: `${usageList(group)} certificate`, issuer: false, anchor: false };
  }
  for (const { group, issuer, isAnchor } of issuersOnce(context, groups)) {
    yield { group, certificate: issuer, what: `issuing CA "${nameOf(issuer)}" of the ${usageList(group)} certificate`, issuer: true, anchor: isAnchor };
  }
}

/** The report fields for a judged certificate: placed at its assignment, naming the certificate itself. */
export const atJudged = (j: JudgedCertificate) => ({ ...at(j.group), thumbprint: j.certificate.facts.thumbprint });

/** Whether the snapshot says what is assigned on the server (an import without inventory does not). */
export const assignmentsCollected = (server: Server) => server.assignmentsCollected !== false;
