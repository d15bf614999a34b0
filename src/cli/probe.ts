import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exitCode } from '../engine/lint.js';
import type { RuleSetting } from '../engine/types.js';
import { InputError, printable } from '../errors.js';
import { writeAtomically } from '../files.js';
import { EXPOSURES, parseConnectTo, parseHostPort, type Exposure } from '../probe/endpoints.js';
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, probe } from '../probe/run.js';
import { useColor } from './color.js';
import { EXIT, write, type CliIo } from './io.js';
import { COMMON_OPTIONS, MAX_INPUT_SIZE_OPTION, maxInputSize, parseDate } from './options.js';

const HELP = `Usage: sfb-certlint probe [SNAPSHOT|FOLDER] [options]
       sfb-certlint probe --endpoint HOST:PORT... [options]

Connects to the TLS endpoints of a Lync Server 2013 / Skype for Business Server deployment and
judges what each one serves against the snapshot: the assigned certificate (by thumbprint), a
chain that validates and is complete, the name covered, not expired, and the rules that judge a
certificate alone (key size, digest, EKU, wildcard Subject). It only connects: one TLS handshake
per endpoint, no credentials, no data. See docs/probe.md for each port and each finding.

Endpoints, from the snapshot: each Front End, Standard Edition and Director server and pool on 5061,
443 and 4443; the external web services FQDN and the simple URLs on 443; each Edge server and the
Edge internal FQDN on 5061; the Access Edge on 443 (and 5061 with federation: true); the Web
Conferencing Edge on 443.

Options:
  --only internal|external      probe only the endpoints clients reach from inside or from outside
  --endpoint HOST:PORT          probe only this endpoint (repeatable); without a snapshot, judged
                                as external (public roots, Web PKI)
  --connect-to HOST:PORT=ADDRESS:PORT
                                connect to ADDRESS:PORT for HOST:PORT, still asking for HOST (as
                                curl's option: a pool member behind a load balancer) (repeatable)
  --timeout DURATION            per endpoint, connecting and the server's answer (default 5s;
                                e.g. 10s, 1500ms)
  --concurrency N               endpoints probed at once (default ${DEFAULT_CONCURRENCY})
  --save DIR                    save each served chain as DIR/HOST_PORT.pem, in the order served
  --evidence FILE               write the record of every endpoint probed (when, where, what was
                                served, how it was judged) as JSON, for auditors
  --format stylish|json|sarif   output format (default stylish)
  --output FILE                 write the report to FILE (atomically) instead of stdout
  --config FILE                 configuration file (default: sfb-certlint.config.{json,yaml,yml}
                                beside the snapshot): publicRoots, rule settings, suppressions
  --rule ID:SEVERITY            set a rule to off, info, warning or error (repeatable)
  --max-warnings N              exit 1 when there are more than N warnings
  --now ISO-DATE                judge validity at this time instead of now
  --quiet                       report errors only
  --max-input-size BYTES        refuse larger snapshots, configurations and certificate files
  --color, --no-color           force colours on or off (also NO_COLOR, FORCE_COLOR)
  --debug                       stack traces for internal errors
  --help                        this help

Progress goes to stderr when it is a terminal. Unreachable endpoints are warnings
(probe-unreachable).

Exit codes: 0 no errors (and warnings within --max-warnings); 1 error findings or too many
warnings; 2 the probe could not do its job (bad input, configuration or usage).

Examples:
  sfb-certlint probe snapshot.yaml --only internal --evidence probe-evidence.json
  sfb-certlint probe snapshot.yaml --only external --save served/ --format sarif -o probe.sarif
  sfb-certlint probe snapshot.yaml --endpoint pool01.contoso.com:443 \\
      --connect-to pool01.contoso.com:443=10.0.0.11:443
  sfb-certlint probe --endpoint sip.contoso.com:5061 --endpoint sip.contoso.com:443
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
      only: { type: 'string' },
      endpoint: { type: 'string', multiple: true, default: [] },
      'connect-to': { type: 'string', multiple: true, default: [] },
      timeout: { type: 'string' },
      concurrency: { type: 'string' },
      save: { type: 'string' },
      evidence: { type: 'string' },
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
  if (positionals.length > 1) throw new InputError(`probe takes one SNAPSHOT; also given: ${positionals.slice(1).map((p) => printable(p, 200)).join(', ')}`);
  const only = values.only;
  if (only !== undefined && !EXPOSURES.includes(only as Exposure)) throw new InputError(`--only '${printable(only, 100)}': use internal or external`);
  const maxWarnings = values['max-warnings'] === undefined ? Infinity : parseCount(values['max-warnings'], '--max-warnings');
  const concurrency = values.concurrency === undefined ? DEFAULT_CONCURRENCY : parseCount(values.concurrency, '--concurrency');
  if (concurrency < 1) throw new InputError('--concurrency: at least 1');
  const formatterModule = FORMATTERS[format as keyof typeof FORMATTERS]();
  const progress = io.stderr.isTTY === true ? progressLine(io) : undefined;
  const result = await probe({
    ...(positionals[0] !== undefined && { snapshot: positionals[0] }),
    cwd: io.cwd,
    env: io.env,
    ...(values.config !== undefined && { configPath: values.config }),
    ruleSettings: parseRuleFlags(values.rule!),
    ...(values.now !== undefined && { now: parseDate(values.now, '--now') }),
    maxBytes: maxInputSize(values),
    quiet: values.quiet!,
    ...(only !== undefined && { only: only as Exposure }),
    endpoints: values.endpoint!.map((e) => parseHostPort(e, '--endpoint')),
    connectTo: values['connect-to']!.map(parseConnectTo),
    timeoutMs: values.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(values.timeout),
    concurrency,
    ...(values.save !== undefined && { saveDir: values.save }),
    ...(progress && { onProgress: progress.update }),
  }).finally(() => progress?.clear());
  if (values.evidence !== undefined) {
    const { formatEvidence } = await import('../report/probe-evidence.js');
    writeAtomically(resolve(io.cwd, values.evidence), formatEvidence(result), 'evidence record');
  }
  const color = useColor(io, { color: values.color, noColor: values['no-color'], toFile: values.output !== undefined });
  const { format: formatReport } = await formatterModule;
  const text = formatReport(result.report, { color });
  if (values.output !== undefined) writeAtomically(resolve(io.cwd, values.output), text, 'report');
  else await write(io.stdout, text);
  return exitCode(result.report, maxWarnings);
}

/** One line on the terminal, rewritten as endpoints are done, and erased at the end. */
function progressLine(io: CliIo): { update: (done: number, total: number) => void; clear: () => void } {
  return {
    update: (done, total) => io.stderr.write(`\rprobing: ${done}/${total} endpoints`),
    clear: () => io.stderr.write('\r\u001b[K'),
  };
}

/** `5`, `5s`, `0.5s`, `1500ms`: seconds unless marked. */
function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/.exec(text.trim());
  const ms = m ? Number(m[1]) * (m[2] === 'ms' ? 1 : 1000) : NaN;
  if (!m || !(ms >= 1) || ms > 3_600_000) throw new InputError(`--timeout '${printable(text, 100)}': expected a duration such as 5s, 10s or 1500ms (at most an hour)`);
  return Math.round(ms);
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

function parseCount(text: string, option: string): number {
  if (!/^\d+$/.test(text)) throw new InputError(`${option}: '${printable(text, 100)}' is not a whole number`);
  return Number(text);
}
