/**
 * What every output format receives: one lint run, complete. A formatter is a plain function from
 * this to a string (no I/O, no state); the CLI decides where the string goes.
 */
import type { Citation, Finding, MessageSpec, OptionSpec, Severity } from '../engine/types.js';
import type { SourceLocation } from '../snapshot/model.js';

export interface LintReport {
  tool: { name: string; version: string; informationUri: string };
  /** The evaluation time, ISO 8601 UTC. */
  evaluatedAt: string;
  /** Each snapshot linted, with the certificate files it read. Paths are relative to `root`. */
  inputs: ReportedInput[];
  /** Inputs that could not be read: the run exits 2, and everything else is still reported. */
  inputErrors: Array<{ path?: string; line?: number; message: string }>;
  /** Rules that threw while checking (also exit 2). */
  ruleFailures: Array<{ ruleId: string; message: string }>;
  /** Every rule that ran, with the severity it ran at. */
  rules: ReportedRule[];
  /** Sorted by snapshot, pool, server, line. Location paths are relative to `root`. */
  findings: Finding[];
  /** Suppressions of the configuration that matched no finding (stale ones an auditor should see). */
  unusedSuppressions: Array<{ rule: string; server?: string; pool?: string; thumbprint?: string; reason: string; source?: SourceLocation }>;
  /** The folder paths are relative to (the working directory, or --sarif-root style option). */
  root: string;
  /**
   * What fixed the evaluation time when it is not the clock's: `--now`, or the configuration file that
   * sets `now` (its path). Absent: the clock.
   */
  evaluationTimeFrom?: string;
  /** Files passed over, and why (a private key beside the certificates): not errors, but worth a line. */
  notices?: Array<{ path?: string; message: string }>;
}

export interface ReportedInput {
  snapshot: string;
  certificateFiles: string[];
  /**
   * Where the snapshot declares each pool and server (their `location.line`): the stylish headings
   * point there, and the JSON report lists them as the inventory linted. Absent: no lines are shown.
   */
  pools?: Array<{ fqdn: string; line?: number; servers: Array<{ fqdn: string; line?: number }> }>;
}

export interface ReportedRule {
  id: string;
  description: string;
  severity: Severity;
  citation: Citation;
  docsUrl: string;
  roles?: string[];
  usages?: string[];
  options?: Record<string, OptionSpec>;
  /** Every message the rule can give, by id, with its severity (before configuration) and scope. */
  messages?: Record<string, Required<MessageSpec>>;
}

export interface FormatOptions {
  color: boolean;
  /** The terminal's width in columns, for the formats that wrap lines (stylish); default 100. */
  width?: number;
}

export type Formatter = (report: LintReport, options: FormatOptions) => string;

/** Counts of unsuppressed findings by severity. */
export function summarize(findings: readonly Finding[]): Record<Severity, number> & { suppressed: number } {
  const counts = { error: 0, warning: 0, info: 0, suppressed: 0 };
  for (const f of findings) {
    if (f.suppression) counts.suppressed++;
    else counts[f.severity]++;
  }
  return counts;
}
