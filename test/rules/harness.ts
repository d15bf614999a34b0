/**
 * A rule tester in ESLint's manner: deployments are written as short specs over the committed
 * certificates of fixtures/rules (see make.mjs there), each case says which findings it expects, and
 * one shared runner checks them with the real engine and path validation. Every message rendered must
 * have all its placeholders filled, and each expected finding is matched to a finding of its own.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCrlFile } from '../../src/certs/crl.js';
import { readCertificateFile } from '../../src/certs/read.js';
import type { Certificate } from '../../src/certs/x509.js';
import { lintDeployment } from '../../src/engine/run.js';
import { messageSpec, type Finding, type Rule } from '../../src/engine/types.js';
import { createChainValidation } from '../../src/engine/validation.js';
import type { Assignment, Deployment, Pool, Role, Server, StoreEntry, Usage } from '../../src/snapshot/model.js';

const FIXTURES = new URL('../../fixtures/rules/', import.meta.url);
/** The password of the PKCS #12 fixtures (fixtures/rules/make.mjs). */
const PFX_PASSWORD = 'rules';

/** fixtures/rules and each folder in it (a fixture script of its own, as trust/make.mjs). */
const FIXTURE_FOLDERS = [FIXTURES, ...readdirSync(FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => new URL(`${e.name}/`, FIXTURES))];

/** The certificates of each fixture file, the file's name (without .pem or .pfx) first. */
const fixtureFiles: Array<[string, Certificate[]]> = FIXTURE_FOLDERS.flatMap((folder) =>
  readdirSync(folder)
    .filter((f) => /\.(pem|pfx)$/.test(f))
    .map((f): [string, Certificate[]] => {
      const result = readCertificateFile(new URL(f, folder).pathname, { password: PFX_PASSWORD });
      if (result.errors.length > 0 || result.certificates.length === 0) throw new Error(`fixture ${f} did not read`);
      return [f.slice(0, -4), result.certificates];
    }),
);

/**
 * Every fixture certificate by file name; a file of several certificates (a PFX with its chain) names
 * its first by the file and the others `name#2`, `name#3`, in the file's order.
 */
export const certs: Record<string, Certificate> = {};
for (const [name, list] of fixtureFiles) {
  list.forEach((certificate, i) => {
    const key = i === 0 ? name : `${name}#${i + 1}`;
    if (certs[key]) throw new Error(`two fixtures named ${key}`);
    certs[key] = certificate;
  });
}

export const thumbprint = (name: string) => certs[name]!.facts.thumbprint;

/** A certificate assigned to a usage: a fixture name, or a staged roll. */
export type AssignmentSpec = string | { current: string; previous?: string; effectiveDate?: string };

export interface PersonalSpec {
  friendlyName?: string;
  hasPrivateKey?: boolean;
  exportable?: boolean;
  keyProvider?: 'CSP' | 'CNG';
}

export interface ServerSpec {
  fqdn: string;
  /** False: the snapshot does not say what is assigned (an import without inventory). */
  assignmentsCollected?: boolean;
  assignments?: Partial<Record<Usage, AssignmentSpec>>;
  /** Key facts per fixture name; every assigned certificate is in the Personal store unless `personal` is null. */
  personal?: Record<string, PersonalSpec> | null;
  /** Fixture names; default: the test root. null: not collected. */
  root?: string[] | null;
  /** Fixture names; default: the test issuing CA. */
  intermediate?: string[] | null;
  /** Assigned certificates left out of the Personal store. */
  notInPersonal?: string[];
  /** Certificates in the Personal store that are not assigned, with their key facts. */
  unassigned?: Record<string, PersonalSpec>;
  /** The server's Windows version. */
  os?: Server['os'];
}

export interface PoolSpec {
  fqdn: string;
  role: Role;
  site?: string;
  webServices?: Pool['webServices'];
  edge?: Pool['edge'];
  servers: ServerSpec[];
}

export interface DeploymentSpec {
  sipDomains?: string[];
  simpleUrls?: Partial<Deployment['simpleUrls']>;
  dnsNames?: string[];
  pools: PoolSpec[];
  /**
   * Certificates given as sharing a file with each assigned certificate (a PFX's chain), by fixture name,
   * beside those that do share a fixture file with it.
   */
  companions?: Record<string, string[]>;
}

/** Builds a deployment model; every declaration gets its own line of a notional snapshot.yaml. */
export function deployment(spec: DeploymentSpec): Deployment {
  let line = 1;
  const at = () => ({ path: 'snapshot.yaml', line: line++ });
  const entry = (name: string, extra: Partial<StoreEntry> = {}): StoreEntry => ({ thumbprint: thumbprint(name), ...extra, location: at() });
  const pools: Pool[] = spec.pools.map((p) => ({
    fqdn: p.fqdn,
    role: p.role,
    ...(p.site !== undefined && { site: p.site }),
    ...(p.webServices && { webServices: p.webServices }),
    ...(p.edge && { edge: p.edge }),
    location: at(),
    servers: p.servers.map((s): Server => {
      const location = at();
      // A usage set to undefined (`{ ...FE, Default: undefined }`) is not assigned.
      const given = Object.entries(s.assignments ?? {}).filter(([, a]) => a !== undefined);
      const assignments: Assignment[] = given.map(([usage, a]) => {
        const roll = typeof a === 'string' ? { current: a } : a!;
        return {
          usage: usage as Usage,
          thumbprint: thumbprint(roll.current),
          ...(roll.previous !== undefined && { previousThumbprint: thumbprint(roll.previous) }),
          ...(roll.effectiveDate !== undefined && { effectiveDate: roll.effectiveDate }),
          location: at(),
        };
      });
      const assigned = [...new Set(given.map(([, a]) => (typeof a === 'string' ? a : a!.current)))];
      const personal =
        s.personal === null
          ? null
          : [
              ...assigned.filter((name) => !s.notInPersonal?.includes(name)).map((name) => entry(name, { hasPrivateKey: true, exportable: true, keyProvider: 'CSP', ...s.personal?.[name] })),
              ...Object.entries(s.unassigned ?? {}).map(([name, spec]) => entry(name, { hasPrivateKey: true, exportable: true, keyProvider: 'CSP', ...spec })),
            ];
      const store = (names: string[] | null | undefined, fallback: string[]) => (names === null ? null : (names ?? fallback).map((n) => entry(n)));
      return {
        fqdn: s.fqdn,
        pool: p.fqdn,
        ...(s.os && { os: s.os }),
        assignments,
        ...(s.assignmentsCollected === false && { assignmentsCollected: false }),
        stores: { personal, root: store(s.root, ['root']), intermediate: store(s.intermediate, ['issuing']) },
        location,
      };
    }),
  }));
  const byThumbprint = new Map(Object.values(certs).map((c) => [c.facts.thumbprint, c]));
  const companions = new Map<string, Certificate[]>();
  for (const [, list] of fixtureFiles) for (const c of list) if (list.length > 1) companions.set(c.facts.thumbprint, list.filter((o) => o !== c));
  for (const [name, others] of Object.entries(spec.companions ?? {})) companions.set(thumbprint(name), [...(companions.get(thumbprint(name)) ?? []), ...others.map((o) => certs[o]!)]);
  return {
    path: 'snapshot.yaml',
    version: 1,
    sipDomains: (spec.sipDomains ?? ['contoso.com', 'fabrikam.com']).map((name, i) => ({ name, isDefault: i === 0 })),
    simpleUrls: { meet: [], dialin: [], admin: [], ...spec.simpleUrls },
    sites: [],
    dnsNames: spec.dnsNames ?? [],
    pools,
    certificates: {
      get: (t) => byThumbprint.get(t),
      companions: (t) => companions.get(t) ?? [],
      all: () => [...byThumbprint.values()],
    },
    certificateFiles: [],
  };
}

/** The deployment with some fixture certificates missing from its certificate files. */
export function without(d: Deployment, ...names: string[]): Deployment {
  const gone = new Set(names.map(thumbprint));
  const all = d.certificates.all().filter((c) => !gone.has(c.facts.thumbprint));
  return { ...d, certificates: { ...d.certificates, all: () => all, get: (t) => (gone.has(t) ? undefined : d.certificates.get(t)) } };
}

/** Tests evaluate at a fixed time, inside every fixture's validity unless a case moves it. */
export const NOW = new Date('2026-06-01T00:00:00Z');

export interface LintCase {
  name: string;
  deployment: Deployment;
  now?: Date;
  options?: Record<string, unknown>;
  /** The public roots: fixture names, or a loader (as the configuration's); default Node's bundled list. */
  publicRoots?: string[] | (() => Certificate[]);
  /** CRL files under fixtures/rules whose revocations path validation checks (as a snapshot's crls:); default none. */
  crls?: string[];
}

/**
 * What an expected finding must match: its message id, and where given its server, usage, severity,
 * certificate, snapshot line, places (the servers a finding about a certificate lists) and a substring
 * of the message that the message's template does not itself contain (a value the rule filled in).
 */
export interface ExpectedFinding<MessageId extends string = string> {
  messageId: MessageId;
  server?: string;
  usage?: Usage;
  severity?: Finding['severity'];
  thumbprint?: string;
  /** The line of the finding's snapshot location (see lineOf). */
  line?: number;
  /** The servers (or pools) of the finding's places, in order. */
  places?: string[];
  message?: string;
}

export function runRule(rule: Rule, c: Omit<LintCase, 'name'>): Finding[] {
  const result = lintDeployment(c.deployment, {
    rules: [rule],
    settings: c.options ? { [rule.meta.id]: { options: c.options } } : {},
    suppressions: [],
    now: c.now ?? NOW,
    validate: createChainValidation(c.crls?.flatMap((f) => readCrlFile(new URL(f, FIXTURES).pathname).crls)),
    ...(c.publicRoots && { publicRoots: typeof c.publicRoots === 'function' ? c.publicRoots : () => (c.publicRoots as string[]).map((name) => certs[name]!) }),
  });
  expect(result.failures).toEqual([]);
  for (const f of result.findings) expect(f.message, `${f.ruleId}/${f.messageId} left a placeholder unfilled`).not.toMatch(/\{\{.*?\}\}/);
  return result.findings;
}

/** Declares the valid cases (no findings) and invalid cases (exactly the findings listed) of a rule. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function ruleTester<MessageId extends string>(rule: Rule<any, MessageId>, cases: { valid: LintCase[]; invalid: Array<LintCase & { findings: Array<ExpectedFinding<MessageId>> }> }): void {
  describe(rule.meta.id, () => {
    for (const c of cases.valid) {
      it(`passes: ${c.name}`, () => {
        expect(runRule(rule, c).map(summary)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`fails: ${c.name}`, () => {
        for (const e of c.findings) {
          const template = messageSpec(rule.meta, e.messageId)?.text;
          expect(template, `${rule.meta.id} has no message ${e.messageId}`).toBeDefined();
          // A substring the template holds matches whatever the rule fills in: it would test nothing.
          if (e.message !== undefined) expect(template!.includes(e.message), `"${e.message}" is in the template of ${e.messageId} itself`).toBe(false);
        }
        const findings = runRule(rule, c);
        const pairing = pair(c.findings, findings);
        expect(pairing, `expected ${JSON.stringify(c.findings, null, 1)}\ngot ${JSON.stringify(findings.map(summary), null, 1)}`).not.toBeNull();
      });
    }
  });
}

/** Pairs each expectation with a finding of its own, every finding used once; null when no pairing exists. */
export function pair(expected: ExpectedFinding[], findings: Finding[]): Map<ExpectedFinding, Finding> | null {
  if (expected.length !== findings.length) return null;
  const taken = new Set<Finding>();
  const pairs = new Map<ExpectedFinding, Finding>();
  const assign = (i: number): boolean => {
    if (i === expected.length) return true;
    for (const f of findings) {
      if (taken.has(f) || !matches(f, expected[i]!)) continue;
      taken.add(f);
      pairs.set(expected[i]!, f);
      if (assign(i + 1)) return true;
      taken.delete(f);
    }
    return false;
  };
  return assign(0) ? pairs : null;
}

function matches(f: Finding, e: ExpectedFinding): boolean {
  return (
    f.messageId === e.messageId &&
    (e.server === undefined || f.server === e.server) &&
    (e.usage === undefined || f.usage === e.usage) &&
    (e.severity === undefined || f.severity === e.severity) &&
    (e.thumbprint === undefined || f.thumbprint === e.thumbprint) &&
    (e.line === undefined || f.locations[0]!.line === e.line) &&
    (e.places === undefined || JSON.stringify(f.places?.map((p) => p.server ?? p.pool)) === JSON.stringify(e.places)) &&
    (e.message === undefined || f.message.includes(e.message))
  );
}

const summary = (f: Finding) => ({
  messageId: f.messageId,
  server: f.server,
  usage: f.usage,
  severity: f.severity,
  thumbprint: f.thumbprint,
  line: f.locations[0]!.line,
  ...(f.places && { places: f.places.map((p) => p.server ?? p.pool) }),
  message: f.message,
});

/** The snapshot line of a server's declaration, or of its assignment of `usage`, in a harness deployment. */
export function lineOf(d: Deployment, server: string, usage?: Usage): number {
  const s = d.pools.flatMap((p) => p.servers).find((x) => x.fqdn === server);
  if (!s) throw new Error(`no server ${server}`);
  const location = usage === undefined ? s.location : s.assignments.find((a) => a.usage === usage)?.location;
  if (location?.line === undefined) throw new Error(`${server} has no ${usage} assignment`);
  return location.line;
}

/** Per-server settings: `all` for every server, then `per` by index. */
export interface ServerOverrides {
  all?: Partial<ServerSpec>;
  per?: Record<number, Partial<ServerSpec>>;
}

/** A Front End pool of `n` servers with the same assignments, unless overridden. */
export function frontEndPool(assignments: ServerSpec['assignments'], n = 3, overrides: ServerOverrides = {}): PoolSpec {
  return { fqdn: 'pool01.contoso.com', role: 'FrontEnd', servers: servers('fe', n, assignments, overrides) };
}

/** An Edge pool of `n` servers with the same assignments, unless overridden. */
export function edgePool(assignments: ServerSpec['assignments'], n = 2, overrides: ServerOverrides = {}): PoolSpec {
  return {
    fqdn: 'edgepool.contoso.com',
    role: 'Edge',
    edge: { internalFqdn: 'edgepool-int.contoso.com', accessEdgeFqdn: 'sip.contoso.com', webConferencingEdgeFqdn: 'webconf.contoso.com', avEdgeFqdn: 'av.contoso.com' },
    servers: servers('edge', n, assignments, overrides),
  };
}

function servers(prefix: string, n: number, assignments: ServerSpec['assignments'], { all, per }: ServerOverrides): ServerSpec[] {
  return Array.from({ length: n }, (_, i) => ({ fqdn: `${prefix}0${i + 1}.contoso.com`, assignments, ...all, ...per?.[i] }));
}
