import { readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { configInForce, lint } from '../engine/lint.js';
import { InputError, printable } from '../errors.js';
import { SNAPSHOT_FILE_NAMES } from '../snapshot/load.js';
import { EXIT, write, type CliIo } from './io.js';
import { COMMON_OPTIONS, MAX_INPUT_SIZE_OPTION, parseCommandLine } from './options.js';
import { FILES_HELP, OUTPUT_HELP, REPORT_OPTIONS, reportOutputs, requestOptions, RULES_HELP, writeReports } from './report-options.js';

const HELP = `Usage: sfb-certlint lint [SNAPSHOT|FOLDER...] [options]
       sfb-certlint [options] [SNAPSHOT|FOLDER...]

Lints Lync Server 2013 / Skype for Business Server deployment snapshots against Microsoft's
certificate requirements. A FOLDER that holds a snapshot file (snapshot.yaml, .yml or .json) is
that snapshot; any other FOLDER is searched for snapshot folders (not node_modules, nor folders
whose names start with a dot). Without a path, the current folder.

${OUTPUT_HELP}

${RULES_HELP}
  --print-config SNAPSHOT          print the configuration in force for SNAPSHOT, and where each
                                   part comes from (JSON), instead of linting

${FILES_HELP}
  --debug                          stack traces for internal errors
  -h, --help                       this help

Exit codes: 0 no errors (and warnings within --max-warnings); 1 error findings or too many
warnings; 2 the linter could not do its job (bad input, configuration or usage).

Examples:
  sfb-certlint examples/contoso
  sfb-certlint lint snapshot.yaml --now 2026-01-01T00:00:00Z -f json -o report.json
  sfb-certlint lint snapshots/ --format sarif --output sfb-certlint.sarif
  sfb-certlint lint snapshots/ --output-sarif sfb-certlint.sarif --output-json sfb-certlint.json
  sfb-certlint lint examples/contoso --format html --output report.html
  sfb-certlint lint snapshot.yaml --rule certificate-expiry:warning --max-warnings 0
  sfb-certlint lint --print-config snapshots/production
`;

/** lint's options; also how `sfb-certlint` reads options written before a command or a path. */
export const OPTIONS = {
  ...REPORT_OPTIONS,
  'print-config': { type: 'string' },
  ...MAX_INPUT_SIZE_OPTION,
  ...COMMON_OPTIONS,
} as const;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine('lint', argv, OPTIONS);
  if (values.help) {
    await write(io.stdout, HELP);
    return EXIT.ok;
  }
  const outputs = reportOutputs(values);
  const request = requestOptions(values, io);
  if (values['print-config'] !== undefined) {
    if (positionals.length > 0) throw new InputError(`--print-config takes one snapshot, and lints none (found also '${printable(positionals[0]!, 80)}')`);
    checkSnapshotPath(values['print-config'], io.cwd);
    await write(io.stdout, `${JSON.stringify(await configInForce(request, values['print-config']), null, 2)}\n`);
    return EXIT.ok;
  }
  const report = await lint({ ...request, targets: positionals.length > 0 ? positionals : ['.'] });
  return writeReports(report, outputs, values, io);
}

/**
 * --print-config's snapshot exists, as lint would read it: a snapshot file, or a folder holding one. The
 * configuration of a path that is not there would be a guess, printed with exit 0.
 */
function checkSnapshotPath(path: string, cwd: string): void {
  let isFolder: boolean;
  try {
    isFolder = statSync(resolve(cwd, path)).isDirectory();
  } catch {
    throw new InputError('snapshot not found', { path });
  }
  if (isFolder && !readdirSync(resolve(cwd, path)).some((name) => SNAPSHOT_FILE_NAMES.includes(name))) {
    throw new InputError('the folder holds no snapshot file', { path }, `--print-config takes one snapshot: a file named ${SNAPSHOT_FILE_NAMES.join(', ')}, or the folder holding it.`);
  }
}
