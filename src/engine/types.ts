/**
 * The rule API, shared by built-in rules and plug-ins (docs/writing-rules.md).
 * A rule declares what it is (meta) and yields reports from a check over the deployment; the engine
 * decides severity, applies options and suppressions, and turns reports into findings.
 */
import type { Certificate } from '../certs/x509.js';
import type { RevocationStatus } from '../pki/revocation.js';
import type { Assignment, Deployment, Pool, Role, Server, SourceLocation, StoreEntry, Usage } from '../snapshot/model.js';

export type Severity = 'error' | 'warning' | 'info';
export type RuleSetting = Severity | 'off';

export interface Citation {
  title: string;
  url: string;
}

/** `usage-integers`: an integer per certificate usage (`{ OAuthTokenIssuer: 2048 }`), keys among Get-CsCertificate's usages. */
export const OPTION_TYPES = ['integer', 'number', 'boolean', 'string', 'string[]', 'usage-integers'] as const;

/** An option a rule accepts, with its default (shown by `sfb-certlint rules`). */
export interface OptionSpec {
  type: (typeof OPTION_TYPES)[number];
  default: unknown;
  description: string;
  minimum?: number;
}

/**
 * A message a rule can give: its text with `{{placeholders}}`, its severity when it differs from the
 * rule's, and its scope. A plain string is a message at the rule's severity, found per server.
 */
export interface MessageSpec {
  text: string;
  /** Default: the rule's `severity`. A severity configured for the rule overrides both. */
  severity?: Severity;
  /**
   * `certificate`: the message judges the certificate alone (its key, digest, validity, extensions), so
   * the engine merges the reports that give the same text about the same certificate into one finding
   * with a place per server; a cause of a pool or of the deployment (Edges that disagree, the global OAuth
   * roll) too, each server concerned reporting the same text (without a thumbprint when no one certificate
   * is at fault). Default `server`: each report is a finding of its own (a server's stores, its private key).
   */
  scope?: MessageScope;
}

export type MessageScope = 'server' | 'certificate';

export interface RuleMeta<MessageId extends string = string> {
  /** Stable kebab-case id; plug-in rules use a prefix, e.g. `contoso/internal-ca-only`. */
  id: string;
  /** One line: what the rule requires. */
  description: string;
  severity: Severity;
  /** The Microsoft page (or policy) the rule enforces. */
  citation: Citation;
  /**
   * The roles and usages the rule applies to (zlint's "does it apply?"); absent means all. The engine
   * enforces them: the context's servers(), assignments() and serverCertificates() hold only servers of
   * these roles and assignments of these usages. `deployment` stays whole, for rules that compare peers.
   */
  roles?: readonly Role[];
  usages?: readonly Usage[];
  options?: Record<string, OptionSpec>;
  /** Every message the rule can give, by id: the whole catalogue `sfb-certlint rules --format json` lists. */
  messages: Record<MessageId, string | MessageSpec>;
  /** Its documentation page; built-in rules get docs/rules/<id>.md. */
  docsUrl?: string;
}

/** What a check yields: the engine adds severity, text and locations. */
export interface Report<MessageId extends string = string> {
  messageId: MessageId;
  /** The values of the message's placeholders; an undefined one leaves its placeholder as written. */
  data?: Record<string, string | number | undefined>;
  pool?: string;
  server?: string;
  usage?: Usage;
  /** Every usage concerned at this place, when there are several (`usage` is then the first). */
  usages?: readonly Usage[];
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

/** One certificate as one server uses it, for every usage it is assigned to there. */
export interface ServerCertificate {
  pool: Pool;
  server: Server;
  usages: Usage[];
  /** The first assignment, where findings point. */
  first: Assignment;
  certificate: Certificate;
}

/** The result of building a certificate's path on a server (leaf first). */
export interface ChainResult {
  valid: boolean;
  path: Certificate[];
  failure?: { code: string; message: string; certificate?: Certificate; missingIssuer?: string };
  /**
   * When the snapshot lists CRLs: each certificate of `path` below its trust anchor, leaf first, with
   * its revocation status (good, revoked, or unknown when no CRL listed speaks for it) and the CRL that gave it.
   */
  revocation?: RevocationStatus[];
}

export interface RuleContext<Options = Record<string, unknown>> {
  deployment: Deployment;
  options: Options;
  /** The evaluation time: `--now`, the configuration's `now`, or the clock. */
  now: Date;
  /** Every server with its pool (of the rule's roles). */
  servers(): Iterable<{ pool: Pool; server: Server }>;
  /** Every certificate assignment on every server (of the rule's roles and usages). */
  assignments(): Iterable<AssignedCertificate>;
  /**
   * The assigned certificates (of the rule's roles and usages) grouped by server and thumbprint: a Front
   * End's one certificate for Default and both web usages is one entry. Made once per run and shared by
   * the rules of the same scope: a rule must not change the entries (the list itself is a copy).
   */
  serverCertificates(): ServerCertificate[];
  certificate(thumbprint: string): Certificate | undefined;
  /** The path of `certificate` as `server` builds it: its Intermediate store, the PFX's chain, its Trusted Root store. Memoised. */
  chain(server: Server, certificate: Certificate): ChainResult;
  /**
   * The path of `certificate` to a public root (publicRoots()), from what `server` holds: its
   * Intermediate and Trusted Root stores and the certificate's own file, none of them trusted. A path
   * that ends at a root of the server's that is not public fails with `untrusted-root`, naming it. Memoised.
   */
  publicChain(server: Server, certificate: Certificate): ChainResult;
  /** A store entry of the server's Personal store for this thumbprint, if collected. */
  personalEntry(server: Server, thumbprint: string): StoreEntry | undefined;
  /** The roots that count as publicly trusted (Node's bundled list, or as the configuration's publicRoots says). Loaded on first use. */
  publicRoots(): Certificate[];
}

/**
 * A rule. Unparameterised, `Rule` is a rule of any options and messages, so lists of rules with
 * different options type-check: the engine gives each rule the options its own meta declares.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Rule<Options = any, MessageId extends string = string> {
  meta: RuleMeta<MessageId>;
  check(context: RuleContext<Options>): Iterable<Report<MessageId>>;
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
   * Every place one cause is found (a defect of a certificate that six servers hold is one finding
   * with six places), ordered by pool, server and line; the first is the finding's own pool, server and
   * usage. Present on every finding of a message of `certificate` scope, even with one place; absent,
   * the finding's own place is its only one (see placesOf).
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

/** The value type of an option of this spec type. */
type OptionValue<T extends OptionSpec['type']> = T extends 'integer' | 'number'
  ? number
  : T extends 'boolean'
    ? boolean
    : T extends 'string'
      ? string
      : T extends 'usage-integers'
        ? Partial<Record<Usage, number>>
        : string[];

/** The options object a rule's `meta.options` declares. */
export type OptionsOf<Meta extends RuleMeta> = Meta['options'] extends Record<string, OptionSpec> ? { [K in keyof Meta['options']]: OptionValue<Meta['options'][K]['type']> } : Record<never, never>;

/** The message ids a rule's `meta.messages` declares. */
export type MessageIdOf<Meta extends RuleMeta> = Extract<keyof Meta['messages'], string>;

/**
 * Defines a rule, typed from its own metadata: `context.options` has the types `meta.options` declares,
 * and a report's `messageId` must be a key of `meta.messages` (a wrong id does not compile).
 */
export function defineRule<const Meta extends RuleMeta>(rule: { meta: Meta; check(context: RuleContext<OptionsOf<Meta>>): Iterable<Report<MessageIdOf<Meta>>> }): Rule<OptionsOf<Meta>, MessageIdOf<Meta>> {
  return rule as Rule<OptionsOf<Meta>, MessageIdOf<Meta>>;
}

/** A message's declaration as a spec, with the rule's severity and the server scope filled in. */
export function messageSpec(meta: RuleMeta, messageId: string): Required<MessageSpec> | undefined {
  const declared = (meta.messages as Record<string, string | MessageSpec | undefined>)[messageId];
  if (declared === undefined) return undefined;
  const spec = typeof declared === 'string' ? { text: declared } : declared;
  return { text: spec.text, severity: spec.severity ?? meta.severity, scope: spec.scope ?? 'server' };
}
