/** Small helpers the built-in rules share; plug-ins may import them too. */
import { EXT } from '../certs/oids.js';
import type { Certificate } from '../certs/x509.js';
import { pushTo } from '../collections.js';
import type { Report, RuleContext, ServerCertificate } from '../engine/types.js';
import type { CertificateRequirement } from '../requirements/model.js';
import type { Deployment, Server, Usage } from '../snapshot/model.js';

export type { ServerCertificate } from '../engine/types.js';

/**
 * Assigned certificates grouped by server and thumbprint (context.serverCertificates(), for plug-ins
 * written against this helper): a Front End's one certificate for Default and both web usages is one
 * finding, not three.
 */
export const serverCertificates = (context: RuleContext<unknown>): ServerCertificate[] => context.serverCertificates();

/** The report fields that place a finding on a server certificate's assignments. */
export function at(group: ServerCertificate): Pick<Report, 'pool' | 'server' | 'usage' | 'usages' | 'thumbprint' | 'location'> {
  return {
    pool: group.pool.fqdn,
    server: group.server.fqdn,
    usage: group.first.usage,
    usages: group.usages,
    thumbprint: group.certificate.facts.thumbprint,
    location: group.first.location,
  };
}

/** `Default, WebServicesInternal` for a message. */
export const usageList = (group: { usages: readonly Usage[] }): string => group.usages.join(', ');

/**
 * A certificate as messages name it: `A9D5…107 (CN=sip.contoso.com)`, the thumbprint's ends (as one
 * compares it with Get-CsCertificate's) and the Subject's common name; the whole Subject when it has no
 * CN, the first DNS name when the Subject is empty; and its friendly name when one is given
 * (`A9D5…107 (CN=sip.contoso.com, "Skype Edge External")`). The finding's `thumbprint` field has it whole.
 */
export function certificateLabel(certificate: Certificate, friendlyName?: string): string {
  const { thumbprint, subjectCommonName, subject, subjectAltNames } = certificate.facts;
  const name = subjectCommonName !== null ? `CN=${subjectCommonName}` : subject || (subjectAltNames.dns[0] !== undefined ? `DNS=${subjectAltNames.dns[0]}` : '');
  const short = `${thumbprint.slice(0, 4)}…${thumbprint.slice(-3)}`;
  const parts = [name, friendlyName !== undefined ? `"${friendlyName}"` : ''].filter(Boolean);
  return parts.length > 0 ? `${short} (${parts.join(', ')})` : short;
}

/** Each thumbprint's friendly names in every store of every server, made once per deployment. */
const friendlyNamesByDeployment = new WeakMap<Deployment, Map<string, Set<string>>>();

/**
 * The friendly name the snapshot's stores give a certificate: the one name every store entry of that
 * thumbprint that has a name agrees on. Undefined when none has one, or when servers name it
 * differently: a finding about a certificate is one for every server, so it shows no server's own name.
 */
export function friendlyName(deployment: Deployment, thumbprint: string): string | undefined {
  let names = friendlyNamesByDeployment.get(deployment);
  if (!names) {
    names = new Map();
    for (const server of deployment.pools.flatMap((p) => p.servers)) {
      for (const entry of [...(server.stores.personal ?? []), ...(server.stores.root ?? []), ...(server.stores.intermediate ?? [])]) {
        if (entry.friendlyName === undefined) continue;
        let set = names.get(entry.thumbprint);
        if (!set) names.set(entry.thumbprint, (set = new Set()));
        set.add(entry.friendlyName);
      }
    }
    friendlyNamesByDeployment.set(deployment, names);
  }
  const found = names.get(thumbprint);
  return found?.size === 1 ? [...found][0] : undefined;
}

/** certificateLabel with the friendly name the snapshot gives the certificate, if it gives one. */
export const labelOf = (context: RuleContext<unknown>, certificate: Certificate): string => certificateLabel(certificate, friendlyName(context.deployment, certificate.facts.thumbprint));

/** The label of a thumbprint the snapshot may or may not hold a certificate for. */
export const thumbprintLabel = (context: RuleContext<unknown>, thumbprint: string): string => {
  const certificate = context.certificate(thumbprint);
  return certificate ? labelOf(context, certificate) : thumbprint;
};

/** An assigned certificate or a CA certificate in the path its server builds for it. */
export interface JudgedCertificate {
  group: ServerCertificate;
  certificate: Certificate;
  /** A CA certificate above the assigned one. */
  issuer: boolean;
  /** The trust anchor that ended a valid path. */
  anchor: boolean;
}

/**
 * Every assigned certificate (once per server) and every CA certificate in the path its server builds
 * for it, for rules that judge each certificate alone. An issuing CA comes once for each server
 * certificate above it: report it with a message of certificate scope, and the engine makes one
 * finding of it listing every server (and usage) whose path uses it.
 */
export function* certificatesAndIssuers(context: RuleContext<unknown>): Iterable<JudgedCertificate> {
  for (const group of context.serverCertificates()) {
    yield { group, certificate: group.certificate, issuer: false, anchor: false };
    const { path, valid } = context.chain(group.server, group.certificate);
    for (let i = 1; i < path.length; i++) yield { group, certificate: path[i]!, issuer: true, anchor: valid && i === path.length - 1 };
  }
}

/** The report fields for a judged certificate: placed at its server's assignments, naming the certificate itself. */
export const atJudged = (j: JudgedCertificate) => ({ ...at(j.group), thumbprint: j.certificate.facts.thumbprint });

/**
 * Whether a certificate's Extended Key Usage extension is present and permits no purpose: it lists
 * none, or cannot be read (where an absent extension permits every purpose).
 */
export function ekuPermitsNothing(certificate: Certificate): boolean {
  const ekus = certificate.facts.extendedKeyUsage;
  if (ekus !== null) return ekus.length === 0;
  return certificate.extensions.some((e) => e.oid === EXT.extendedKeyUsage);
}

/** The digests signature-sha2 accepts. */
export const SHA2_HASHES: ReadonlySet<string> = new Set(['SHA-224', 'SHA-256', 'SHA-384', 'SHA-512']);

export const EDGE_USAGES: readonly Usage[] = ['Internal', 'External', 'AccessEdgeExternal', 'DataEdgeExternal', 'AudioVideoAuthentication', 'XmppServer'];

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

/** The thumbprint a staged roll (Set-CsCertificate -Roll -EffectiveDate) has in effect at `now`: the new one from the EffectiveDate on. */
export function effectiveThumbprint(assignment: ServerCertificate['first'], now: Date): string {
  return pendingRoll(assignment, now) ? assignment.previousThumbprint! : assignment.thumbprint;
}

/** Whether the assignment has a staged roll that has not taken effect at `now`. */
export const pendingRoll = (assignment: ServerCertificate['first'], now: Date): boolean =>
  assignment.previousThumbprint !== undefined && assignment.effectiveDate !== undefined && now.getTime() < Date.parse(assignment.effectiveDate);

/**
 * A staged roll scheduled too late: Microsoft requires the EffectiveDate to fall at least `leadHours`
 * (24 for OAuthTokenIssuer, 8 for AudioVideoAuthentication) before the certificate in use expires.
 * Returns the hours of lead a pending roll has, when too few.
 */
export function rollLeadTooShort(context: RuleContext<unknown>, assignment: ServerCertificate['first'], leadHours: number): number | null {
  // A roll that has taken effect is history; only a pending one can still be rescheduled.
  if (!pendingRoll(assignment, context.now)) return null;
  const current = context.certificate(assignment.previousThumbprint!);
  if (!current) return null;
  const lead = (Date.parse(current.facts.notAfter) - Date.parse(assignment.effectiveDate!)) / HOUR;
  // Rounded down, so a lead a second short of 24 hours never reads "only 24 hours".
  return lead < leadHours ? Math.floor(lead * 10) / 10 : null;
}

/** The value a strict majority of entries share (more than half of them), if any: a tie is no majority. */
export function strictMajority(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const [v, n] of counts) if (n * 2 > values.length) return v;
  return undefined;
}

/**
 * Who holds what, for a message about servers that disagree: `label: server, server; label: server`,
 * each value once, in the order first seen.
 */
export function holdings(entries: ReadonlyArray<{ server: string; value: string }>): string {
  const byValue = new Map<string, string[]>();
  for (const { server, value } of entries) pushTo(byValue, value, server);
  return [...byValue].map(([value, servers]) => `${value}: ${servers.join(', ')}`).join('; ');
}

/**
 * What the right certificate for a requirement has, as a clause of advice ("a SIP domain of the
 * deployment (contoso.com) in its Subject, an RSA key of at least 2048 bits, ..."): the requirements
 * model's required Subject, names, key, EKU, export and issuer. Advice that would otherwise name a
 * certificate (the one most servers hold) says this instead, and "no finding of its own": the
 * certificate most servers hold may itself be at fault, and one rule cannot see another's findings.
 */
export function criteriaOf(requirement: CertificateRequirement): string {
  const parts: string[] = [];
  for (const subject of requirement.subject) {
    if (subject.necessity !== 'required') continue;
    parts.push(subject.kind === 'fqdn' ? `the Subject CN=${subject.name}` : `a SIP domain of the deployment (${subject.domains.join(', ')}) in its Subject`);
  }
  const names = requirement.names.filter((n) => n.necessity === 'required').map((n) => n.name);
  if (names.length > 0) parts.push(`${names.join(', ')} in its subject alternative names`);
  parts.push(`an RSA key of at least ${requirement.key.minRsaBits} bits`);
  parts.push(`${requirement.eku.required.map((e) => e.name).join(', ')} in its Extended Key Usage`);
  if (requirement.exportable.exportable && requirement.exportable.necessity === 'required') parts.push('an exportable private key');
  if (requirement.issuer.kind === 'public' && requirement.issuer.necessity === 'required') parts.push('a public CA as its issuer');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`;
}

/** Whether the snapshot says what is assigned on the server (an import without inventory does not). */
export const assignmentsCollected = (server: Server) => server.assignmentsCollected !== false;
