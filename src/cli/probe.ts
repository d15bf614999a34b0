import { resolve } from 'node:path';
import { InputError, printable } from '../errors.js';
import { writeAtomically } from '../files.js';
import { EXPOSURES, parseConnectTo, parseHostPort, type Exposure } from '../probe/endpoints.js';
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, probe } from '../probe/run.js';
import { EXIT, write, type CliIo } from './io.js';
import { COMMON_OPTIONS, MAX_INPUT_SIZE_OPTION, parseCommandLine } from './options.js';
import { FILES_HELP, OUTPUT_HELP, parseCount, REPORT_OPTIONS, reportOutputs, requestOptions, RULES_HELP, writeReports } from './report-options.js';

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

Probing:
  --only internal|external         probe only the endpoints clients reach from inside or from outside
  --endpoint HOST:PORT             probe only this endpoint (repeatable); without a snapshot, judged
                                   as external (public roots, Web PKI)
  --connect-to HOST:PORT=ADDRESS:PORT
                                   connect to ADDRESS:PORT for HOST:PORT, still asking for HOST (as
                                   curl's option: a pool member behind a load balancer) (repeatable)
  --timeout DURATION               per endpoint, connecting and the server's answer (default 5s;
                                   e.g. 10s, 1500ms)
  --concurrency N                  endpoints probed at once (default ${DEFAULT_CONCURRENCY})
  --save DIR                       save each served chain as DIR/HOST_PORT.pem, in the order served
  --evidence FILE                  write the record of every endpoint probed (when, where, what was
                                   served, how it was judged) as JSON, for auditors

${OUTPUT_HELP}

${RULES_HELP}

${FILES_HELP}
  --debug                          stack traces for internal errors
  -h, --help                       this help

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

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine('probe', argv, {
    only: { type: 'string' },
    endpoint: { type: 'string', multiple: true, default: [] as string[] },
    'connect-to': { type: 'string', multiple: true, default: [] as string[] },
    timeout: { type: 'string' },
    concurrency: { type: 'string' },
    save: { type: 'string' },
    evidence: { type: 'string' },
    ...REPORT_OPTIONS,
    ...MAX_INPUT_SIZE_OPTION,
    ...COMMON_OPTIONS,
  });
  if (values.help) {
    await write(io.stdout, HELP);
    return EXIT.ok;
  }
  const outputs = reportOutputs(values);
  if (positionals.length > 1) throw new InputError(`probe takes one SNAPSHOT; also given: ${positionals.slice(1).map((p) => printable(p, 200)).join(', ')}`);
  const only = values.only;
  if (only !== undefined && !EXPOSURES.includes(only as Exposure)) throw new InputError(`--only '${printable(only, 100)}': use internal or external`);
  const concurrency = values.concurrency === undefined ? DEFAULT_CONCURRENCY : parseCount(values.concurrency, '--concurrency');
  if (concurrency < 1) throw new InputError('--concurrency: at least 1');
  const progress = io.stderr.isTTY === true ? progressLine(io) : undefined;
  const result = await probe({
    ...requestOptions(values, io),
    ...(positionals[0] !== undefined && { snapshot: positionals[0] }),
    ...(only !== undefined && { only: only as Exposure }),
    endpoints: values.endpoint.map((e) => parseHostPort(e, '--endpoint')),
    connectTo: values['connect-to'].map(parseConnectTo),
    timeoutMs: values.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(values.timeout),
    concurrency,
    ...(values.save !== undefined && { saveDir: values.save }),
    ...(progress && { onProgress: progress.update }),
  }).finally(() => progress?.clear());
  if (values.evidence !== undefined) {
    const { formatEvidence } = await import('../report/probe-evidence.js');
    writeAtomically(resolve(io.cwd, values.evidence), formatEvidence(result), 'evidence record');
  }
  return writeReports(result.report, outputs, values, io);
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
