import { relative, resolve } from 'node:path';
import { InputError, printable } from '../errors.js';
import { CERTIFICATE_FOLDER, importSnapshot } from '../snapshot/import/import.js';
import { EXIT, write, type CliIo } from './io.js';
import { COMMON_OPTIONS, MAX_INPUT_SIZE_OPTION, maxInputSize, parseCommandLine } from './options.js';

const HELP = `Usage: sfb-certlint import --topology FILE [--inventory DIR] --output FILE

Writes a snapshot (YAML) from Microsoft's own exports, for 'sfb-certlint lint' to read:
the published topology (Get-CsTopology -AsXml) or, before it is published, Topology
Builder's saved file (.tbxml), and, optionally, the inventory that
scripts/Collect-SfbCertificates.ps1 gathers on each server (docs/collect.md). The
certificates go beside the snapshot in certs/. Without --inventory the snapshot holds
the topology only, and lint reports the certificates as missing data.

Options:
  --topology FILE          the topology XML (Get-CsTopology -AsXml | Out-File topology.xml),
                           or a Topology Builder file (.tbxml)
  --inventory DIR          a folder with one folder per server, named by its FQDN
  -o, --output FILE        the snapshot to write, e.g. snapshot.yaml (replaced if present;
                           missing folders are created)
  --max-input-size BYTES   refuse larger input files (default 8M; suffixes K, M, G)
  --debug                  stack traces for internal errors
  -h, --help               this help

Exit codes: 0 written, 2 bad input (nothing written).

Example:
  sfb-certlint import --topology topology.xml --inventory inventory --output contoso/snapshot.yaml
`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandLine(
    'import',
    argv,
    {
      topology: { type: 'string' },
      inventory: { type: 'string' },
      output: { type: 'string', short: 'o' },
      ...MAX_INPUT_SIZE_OPTION,
      ...COMMON_OPTIONS,
    },
    false,
  );
  if (values.help) {
    await write(io.stdout, HELP);
    return EXIT.ok;
  }
  const missing = [values.topology === undefined && '--topology FILE (the topology to read)', values.output === undefined && '--output FILE (the snapshot to write)'].filter((m) => m !== false);
  if (missing.length > 0) throw new InputError(`import needs ${missing.join(' and ')}`, {}, "Run 'sfb-certlint import --help' for its options.");
  const output = resolve(io.cwd, values.output!);
  const result = importSnapshot({
    topology: resolve(io.cwd, values.topology!),
    ...(values.inventory !== undefined && { inventory: resolve(io.cwd, values.inventory) }),
    output,
    maxBytes: maxInputSize(values),
  });
  // Warnings and the summary quote the topology and the inventory's folder names: escaped for the terminal.
  for (const warning of result.warnings) await write(io.stderr, `sfb-certlint: warning: ${printable(warning)}\n`);
  await write(
    io.stdout,
    `Wrote ${printable(relative(io.cwd, output) || output)}: ${count(result.pools, 'pool')}, ${count(result.servers, 'server')}, ${count(result.certificates, 'certificate file')} in ${CERTIFICATE_FOLDER}/.\n`,
  );
  return EXIT.ok;
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
