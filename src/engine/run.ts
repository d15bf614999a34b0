import type { Certificate } from '../certs/x509.js';
import { codeUnitOrder, compareNatural, naturalKey } from '../collections.js';
import { USAGES, type Deployment, type SourceLocation, type Usage } from '../snapshot/model.js';
import { DeploymentContext, type PathValidation } from './context.js';
import { applySuppressions, type Suppression } from './suppressions.js';
import { messageSpec, type Finding, type FindingLocation, type FindingPlace, type Report, type Rule, type RuleSetting, type Severity } from './types.js';
import { resolveOptions } from './options.js';

/** A rule's setting after configuration and command line: its severity, or off, and its options. */
export interface RuleSettings {
  severity?: RuleSetting;
  options?: Record<string, unknown>;
}

export interface LintOptions {
  rules: Rule[];
  settings: Record<string, RuleSettings>;
  suppressions: Suppression[];
  now: Date;
  validate: PathValidation;
  /** The roots that count as public; default Node's bundled list. Called once, when a rule first asks. */
  publicRoots?: () => Certificate[];
}

export interface LintResult {
  findings: Finding[];
  /** Rules that threw: their other findings still count, and the run exits 2 (the tool did not finish its job). */
  failures: Array<{ ruleId: string; message: string }>;
  /** Rules that ran, with the severity they ran at. */
  rulesRun: Array<{ rule: Rule; severity: Severity }>;
  unusedSuppressions: Suppression[];
}

/** Runs every enabled rule over the deployment and turns their reports into findings. */
export function lintDeployment(deployment: Deployment, options: LintOptions): LintResult {
  const context = new DeploymentContext(deployment, options.now, options.validate, options.publicRoots);
  const findings: Finding[] = [];
  const failures: LintResult['failures'] = [];
  const rulesRun: LintResult['rulesRun'] = [];
  const locate = locator(deployment);
  for (const rule of options.rules) {
    const setting = options.settings[rule.meta.id];
    const configured = setting?.severity;
    if (configured === 'off') continue;
    rulesRun.push({ rule, severity: configured ?? rule.meta.severity });
    const ruleOptions = resolveOptions(rule.meta, setting?.options);
    const merged = new Merged();
    try {
      for (const report of rule.check(context.forRule(rule.meta, ruleOptions))) {
        const spec = messageSpec(rule.meta, report.messageId);
        if (!spec) throw new Error(`rule ${rule.meta.id} reported unknown message id '${report.messageId}'`);
        const finding = toFinding(rule, configured ?? spec.severity, formatMessage(spec.text, report.data), report, deployment, locate);
        if (spec.scope === 'certificate') merged.add(finding, report.usages);
        else findings.push(finding);
      }
    } catch (e) {
      // As zlint: one broken rule is reported, and never takes the run down.
      failures.push({ ruleId: rule.meta.id, message: e instanceof Error ? e.message : String(e) });
    }
    // One by one: a few hundred thousand findings spread as arguments would overflow the stack.
    for (const finding of merged.findings()) findings.push(finding);
  }
  const unusedSuppressions = applySuppressions(findings, options.suppressions, options.now);
  sortFindings(findings);
  return { findings, failures, rulesRun, unusedSuppressions };
}

function toFinding(rule: Rule, severity: Severity, message: string, report: Report, deployment: Deployment, locate: (report: Report) => SourceLocation): Finding {
  const locations: FindingLocation[] = [{ ...locate(report), kind: 'snapshot' }];
  const certificate = report.thumbprint ? deployment.certificates.get(report.thumbprint) : undefined;
  if (certificate) locations.push({ path: certificate.facts.source.path, kind: 'certificate' });
  const usage = report.usage ?? report.usages?.[0];
  return {
    ruleId: rule.meta.id,
    severity,
    messageId: report.messageId,
    message,
    ...(report.pool !== undefined && { pool: report.pool }),
    ...(report.server !== undefined && { server: report.server }),
    ...(usage !== undefined && { usage }),
    ...(report.thumbprint !== undefined && { thumbprint: report.thumbprint }),
    locations,
  };
}

/**
 * The findings of a rule's messages of certificate scope, one per cause: reports with the same message
 * id, certificate and text become one finding with a place per pool and server (its usages merged).
 */
class Merged {
  private readonly byCause = new Map<string, { finding: Finding; places: Map<string, FindingPlace> }>();

  add(finding: Finding, usages: readonly Usage[] | undefined): void {
    const key = `${finding.messageId}\u0000${finding.thumbprint ?? ''}\u0000${finding.message}`;
    let cause = this.byCause.get(key);
    if (!cause) this.byCause.set(key, (cause = { finding, places: new Map() }));
    const placeKey = `${finding.pool ?? ''}\u0000${finding.server ?? ''}`;
    const { kind: _kind, ...location } = finding.locations[0]!;
    const place = cause.places.get(placeKey);
    const reported = usages ?? (finding.usage !== undefined ? [finding.usage] : []);
    if (!place) {
      cause.places.set(placeKey, {
        ...(finding.pool !== undefined && { pool: finding.pool }),
        ...(finding.server !== undefined && { server: finding.server }),
        usages: [...reported],
        location,
      });
      return;
    }
    for (const usage of reported) if (!place.usages!.includes(usage)) place.usages!.push(usage);
    // The earliest declaration on the server, whatever the order the rule reported in.
    if ((location.line ?? Infinity) < (place.location.line ?? Infinity)) place.location = location;
  }

  *findings(): Iterable<Finding> {
    for (const { finding, places } of this.byCause.values()) {
      const sorted = [...places.values()].sort(comparePlaces);
      for (const place of sorted) place.usages!.sort((a, b) => USAGES.indexOf(a) - USAGES.indexOf(b));
      const first = sorted[0]!;
      const { pool: _pool, server: _server, usage: _usage, ...rest } = finding;
      yield {
        ...rest,
        ...(first.pool !== undefined && { pool: first.pool }),
        ...(first.server !== undefined && { server: first.server }),
        ...(first.usages![0] !== undefined && { usage: first.usages![0] }),
        locations: [{ ...first.location, kind: 'snapshot' }, ...finding.locations.slice(1)],
        places: sorted,
      };
    }
  }
}

const comparePlaces = (a: FindingPlace, b: FindingPlace): number =>
  compareNatural(a.pool, b.pool) || compareNatural(a.server, b.server) || (a.location.line ?? 0) - (b.location.line ?? 0);

/** Where a report points in the snapshot: its own location, else its server's or pool's declaration, else the file. */
function locator(deployment: Deployment): (report: Report) => SourceLocation {
  const pools = new Map(deployment.pools.map((p) => [p.fqdn, p]));
  const servers = new Map(deployment.pools.flatMap((p) => p.servers.map((s) => [s.fqdn, s] as const)));
  return (report) =>
    report.location ??
    (report.server !== undefined ? servers.get(report.server)?.location : undefined) ??
    (report.pool !== undefined ? pools.get(report.pool)?.location : undefined) ?? { path: deployment.path };
}

export function formatMessage(template: string, data: Report['data'] = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
    const value = Object.hasOwn(data, name) ? data[name] : undefined;
    return value === undefined ? whole : String(value);
  });
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Stable order: by pool and server as people count them (edgepool2 before edgepool16), declaration line,
 * severity, rule. Each name's natural key is made once, not at every comparison.
 */
function sortFindings(findings: Finding[]): void {
  const keys = new Map<string, string>();
  const key = (name = '') => {
    let k = keys.get(name);
    if (k === undefined) keys.set(name, (k = `${naturalKey(name)}\0${name}`));
    return k;
  };
  findings.sort((a, b) => codeUnitOrder(key(a.pool), key(b.pool)) || codeUnitOrder(key(a.server), key(b.server)) || compareFindings(a, b));
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.locations[0]!.line ?? 0) - (b.locations[0]!.line ?? 0) ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    codeUnitOrder(a.ruleId, b.ruleId) ||
    codeUnitOrder(a.thumbprint, b.thumbprint) ||
    codeUnitOrder(a.message, b.message)
  );
}
