/**
 * The JSON report: the complete, versioned record of a run for scripts and auditors
 * (docs/json-format.md, schema/lint-report.schema.json). Every field is always present, null where a
 * value is absent, and keys keep the order written here, so diffs between runs show only what changed.
 */
import { placesOf, type Finding, type SuppressionNote } from '../engine/types.js';
import type { SourceLocation } from '../snapshot/model.js';
import { fingerprints } from './fingerprint.js';
import { summarize, type Formatter, type InventoryEntry, type LintReport, type RunRecord } from './types.js';

/**
 * Raised when a field is renamed, removed or changes meaning; adding a field keeps it. 2: a finding about
 * a certificate is one finding for every server holding it (`places`), its pool, server and usage
 * those of the first place.
 */
export const JSON_FORMAT_VERSION = 2;

export const format: Formatter = (report) => `${JSON.stringify(jsonReport(report), null, 2)}\n`;

export function jsonReport(report: LintReport) {
  const counts = summarize(report.findings);
  const ids = fingerprints(report.findings);
  return {
    version: JSON_FORMAT_VERSION,
    tool: { name: report.tool.name, version: report.tool.version, informationUri: report.tool.informationUri },
    evaluatedAt: report.evaluatedAt,
    inputs: report.inputs.map((input) => ({
      snapshot: input.snapshot,
      certificateFiles: input.certificateFiles,
      crlFiles: input.crlFiles ?? [],
      pools:
        input.pools?.map((pool) => ({
          fqdn: pool.fqdn,
          line: pool.line ?? null,
          servers: pool.servers.map((server) => ({ fqdn: server.fqdn, line: server.line ?? null })),
          role: pool.role ?? null,
        })) ?? null,
      name: input.name ?? null,
      configuration: input.configuration ?? null,
    })),
    summary: { errors: counts.error, warnings: counts.warning, infos: counts.info, suppressed: counts.suppressed },
    findings: report.findings.map((f, i) => finding(f, ids[i]!)),
    inputErrors: report.inputErrors.map((e) => ({ path: e.path ?? null, line: e.line ?? null, message: e.message })),
    ruleFailures: report.ruleFailures.map((r) => ({ ruleId: r.ruleId, message: r.message })),
    unusedSuppressions: report.unusedSuppressions.map((s) => ({
      rule: s.rule,
      pool: s.pool ?? null,
      server: s.server ?? null,
      thumbprint: s.thumbprint ?? null,
      ...suppressionNote(s),
    })),
    rules: report.rules.map((rule) => ({
      id: rule.id,
      description: rule.description,
      severity: rule.severity,
      citation: { title: rule.citation.title, url: rule.citation.url },
      docsUrl: rule.docsUrl,
      options: rule.options
        ? Object.fromEntries(
            Object.entries(rule.options).map(([name, o]) => [
              name,
              { type: o.type, default: o.default, description: o.description, minimum: o.minimum ?? null },
            ]),
          )
        : null,
    })),
    run: report.run ? run(report, report.run) : null,
    inventory: report.inventory?.map(inventoryEntry) ?? null,
  };
}

/** The evidence of the run in one place: its time and version (as at the top level), settings and file digests. */
function run(report: LintReport, r: RunRecord) {
  return {
    evaluatedAt: report.evaluatedAt,
    timeSource: r.timeSource,
    version: report.tool.version,
    configurations: r.configurations,
    plugins: r.plugins.map((p) => ({ specifier: p.specifier, path: p.path, configuration: p.configuration, rules: p.rules })),
    rules: r.rules.map((rule) => ({ id: rule.id, severity: rule.severity, options: rule.options })),
    files: r.files.map((f) => ({ path: f.path, kind: f.kind, sha256: f.sha256, bytes: f.bytes })),
  };
}

/** The facts as `inspect --format json` writes them, then where the certificate is assigned and stored. */
function inventoryEntry(entry: InventoryEntry) {
  return {
    snapshot: entry.snapshot,
    certificate: entry.facts,
    assignments: entry.assignments.map((a) => ({
      pool: a.pool,
      server: a.server,
      role: a.role,
      usage: a.usage,
      state: a.state,
      effectiveDate: a.effectiveDate ?? null,
      rollsWith: a.rollsWith ?? null,
      line: a.line ?? null,
    })),
    stores: entry.stores.map((s) => ({
      pool: s.pool,
      server: s.server,
      store: s.store,
      hasPrivateKey: s.hasPrivateKey ?? null,
      exportable: s.exportable ?? null,
      keyProvider: s.keyProvider ?? null,
      providerName: s.providerName ?? null,
      line: s.line ?? null,
    })),
  };
}

function finding(f: Finding, fingerprint: string) {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    messageId: f.messageId,
    pool: f.pool ?? null,
    server: f.server ?? null,
    usage: f.usage ?? null,
    thumbprint: f.thumbprint ?? null,
    locations: f.locations.map((l) => ({ ...place(l), kind: l.kind })),
    places: placesOf(f).map((p) => ({ pool: p.pool ?? null, server: p.server ?? null, usages: p.usages ?? [], location: place(p.location) })),
    suppression: f.suppression ? suppressionNote(f.suppression) : null,
    fingerprint,
    lapsedSuppression: f.lapsedSuppression ? suppressionNote(f.lapsedSuppression) : null,
  };
}

function place(l: SourceLocation) {
  return { path: l.path, line: l.line ?? null, column: l.column ?? null, element: l.element ?? null };
}

function suppressionNote(s: SuppressionNote) {
  return { reason: s.reason, owner: s.owner ?? null, ticket: s.ticket ?? null, expires: s.expires ?? null, source: s.source ? place(s.source) : null };
}
