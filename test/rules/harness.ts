/**
 * A rule tester in ESLint's manner: deployments are written as short specs over the committed
 * certificates of fixtures/rules (see make.mjs there), each case says which findings it expects, and
 * one shared runner checks them with the real engine and path validation.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCertificateFile } from '../../src/certs/read.js';
import type { Certificate } from '../../src/certs/x509.js';
import { lintDeployment } from '../../src/engine/run.js';
import type { Finding, Rule } from '../../src/engine/types.js';
import { createChainValidation } from '../../src/engine/validation.js';
import type { Assignment, Deployment, Pool, Role, Server, StoreEntry, Usage } from '../../src/snapshot/model.js';

const FIXTURES = new URL('../../fixtures/rules/', import.meta.url);

/** Every fixture certificate by file name (without .pem). */
export const certs: Record<string, Certificate> = Object.fromEntries(
  readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.pem'))
    .map((f) => {
      const result = readCertificateFile(new URL(f, FIXTURES).pathname);
      if (result.errors.length > 0 || result.certificates.length !== 1) throw new Error(`fixture ${f} did not read as one certificate`);
      return [f.slice(0, -4), result.certificates[0]!];
    }),
);

export const thumbprint = (name: string) => certs[name]!.facts.thumbprint;

/** A certificate assigned to a usage: a fixture name, or a staged roll. */
export type AssignmentSpec = string | { current: string; previous?: string; effectiveDate?: string };

export interface PersonalSpec {
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
}

export interface PoolSpec {
  fqdn: string;
  role: Role;
  webServices?: Pool['webServices'];
  edge?: Pool['edge'];
  servers: ServerSpec[];
}

export interface DeploymentSpec {
  sipDomains?: string[];
  simpleUrls?: Partial<Deployment['simpleUrls']>;
  dnsNames?: string[];
  pools: PoolSpec[];
  /** Certificates that share a file with each assigned certificate (a PFX's chain), by fixture name. */
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
    ...(p.webServices && { webServices: p.webServices }),
    ...(p.edge && { edge: p.edge }),
    location: at(),
    servers: p.servers.map((s): Server => {
      const location = at();
      const assignments: Assignment[] = Object.entries(s.assignments ?? {}).map(([usage, a]) => {
        const roll = typeof a === 'string' ? { current: a } : a!;
        return {
          usage: usage as Usage,
          thumbprint: thumbprint(roll.current),
          ...(roll.previous !== undefined && { previousThumbprint: thumbprint(roll.previous) }),
          ...(roll.effectiveDate !== undefined && { effectiveDate: roll.effectiveDate }),
          location: at(),
        };
      });
      const assigned = [...new Set(Object.values(s.assignments ?? {}).map((a) => (typeof a === 'string' ? a : a!.current)))];
      const personal =
        s.personal === null
          ? null
          : assigned
              .filter((name) => !s.notInPersonal?.includes(name))
              .map((name) => entry(name, { hasPrivateKey: true, exportable: true, keyProvider: 'CSP', ...s.personal?.[name] }));
      const store = (names: string[] | null | undefined, fallback: string[]) => (names === null ? null : (names ?? fallback).map((n) => entry(n)));
      return {
        fqdn: s.fqdn,
        pool: p.fqdn,
        assignments,
        ...(s.assignmentsCollected === false && { assignmentsCollected: false }),
        stores: { personal, root: store(s.root, ['root']), intermediate: store(s.intermediate, ['issuing']) },
        location,
      };
    }),
  }));
  const byThumbprint = new Map(Object.values(certs).map((c) => [c.facts.thumbprint, c]));
  const companions = new Map(Object.entries(spec.companions ?? {}).map(([name, others]) => [thumbprint(name), others.map((o) => certs[o]!)]));
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
}

/** What an expected finding must match: its message id, and where given, server, usage, severity, certificate. */
export interface ExpectedFinding {
  messageId: string;
  server?: string;
  usage?: Usage;
  severity?: Finding['severity'];
  thumbprint?: string;
  /** A substring of the message text. */
  message?: string;
}

export function runRule(rule: Rule, c: Omit<LintCase, 'name'>): Finding[] {
  const result = lintDeployment(c.deployment, {
    rules: [rule],
    settings: c.options ? { [rule.meta.id]: { options: c.options } } : {},
    suppressions: [],
    now: c.now ?? NOW,
    validate: createChainValidation(),
  });
  expect(result.failures).toEqual([]);
  return result.findings;
}

/** Declares the valid cases (no findings) and invalid cases (exactly the findings listed) of a rule. */
export function ruleTester(rule: Rule, cases: { valid: LintCase[]; invalid: Array<LintCase & { findings: ExpectedFinding[] }> }): void {
  describe(rule.meta.id, () => {
    for (const c of cases.valid) {
      it(`passes: ${c.name}`, () => {
        expect(runRule(rule, c).map(summary)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`fails: ${c.name}`, () => {
        const findings = runRule(rule, c);
        expect(findings).toHaveLength(c.findings.length);
        for (const expected of c.findings) {
          const match = findings.find((f) => matches(f, expected));
          expect(match, `no finding matches ${JSON.stringify(expected)}; got ${JSON.stringify(findings.map(summary), null, 1)}`).toBeDefined();
        }
      });
    }
  });
}

function matches(f: Finding, e: ExpectedFinding): boolean {
  return (
    f.messageId === e.messageId &&
    (e.server === undefined || f.server === e.server) &&
    (e.usage === undefined || f.usage === e.usage) &&
    (e.severity === undefined || f.severity === e.severity) &&
    (e.thumbprint === undefined || f.thumbprint === e.thumbprint) &&
    (e.message === undefined || f.message.includes(e.message))
  );
}

const summary = (f: Finding) => ({ messageId: f.messageId, server: f.server, usage: f.usage, severity: f.severity, message: f.message });

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
