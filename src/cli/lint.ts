import { relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { findConfig, loadConfig, type LintConfig } from '../engine/config.js';
import { lintDeployment, type RuleSettings } from '../engine/run.js';
import { resolveOptions } from '../engine/options.js';
import type { Finding, Rule, RuleSetting } from '../engine/types.js';
import { InputError } from '../errors.js';
import { createChainValidation } from '../engine/validation.js';
import { summarize, type LintReport } from '../report/types.js';
import { loadSnapshot } from '../snapshot/load.js';
import type { Deployment } from '../snapshot/model.js';
import { InputErrorList } from '../snapshot/errors.js';
import { BUILT_IN_RULES } from '../rules/index.js';
import { describeRules } from './describe-rules.js';
import { EXIT, write, type CliIo } from './io.js';
import { version } from './main.js';
import { COMMON_OPTIONS, MAX_INPUT_SIZE_OPTION, maxInputSize, parseDate } from './options.js';
import { writeAtomically } from '../files.js';
import { useColor } from './color.js';

const HELP = `Usage: sfb-certlint lint [SNAPSHOT|FOLDER...] [options]
       sfb-certlint [SNAPSHOT|FOLDER...] [options]

Lints Lync Server 2013 / Skype for Business Server deployment snapshots against Microsoft's
certificate requirements. A FOLDER holds one snapshot file (snapshot.yaml, .yml or .json);
without a path, the current folder.

Options:
  --format stylish|json|sarif   output format (default stylish)
  --output FILE                 write the report to FILE (atomically) instead of stdout
  --config FILE                 configuration file (default: sfb-certlint.config.{json,yaml,yml}
                                beside each snapshot)
  --rule ID:SEVERITY            set a rule to off, info, warning or error (repeatable)
  --max-warnings N              exit 1 when there are more than N warnings
  --now ISO-DATE                evaluate at this time instead of now (reproducible audits)
  --quiet                       report errors only
  --max-input-size BYTES        refuse larger snapshots, configurations and certificate files
                                (default 32M for text, 64M for certificate files; suffixes K, M, G)
  --color, --no-color           force colours on or off (also NO_COLOR, FORCE_COLOR)
  --debug                       stack traces for internal errors
  --help                        this help

Exit codes: 0 no errors (and warnings within --max-warnings); 1 error findings or too many
warnings; 2 the linter could not do its job (bad input, configuration or usage).

Examples:
  sfb-certlint examples/contoso
  sfb-certlint lint snapshot.yaml --now 2026-01-01T00:00:00Z --format json --output report.json
  sfb-certlint lint snapshots/ --format sarif --output sfb-certlint.sarif
  sfb-certlint lint snapshot.yaml --rule certificate-expiry:warning --max-warnings 0
`;

const FORMATTERS = {
  stylish: () => import('../report/stylish.js'),
  json: () => import('../report/json.js'),
  sarif: () => import('../report/sarif.js'),
} as const;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'stylish' },
      output: { type: 'string', short: 'o' },
      config: { type: 'string', short: 'c' },
      rule: { type: 'string', multiple: true, default: [] },
      'max-warnings': { type: 'string' },
      now: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      ...MAX_INPUT_SIZE_OPTION,
      ...COMMON_OPTIONS,
    },
  });
  if (values.help) {
    await write(io.stdout, HELP);
    return EXIT.ok;
  }
  const format = values.format!;
  if (!(format in FORMATTERS)) throw new InputError(`unknown format '${format}' (use stylish, json or sarif)`);
  const maxWarnings = values['max-warnings'] === undefined ? Infinity : parseCount(values['max-warnings']);
  const cliNow = values.now === undefined ? undefined : parseDate(values.now, '--now');
  const cliRules = parseRuleFlags(values.rule!);
  const maxBytes = maxInputSize(values);
  const explicitConfig = values.config === undefined ? undefined : loadConfig(resolve(io.cwd, values.config), maxBytes);
  const formatterModule = FORMATTERS[format as keyof typeof FORMATTERS]();

  const targets = positionals.length > 0 ? positionals : ['.'];
  const report: LintReport = {
    tool: { name: 'sfb-certlint', version: version(), informationUri: 'https://github.com/sfb-certlint/sfb-certlint' },
    evaluatedAt: '',
    inputs: [],
    inputErrors: [],
    ruleFailures: [],
    rules: [],
    findings: [],
    unusedSuppressions: [],
    root: io.cwd,
  };
  const rel = (p: string) => relative(io.cwd, resolve(io.cwd, p)).split(sep).join('/') || '.';
  // Snapshots with configurations of their own may each have a `now`; the report gives the first.
  let evaluatedAt: string | undefined;
  for (const target of targets) {
    const snapshotPath = resolve(io.cwd, target);
    // A bad configuration, rule or option is fatal (exit 2, on stderr), as ESLint treats it: no report
    // would mean what the user asked. A snapshot that cannot be read is an input error: the report
    // says so and goes on with the other snapshots.
    const config = explicitConfig ?? loadDiscoveredConfig(snapshotPath, maxBytes);
    const now = cliNow ?? config?.now ?? new Date();
    evaluatedAt ??= now.toISOString();
    const rules = await allRules(config);
    const settings = mergeSettings(rules, config, cliRules);
    let deployment: Deployment;
    try {
      deployment = loadSnapshot(snapshotPath, { env: io.env, maxBytes });
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
    const result = lintDeployment(deployment, { rules, settings, suppressions: config?.suppressions ?? [], now, validate: createChainValidation() });
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
  report.evaluatedAt = evaluatedAt ?? (cliNow ?? new Date()).toISOString();
  if (values.quiet) report.findings = report.findings.filter((f) => f.severity === 'error');

  const color = useColor(io, { color: values.color, noColor: values['no-color'], toFile: values.output !== undefined });
  const { format: formatReport } = await formatterModule;
  const text = formatReport(report, { color });
  if (values.output !== undefined) writeAtomically(resolve(io.cwd, values.output), text, 'report');
  else await write(io.stdout, text);
  return exitCode(report, maxWarnings);
}

function exitCode(report: LintReport, maxWarnings: number): number {
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

/** Configuration settings, then --rule flags on top; every rule named must exist. */
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

const SETTINGS: readonly RuleSetting[] = ['off', 'info', 'warning', 'error'];

function parseRuleFlags(flags: string[]): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  for (const flag of flags) {
    const m = /^([^:\s]+):(\w+)$/.exec(flag.trim());
    if (!m || !SETTINGS.includes(m[2] as RuleSetting)) throw new InputError(`--rule ${flag}: expected ID:off|info|warning|error`);
    out[m[1]!] = m[2] as RuleSetting;
  }
  return out;
}

function parseCount(text: string): number {
  if (!/^\d+$/.test(text)) throw new InputError(`--max-warnings: '${text}' is not a whole number`);
  return Number(text);
}

function relativeFinding(f: Finding, rel: (p: string) => string): Finding {
  return { ...f, locations: f.locations.map((l) => ({ ...l, path: rel(l.path) })) };
}
