/**
 * What the auditor's formats (HTML, Markdown) show, computed once from a LintReport: the verdict, the
 * compliance matrix, findings by rule, the certificates in use and when they expire. Formatting is left
 * to each format; nothing here escapes or writes anything.
 */
import { placesOf, type Finding, type FindingPlace, type Severity } from '../engine/types.js';
import type { Usage } from '../snapshot/model.js';
import { summarize, type InventoryEntry, type LintReport, type ReportedRule, type RunRecord } from './types.js';

const DAY = 24 * 3600 * 1000;
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
/** certificate-expiry's own default, for a report that does not record the rule's options. */
const DEFAULT_WARN_DAYS = 30;
/** Pools as columns up to this many; a wider matrix would not fit a page or a comment. */
const MAX_POOL_COLUMNS = 8;
/** Lists longer than this show their first items, and the rest folded or counted. */
export const FOLD = 6;

const TIME_SOURCE = {
  option: 'fixed with --now',
  configuration: "fixed by the configuration's now",
  clock: 'the clock when the run started: not fixed, so a later run may judge otherwise',
} as const;

/**
 * How the evaluation time was set, in words: from the run record, else from `evaluationTimeFrom` (a
 * probe keeps no run record); a probe without either ran on the clock. Undefined when the report does not say.
 */
function timeSourceText(report: LintReport): string | undefined {
  const from = report.evaluationTimeFrom;
  const source = report.run?.timeSource ?? (from === '--now' ? 'option' : from !== undefined ? 'configuration' : report.probe ? 'clock' : undefined);
  if (source === 'configuration' && from !== undefined && from !== '--now') return `${TIME_SOURCE.configuration} (${from})`;
  return source && TIME_SOURCE[source];
}

/** What a report is about: its deployments by name (or path), or a probe's endpoints when no snapshot named them. */
export function reportTitle(report: LintReport): string {
  const names = report.inputs.length > 0 || !report.probe ? report.inputs.map((i) => i.name ?? i.snapshot) : report.probe.endpoints.map((e) => e.endpoint);
  const noun = report.inputs.length > 0 || !report.probe ? 'deployments' : 'endpoints';
  if (names.length === 0) return report.probe ? 'No endpoint probed' : 'No deployment read';
  return names.length <= 2 ? names.join(' and ') : `${names.length} ${noun}`;
}

/** A rule's link (a plug-in's metadata writes it) if it is a web address; anything else is shown as text, never followed. */
export const webLink = (url: string | undefined): string | undefined => (url && /^https?:\/\/[^\s]+$/i.test(url) ? url : undefined);

/** Where a rule's page says how to fix it: its "How to fix", or the rule's own section of a page of several (docs/probe.md). */
export const fixUrl = (docsUrl: string) => (docsUrl.includes('#') ? docsUrl : `${docsUrl}#how-to-fix`);

/** `2026-01-31 00:00:00 UTC` */
export const dateTime = (iso: string) => iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');

export interface Verdict {
  /** `incomplete` when an input could not be read or a rule failed: the findings may not be all. */
  status: 'pass' | 'fail' | 'incomplete';
  /** One line, e.g. `Fail: 6 errors, 0 warnings`. */
  text: string;
}

/** One column of the compliance matrix: a pool of a snapshot, or the findings about a whole deployment. */
export interface MatrixColumn {
  snapshot: string;
  /** Undefined: the deployment-wide column. */
  pool?: string;
  role?: string;
}

export type MatrixCell =
  | { state: 'fail'; count: number; worst: Severity; suppressed: number }
  | { state: 'pass' | 'accepted'; suppressed: number }
  | { state: 'na' };

export interface RuleFindings {
  rule: ReportedRule;
  /** Unsuppressed findings (lapsed suppressions included), most severe first, in report order within a severity. */
  findings: Finding[];
  worst: Severity;
}

/** A certificate assigned somewhere, with its days left at the evaluation time. */
export interface CertificateInUse {
  entry: InventoryEntry;
  daysLeft: number;
  state: 'expired' | 'expiring' | 'valid';
}

export type EndpointEvidence = NonNullable<LintReport['probe']>['endpoints'][number];

/** One endpoint a probe connected to (or tried to), as its evidence record gives it, with its findings and verdict. */
export interface ProbedEndpointView {
  evidence: EndpointEvidence;
  /** Its findings, suppressed ones included, in report order. */
  findings: Finding[];
  /** Its verdict as a matrix cell: `fail` with the count of unsuppressed findings, `accepted`, or `pass`. */
  verdict: Exclude<MatrixCell, { state: 'na' }>;
}

export interface Audit {
  report: LintReport;
  now: Date;
  /** How the evaluation time was set, in words (`fixed with --now`), or undefined when the report does not say. */
  timeSource: string | undefined;
  counts: ReturnType<typeof summarize>;
  verdict: Verdict;
  /** certificate-expiry's warning window in days, as the run used it. */
  warnDays: number;
  columns: MatrixColumn[];
  /** Past MAX_POOL_COLUMNS pools the matrix is shown the other way round: a row per pool, a column per rule. */
  poolsAsRows: boolean;
  /** One row per rule that ran, in the report's order. */
  matrix: Array<{ rule: ReportedRule; cells: MatrixCell[] }>;
  /** Rules with unsuppressed findings, most severe first. */
  byRule: RuleFindings[];
  suppressed: Finding[];
  lapsed: Finding[];
  /** Every certificate assigned (or kept by a staged roll), soonest expiry first. */
  inUse: CertificateInUse[];
  /** A probe's report: every endpoint probed, in the order probed. Undefined for lint's. */
  endpoints: ProbedEndpointView[] | undefined;
  /** The inventory entry of a finding's certificate. */
  certificateOf(finding: Finding): InventoryEntry | undefined;
  ruleOf(id: string): ReportedRule | undefined;
}

export function audit(report: LintReport): Audit {
  const now = new Date(report.evaluatedAt);
  const counts = summarize(report.findings);
  const inventory = report.inventory ?? [];
  const certificates = new Map(inventory.map((e) => [certificateKey(e.snapshot, e.facts.thumbprint), e]));
  const rules = new Map(report.rules.map((r) => [r.id, r]));
  const warnDays = Number(report.run?.rules.find((r) => r.id === 'certificate-expiry')?.options.warnDays ?? DEFAULT_WARN_DAYS);
  const open = report.findings.filter((f) => !f.suppression);
  const columns = matrixColumns(report);
  return {
    report,
    now,
    timeSource: timeSourceText(report),
    counts,
    verdict: verdict(report, counts),
    warnDays,
    columns,
    poolsAsRows: columns.length > MAX_POOL_COLUMNS,
    matrix: matrix(report, columns, inventory),
    byRule: byRule(open, report.rules),
    suppressed: report.findings.filter((f) => f.suppression),
    lapsed: report.findings.filter((f) => f.lapsedSuppression),
    inUse: inUse(inventory, now, warnDays),
    endpoints: report.probe && probedEndpoints(report),
    certificateOf: (f) => (f.thumbprint === undefined ? undefined : certificates.get(certificateKey(snapshotOf(f), f.thumbprint))),
    ruleOf: (id) => rules.get(id),
  };
}

/** The snapshot a finding belongs to: the engine places every finding in its snapshot first. */
export const snapshotOf = (f: Finding): string => f.locations[0]?.path ?? '';

const certificateKey = (snapshot: string, thumbprint: string) => `${snapshot}\n${thumbprint}`;

function verdict(report: LintReport, counts: ReturnType<typeof summarize>): Verdict {
  const tally = `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}${counts.info ? `, ${counts.info} info` : ''}`;
  const stopped = report.inputErrors.length + report.ruleFailures.length;
  if (stopped > 0) {
    const what = [
      report.inputErrors.length && `${plural(report.inputErrors.length, 'input')} could not be read`,
      report.ruleFailures.length && `${plural(report.ruleFailures.length, 'rule')} failed`,
    ].filter(Boolean);
    return { status: 'incomplete', text: `Incomplete: ${what.join(', ')}; ${tally} in what was checked` };
  }
  if (counts.error > 0) return { status: 'fail', text: `Fail: ${tally}` };
  const rest = counts.warning || counts.info ? `, with ${[counts.warning && plural(counts.warning, 'warning'), counts.info && `${counts.info} info`].filter(Boolean).join(' and ')}` : '';
  return { status: 'pass', text: `Pass: no errors${rest}` };
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function matrixColumns(report: LintReport): MatrixColumn[] {
  const columns: MatrixColumn[] = [];
  for (const input of report.inputs) {
    for (const pool of input.pools ?? []) columns.push({ snapshot: input.snapshot, pool: pool.fqdn, ...(pool.role && { role: pool.role }) });
    // A column for what concerns the whole deployment, only where some finding does.
    if (report.findings.some((f) => snapshotOf(f) === input.snapshot && placesOf(f).some((p) => p.pool === undefined))) columns.push({ snapshot: input.snapshot });
  }
  return columns;
}

/**
 * Each cell: `fail` with the count of unsuppressed findings concerning the pool (a finding found in
 * several of its servers counts once); `accepted` when all its findings are suppressed; `na` when the
 * rule's metadata limits it to roles or usages the pool does not have; `pass` otherwise.
 */
function matrix(report: LintReport, columns: MatrixColumn[], inventory: InventoryEntry[]): Audit['matrix'] {
  const usagesByPool = new Map<string, Set<Usage>>();
  for (const entry of inventory) {
    for (const a of entry.assignments) {
      const key = columnKey(entry.snapshot, a.pool);
      const set = usagesByPool.get(key) ?? new Set<Usage>();
      set.add(a.usage);
      usagesByPool.set(key, set);
    }
  }
  type Tally = { count: number; suppressed: number; worst: Severity };
  const tallies = new Map<string, Tally>();
  for (const f of report.findings) {
    const pools = new Set(placesOf(f).map((p: FindingPlace) => p.pool));
    for (const pool of pools) {
      const key = `${f.ruleId}\n${columnKey(snapshotOf(f), pool)}`;
      const t = tallies.get(key) ?? { count: 0, suppressed: 0, worst: 'info' };
      if (f.suppression) t.suppressed++;
      else {
        t.count++;
        if (SEVERITY_RANK[f.severity] < SEVERITY_RANK[t.worst]) t.worst = f.severity;
      }
      tallies.set(key, t);
    }
  }
  return report.rules.map((rule) => ({
    rule,
    cells: columns.map((column): MatrixCell => {
      const key = columnKey(column.snapshot, column.pool);
      const t = tallies.get(`${rule.id}\n${key}`);
      if (t && t.count > 0) return { state: 'fail', count: t.count, worst: t.worst, suppressed: t.suppressed };
      if (t) return { state: 'accepted', suppressed: t.suppressed };
      if (column.pool === undefined) return { state: 'pass', suppressed: 0 };
      const applies =
        (!rule.roles || (column.role !== undefined && rule.roles.includes(column.role))) &&
        (!rule.usages || rule.usages.some((u) => usagesByPool.get(key)?.has(u as Usage)));
      return applies ? { state: 'pass', suppressed: 0 } : { state: 'na' };
    }),
  }));
}

const columnKey = (snapshot: string, pool: string | undefined) => `${snapshot}\n${pool ?? ''}`;

/** The probe's findings are placed on their endpoint: `host:port` is the server they name. */
function probedEndpoints(report: LintReport): ProbedEndpointView[] {
  const byEndpoint = new Map<string, Finding[]>();
  for (const f of report.findings) {
    if (f.server === undefined) continue;
    const list = byEndpoint.get(f.server);
    if (list) list.push(f);
    else byEndpoint.set(f.server, [f]);
  }
  return report.probe!.endpoints.map((evidence) => {
    const findings = byEndpoint.get(evidence.endpoint) ?? [];
    const open = findings.filter((f) => !f.suppression);
    const worst = open.reduce<Severity>((w, f) => (SEVERITY_RANK[f.severity] < SEVERITY_RANK[w] ? f.severity : w), 'info');
    const suppressed = findings.length - open.length;
    const verdict: ProbedEndpointView['verdict'] = open.length > 0 ? { state: 'fail', count: open.length, worst, suppressed } : { state: suppressed > 0 ? 'accepted' : 'pass', suppressed };
    return { evidence, findings, verdict };
  });
}

/** `items` in consecutive groups of at most `max`, as even in size as can be (18 by 9: 9 and 9; 20 by 9: 7, 7, 6). */
export function chunks<T>(items: readonly T[], max: number): T[][] {
  const count = Math.max(1, Math.ceil(items.length / max));
  const size = Math.ceil(items.length / count);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function byRule(open: Finding[], rules: ReportedRule[]): RuleFindings[] {
  const groups = new Map<string, Finding[]>();
  for (const f of open) {
    const list = groups.get(f.ruleId);
    if (list) list.push(f);
    else groups.set(f.ruleId, [f]);
  }
  const order = new Map(rules.map((r, i) => [r.id, i]));
  return [...groups.entries()]
    .map(([id, findings]) => {
      // A plug-in rule's findings without the rule listed (a report built by hand) still show.
      const rule = rules.find((r) => r.id === id) ?? { id, description: '', severity: findings[0]!.severity, citation: { title: '', url: '' }, docsUrl: '' };
      const sorted = [...findings].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
      return { rule, findings: sorted, worst: sorted[0]!.severity };
    })
    .sort((a, b) => SEVERITY_RANK[a.worst] - SEVERITY_RANK[b.worst] || (order.get(a.rule.id) ?? Infinity) - (order.get(b.rule.id) ?? Infinity));
}

function inUse(inventory: InventoryEntry[], now: Date, warnDays: number): CertificateInUse[] {
  return inventory
    .filter((e) => e.assignments.length > 0)
    .map((entry) => {
      const daysLeft = daysFrom(now, entry.facts.notAfter);
      return { entry, daysLeft, state: expiryState(daysLeft, warnDays) };
    })
    .sort((a, b) => Date.parse(a.entry.facts.notAfter) - Date.parse(b.entry.facts.notAfter));
}

/** Expired, expiring within the warning window, or valid beyond it. */
export const expiryState = (daysLeft: number, warnDays: number): CertificateInUse['state'] => (daysLeft < 0 ? 'expired' : daysLeft < warnDays ? 'expiring' : 'valid');

/** Whole days from `now` to `time` (negative: past). */
export const daysFrom = (now: Date, time: string) => Math.floor((Date.parse(time) - now.getTime()) / DAY);

/** The servers and usages of an entry, one line per server: `fe01.contoso.com: Default, WebServicesInternal`. */
export function assignedTo(entry: InventoryEntry): Array<{ pool: string; server: string; usages: string[] }> {
  const byServer = new Map<string, { pool: string; server: string; usages: string[] }>();
  for (const a of entry.assignments) {
    const row = byServer.get(a.server) ?? { pool: a.pool, server: a.server, usages: [] };
    row.usages.push(a.state === 'previous' ? `${a.usage} (until ${a.effectiveDate})` : a.effectiveDate ? `${a.usage} (from ${a.effectiveDate})` : a.usage);
    byServer.set(a.server, row);
  }
  return [...byServer.values()];
}

/** Where a finding is, one entry per place: `pool › server (usages)`. */
export function placeText(place: FindingPlace): string {
  const where = place.server && place.pool && place.server !== place.pool ? `${place.pool} › ${place.server}` : (place.server ?? place.pool ?? 'the whole deployment');
  return place.usages?.length ? `${where} (${place.usages.join(', ')})` : where;
}

/** A key's algorithm and size, as `RSA 2048`, `EC P-256`. */
export function keyText(entry: InventoryEntry): string {
  const k = entry.facts.publicKey;
  const name = k.algorithm === 'unknown' ? (k.oid ?? 'unknown') : k.algorithm;
  return k.curve ? `${name} ${k.curve}` : k.bits !== null ? `${name} ${k.bits}` : name;
}

/** The signature's digest, as `SHA-256`, or the algorithm when it names none. */
export const digestText = (entry: InventoryEntry) => (entry.facts.signature.hash ? `${entry.facts.signature.hash}${entry.facts.signature.pss ? ' (PSS)' : ''}` : entry.facts.signature.algorithm);

const FILE_KINDS: Record<RunRecord['files'][number]['kind'], string> = {
  snapshot: 'snapshot',
  certificate: 'certificate file',
  crl: 'CRL file',
  configuration: 'configuration',
  plugin: 'plug-in',
  'public-root': 'public root file',
};

/** The files a run read, counted by kind: `15 files: 1 snapshot, 13 certificate files, 1 configuration`. */
export function filesReadText(files: RunRecord['files']): string {
  const kinds = Object.entries(FILE_KINDS).map(([kind, name]) => plural(files.filter((f) => f.kind === kind).length, name));
  return `${plural(files.length, 'file')}: ${kinds.filter((k) => !k.startsWith('0 ')).join(', ')}`;
}

const FAILURES: Record<NonNullable<EndpointEvidence['failure']>['kind'], string> = {
  dns: 'the name did not resolve',
  refused: 'connection refused',
  unreachable: 'unreachable',
  timeout: 'timed out',
  closed: 'connection closed',
  'not-tls': 'the server does not speak TLS',
  handshake: 'the TLS handshake failed',
};

/** Why an endpoint gave no certificates, or undefined when it did: `connection refused (ECONNREFUSED)`. */
export const failureText = (e: EndpointEvidence): string | undefined => e.failure ? `${FAILURES[e.failure.kind]} (${e.failure.detail})` : undefined;

/** The TLS session an endpoint agreed: `TLSv1.3, TLS_AES_256_GCM_SHA384`, its alert, or `no TLS session`. */
export function tlsText(e: EndpointEvidence): string {
  if (!e.tls) return 'no TLS session';
  const session = [e.tls.version, e.tls.cipher].filter((v): v is string => v !== null).join(', ') || 'version and cipher not agreed';
  return `${session}${e.tls.handshakeCompleted ? '' : ', handshake not completed'}${e.tls.alert ? `, alert ${e.tls.alert}` : ''}`;
}

/** Whether the server asked the probe for a client certificate (unknown without a TLS session). */
export const clientCertificateText = (e: EndpointEvidence): string => (!e.tls ? 'unknown' : e.tls.clientCertificateRequested ? 'requested' : 'not requested');

/** How the served chain was judged: `valid, to the trust anchor D68B…` or the failure, in words. */
export function pathText(e: EndpointEvidence): string {
  const v = e.validation;
  if (!v) return e.chain.length === 0 ? 'no certificate served' : 'not validated';
  const anchors = `${e.trust.anchors}${e.trust.profile === 'webpki' ? ', Web PKI profile' : ''}`;
  if (v.valid) return `valid, to the trust anchor ${v.trustAnchor ?? 'named by none'} (${anchors})`;
  return `not valid: ${v.failure?.message ?? 'no path'} (${anchors})`;
}
