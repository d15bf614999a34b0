/**
 * The lint pipeline as one call: targets and options in, a complete LintReport out (configuration
 * discovery, plug-ins, rule settings, running, suppressions), and the exit policy. The CLI only parses
 * arguments and writes what this returns; a script or another tool can lint without the CLI.
 */
import { relative, resolve, sep } from 'node:path';
import { loadPublicRoots } from '../certs/public-roots.js';
import { InputError } from '../errors.js';
import { EXIT } from '../exit.js';
import { summarize, type LintReport } from '../report/types.js';
import { BUILT_IN_RULES } from '../rules/index.js';
import { InputErrorList } from '../snapshot/errors.js';
import { loadSnapshot } from '../snapshot/load.js';
import type { Deployment } from '../snapshot/model.js';
import { version } from '../version.js';
import { findConfig, loadConfig, type LintConfig } from './config.js';
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
  };
  const rel = (p: string) => relative(cwd, resolve(cwd, p)).split(sep).join('/') || '.';
  // Snapshots with configurations of their own may each have a `now`; the report gives the first.
  let evaluatedAt: string | undefined;
  for (const target of request.targets) {
    const snapshotPath = resolve(cwd, target);
    const config = explicitConfig ?? loadDiscoveredConfig(snapshotPath, maxBytes);
    const now = request.now ?? config?.now ?? new Date();
    evaluatedAt ??= now.toISOString();
    const rules = await allRules(config);
    const settings = mergeSettings(rules, config, request.ruleSettings ?? {});
    let deployment: Deployment;
    try {
      deployment = loadSnapshot(snapshotPath, { env: request.env, maxBytes });
      if (request.transform) deployment = request.transform(deployment);
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
      certificateFiles: deployment.certificateFiles.map(rel),
      pools: deployment.pools.map((p) => ({
        fqdn: p.fqdn,
        line: p.location.line,
        servers: p.servers.map((s) => ({ fqdn: s.fqdn, line: s.location.line })),
      })),
    });
    // One by one: spread as arguments, a few hundred thousand findings would overflow the stack.
    for (const finding of result.findings) report.findings.push(relativeFinding(finding, rel));
    report.ruleFailures.push(...result.failures);
    report.unusedSuppressions.push(...result.unusedSuppressions.map((s) => (s.source ? { ...s, source: { ...s.source, path: rel(s.source.path) } } : s)));
    for (const { rule, severity } of result.rulesRun) {
      if (!report.rules.some((r) => r.id === rule.meta.id)) report.rules.push({ ...describeRules([rule])[0]!, severity });
    }
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

async function allRules(config: LintConfig | undefined): Promise<Rule[]> {
  const plugins = config ? await config.plugins() : [];
  const clash = plugins.find((p) => BUILT_IN_RULES.some((b) => b.meta.id === p.meta.id));
  if (clash) throw new InputError(`a plug-in rule has the id of a built-in rule: '${clash.meta.id}' (give plug-in rules a prefix, e.g. contoso/...)`, { path: config!.path });
  return [...BUILT_IN_RULES, ...plugins];
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

function relativeFinding(f: Finding, rel: (p: string) => string): Finding {
  return { ...f, locations: f.locations.map((l) => ({ ...l, path: rel(l.path) })) };
}
