/**
 * `check`: whether a new certificate, or a request for one, fits a deployment before it is imported.
 * A certificate is assigned, in a copy of the deployment, where it would go (simulate.ts), and every
 * rule runs before and after (the lint pipeline, src/engine/lint.ts, with its configuration and
 * plug-ins): the findings about the candidate, the ones the change fixes and the ones it introduces
 * elsewhere. A request is measured against the requirements directly (check-request.ts).
 */
import { relative, resolve, sep } from 'node:path';
import { isCertificateRequest, readCertificateRequestBytes, type CertificateRequest } from '../certs/csr.js';
import { DEFAULT_MAX_BYTES, readCertificateBytes } from '../certs/read.js';
import type { Certificate } from '../certs/x509.js';
import { emptyReport, lint, LintRun, reportedInput, type LintRequest } from '../engine/lint.js';
import { placesOf, type Finding, type FindingLocation } from '../engine/types.js';
import { InputError } from '../errors.js';
import { readInputFile } from '../files.js';
import type { LintReport, ReportedRule } from '../report/types.js';
import type { Deployment, Pool, Server, Usage } from '../snapshot/model.js';
import { REQUEST_CHECKS, checkRequest, pendingChecks, type RequestCheckId } from './check-request.js';
import { requirementsOf } from './derive.js';
import { applyChange, planChange, type Candidate, type ChangePlan, type PlannedAssignment } from './simulate.js';
import { findTarget } from './targets.js';
import { presentedNames } from './verdicts.js';

export interface CheckRequest extends Omit<LintRequest, 'targets' | 'transform'> {
  /** Certificate files (any format inspect reads) or request files (PKCS #10), not both. */
  candidates: string[];
  snapshot: string;
  pool?: string;
  server?: string;
  usages: Usage[];
  /** More CA certificates for the candidates' chains (--chain). */
  chain?: string[];
  /** The password of .pfx candidates and chain files. */
  password?: string;
  /** A staged roll (Set-CsCertificate -Roll -EffectiveDate), ISO 8601. */
  effectiveDate?: string;
}

/** What a candidate is, and where the check put it. */
export interface CandidateSummary {
  file: string;
  kind: 'certificate' | 'request';
  subject: string;
  /** A certificate's SHA-1 thumbprint; a request's SHA-256. */
  thumbprint?: string;
  sha256?: string;
  /** Certificates: the servers that get it, for which usages. Requests: the server whose requirement it is measured against. */
  assigned: Array<{ pool: string; server: string; usages: Usage[]; previousThumbprint?: string; effectiveDate?: string }>;
  /** Requests: what only the issued certificate will tell. */
  pending?: string;
}

export interface CheckResult {
  kind: 'certificate' | 'request';
  /** A lint report whose findings are the verdict: the ones about the candidate, then the ones introduced elsewhere. */
  report: LintReport;
  /** For each finding of `report`, whether it is about the candidate or introduced elsewhere by the change. */
  categories: Array<'candidate' | 'elsewhere'>;
  /** Findings of the deployment as it is that the change makes go away. */
  fixed: Finding[];
  /** Findings before and after alike (the deployment's own, which `lint` reports). */
  unchanged: number;
  candidates: CandidateSummary[];
  notes: string[];
}

const DOCS = 'https://github.com/sfb-certlint/sfb-certlint/blob/main/docs/pre-deployment.md';

export async function check(request: CheckRequest): Promise<CheckResult> {
  if (request.candidates.length === 0) throw new InputError('check needs a certificate or a request to check (see --help)');
  if (request.usages.length === 0) throw new InputError('check needs --usage U[,U...]: the usages the candidate is for');
  const files = request.candidates.map((path) => {
    const absolute = resolve(request.cwd, path);
    const bytes = readInputFile(absolute, request.maxBytes ?? DEFAULT_MAX_BYTES, 'certificate or request');
    return { path, absolute, bytes, isRequest: isCertificateRequest(bytes) };
  });
  const requests = files.filter((f) => f.isRequest);
  if (requests.length > 0 && requests.length < files.length) throw new InputError('give certificates or requests, not both: check them one kind at a time');
  if (requests.length > 0 && request.chain?.length) throw new InputError('--chain is for certificates: a request has no chain yet');
  if (requests.length > 0 && request.effectiveDate !== undefined) throw new InputError('--effective-date is for certificates: a request is not assigned yet (check the certificate the CA returns with it)');
  return requests.length > 0 ? checkRequests(request, files) : checkCertificates(request, files);
}

/** The result with its error findings only (--quiet), each still with its category; counted before, as lint's. */
export function errorsOnly(result: CheckResult): CheckResult {
  const kept = result.report.findings.flatMap((f, i) => (f.severity === 'error' ? [i] : []));
  return { ...result, report: { ...result.report, findings: kept.map((i) => result.report.findings[i]!) }, categories: kept.map((i) => result.categories[i]!) };
}

async function checkCertificates(request: CheckRequest, files: Array<{ path: string; absolute: string; bytes: Uint8Array }>): Promise<CheckResult> {
  const read = (path: string, bytes: Uint8Array) => {
    const result = readCertificateBytes(bytes, path, { ...(request.password !== undefined && { password: request.password }), ...(request.maxBytes !== undefined && { maxBytes: request.maxBytes }) });
    if (result.errors.length > 0) throw result.errors[0]!;
    return result.certificates;
  };
  const candidates: Candidate[] = [];
  const chain = new Map<string, Certificate>();
  for (const file of files) {
    for (const certificate of read(file.absolute, file.bytes)) {
      if (certificate.facts.basicConstraints?.ca) chain.set(certificate.facts.thumbprint, certificate);
      else if (!candidates.some((c) => c.certificate.facts.thumbprint === certificate.facts.thumbprint)) {
        candidates.push({ certificate, ...(certificate.facts.privateKey && { hasPrivateKey: certificate.facts.privateKey.present }) });
      }
    }
  }
  const chainFiles = (request.chain ?? []).map((path) => resolve(request.cwd, path));
  for (const path of chainFiles) for (const certificate of read(path, readInputFile(path, request.maxBytes ?? DEFAULT_MAX_BYTES, 'certificate file'))) chain.set(certificate.facts.thumbprint, certificate);

  const lintRequest: LintRequest = { ...request, targets: [request.snapshot] };
  let loaded: Deployment | undefined;
  const before = await lint({ ...lintRequest, transform: (d) => (loaded = d) });
  if (!loaded) return { kind: 'certificate', report: before, categories: [], fixed: [], unchanged: 0, candidates: [], notes: [] };
  const deployment: Deployment = loaded;
  if (request.effectiveDate !== undefined && Date.parse(request.effectiveDate) < Date.parse(before.evaluatedAt)) {
    // A roll dated before the evaluation time would be judged as done already: its lead before expiry would go unchecked.
    throw new InputError(
      `--effective-date ${request.effectiveDate} is before the evaluation time ${before.evaluatedAt}: a staged roll takes effect later than the check, not earlier`,
      {},
      'Give the date the roll will take effect (Set-CsCertificate -Roll -EffectiveDate), or --now before it to check the roll as it will be made.',
    );
  }
  const target = findTarget(deployment, request);
  const plan = planChange(deployment, target, request.usages, candidates, {
    chain: [...chain.values()],
    files: [...files.map((f) => f.absolute), ...chainFiles],
    ...(request.effectiveDate !== undefined && { effectiveDate: request.effectiveDate }),
  });
  const after = await lint({ ...lintRequest, transform: (d) => applyChange(d, plan) });

  // A finding is new when its cause is, or when its cause now reaches a place it did not (a peer Edge
  // that kept the old certificate). A cause that only lost places was partly fixed: it is not new.
  const beforePlaces = placesByCause(before.findings);
  const afterCauses = new Set(after.findings.map(cause));
  const about = aboutCandidate(plan);
  const fresh = after.findings.filter((f) => placeKeys(f).some((p) => !beforePlaces.get(cause(f))?.has(p)));
  const mine = fresh.filter((f) => about(f, beforePlaces.get(cause(f))));
  const elsewhere = fresh.filter((f) => !about(f, beforePlaces.get(cause(f))));
  return {
    kind: 'certificate',
    report: { ...after, findings: [...mine, ...elsewhere] },
    categories: [...mine.map(() => 'candidate' as const), ...elsewhere.map(() => 'elsewhere' as const)],
    fixed: before.findings.filter((f) => !afterCauses.has(cause(f))),
    unchanged: after.findings.length - fresh.length,
    candidates: plan.candidates.map((c) => ({
      file: relativePath(request.cwd, c.certificate.facts.source.path),
      kind: 'certificate',
      subject: c.certificate.facts.subject,
      thumbprint: c.certificate.facts.thumbprint,
      assigned: plan.assignments.filter((a) => a.thumbprint === c.certificate.facts.thumbprint).map(summaryOf),
    })),
    notes: plan.notes,
  };
}

function summaryOf(a: PlannedAssignment): CandidateSummary['assigned'][number] {
  return { pool: a.pool, server: a.server, usages: a.usages, ...(a.previousThumbprint !== undefined && { previousThumbprint: a.previousThumbprint, effectiveDate: a.effectiveDate! }) };
}

/** What a finding says, wherever it is found: the same cause before and after the change. */
const cause = (f: Finding) => JSON.stringify([f.ruleId, f.messageId, f.thumbprint ?? '', f.message]);

/** Where a finding is found: each server (or pool) and usage of its places. */
const placeKeys = (f: Finding) => placesOf(f).flatMap((p) => (p.usages?.length ? p.usages : ['']).map((u) => `${p.pool ?? ''}|${p.server ?? ''}|${u}`));

function placesByCause(findings: Finding[]): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const f of findings) {
    const key = cause(f);
    const places = map.get(key) ?? new Set<string>();
    for (const p of placeKeys(f)) places.add(p);
    map.set(key, places);
  }
  return map;
}

/**
 * A new finding is about the candidate when one of its new places is a usage the candidate took on a
 * server, or it names the candidate where it went; anything else new is the change's effect elsewhere
 * (the Edge that kept the old certificate, a peer whose OAuth certificate now differs).
 */
function aboutCandidate(plan: ChangePlan): (f: Finding, known: Set<string> | undefined) => boolean {
  const thumbprints = new Set(plan.candidates.map((c) => c.certificate.facts.thumbprint));
  const changed = new Set(plan.assignments.flatMap((a) => a.usages.map((u) => `${a.server}|${u}`)));
  const servers = new Set(plan.assignments.map((a) => a.server));
  return (f, known) =>
    placesOf(f).some((p) => p.server !== undefined && (p.usages ?? []).some((u) => changed.has(`${p.server}|${u}`) && !known?.has(`${p.pool ?? ''}|${p.server}|${u}`))) ||
    (f.thumbprint !== undefined && thumbprints.has(f.thumbprint) && (f.server === undefined || servers.has(f.server)));
}

async function checkRequests(request: CheckRequest, files: Array<{ path: string; absolute: string; bytes: Uint8Array }>): Promise<CheckResult> {
  // Found, confined and configured as lint and a certificate's check find them (the report says which configuration).
  const run = new LintRun({ ...request, targets: [] });
  const { rel } = run;
  const snapshotPath = resolve(request.cwd, request.snapshot);
  const setup = run.setup(snapshotPath);
  const time = run.time(setup.config);
  const report: LintReport = { ...emptyReport(request.cwd), evaluatedAt: time.at.toISOString(), ...(time.from !== undefined && { evaluationTimeFrom: time.from }), rules: requestRules() };
  const deployment = run.load(snapshotPath, setup, (notice) => report.notices!.push({ path: rel(notice.path), message: notice.message }));
  report.inputs.push(reportedInput(deployment, setup.config, rel));
  const target = findTarget(deployment, request);
  const requirements = requirementsOf(deployment);
  const { pool } = target;
  requirements.assertUsages(pool, request.usages);
  const findings: Finding[] = [];
  const candidates: CandidateSummary[] = [];
  const notes: string[] = [];
  for (const file of files) {
    const result = readCertificateRequestBytes(file.bytes, file.absolute);
    if (result.errors.length > 0) throw result.errors[0]!;
    for (const csr of result.requests) {
      const server = serverFor(csr, pool, target.server, request.usages, requirements.scopeOf.bind(requirements), notes, file.path);
      const requirement = requirements.forCertificate(pool, server, request.usages)!;
      const where = server.location;
      const locations: FindingLocation[] = [
        { ...where, path: rel(where.path), kind: 'snapshot' },
        { path: rel(file.absolute), kind: 'certificate' },
      ];
      for (const f of checkRequest(csr, requirement)) {
        findings.push({ ruleId: f.check, severity: f.severity, messageId: f.check.slice('request/'.length), message: f.message, pool: pool.fqdn, server: server.fqdn, usage: request.usages[0]!, locations });
      }
      candidates.push({
        file: rel(file.absolute),
        kind: 'request',
        subject: csr.facts.subject,
        sha256: csr.facts.sha256,
        assigned: [{ pool: pool.fqdn, server: server.fqdn, usages: request.usages }],
        pending: pendingChecks(csr, requirement),
      });
    }
  }
  return { kind: 'request', report: { ...report, findings }, categories: findings.map(() => 'candidate'), fixed: [], unchanged: 0, candidates, notes };
}

/**
 * The server whose requirement a request is measured against: --server's; for a pool-wide or global
 * usage any member; for a server's own certificate asked with --pool, the member it names.
 */
function serverFor(csr: CertificateRequest, pool: Pool, server: Server | undefined, usages: Usage[], scopeOf: (pool: Pool, usage: Usage) => string, notes: string[], file: string): Server {
  if (server) return server;
  if (!usages.some((u) => scopeOf(pool, u) === 'server')) return pool.servers[0]!;
  const names = presentedNames(csr.facts);
  const named = pool.servers.find((s) => names.includes(s.fqdn));
  if (named) return named;
  notes.push(`${file} names no server of ${pool.fqdn}: it is measured against ${pool.servers[0]!.fqdn}'s certificate (give --server for another)`);
  return pool.servers[0]!;
}

function requestRules(): ReportedRule[] {
  return (Object.entries(REQUEST_CHECKS) as Array<[RequestCheckId, (typeof REQUEST_CHECKS)[RequestCheckId]]>).map(([id, c]) => ({
    id,
    description: c.description,
    severity: c.severity,
    citation: c.citation,
    docsUrl: `${DOCS}#what-check-says-of-a-request`,
  }));
}

const relativePath = (cwd: string, path: string) => relative(cwd, resolve(cwd, path)).split(sep).join('/') || '.';
