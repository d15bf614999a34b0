/**
 * The rule API, shared by built-in rules and plug-ins (docs/writing-rules.md).
 * A rule declares what it is (meta) and yields reports from a check over the deployment; the engine
 * decides severity, applies options and suppressions, and turns reports into findings.
 */
import type { Certificate } from '../certs/x509.js';
import type { Assignment, Deployment, Pool, Role, Server, SourceLocation, StoreEntry, Usage } from '../snapshot/model.js';

export type Severity = 'error' | 'warning' | 'info';
export type RuleSetting = Severity | 'off';

export interface Citation {
  title: string;
  url: string;
}

/** An option a rule accepts, with its default (shown by `sfb-certlint rules`). */
export interface OptionSpec {
  type: 'integer' | 'number' | 'boolean' | 'string' | 'string[]';
  default: unknown;
  description: string;
  minimum?: number;
}

export interface RuleMeta {
  /** Stable kebab-case id; plug-in rules use a prefix, e.g. `contoso/internal-ca-only`. */
  id: string;
  /** One line: what the rule requires. */
  description: string;
  severity: Severity;
  /** The Microsoft page (or policy) the rule enforces. */
  citation: Citation;
  /** Roles and usages the rule looks at; absent means all. */
  roles?: readonly Role[];
  usages?: readonly Usage[];
  options?: Record<string, OptionSpec>;
  /** Every message the rule can give, by id, with `{{placeholders}}`. */
  messages: Record<string, string>;
  /** Its documentation page; built-in rules get docs/rules/<id>.md. */
  docsUrl?: string;
}

/** What a check yields: the engine adds severity, text and locations. */
export interface Report {
  messageId: string;
  /** A report's own severity (an expired certificate is an error, one expiring soon a warning); a severity configured for the rule overrides it. */
  severity?: Severity;
  data?: Record<string, string | number>;
  pool?: string;
  server?: string;
  usage?: Usage;
  /** The certificate concerned; its file becomes a related location. */
  thumbprint?: string;
  /** Where the fault is declared in the snapshot: defaults to the assignment, server or pool reported. */
  location?: SourceLocation;
}

/** A certificate assigned to a usage on a server, with everything a rule asks of it. */
export interface AssignedCertificate {
  pool: Pool;
  server: Server;
  assignment: Assignment;
  /** Undefined when no certificate file of the snapshot holds the thumbprint. */
  certificate: Certificate | undefined;
}

/** The result of building a certificate's path on a server (leaf first). */
export interface ChainResult {
  valid: boolean;
  path: Certificate[];
  failure?: { code: string; message: string; certificate?: Certificate; missingIssuer?: string };
}

export interface RuleContext<Options = Record<string, unknown>> {
  deployment: Deployment;
  options: Options;
  /** The evaluation time: `--now`, the configuration's `now`, or the clock. */
  now: Date;
  /** Every server with its pool. */
  servers(): Iterable<{ pool: Pool; server: Server }>;
  /** Every certificate assignment on every server. */
  assignments(): Iterable<AssignedCertificate>;
  certificate(thumbprint: string): Certificate | undefined;
  /** The path of `certificate` as `server` builds it: its Intermediate store, the PFX's chain, its Trusted Root store. Memoised. */
  chain(server: Server, certificate: Certificate): ChainResult;
  /** A store entry of the server's Personal store for this thumbprint, if collected. */
  personalEntry(server: Server, thumbprint: string): StoreEntry | undefined;
  /** The roots that count as publicly trusted (Node's bundled list, or as the configuration's publicRoots says). Loaded on first use. */
  publicRoots(): Certificate[];
}

/**
 * A rule. Unparameterised, `Rule` is a rule of any options type, so lists of rules with different
 * options type-check: the engine gives each rule the options its own meta declares.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Rule<Options = any> {
  meta: RuleMeta;
  check(context: RuleContext<Options>): Iterable<Report>;
}

/** A finding as reports show it. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  messageId: string;
  message: string;
  pool?: string;
  server?: string;
  usage?: Usage;
  thumbprint?: string;
  /** First the declaration in the snapshot, then the certificate files. */
  locations: FindingLocation[];
  /**
   * Every place one cause is found, when it is found in more than one (a defect of a certificate that
   * six servers hold is one finding with six places); the first is the finding's own pool, server and
   * usage. Absent: the finding's own place is its only one (see placesOf).
   */
  places?: FindingPlace[];
  suppression?: SuppressionNote;
  /** A suppression that matched but had expired at the evaluation time: the finding counts again. */
  lapsedSuppression?: SuppressionNote;
}

/** The suppression of the configuration that accepted (or, expired, no longer accepts) a finding. */
export interface SuppressionNote {
  reason: string;
  owner?: string;
  ticket?: string;
  /** As the configuration writes it: a date or a date and time. */
  expires?: string;
  source?: SourceLocation;
}

export interface FindingLocation extends SourceLocation {
  kind: 'snapshot' | 'certificate';
}

/** A server (or pool) where a finding's cause is found, the usages concerned there, and the declaration. */
export interface FindingPlace {
  pool?: string;
  server?: string;
  usages?: Usage[];
  location: SourceLocation;
}

/** A finding's places: its `places`, or its own pool, server, usage and snapshot location. */
export function placesOf(finding: Finding): FindingPlace[] {
  if (finding.places) return finding.places;
  const { kind: _kind, ...location } = finding.locations.find((l) => l.kind === 'snapshot') ?? finding.locations[0]!;
  return [
    {
      ...(finding.pool !== undefined && { pool: finding.pool }),
      ...(finding.server !== undefined && { server: finding.server }),
      ...(finding.usage !== undefined && { usages: [finding.usage] }),
      location,
    },
  ];
}

/** Defines a rule with its option types inferred from `meta.options`' defaults. */
export function defineRule<Options = Record<string, unknown>>(rule: Rule<Options>): Rule<Options> {
  return rule;
}
