/**
 * The lint pipeline as one call: targets and options in, a complete LintReport out (finding the
 * snapshots in folders, configuration discovery, confinement to the root, plug-ins, rule settings,
 * running, suppressions), and the exit policy. The CLI only parses arguments and writes what this
 * returns; a script or another tool can lint without the CLI.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { loadPublicRoots } from '../certs/public-roots.js';
import { isoSeconds } from '../dates.js';
import { didYouMean, InputError, type InputLocation } from '../errors.js';
import { EXIT } from '../exit.js';
import { Confinement, rootOf, type RootKind } from '../files.js';
import { summarize, type InventoryEntry, type LintReport, type ReportedInput, type RunRecord } from '../report/types.js';
import { BUILT_IN_RULES } from '../rules/index.js';
import { isPfxPasswordVariable } from '../snapshot/certificates.js';
import { InputErrorList } from '../snapshot/errors.js';
import { findSnapshots, loadSnapshot, SNAPSHOT_FILE_NAMES } from '../snapshot/load.js';
import type { Deployment } from '../snapshot/model.js';
import { version } from '../version.js';
import { allowedByConfig, findConfig, isTrustedLocation, loadConfig, type LintConfig, type PluginPolicy } from './config.js';
import { describeRules } from './describe-rules.js';
import { resolveOptions } from './options.js';
import { lintDeployment, type RuleSettings } from './run.js';
import type { Finding, Rule, RuleSetting } from './types.js';
import { createChainValidation } from './validation.js';

export interface LintRequest {
  /** Snapshot files or folders (a folder is walked for snapshots); relative paths resolve against `cwd`. */
  targets: string[];
  /** The folder paths in the report are relative to. */
  cwd: string;
  /** Where snapshots' `passwordEnv` variables are read. */
  env: NodeJS.ProcessEnv;
  /** Changes each loaded deployment before the rules run: `check` simulates a new certificate so. */
  transform?: (deployment: Deployment) => Deployment;
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
  /**
   * The folder every file read must stay inside (--root); default each snapshot's repository (the
   * nearest folder with `.git`), else its folder.
   */
  root?: string;
  /** Read files wherever they are (--allow-outside-root). */
  allowOutsideRoot?: boolean;
  /** Which configurations' plug-ins load: 'trusted' (default), 'all' (--allow-plugins), 'none' (--no-plugins). */
  plugins?: PluginPolicy;
}

export const TOOL = { name: 'sfb-certlint', informationUri: 'https://github.com/sfb-certlint/sfb-certlint' } as const;

/**
 * Lints every target. A bad configuration, rule or option throws an InputError (no report would mean
 * what was asked, as ESLint treats it); a snapshot that cannot be read becomes an input error in the
 * report, and the other snapshots are still linted.
 */
export async function lint(request: LintRequest): Promise<LintReport> {
  const run = new LintRun(request);
  const record: RunRecord = { timeSource: 'clock', rules: [], configurations: [], plugins: [], files: [] };
  const recordFile = fileRecorder(record);
  const inventory: InventoryEntry[] = [];
  const report: LintReport = { ...emptyReport(request.cwd), run: record, inventory };
  const { rel } = run;
  // Snapshots with configurations of their own may each have a `now`; the report gives the first.
  let time: { at: Date; from?: string } | undefined;
  const unreadable = (e: unknown) => {
    if (!(e instanceof InputError)) throw e;
    for (const error of e instanceof InputErrorList ? e.errors : [e]) {
      report.inputErrors.push({
        ...(error.where.path !== undefined && { path: rel(error.where.path) }),
        ...(error.where.line !== undefined && { line: error.where.line }),
        message: `${error.message}${error.hint ? ` (${error.hint})` : ''}`,
      });
    }
  };
  for (const snapshotPath of run.snapshots(unreadable)) {
    const { config, confinement } = run.setup(snapshotPath);
    const { at: now, from } = run.time(config);
    time ??= { at: now, ...(from !== undefined && { from }) };
    const rules = await allRules(config);
    const settings = await mergeSettings(rules, config, request.ruleSettings ?? {}, probeRuleIds);
    if (config && !record.configurations.includes(rel(config.path))) {
      record.configurations.push(rel(config.path));
      recordFile(rel(config.path), 'configuration', config.path);
      // Roots the configuration makes public change what external-certificate-public-ca judges.
      for (const file of [...(config.publicRoots?.replace ?? []), ...(config.publicRoots?.add ?? [])]) recordFile(rel(file), 'public-root', file);
      for (const plugin of config.loadedPlugins()) {
        record.plugins.push({ specifier: plugin.specifier, path: rel(plugin.path), configuration: rel(config.path), rules: plugin.rules });
        recordFile(rel(plugin.path), 'plugin', plugin.path);
      }
    }
    let deployment: Deployment;
    try {
      deployment = run.load(snapshotPath, { config, confinement }, (notice) => report.notices!.push({ path: rel(notice.path), message: notice.message }));
      if (request.transform) deployment = request.transform(deployment);
    } catch (e) {
      unreadable(e);
      continue;
    }
    const publicRoots = () => loadPublicRoots(config?.publicRoots, request.maxBytes);
    const result = lintDeployment(deployment, { rules, settings, suppressions: config?.suppressions ?? [], now, validate: createChainValidation(deployment.crls), publicRoots });
    report.inputs.push(reportedInput(deployment, config, rel));
    // One by one: spread as arguments, a few hundred thousand findings would overflow the stack.
    for (const finding of result.findings) report.findings.push(relativeFinding(finding, rel));
    report.ruleFailures.push(...result.failures);
    // A suppression of a rule lint does not run (probe's) is not stale here: the probe judges it.
    const stale = result.unusedSuppressions.filter((s) => s.rule === '*' || rules.some((r) => r.meta.id === s.rule));
    report.unusedSuppressions.push(...stale.map((s) => (s.source ? { ...s, source: relativeLocation(s.source, rel) } : s)));
    for (const { rule, severity } of result.rulesRun) {
      if (report.rules.some((r) => r.id === rule.meta.id)) continue;
      report.rules.push({ ...describeRules([rule])[0]!, severity });
      record.rules.push({ id: rule.meta.id, severity, options: resolveOptions(rule.meta, settings[rule.meta.id]?.options) });
    }
    recordFile(rel(deployment.path), 'snapshot', deployment.path);
    for (const file of deployment.certificateFiles) recordFile(rel(file), 'certificate', file);
    for (const file of deployment.crlFiles ?? []) recordFile(rel(file), 'crl', file);
    for (const entry of inventoryOf(deployment, rel)) inventory.push(entry);
  }
  time ??= run.time(undefined);
  report.evaluatedAt = isoSeconds(time.at);
  if (time.from !== undefined) report.evaluationTimeFrom = time.from;
  record.timeSource = time.from === undefined ? 'clock' : time.from === '--now' ? 'option' : 'configuration';
  if (request.quiet) report.findings = report.findings.filter((f) => f.severity === 'error');
  return report;
}

/** A report of nothing yet, paths to be relative to `root`: what lint, probe and check fill in. */
export function emptyReport(root: string): LintReport {
  return { tool: { ...TOOL, version: version() }, evaluatedAt: '', inputs: [], inputErrors: [], ruleFailures: [], rules: [], findings: [], unusedSuppressions: [], root, notices: [] };
}

/** A snapshot as a report lists it: its name, the configuration applied, its certificate files, pools and servers. */
export function reportedInput(deployment: Deployment, config: LintConfig | undefined, rel: (p: string) => string): ReportedInput {
  return {
    snapshot: rel(deployment.path),
    ...(deployment.name !== undefined && { name: deployment.name }),
    ...(config && { configuration: rel(config.path) }),
    certificateFiles: deployment.certificateFiles.map(rel),
    ...(deployment.crlFiles?.length && { crlFiles: deployment.crlFiles.map(rel) }),
    pools: deployment.pools.map((p) => ({
      fqdn: p.fqdn,
      role: p.role,
      line: p.location.line,
      servers: p.servers.map((s) => ({ fqdn: s.fqdn, line: s.location.line })),
    })),
  };
}

/** 0 clean, 1 error findings or more warnings than allowed, 2 the run could not do its job. */
export function exitCode(report: LintReport, maxWarnings = Infinity): number {
  if (report.inputErrors.length > 0 || report.ruleFailures.length > 0) return EXIT.failure;
  const counts = summarize(report.findings);
  return counts.error > 0 || counts.warning > maxWarnings ? EXIT.findings : EXIT.ok;
}

/** A setting in force and where it comes from: `default`, `--rule`, `--now`, `the clock`, or `file:line`. */
interface Sourced<T> {
  value: T;
  from: string;
}

/** What --print-config shows: the configuration in force for one snapshot, and where each part comes from. */
export interface ConfigInForce {
  snapshot: string;
  root: { path: string; kind: RootKind } | null;
  configFile: { path: string; found: string; trusted: boolean } | null;
  now: Sourced<string>;
  rules: Record<string, { severity: Sourced<RuleSetting>; options: Sourced<Record<string, unknown>> }>;
  suppressions: Array<{ rule: string; pool?: string; server?: string; thumbprint?: string; reason: string; from: string }>;
  plugins: Array<{ specifier: string; path: string; rules: string[]; from: string }>;
  allowPasswordEnv: Sourced<string[]>;
  publicRoots: Sourced<{ add?: string[]; replace?: string[] } | "Node's bundled list">;
}

/**
 * The configuration in force for one snapshot (a file or a folder holding one), as lint would apply
 * it: which file, each rule's severity and options, suppressions, plug-ins, the evaluation time; each
 * with where it comes from. Throws what lint would throw for a bad configuration.
 */
export async function configInForce(request: Omit<LintRequest, 'targets'>, target: string): Promise<ConfigInForce> {
  const run = new LintRun({ ...request, targets: [target] });
  const snapshotPath = resolve(request.cwd, target);
  const { config, root, how } = run.setup(snapshotPath);
  const { rel } = run;
  const at = (location: InputLocation) => `${rel(location.path ?? config!.path)}${location.line !== undefined ? `:${location.line}` : ''}`;
  const rules = await allRules(config);
  const settings = await mergeSettings(rules, config, request.ruleSettings ?? {}, probeRuleIds);
  const time = run.time(config);
  const cli = request.ruleSettings ?? {};
  return {
    snapshot: rel(snapshotPath),
    root: request.allowOutsideRoot ? null : { path: rel(root.path), kind: root.kind },
    configFile: config ? { path: rel(config.path), found: how, trusted: config.trusted } : null,
    now: { value: isoSeconds(time.at), from: time.from === undefined ? 'the clock' : time.from === '--now' ? '--now' : at(config!.location(['now'])) },
    rules: Object.fromEntries(
      rules.map((rule) => {
        const id = rule.meta.id;
        const setting = settings[id] ?? {};
        const written = config?.rules[id];
        const severityFrom = cli[id] !== undefined ? '--rule' : written?.severity !== undefined ? at(config!.ruleLocation(id)) : 'default';
        return [
          id,
          {
            severity: { value: setting.severity ?? rule.meta.severity, from: severityFrom },
            options: { value: resolveOptions(rule.meta, setting.options), from: written?.options ? at(config!.ruleLocation(id)) : 'default' },
          },
        ];
      }),
    ),
    suppressions: (config?.suppressions ?? []).map(({ source, ...s }) => ({ ...s, from: source ? at(source) : rel(config!.path) })),
    plugins: (config?.loadedPlugins() ?? []).map((p, i) => ({ ...p, path: rel(p.path), from: at(config!.location(['plugins', i])) })),
    allowPasswordEnv: {
      value: ['PFX_PASSWORD', '*_PFX_PASSWORD', ...(config?.allowPasswordEnv ?? [])],
      from: config?.allowPasswordEnv.length ? `default, and ${at(config.location(['allowPasswordEnv']))}` : 'default',
    },
    publicRoots: config?.publicRoots
      ? {
          value: {
            ...(config.publicRoots.add && { add: config.publicRoots.add.map(rel) }),
            ...(config.publicRoots.replace && { replace: config.publicRoots.replace.map(rel) }),
          },
          from: at(config.location(['publicRoots'])),
        }
      : { value: "Node's bundled list", from: 'default' },
  };
}

/**
 * What one run shares across its snapshots: the configurations read, and paths as reports show them.
 * Every command that reads snapshots and configurations (lint, probe, check) sets up through it, so
 * each finds, trusts and confines them alike.
 */
export class LintRun {
  private readonly configs = new Map<string, LintConfig>();
  private readonly explicit: LintConfig | undefined;
  private readonly policy: PluginPolicy;

  constructor(private readonly request: LintRequest) {
    this.policy = request.plugins ?? 'trusted';
    if (request.configPath !== undefined) {
      // The user's own choice, wherever it is (a checkout of the base branch beside the change): what it
      // names stays inside its own repository, not inside --root, which is the snapshots'.
      const path = resolve(request.cwd, request.configPath);
      const confinement = request.allowOutsideRoot ? Confinement.none() : Confinement.around(path, undefined, this.rel);
      confinement.check(path, path);
      this.explicit = loadConfig(path, { maxBytes: request.maxBytes, trusted: true, plugins: this.policy, confinement });
    }
  }

  /** A path as reports show it: relative to the working folder, with forward slashes. */
  readonly rel = (p: string) => relative(this.request.cwd, resolve(this.request.cwd, p)).split(sep).join('/') || '.';

  /** The snapshot files and folders to lint: each target, a folder without a snapshot of its own walked for them. */
  *snapshots(unreadable: (e: unknown) => void): Generator<string> {
    for (const target of this.request.targets) {
      const path = resolve(this.request.cwd, target);
      let isFolder = false;
      try {
        isFolder = statSync(path).isDirectory();
      } catch {
        // loadSnapshot says it is not found.
      }
      if (!isFolder) {
        yield path;
        continue;
      }
      const found = findSnapshots(path);
      if (found.length === 0) {
        unreadable(new InputError('the folder holds no snapshot file, and no folder below it does', { path }, `A snapshot is a file named ${SNAPSHOT_FILE_NAMES.join(', ')}; node_modules and folders starting with a dot are not searched.`));
      }
      yield* found;
    }
  }

  /** The root, confinement and configuration for a snapshot; how the configuration was found. */
  setup(snapshotPath: string): { root: { path: string; kind: RootKind }; confinement: Confinement; config: LintConfig | undefined; how: string } {
    const root = rootOf(this.snapshotFile(snapshotPath), this.rootOption());
    const confinement = this.confinement(this.snapshotFile(snapshotPath));
    if (this.explicit) return { root, confinement, config: this.explicit, how: '--config' };
    const found = findConfig(snapshotPath, root.path);
    if (found === undefined) return { root, confinement, config: undefined, how: 'none' };
    let config = this.configs.get(found);
    if (!config) {
      confinement.check(found, found);
      config = loadConfig(found, { maxBytes: this.request.maxBytes, trusted: isTrustedLocation(found, root), plugins: this.policy, confinement });
      this.configs.set(found, config);
    }
    const beside = resolve(dirname(found)) === resolve(dirname(this.snapshotFile(snapshotPath)));
    return { root, confinement, config, how: beside ? 'beside the snapshot' : `in a folder above the snapshot, up to ${root.kind === 'folder' ? "the snapshot's folder" : 'the root'}` };
  }

  /** Loads a snapshot confined to its root, reading only the `passwordEnv` variables allowed. */
  load(snapshotPath: string, { config, confinement }: { config: LintConfig | undefined; confinement: Confinement }, onNotice: (notice: { path: string; message: string }) => void): Deployment {
    return loadSnapshot(snapshotPath, {
      env: this.request.env,
      maxBytes: this.request.maxBytes,
      confinement,
      passwordEnvAllowed: (name) => isPfxPasswordVariable(name) || allowedByConfig(config, name),
      onNotice,
    });
  }

  /** The evaluation time: --now, else the configuration's `now`, else the clock; and which it was (`--now`, the configuration's path). */
  time(config: LintConfig | undefined): { at: Date; from?: string } {
    if (this.request.now) return { at: this.request.now, from: '--now' };
    if (config?.now) return { at: config.now, from: this.rel(config.path) };
    return { at: new Date() };
  }

  /** The file a folder target stands for, so its root is found from inside it. */
  private snapshotFile(path: string): string {
    try {
      return statSync(path).isDirectory() ? resolve(path, SNAPSHOT_FILE_NAMES[0]!) : path;
    } catch {
      return path;
    }
  }

  /** --root, resolved against the working folder. */
  private rootOption(): string | undefined {
    return this.request.root === undefined ? undefined : resolve(this.request.cwd, this.request.root);
  }

  private confinement(path: string): Confinement {
    if (this.request.allowOutsideRoot) return Confinement.none();
    return Confinement.around(path, this.rootOption(), this.rel);
  }
}

async function allRules(config: LintConfig | undefined): Promise<Rule[]> {
  const plugins = config ? await config.plugins() : [];
  const clash = plugins.find((p) => BUILT_IN_RULES.some((b) => b.meta.id === p.meta.id));
  if (clash) throw new InputError(`a plug-in rule has the id of a built-in rule: '${clash.meta.id}' (give plug-in rules a prefix, e.g. contoso/...)`, { path: config!.path });
  return [...BUILT_IN_RULES, ...plugins];
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

/** The rules `probe` runs and lint does not: a configuration shared by both may set them. Loaded only when asked. */
export async function probeRuleIds(): Promise<ReadonlySet<string>> {
  const { PROBE_RULES } = await import('../probe/rules/index.js');
  return new Set(PROBE_RULES.map((r) => r.meta.id));
}

/**
 * Configuration settings, then command-line settings on top, for the rules a command runs. A
 * configuration may also set and suppress the rules of the other commands (`otherIds`, asked only
 * when an id is not one of `rules`): those settings are left out. Any other id is an error.
 */
export async function mergeSettings(
  rules: Rule[],
  config: LintConfig | undefined,
  cli: Record<string, RuleSetting>,
  otherIds: () => Promise<ReadonlySet<string>>,
): Promise<Record<string, RuleSettings>> {
  const byId = new Map(rules.map((r) => [r.meta.id, r]));
  let others: ReadonlySet<string> | undefined;
  const isOther = async (id: string) => (others ??= await otherIds()).has(id);
  const ids = async () => [...byId.keys(), ...(others ??= await otherIds())];
  const settings: Record<string, RuleSettings> = {};
  for (const [id, setting] of Object.entries(config?.rules ?? {})) {
    const rule = byId.get(id);
    if (!rule) {
      if (await isOther(id)) continue;
      throw new InputError(`unknown rule '${id}' in the configuration${didYouMean(id, await ids())}`, config?.ruleLocation(id) ?? {}, 'sfb-certlint rules lists every rule.');
    }
    settings[id] = setting;
    try {
      resolveOptions(rule.meta, setting.options);
    } catch (e) {
      // Checked here, before linting, so the error points at the configuration's line.
      throw e instanceof InputError ? e.at(config?.ruleLocation(id) ?? {}) : e;
    }
  }
  // A misspelt rule in a suppression would otherwise show only as a suppression that matched nothing.
  for (const s of config?.suppressions ?? []) {
    if (s.rule === '*' || byId.has(s.rule) || (await isOther(s.rule))) continue;
    throw new InputError(`suppressions: unknown rule '${s.rule}'${didYouMean(s.rule, await ids())}`, s.source ?? {}, 'sfb-certlint rules lists every rule; * suppresses every rule.');
  }
  for (const [id, severity] of Object.entries(cli)) {
    if (!byId.has(id)) {
      const hint = (await isOther(id)) ? `: not a rule this command runs (it runs ${[...byId.keys()].join(', ')})` : `: unknown rule${didYouMean(id, await ids())}`;
      throw new InputError(`--rule ${id}${hint}`, {}, 'sfb-certlint rules lists every rule.');
    }
    settings[id] = { ...settings[id], severity };
  }
  return settings;
}

function relativeLocation<T extends { path: string }>(l: T, rel: (p: string) => string): T {
  return { ...l, path: rel(l.path) };
}

/** A finding with every path in it relative to the report's root: locations, places, suppressions' sources. */
function relativeFinding(f: Finding, rel: (p: string) => string): Finding {
  const at = <T extends { path: string }>(l: T): T => relativeLocation(l, rel);
  return {
    ...f,
    locations: f.locations.map(at),
    ...(f.places && { places: f.places.map((p) => ({ ...p, location: at(p.location) })) }),
    ...(f.suppression?.source && { suppression: { ...f.suppression, source: at(f.suppression.source) } }),
    ...(f.lapsedSuppression?.source && { lapsedSuppression: { ...f.lapsedSuppression, source: at(f.lapsedSuppression.source) } }),
  };
}
