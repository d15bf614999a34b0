/**
 * The probe as one call, as src/engine/lint.ts is the lint: the snapshot's endpoints (or those named),
 * one TLS handshake each with bounded concurrency, what each served judged against the snapshot, and
 * the findings as a LintReport, so every lint format and the exit codes apply. What was seen is kept
 * for the evidence record (src/report/probe-evidence.ts) and, on request, saved as PEM.
 */
import { join, relative, resolve, sep } from 'node:path';
import { loadPublicRoots } from '../certs/public-roots.js';
import type { Certificate } from '../certs/x509.js';
import { isoSeconds } from '../dates.js';
import { describeRules } from '../engine/describe-rules.js';
import { emptyReport, LintRun, mergeSettings, reportedInput, type LintRequest } from '../engine/lint.js';
import { lintDeployment } from '../engine/run.js';
import type { Suppression } from '../engine/suppressions.js';
import type { Finding } from '../engine/types.js';
import { createChainValidation } from '../engine/validation.js';
import { InputError } from '../errors.js';
import { createFolders, writeAtomically } from '../files.js';
import { evidenceRecord } from '../report/probe-evidence.js';
import type { LintReport } from '../report/types.js';
import { InputErrorList } from '../snapshot/errors.js';
import { BUILT_IN_RULES } from '../rules/index.js';
import type { Deployment, Pool, Server, StoreEntry } from '../snapshot/model.js';
import { probeTls, type Handshake } from './connect.js';
import { commandLineEndpoint, deriveEndpoints, endpointKey, type Endpoint, type Exposure } from './endpoints.js';
import { Judge, type ProbedEndpoint } from './judge.js';
import { CERTIFICATE_RULES, PROBE_RULES } from './rules/index.js';
import { attachProbeFacts } from './rules/context.js';

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_CONCURRENCY = 16;

/** As lint's request (configuration, root, plug-ins, time, rule settings), with what to probe and how. */
export interface ProbeRequest extends Omit<LintRequest, 'targets'> {
  /** The snapshot file or folder; without it, only `endpoints` are probed. Relative to `cwd`. */
  snapshot?: string;
  /** Internal or external endpoints only. */
  only?: Exposure;
  /** These endpoints only (--endpoint): judged as the snapshot says of them, or as external ones when it does not know them. */
  endpoints?: Array<{ host: string; port: number }>;
  /** `host:port` to the address and port to connect to instead (--connect-to). */
  connectTo?: Array<{ from: string; to: { host: string; port: number } }>;
  timeoutMs?: number;
  concurrency?: number;
  /** A folder to save each served chain in, as PEM (created if need be). */
  saveDir?: string;
  /** Called as each endpoint is done, for a progress line. */
  onProgress?: (done: number, total: number) => void;
  /** Connections to addresses this rejects are refused (the tests allow loopback only). */
  allowAddress?: (address: string) => boolean;
}

export interface ProbeRun {
  report: LintReport;
  /** Every endpoint probed, in the order derived or named, with what was seen and how it was judged. */
  endpoints: Array<ProbedEndpoint & { savedAs?: string }>;
  startedAt: Date;
  finishedAt: Date;
  timeoutMs: number;
}

/**
 * Probes and judges. A bad configuration, option or --connect-to throws an InputError; a snapshot
 * that cannot be read becomes an input error in the report (exit 2), and nothing is probed.
 */
export async function probe(request: ProbeRequest): Promise<ProbeRun> {
  const startedAt = new Date();
  const { cwd, maxBytes } = request;
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const rel = (p: string) => relative(cwd, resolve(cwd, p)).split(sep).join('/') || '.';
  const snapshotPath = request.snapshot === undefined ? undefined : resolve(cwd, request.snapshot);
  // Found, trusted and confined as lint finds them; without a snapshot, from the working folder.
  const lintRun = new LintRun({ ...request, targets: [] });
  const setup = lintRun.setup(snapshotPath ?? cwd);
  const { config } = setup;
  const { at: now, from: timeFrom } = lintRun.time(config);
  const rules = [...CERTIFICATE_RULES, ...PROBE_RULES];
  const settings = await mergeSettings(rules, config, request.ruleSettings ?? {}, lintOnlyRuleIds);
  const report: LintReport = {
    ...emptyReport(cwd),
    evaluatedAt: isoSeconds(now),
    ...(timeFrom !== undefined && { evaluationTimeFrom: timeFrom }),
  };
  const run: ProbeRun = { report, endpoints: [], startedAt, finishedAt: startedAt, timeoutMs };

  let deployment: Deployment | undefined;
  if (snapshotPath !== undefined) {
    try {
      deployment = lintRun.load(snapshotPath, setup, (notice) => report.notices!.push({ path: rel(notice.path), message: notice.message }));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      for (const error of e instanceof InputErrorList ? e.errors : [e]) report.inputErrors.push(inputError(error, rel));
      return finished(run);
    }
    report.inputs.push(reportedInput(deployment, config, rel));
  }
  const derived = deployment ? deriveEndpoints(deployment) : { endpoints: [], errors: [] };
  for (const error of derived.errors) report.inputErrors.push(inputError(error, rel));
  const endpoints = select(derived.endpoints, request);
  const connectTo = connections(request.connectTo ?? [], [...derived.endpoints, ...endpoints]);

  let roots: Certificate[] | undefined;
  const publicRoots = () => (roots ??= loadPublicRoots(config?.publicRoots, maxBytes));
  // A configuration naming an unreadable root file fails now, not after every endpoint was probed.
  if (endpoints.some((e) => e.exposure === 'external')) publicRoots();

  const saveDir = request.saveDir === undefined ? undefined : resolve(cwd, request.saveDir);
  if (saveDir !== undefined) createFolders(saveDir, 'the folder for the served chains');
  let done = 0;
  const handshakes = await mapConcurrently(endpoints, request.concurrency ?? DEFAULT_CONCURRENCY, async (endpoint) => {
    const to = connectTo.get(endpointKey(endpoint));
    const handshake = await probeTls(
      { address: to?.host ?? endpoint.host, port: to?.port ?? endpoint.port, serverName: endpoint.name },
      { timeoutMs, ...(request.allowAddress && { allowAddress: request.allowAddress }) },
    );
    request.onProgress?.(++done, endpoints.length);
    return handshake;
  });

  const judge = new Judge({ ...(deployment && { deployment }), now, publicRoots });
  run.endpoints = endpoints.map((endpoint, i) => {
    const handshake = handshakes[i]!;
    const savedAs = saveDir !== undefined && handshake.certificates.length > 0 ? rel(saveChain(saveDir, endpoint, handshake)) : undefined;
    const to = connectTo.get(endpointKey(endpoint));
    return { ...judge.judge(endpoint, handshake, savedAs ?? ''), ...(to && { connectTo: to }), ...(savedAs !== undefined && { savedAs }) };
  });

  const probed = probedDeployment(deployment?.path ?? '--endpoint', run.endpoints);
  const validate = createChainValidation(deployment?.crls);
  // The certificate rules first, alone: the chain rule leaves out a failure one of them already reports.
  const certificateFindings = lintDeployment(probed, { rules: CERTIFICATE_RULES, settings, suppressions: [], now, validate, publicRoots }).findings;
  const reported = new Set(certificateFindings.map((f) => `${f.ruleId} ${f.thumbprint}`));
  attachProbeFacts(probed, {
    endpoints: run.endpoints,
    timeoutMs,
    reportedByCertificateRule: (thumbprint, ruleIds) => ruleIds.some((id) => reported.has(`${id} ${thumbprint}`)),
  });
  const suppressions = (config?.suppressions ?? []).filter((s) => s.rule === '*' || rules.some((r) => r.meta.id === s.rule));
  const result = lintDeployment(probed, { rules, settings, suppressions, now, validate, publicRoots });
  const byKey = new Map(run.endpoints.map((p) => [endpointKey(p.endpoint), p.endpoint]));
  for (const finding of result.findings) report.findings.push(present(finding, byKey, rel));
  report.ruleFailures.push(...result.failures);
  // A suppression for every rule may be meant for lint's findings: only the probe's own are stale here.
  report.unusedSuppressions.push(...result.unusedSuppressions.filter((s) => s.rule !== '*').map((s) => relativeSource(s, rel)));
  report.rules = result.rulesRun.map(({ rule, severity }) => ({ ...describeRules([rule])[0]!, severity }));
  if (request.quiet) report.findings = report.findings.filter((f) => f.severity === 'error');
  return finished(run);
}

/** The run's end, and what it saw in its report, so the HTML and Markdown reports show the endpoints and chains. */
function finished(run: ProbeRun): ProbeRun {
  run.finishedAt = new Date();
  run.report.probe = evidenceRecord(run);
  return run;
}

/** The rules lint runs and the probe does not: a configuration shared by both may set them. */
const lintOnlyRuleIds = async (): Promise<ReadonlySet<string>> => {
  const probeIds = new Set([...CERTIFICATE_RULES, ...PROBE_RULES].map((r) => r.meta.id));
  return new Set(BUILT_IN_RULES.map((r) => r.meta.id).filter((id) => !probeIds.has(id)));
};

/** The endpoints to probe: those named (as the snapshot derives them, when it does), else all derived; then --only. */
function select(derived: Endpoint[], request: ProbeRequest): Endpoint[] {
  const named = request.endpoints ?? [];
  if (named.length === 0 && request.snapshot === undefined) throw new InputError('probe needs a SNAPSHOT, or endpoints to probe with --endpoint HOST:PORT (see --help)');
  const byKey = new Map(derived.map((e) => [endpointKey(e), e]));
  const chosen = named.length === 0 ? derived : [...new Map(named.map((t) => [endpointKey(t), byKey.get(endpointKey(t)) ?? commandLineEndpoint(t)])).values()];
  return request.only ? chosen.filter((e) => e.exposure === request.only) : chosen;
}

/** --connect-to by endpoint; one that names no endpoint is a typo that would send the probe to the real address. */
function connections(entries: NonNullable<ProbeRequest['connectTo']>, known: Endpoint[]): Map<string, { host: string; port: number }> {
  const keys = new Set(known.map(endpointKey));
  const map = new Map<string, { host: string; port: number }>();
  for (const { from, to } of entries) {
    if (!keys.has(from)) throw new InputError(`--connect-to ${from}: no endpoint ${from} is probed (the snapshot's endpoints and --endpoint are)`);
    map.set(from, to);
  }
  return map;
}

async function mapConcurrently<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}

/** Writes the chain as served, in order, to DIR/HOST_PORT.pem; returns the path. */
function saveChain(folder: string, endpoint: Endpoint, handshake: Handshake): string {
  const path = join(folder, `${endpointKey(endpoint).replace(/[^A-Za-z0-9.-]/g, '_')}.pem`);
  writeAtomically(path, handshake.certificates.map(toPem).join(''), 'served chain');
  return path;
}

function toPem(der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${base64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

/**
 * The deployment the rules see: each endpoint a server (named `host:port`) in its pool, assigned the
 * certificate it served, with the trust anchors of its clients as its Trusted Root store and the rest
 * of its chain as its Intermediate store. So the certificate rules judge what was served as they
 * judge what is assigned, and the path they follow is the one a client builds.
 */
function probedDeployment(path: string, endpoints: ProbedEndpoint[]): Deployment {
  const certificates = new Map<string, Certificate>();
  const pools = new Map<string, Pool>();
  for (const probed of endpoints) {
    const { endpoint, leaf } = probed;
    const poolName = endpoint.pool?.fqdn ?? endpoint.host;
    let pool = pools.get(poolName);
    if (!pool) {
      // The role is the snapshot's; an endpoint only the command line names has none, and no certificate rule reads it.
      pool = { fqdn: poolName, role: endpoint.pool?.role ?? 'Edge', servers: [], location: endpoint.pool?.location ?? endpoint.location };
      pools.set(poolName, pool);
    }
    for (const c of [...probed.served, ...probed.anchors]) if (!certificates.has(c.facts.thumbprint)) certificates.set(c.facts.thumbprint, c);
    const entry = (c: Certificate): StoreEntry => ({ thumbprint: c.facts.thumbprint, location: endpoint.location });
    const server: Server = {
      fqdn: endpointKey(endpoint),
      pool: poolName,
      assignments: leaf ? [{ usage: probed.usage, thumbprint: leaf.facts.thumbprint, location: endpoint.location }] : [],
      stores: { personal: null, root: probed.anchors.map(entry), intermediate: probed.served.filter((c) => c !== leaf).map(entry) },
      location: endpoint.location,
    };
    pool.servers.push(server);
  }
  return {
    path,
    version: 1,
    sipDomains: [],
    simpleUrls: { meet: [], dialin: [], admin: [] },
    dnsNames: [],
    sites: [],
    pools: [...pools.values()],
    certificates: { get: (t) => certificates.get(t.toUpperCase()), companions: () => [], all: () => [...certificates.values()] },
    certificateFiles: [],
  };
}

/**
 * A finding as reports show it: paths relative, a command-line endpoint without a pool, and a served
 * certificate a place in the report only when it was saved to a file.
 */
function present(finding: Finding, endpoints: Map<string, Endpoint>, rel: (p: string) => string): Finding {
  const endpoint = finding.server === undefined ? undefined : endpoints.get(finding.server);
  const { pool, ...rest } = finding;
  return {
    ...rest,
    ...(endpoint?.pool && { pool: pool! }),
    locations: finding.locations.filter((l) => l.kind !== 'certificate' || l.path !== '').map((l) => ({ ...l, path: rel(l.path) })),
  };
}

function inputError(error: InputError, rel: (p: string) => string): LintReport['inputErrors'][number] {
  return {
    ...(error.where.path !== undefined && { path: rel(error.where.path) }),
    ...(error.where.line !== undefined && { line: error.where.line }),
    message: `${error.message}${error.hint ? ` (${error.hint})` : ''}`,
  };
}

function relativeSource(s: Suppression, rel: (p: string) => string): Suppression {
  return s.source ? { ...s, source: { ...s.source, path: rel(s.source.path) } } : s;
}
