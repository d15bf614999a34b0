/**
 * SARIF 2.1.0, shaped as GitHub code scanning reads it (docs/output-formats.md#sarif): one run, the
 * rules that ran as `tool.driver.rules`, one result per finding located in its snapshot file, relative
 * to the repository root.
 */
import { placesOf, type Finding, type FindingPlace, type Severity, type SuppressionNote } from '../engine/types.js';
import type { SourceLocation } from '../snapshot/model.js';
import { fingerprints } from './fingerprint.js';
import type { Formatter, LintReport, ReportedRule } from './types.js';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** GitHub resolves relative URIs against the checkout; %SRCROOT% names that base, as its examples do. */
const SRCROOT = '%SRCROOT%';
export const FINGERPRINT_KEY = 'sfbCertlint/v1';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * GitHub ranks security alerts by `security-severity` (9.0+ critical, 7.0-8.9 high, 4.0-6.9 medium,
 * below 4.0 low). An error is a certificate that fails now (sign-in, federation, media): high; a
 * warning one that will fail or weakens trust: medium; an info is advice: low.
 */
export const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

export const format: Formatter = (report) => `${JSON.stringify(sarifLog(report), null, 2)}\n`;

export function sarifLog(report: LintReport) {
  const ruleIndex = new Map(report.rules.map((rule, i) => [rule.id, i]));
  const ids = fingerprints(report.findings);
  const root = fileUri(report.root);
  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: report.tool.informationUri,
            rules: report.rules.map(descriptor),
          },
        },
        invocations: [
          {
            executionSuccessful: report.inputErrors.length === 0 && report.ruleFailures.length === 0,
            toolExecutionNotifications: [
              ...report.inputErrors.map((e) => ({
                level: 'error',
                message: { text: sentence(e.path ? `${e.path}${e.line ? `:${e.line}` : ''}: ${e.message}` : e.message) },
                ...(e.path && { locations: [location({ path: e.path, line: e.line })] }),
              })),
              ...report.ruleFailures.map((f) => ({
                level: 'error',
                message: { text: sentence(`Rule ${f.ruleId} failed, so its findings are incomplete: ${f.message}`) },
                associatedRule: { id: f.ruleId, ...(ruleIndex.has(f.ruleId) && { index: ruleIndex.get(f.ruleId) }) },
              })),
            ],
            toolConfigurationNotifications: report.unusedSuppressions.map((s) => ({
              level: 'warning',
              message: {
                text: sentence(`The suppression of ${s.rule} for ${[s.pool, s.server, s.thumbprint].filter(Boolean).join(', ')} matched no finding: remove it, or correct its names. Its reason: ${s.reason}`),
              },
              ...(s.source && { locations: [location(s.source)] }),
            })),
            // The evaluation time certificates were judged at (`--now`), not when the run happened; and
            // what shaped the judgement: the configuration files applied and the plug-ins that ran.
            properties: {
              evaluatedAt: report.evaluatedAt,
              ...(report.run && {
                timeSource: report.run.timeSource,
                configurations: report.run.configurations,
                plugins: report.run.plugins.map((p) => ({ specifier: p.specifier, path: p.path, rules: p.rules })),
              }),
            },
          },
        ],
        originalUriBaseIds: {
          [SRCROOT]: {
            ...(root && { uri: root.endsWith('/') ? root : `${root}/` }),
            description: { text: 'The repository root: the folder every relative path of the report starts from.' },
          },
        },
        results: report.findings.map((f, i) => result(f, ids[i]!, ruleIndex.get(f.ruleId))),
        // Columns come from JavaScript strings.
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}

function descriptor(rule: ReportedRule) {
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.description },
    fullDescription: { text: `${rule.description} Requirement: ${rule.citation.title}.` },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    // SARIF wants an absolute URI here; a plug-in may document itself with a relative path.
    ...(/^[a-z][a-z0-9+.-]*:/i.test(rule.docsUrl) && { helpUri: rule.docsUrl }),
    help: {
      text: `${rule.description}\n\nRequirement: ${rule.citation.title} (${rule.citation.url})\nDocumentation: ${rule.docsUrl}`,
      markdown: `${rule.description}\n\n**Requirement:** [${rule.citation.title}](${rule.citation.url})\n\nSee [the rule's documentation](${rule.docsUrl}).`,
    },
    properties: {
      tags: ['security', 'certificates'],
      // The rules check recorded facts, not heuristics: a finding is true of the snapshot as written.
      precision: 'very-high',
      'security-severity': SECURITY_SEVERITY[rule.severity],
    },
  };
}

function result(f: Finding, fingerprint: string, index: number | undefined) {
  const [primary, ...files] = f.locations;
  // A cause found in several places: the first is the result's location, the others related ones, then the certificate files.
  const related = [
    ...placesOf(f)
      .slice(1)
      .map((p) => ({ ...location(p.location), message: { text: `Also found on ${placeName(p)}.` } })),
    ...files.map((l) => ({ ...location(l), message: { text: f.thumbprint ? `The certificate file holding ${f.thumbprint}.` : 'The certificate file.' } })),
  ];
  return {
    ruleId: f.ruleId,
    ...(index !== undefined && { ruleIndex: index }),
    level: LEVEL[f.severity],
    message: { text: f.message },
    // The engine always places a finding in its snapshot first; GitHub needs a start line to show it.
    locations: [location(primary!, 1)],
    ...(related.length > 0 && { relatedLocations: related.map((r, i) => ({ id: i + 1, ...r })) }),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    // SARIF wants all results' suppressions present or all absent: the configuration was checked for every one.
    suppressions: f.suppression
      ? [
          {
            kind: 'external',
            status: 'accepted',
            justification: f.suppression.reason,
            ...(f.suppression.source && { location: location(f.suppression.source) }),
            ...(hasRecord(f.suppression) && { properties: suppressionRecord(f.suppression) }),
          },
        ]
      : [],
    properties: {
      messageId: f.messageId,
      ...(f.pool !== undefined && { pool: f.pool }),
      ...(f.server !== undefined && { server: f.server }),
      ...(f.usage !== undefined && { usage: f.usage }),
      ...(f.thumbprint !== undefined && { thumbprint: f.thumbprint }),
      ...(f.lapsedSuppression && { lapsedSuppression: { reason: f.lapsedSuppression.reason, ...suppressionRecord(f.lapsedSuppression) } }),
    },
  };
}

/** A suppression's owner, ticket and expiry, those the configuration gives. */
function suppressionRecord(s: SuppressionNote) {
  return { ...(s.owner !== undefined && { owner: s.owner }), ...(s.ticket !== undefined && { ticket: s.ticket }), ...(s.expires !== undefined && { expires: s.expires }) };
}

const hasRecord = (s: SuppressionNote) => s.owner !== undefined || s.ticket !== undefined || s.expires !== undefined;


/** `edge02.contoso.com (AccessEdgeExternal, DataEdgeExternal)`: a place as a related location names it. */
function placeName(p: FindingPlace): string {
  const name = p.server ?? p.pool ?? 'the deployment';
  return p.usages && p.usages.length > 0 ? `${name} (${p.usages.join(', ')})` : name;
}

/**
 * A location; its region only where a line is known (or `defaultLine` given): a certificate file may be
 * binary (.pfx, DER), where a line means nothing.
 */
function location(l: SourceLocation, defaultLine?: number) {
  const line = l.line ?? defaultLine;
  return {
    physicalLocation: {
      artifactLocation: artifactLocation(l.path),
      ...(line !== undefined && { region: { startLine: line, ...(l.column !== undefined && { startColumn: l.column }) } }),
    },
  };
}

/** A relative path becomes a %SRCROOT%-relative URI; an absolute one (outside the root) a file URI. */
function artifactLocation(path: string) {
  const absolute = fileUri(path);
  return absolute ? { uri: absolute } : { uri: encodePath(path.replace(/\\/g, '/').replace(/^(\.\/)+/, '')), uriBaseId: SRCROOT };
}

/** `file:` URI of an absolute POSIX, drive-letter or UNC path; undefined for a relative path. */
function fileUri(path: string): string | undefined {
  const p = path.replace(/\\/g, '/');
  if (p.startsWith('//')) return `file:${encodePath(p)}`;
  if (p.startsWith('/')) return `file://${encodePath(p)}`;
  if (/^[A-Za-z]:\//.test(p)) return `file:///${encodePath(p)}`;
  return undefined;
}

/** Percent-encodes each path segment (spaces, `#`, `%`...), keeping the separators and a drive's colon. */
function encodePath(p: string): string {
  return p
    .split('/')
    .map((segment) => (/^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment)))
    .join('/');
}

/** `certificate-expiry` → `CertificateExpiry`: SARIF's `name` is an identifier-like friendly name. */
function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** SARIF asks for messages that are whole sentences. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
