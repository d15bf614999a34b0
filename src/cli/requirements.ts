import { join, resolve } from 'node:path';
import { LintRun, TOOL } from '../engine/lint.js';
import { InputError, printable } from '../errors.js';
import { createFolders, writeAtomically } from '../files.js';
import { requirementsOf } from '../requirements/derive.js';
import { formatCertreq } from '../report/requirements-certreq.js';
import { formatRequirementsJson } from '../report/requirements-json.js';
import { formatOpensslConfig } from '../report/requirements-openssl.js';
import { formatRequirementsText } from '../report/requirements-text.js';
import { requestFileName, type RequirementsReport } from '../report/requirements-types.js';
import { version } from '../version.js';
import { EXIT, write, type CliIo } from './io.js';
import { COMMON_OPTIONS, formatName, MAX_INPUT_SIZE_OPTION, maxInputSize, parseCommandLine } from './options.js';
import { findTarget, parseUsages } from '../requirements/targets.js';

const HELP = `Usage: sfb-certlint requirements SNAPSHOT (--pool FQDN | --server FQDN) [options]

Says what each certificate of a pool (or of one server) must be, by Microsoft's tables: the
Subject, every subject alternative name with why, the EKU, key size and algorithm, key provider
(a CSP, not CNG), exportability, public or enterprise CA, and whose Trusted Root stores must hold
its root; each item names the Microsoft page it comes from. certreq and openssl write the request
files that ask for exactly that (docs/pre-deployment.md).

A Front End, Director or Mediation server gets its own certificate (Subject the pool FQDN, SAN the
pool FQDN, its own FQDN and the names the pool shares): --pool writes one request per member,
--server that server's. An Edge pool's certificates are one for the whole pool; the
OAuthTokenIssuer certificate is one for the whole deployment.

Options:
  --pool FQDN              the pool (every member's certificates)
  --server FQDN            one server (its own certificates, and the shared ones it holds)
  --usage U[,U...]         only these usages (Default, WebServicesInternal, WebServicesExternal,
                           OAuthTokenIssuer, Internal, AccessEdgeExternal, DataEdgeExternal,
                           AudioVideoAuthentication, XmppServer, External); repeatable
  -f, --format FORMAT      text (default), json, certreq (a certreq.exe INF file) or openssl (an
                           OpenSSL request configuration)
  -o, --output PATH        text, json: the file to write; certreq, openssl: the folder to write one
                           file per certificate into (HOLDER.LABEL.inf or .cnf); without it a single
                           request file goes to stdout
  --root DIR, --allow-outside-root
                           the folder the files the snapshot names must stay inside, as for lint
                           (docs/security.md)
  --max-input-size BYTES   refuse larger snapshots and certificate files (suffixes K, M, G)
  --debug                  stack traces for internal errors

Exit codes: 0 written; 2 bad input or usage (nothing written).

Examples:
  sfb-certlint requirements examples/contoso --pool pool01.contoso.com
  sfb-certlint requirements snapshot.yaml --server fe01.contoso.com --usage Default,WebServicesInternal,WebServicesExternal --format certreq > fe01.inf
  sfb-certlint requirements snapshot.yaml --pool pool01.contoso.com --format certreq --output requests/
  sfb-certlint requirements snapshot.yaml --pool edgepool.contoso.com --format openssl --output requests/
`;

const FORMATS = ['text', 'json', 'certreq', 'openssl'] as const;
type Format = (typeof FORMATS)[number];

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine('requirements', argv, {
    pool: { type: 'string' },
    server: { type: 'string' },
    usage: { type: 'string', multiple: true, default: [] as string[] },
    format: { type: 'string', short: 'f', default: 'text' as string },
    output: { type: 'string', short: 'o' },
    root: { type: 'string' },
    'allow-outside-root': { type: 'boolean', default: false as boolean },
    ...MAX_INPUT_SIZE_OPTION,
    ...COMMON_OPTIONS,
  });
  if (values.help) {
    await write(io.stdout, HELP);
    return EXIT.ok;
  }
  const format = formatName(values.format, FORMATS) as Format;
  if (positionals.length !== 1) throw new InputError('requirements needs one SNAPSHOT (a snapshot file, or a folder holding one; see --help)');
  const usages = parseUsages(values.usage!);
  // Read as lint reads it: confined to its root, with the password variables its configuration allows.
  const run = new LintRun({
    targets: [],
    cwd: io.cwd,
    env: io.env,
    maxBytes: maxInputSize(values),
    ...(values.root !== undefined && { root: values.root }),
    allowOutsideRoot: values['allow-outside-root'],
    plugins: 'none',
  });
  const snapshotPath = resolve(io.cwd, positionals[0]!);
  const deployment = run.load(snapshotPath, run.setup(snapshotPath), (notice) => void write(io.stderr, `sfb-certlint: notice: ${printable(`${notice.path}: ${notice.message}`)}\n`));
  const { pool, server } = findTarget(deployment, values);
  const requirements = requirementsOf(deployment);
  const report: RequirementsReport = {
    tool: { ...TOOL, version: version() },
    snapshot: positionals[0]!,
    pool: { fqdn: pool.fqdn, role: pool.role, servers: pool.servers.map((s) => s.fqdn) },
    ...(server && { server: server.fqdn }),
    needs: requirements.usagesNeeded(pool),
    certificates: requirements.plan(pool, server, usages),
  };

  if (format === 'text' || format === 'json') {
    const text = format === 'text' ? formatRequirementsText(report) : formatRequirementsJson(report);
    if (values.output !== undefined) writeAtomically(resolve(io.cwd, values.output), text, 'requirements');
    else await write(io.stdout, text);
    return EXIT.ok;
  }
  const [formatter, extension] = format === 'certreq' ? [formatCertreq, 'inf'] : [formatOpensslConfig, 'cnf'];
  // Every file is made before any is written: a bad name in the snapshot leaves no half-written folder.
  const files = report.certificates.map((planned) => ({ name: `${requestFileName(planned)}.${extension}`, text: formatter(planned, report) }));
  if (values.output === undefined) {
    if (files.length !== 1) {
      throw new InputError(`${files.length} certificates to request (${files.map((f) => f.name).join(', ')}): give --output DIR to write them all, or narrow with --server and --usage`);
    }
    await write(io.stdout, files[0]!.text);
    return EXIT.ok;
  }
  const folder = resolve(io.cwd, values.output);
  createFolders(folder, 'the folder for the request files');
  for (const file of files) writeAtomically(join(folder, file.name), file.text, 'request file');
  await write(io.stdout, files.map((f) => `Wrote ${join(values.output!, f.name)}\n`).join(''));
  return EXIT.ok;
}
