import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { writeAtomically } from '../files.js';
import { exitCode } from '../engine/lint.js';
import { check, errorsOnly } from '../requirements/check.js';
import { parseUsages } from '../requirements/targets.js';
import { formatCheck, type CheckFormat } from '../report/requirements-check.js';
import { useColor } from './color.js';
import { EXIT, write, type CliIo } from './io.js';
import { COMMON_OPTIONS, formatName, MAX_INPUT_SIZE_OPTION, parseCommandLine, parseDate, PASSWORD_OPTIONS } from './options.js';
import { isoSeconds } from '../dates.js';
import { parseCount, REQUEST_OPTIONS, requestOptions, sayTooManyWarnings } from './report-options.js';
import { resolvePassword } from './password.js';

const HELP = `Usage: sfb-certlint check CANDIDATE... --snapshot SNAPSHOT (--pool FQDN | --server FQDN) --usage U[,U...] [options]

Says whether a new certificate, or a request for one, fits the deployment before it is imported
(docs/pre-deployment.md).

A certificate (PEM, DER, .p7b, .pfx) is assigned, in a copy of the deployment, to the usages on
every server of the pool or on the one server (the OAuthTokenIssuer certificate on every Front End,
Standard Edition and Director: it is global), with its chain from its file and --chain; every rule
runs before and after. The report gives the findings about the candidate, the ones the change
introduces elsewhere (an Edge pool where one member gets it, an OAuth certificate that now differs),
and the ones it fixes; the deployment's other findings are left to lint. Several certificates with
--pool: each server gets the one that names it.

A request (PKCS #10, as certreq -new and openssl req write it) is measured against the requirements:
its Subject, names, key, requested EKU and provider, and its signature; the report says what only
the issued certificate will tell.

Options:
  --snapshot SNAPSHOT      the deployment (a snapshot file, or a folder holding one)
  --pool FQDN | --server FQDN
  --usage U[,U...]         the usages the candidate is for (repeatable)
  --chain FILE             CA certificates of the candidate's chain (repeatable)
  --password-env VAR       .pfx password from the environment variable VAR
  --password-file FILE     .pfx password from FILE
  --effective-date DATE    assign it as a staged roll from DATE, after the evaluation time
                           (OAuthTokenIssuer, AudioVideoAuthentication: Set-CsCertificate -Roll
                           -EffectiveDate); certificates only
  -f, --format stylish|json|sarif  output format (default stylish; 'text' is stylish)
  -o, --output FILE        write the report to FILE (atomically) instead of stdout
  -c, --config FILE        configuration file (default: the one lint would apply to the snapshot)
  --rule ID:SEVERITY       set a rule to off, info, warning or error (repeatable)
  --now, --time ISO-DATE   evaluate at this time instead of now
  --max-warnings N         exit 1 when the candidate brings more than N warnings
  --quiet                  report errors only
  --root DIR, --allow-outside-root, --allow-plugins, --no-plugins
                           the files it reads and the plug-ins it loads, as for lint
                           (docs/security.md)
  --max-input-size BYTES   refuse larger files (suffixes K, M, G)
  --color, --no-color      force colours on or off
  --debug                  stack traces for internal errors

Exit codes: 0 it fits; 1 it would break (an error about it, or one it introduces elsewhere);
2 it could not be checked (bad input or usage).

Examples:
  sfb-certlint check fe01.cer --snapshot snapshot.yaml --server fe01.contoso.com --usage Default,WebServicesInternal,WebServicesExternal
  sfb-certlint check fe01.req --snapshot snapshot.yaml --server fe01.contoso.com --usage Default
  sfb-certlint check edge-external.pfx --password-env PFX_PASSWORD --snapshot snapshot.yaml --pool edgepool.contoso.com --usage AccessEdgeExternal,DataEdgeExternal
  sfb-certlint check oauth.cer --snapshot snapshot.yaml --pool pool01.contoso.com --usage OAuthTokenIssuer --effective-date 2030-03-01T00:00:00Z
`;

const FORMATS: readonly CheckFormat[] = ['stylish', 'json', 'sarif'];

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine('check', argv, {
    snapshot: { type: 'string' },
    pool: { type: 'string' },
    server: { type: 'string' },
    usage: { type: 'string', multiple: true, default: [] as string[] },
    chain: { type: 'string', multiple: true, default: [] as string[] },
    'effective-date': { type: 'string' },
    format: { type: 'string', short: 'f', default: 'stylish' as string },
    output: { type: 'string', short: 'o' },
    ...REQUEST_OPTIONS,
    ...PASSWORD_OPTIONS,
    ...MAX_INPUT_SIZE_OPTION,
    ...COMMON_OPTIONS,
  });
  if (values.help) {
    await write(io.stdout, HELP);
    return EXIT.ok;
  }
  const format = formatName(values.format, FORMATS) as CheckFormat;
  if (values.snapshot === undefined) throw new InputError('check needs --snapshot SNAPSHOT (see --help)');
  const maxWarnings = values['max-warnings'] === undefined ? Infinity : parseCount(values['max-warnings'], '--max-warnings');
  const effectiveDate = values['effective-date'] === undefined ? undefined : isoSeconds(parseDate(values['effective-date'], '--effective-date'));
  const password = resolvePassword(io, values);
  const result = await check({
    ...requestOptions(values, io),
    candidates: positionals,
    snapshot: values.snapshot,
    ...(values.pool !== undefined && { pool: values.pool }),
    ...(values.server !== undefined && { server: values.server }),
    usages: parseUsages(values.usage) ?? [],
    chain: values.chain,
    ...(password !== undefined && { password }),
    ...(effectiveDate !== undefined && { effectiveDate }),
  });
  const color = useColor(io, { color: values.color, noColor: values['no-color'], toFile: values.output !== undefined });
  const text = formatCheck(values.quiet ? errorsOnly(result) : result, format, { color });
  if (values.output !== undefined) writeAtomically(resolve(io.cwd, values.output), text, 'report');
  else await write(io.stdout, text);
  await sayTooManyWarnings(result.report, maxWarnings, values.quiet, io);
  // 0 fits, 1 would break (an error about the candidate or introduced elsewhere, or too many warnings), 2 could not check.
  return exitCode(result.report, maxWarnings);
}
