/**
 * The lint pipeline as one call: targets and options in, a complete LintReport out (configuration
 * discovery, plug-ins, rule settings, running, suppressions), and the exit policy. The CLI only parses
 * arguments and writes what this returns; a script or another tool can lint without the CLI.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { loadPublicRoots } from '../certs/public-roots.js';
import { InputError } from '../errors.js';
import { EXIT } from '../exit.js';
import { summarize, type InventoryEntry, type LintReport, type RunRecord } from '../report/types.js';
import { BUILT_IN_RULES } from '../rules/index.js';
import { InputErrorList } from '../snapshot/errors.js';
import { loadSnapshot } from '../snapshot/load.js';
import type { Deployment } from '../snapshot/model.js';
import { version } from '../version.js';
import { findConfig, loadConfig, type LintConfig } from './config.js';
import type { LoadedPlugin } from './plugins.js';
import { describeRules } from './describe-rules.js';
import { resolveOptions } from './options.js';
import { lintDeployment, type RuleSettings } from './run.js';
import type { Finding, Rule, RuleSetting } from './types.js';
import { createChainValidation } from './validation.js';

export interface LintRequest {
  /** Snapshot files or folders; relative paths resolve against `cwd`. */
  targets: string[];
  /** The folder paths in the report are relative to. */
  cwd: string;
  /** Where snapshots' `passwordEnv` variables are read. */
  env: NodeJS.ProcessEnv;
  /** A configuration file for every target; without it, each snapshot's own is looked for. */
  configPath?: string;
  /** Severities set on the command line, over the configuration's. */
  ruleSettings?: Record<string, RuleSetting>;
  /** The evaluation time, over the configuration's `now`; default the clock. */
  now?: Date;
  /** The largest snapshot, configuration and certificate file accepted, in bytes. */
  maxBytes?: number;
  /** Errors only. */
  quiet?: boolean;
}

export const TOOL = { name: 'sfb-certlint', informationUri: 'https://github.com/sfb-certlint/sfb-certlint' } as const;

/**
 * Lints every target. A bad configuration, rule or option throws an InputError (no report would mean
 * what was asked, as ESLint treats it); a snapshot that cannot be read becomes an input error in the
 * report, and the other snapshots are still linted.
 */
export async function lint(request: LintRequest): Promise<LintReport> {
  const { cwd, maxBytes } = request;
  const explicitConfig = request.configPath === undefined ? undefined : loadConfig(resolve(cwd, request.configPath), maxBytes);
  const run: RunRecord = { timeSource: 'clock', rules: [], configurations: [], plugins: [], files: [] };
  const recordFile = fileRecorder(run);
  const inventory: InventoryEntry[] = [];
  const report: LintReport = {
    tool: { ...TOOL, version: version() },
    evaluatedAt: '',
    inputs: [],
    inputErrors: [],
    ruleFailures: [],
    rules: [],
    findings: [],
    unusedSuppressions: [],
    root: cwd,
    run,
    inventory,
  };
  const rel = (p: string) => relative(cwd, resolve(cwd, p)).split(sep).join('/') || '.';
  // Snapshots with configurations of their own may each have a `now`; the report gives the first.
  let evaluatedAt: string | undefined;
  for (const target of request.targets) {
    const snapshotPath = resolve(cwd, target);
    const config = explicitConfig ?? loadDiscoveredConfig(snapshotPath, maxBytes);
    const now = request.now ?? config?.now ?? new Date();
    if (evaluatedAt === undefined) {
      evaluatedAt = now.toISOString();
      run.timeSource = request.now ? 'option' : config?.now ? 'configuration' : 'clock';
    }
    const plugins = config ? await config.pluginModules() : [];
    const rules = allRules(config, plugins);
    const settings = mergeSettings(rules, config, request.ruleSettings ?? {});
    if (config && !run.configurations.includes(rel(config.path))) {
      run.configurations.push(rel(config.path));
      recordFile(rel(config.path), 'configuration', config.path);
      // Roots the configuration makes public change what external-certificate-public-ca judges.
      for (const file of [...(config.publicRoots?.replace ?? []), ...(config.publicRoots?.add ?? [])]) recordFile(rel(file), 'public-root', file);
      for (const plugin of plugins) {
        run.plugins.push({ specifier: plugin.specifier, path: rel(plugin.path), configuration: rel(config.path), rules: plugin.rules.map((r) => r.meta.id) });
        recordFile(rel(plugin.path), 'plugin', plugin.path);
      }
    }
    let deployment: Deployment;
    try {
      deployment = loadSnapshot(snapshotPath, { env: request.env, maxBytes });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      for (const error of e instanceof InputErrorList ? e.errors : [e]) {
        report.inputErrors.push({
          ...(error.where.path !== undefined && { path: rel(error.where.path) }),
          ...(error.where.line !== undefined && { line: error.where.line }),
          message: `${error.message}${error.hint ? ` (${error.hint})` : ''}`,
        });
      }
      continue;
    }
    const publicRoots = () => loadPublicRoots(config?.publicRoots, maxBytes);
    const result = lintDeployment(deployment, { rules, settings, suppressions: config?.suppressions ?? [], now, validate: createChainValidation(), publicRoots });
    report.inputs.push({
      snapshot: rel(deployment.path),
      ...(deployment.name !== undefined && { name: deployment.name }),
      ...(config && { configuration: rel(config.path) }),
      certificateFiles: deployment.certificateFiles.map(rel),
      pools: deployment.pools.map((p) => ({
        fqdn: p.fqdn,
        role: p.role,
        line: p.location.line,
        servers: p.servers.map((s) => ({ fqdn: s.fqdn, line: s.location.line })),
      })),
    });
    // One by one: spread as arguments, a few hundred thousand findings would overflow the stack.
    for (const finding of result.findings) report.findings.push(relativeFinding(finding, rel));
    report.ruleFailures.push(...result.failures);
    report.unusedSuppressions.push(...result.unusedSuppressions.map((s) => (s.source ? { ...s, source: { ...s.source, path: rel(s.source.path) } } : s)));
    for (const { rule, severity } of result.rulesRun) {
      if (report.rules.some((r) => r.id === rule.meta.id)) continue;
      report.rules.push({ ...describeRules([rule])[0]!, severity });
      run.rules.push({ id: rule.meta.id, severity, options: resolveOptions(rule.meta, settings[rule.meta.id]?.options) });
    }
    recordFile(rel(deployment.path), 'snapshot', deployment.path);
    for (const file of deployment.certificateFiles) recordFile(rel(file), 'certificate', file);
    for (const entry of inventoryOf(deployment, rel)) inventory.push(entry);
  }
  report.evaluatedAt = evaluatedAt ?? (request.now ?? new Date()).toISOString();
  if (request.quiet) report.findings = report.findings.filter((f) => f.severity === 'error');
  return report;
}

/** 0 clean, 1 error findings or more warnings than allowed, 2 the run could not do its job. */
export function exitCode(report: LintReport, maxWarnings = Infinity): number {
  if (report.inputErrors.length > 0 || report.ruleFailures.length > 0) return EXIT.failure;
  const counts = summarize(report.findings);
  return counts.error > 0 || counts.warning > maxWarnings ? EXIT.findings : EXIT.ok;
}

function loadDiscoveredConfig(snapshotPath: string, maxBytes: number | undefined): LintConfig | undefined {
  const found = findConfig(snapshotPath);
  return found === undefined ? undefined : loadConfig(found, maxBytes);
}

function allRules(config: LintConfig | undefined, plugins: LoadedPlugin[]): Rule[] {
  const pluginRules = plugins.flatMap((p) => p.rules);
  const clash = pluginRules.find((p) => BUILT_IN_RULES.some((b) => b.meta.id === p.meta.id));
  if (clash) throw new InputError(`a plug-in rule has the id of a built-in rule: '${clash.meta.id}' (give plug-in rules a prefix, e.g. contoso/...)`, { path: config!.path });
  return [...BUILT_IN_RULES, ...pluginRules];
}

/**
 * Records each file read and its SHA-256, once. It is read again here, after linting, rather than by every
 * reader of files: the digest is evidence of what was judged, and a file changed in between would show
 * as a digest that does not match the auditor's copy.
 */
function fileRecorder(run: RunRecord): (path: string, kind: RunRecord['files'][number]['kind'], absolute: string) => void {
  const recorded = new Set<string>();
  return (path, kind, absolute) => {
    if (recorded.has(path)) return;
    recorded.add(path);
    let bytes: Buffer | undefined;
    try {
      bytes = readFileSync(absolute);
    } catch {
      // Gone or unreadable since it was read: recorded without a digest.
    }
    run.files.push({ path, kind, sha256: bytes ? createHash('sha256').update(bytes).digest('hex').toUpperCase() : null, bytes: bytes?.length ?? null });
  };
}

/** Every certificate the deployment's files hold, with each assignment and store entry that names it. */
function inventoryOf(deployment: Deployment, rel: (p: string) => string): InventoryEntry[] {
  const snapshot = rel(deployment.path);
  const entries = new Map<string, InventoryEntry>();
  for (const certificate of deployment.certificates.all()) {
    const { facts } = certificate;
    entries.set(facts.thumbprint, { snapshot, facts: { ...facts, source: { ...facts.source, path: rel(facts.source.path) } }, assignments: [], stores: [] });
  }
  for (const pool of deployment.pools) {
    for (const server of pool.servers) {
      const where = { pool: pool.fqdn, server: server.fqdn };
      for (const a of server.assignments) {
        const roll = a.effectiveDate !== undefined ? { effectiveDate: a.effectiveDate } : {};
        entries.get(a.thumbprint)?.assignments.push({
          ...where, role: pool.role, usage: a.usage, state: 'assigned', ...roll,
          ...(a.previousThumbprint !== undefined && { rollsWith: a.previousThumbprint }),
          ...(a.location.line !== undefined && { line: a.location.line }),
        });
        if (a.previousThumbprint !== undefined) {
          entries.get(a.previousThumbprint)?.assignments.push({
            ...where, role: pool.role, usage: a.usage, state: 'previous', ...roll, rollsWith: a.thumbprint,
            ...(a.location.line !== undefined && { line: a.location.line }),
          });
        }
      }
      for (const store of ['personal', 'intermediate', 'root'] as const) {
        for (const { thumbprint, location, ...key } of server.stores[store] ?? []) {
          entries.get(thumbprint)?.stores.push({ ...where, store, ...key, ...(location.line !== undefined && { line: location.line }) });
        }
      }
    }
  }
  return [...entries.values()];
}

/** Configuration settings, then command-line settings on top; every rule named must exist. */
function mergeSettings(rules: Rule[], config: LintConfig | undefined, cli: Record<string, RuleSetting>): Record<string, RuleSettings> {
  const byId = new Map(rules.map((r) => [r.meta.id, r]));
  const settings: Record<string, RuleSettings> = { ...config?.rules };
  for (const [id, setting] of Object.entries(settings)) {
    const rule = byId.get(id);
    if (!rule) throw new InputError(`unknown rule '${id}' in the configuration`, config?.ruleLocation(id) ?? {}, 'sfb-certlint rules lists every rule.');
    try {
      resolveOptions(rule.meta, setting.options);
    } catch (e) {
      // Checked here, before linting, so the error points at the configuration's line.
      throw e instanceof InputError ? e.at(config?.ruleLocation(id) ?? {}) : e;
    }
  }
  for (const [id, severity] of Object.entries(cli)) {
    if (!byId.has(id)) throw new InputError(`--rule ${id}: unknown rule (sfb-certlint rules lists every rule)`);
    settings[id] = { ...settings[id], severity };
  }
  return settings;
}

/** A finding with every path in it relative to the report's root. */
function relativeFinding(f: Finding, rel: (p: string) => string): Finding {
  const at = <T extends { path: string }>(l: T): T => ({ ...l, path: rel(l.path) });
  return {
    ...f,
    locations: f.locations.map(at),
    ...(f.places && { places: f.places.map((p) => ({ ...p, location: at(p.location) })) }),
    ...(f.suppression?.source && { suppression: { ...f.suppression, source: at(f.suppression.source) } }),
    ...(f.lapsedSuppression?.source && { lapsedSuppression: { ...f.lapsedSuppression, source: at(f.lapsedSuppression.source) } }),
  };
}
