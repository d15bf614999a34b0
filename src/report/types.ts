/**
 * What every output format receives: one lint run, complete. A formatter is a plain function from
 * this to a string (no I/O, no state); the CLI decides where the string goes.
 */
import type { CertificateFacts } from '../certs/facts.js';
import type { Suppression } from '../engine/suppressions.js';
import type { Citation, Finding, MessageSpec, OptionSpec, Severity } from '../engine/types.js';
import type { KeyProvider, Role, Usage } from '../snapshot/model.js';
import type { evidenceRecord } from './probe-evidence.js';

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
  unusedSuppressions: ReportedSuppression[];
  /** The folder paths are relative to (the working directory, or --sarif-root style option). */
  root: string;
  /**
   * What fixed the evaluation time when it is not the clock's: `--now`, or the configuration file that
   * sets `now` (its path). Absent: the clock.
   */
  evaluationTimeFrom?: string;
  /** Files passed over, and why (a private key beside the certificates): not errors, but worth a line. */
  notices?: Array<{ path?: string; message: string }>;
  /** The evidence that makes the run reproducible. `lint()` always sets it; a report built by hand may leave it out. */
  run?: RunRecord;
  /** Every certificate the snapshots' files hold, with where it is assigned and stored. Set by `lint()`, like `run`. */
  inventory?: InventoryEntry[];
  /** What `probe` saw: its evidence record (src/report/probe-evidence.ts), for the formats that show the endpoints and chains served. */
  probe?: ReturnType<typeof evidenceRecord>;
}

/** A suppression as the configuration writes it (src/engine/suppressions.ts), its source relative to `root`. */
export type ReportedSuppression = Suppression;

/** How a run was made: what an auditor needs to repeat it and to know it judged these very files. */
export interface RunRecord {
  /** What fixed `evaluatedAt`: `--now` (or the request's `now`), the configuration's `now`, or the clock when the run started. */
  timeSource: 'option' | 'configuration' | 'clock';
  /** Every rule that ran, with its severity and the options it ran with (defaults filled in). */
  rules: Array<{ id: string; severity: Severity; options: Record<string, unknown> }>;
  /** The configuration files applied (paths relative to `root`). */
  configurations: string[];
  /** The plug-in modules loaded, by the configuration that names them, with the rules each gave. */
  plugins: Array<{ specifier: string; path: string; configuration: string; rules: string[] }>;
  /** Every file read, with its SHA-256 (upper-case hex) as read after linting; null when it could no longer be read. */
  files: Array<{ path: string; kind: 'snapshot' | 'certificate' | 'crl' | 'configuration' | 'plugin' | 'public-root'; sha256: string | null; bytes: number | null }>;
}

/** One certificate of a snapshot, with every server and usage it is assigned to and every store that holds it. */
export interface InventoryEntry {
  /** The snapshot whose files hold it (relative to `root`). */
  snapshot: string;
  /** Its facts as `inspect --format json` gives them; `source.path` relative to `root`. */
  facts: CertificateFacts;
  assignments: InventoryAssignment[];
  stores: InventoryStoreEntry[];
}

export interface InventoryAssignment {
  pool: string;
  server: string;
  role: Role;
  usage: Usage;
  /**
   * `assigned`: in use (from `effectiveDate`, when a staged roll named one); `previous`: the certificate a
   * staged roll (OAuthTokenIssuer, AudioVideoAuthentication) keeps in use until `effectiveDate`.
   */
  state: 'assigned' | 'previous';
  /** The staged roll's effective date (ISO 8601), if any. */
  effectiveDate?: string;
  /** The other certificate of the staged roll: the previous one of an assigned certificate, and the reverse. */
  rollsWith?: string;
  /** Where the snapshot declares the assignment. */
  line?: number;
}

export interface InventoryStoreEntry {
  pool: string;
  server: string;
  store: 'personal' | 'intermediate' | 'root';
  hasPrivateKey?: boolean;
  exportable?: boolean;
  keyProvider?: KeyProvider;
  providerName?: string;
  line?: number;
}

export interface ReportedInput {
  snapshot: string;
  /** The deployment's `name`, when the snapshot gives one. */
  name?: string;
  /** The configuration file applied to it, relative to `root`; absent when none was. */
  configuration?: string;
  certificateFiles: string[];
  /** The CRL files the snapshot lists (folders expanded); absent when it lists none. */
  crlFiles?: string[];
  /**
   * Where the snapshot declares each pool and server (their `location.line`): the stylish headings
   * point there, and the JSON report lists them as the inventory linted. Absent: no lines are shown.
   */
  pools?: Array<{ fqdn: string; role?: Role; line?: number; servers: Array<{ fqdn: string; line?: number }> }>;
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
