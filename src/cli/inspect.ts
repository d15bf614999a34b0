import { resolve } from 'node:path';
import { readCertificateFile, readCertificateStream, type CertificateFileResult, type ReadOptions } from '../certs/read.js';
import { InputError } from '../errors.js';
import { formatInspectJson, inspectEntries, type InspectEntry } from '../report/inspect-json.js';
import { formatInspectText } from '../report/inspect-text.js';
import { EXIT, write, type CliIo } from './io.js';
import { explainPasswordError, resolvePassword, type PasswordOptions } from './password.js';
import { COMMON_OPTIONS, formatName, MAX_INPUT_SIZE_OPTION, maxInputSize, parseCommandLine, PASSWORD_OPTIONS } from './options.js';

const FORMATS = ['text', 'json'] as const;

/** The file name that stands for standard input, as in openssl and most Unix tools. */
const STDIN = '-';

const HELP = `Usage: sfb-certlint inspect FILE... [options]

Shows what Lync and Skype for Business care about in certificate files: subject, SANs,
key, digest, validity, EKU, template, thumbprint, private key, and every defect found.
Reads PEM, DER (.cer/.crt/.der), PKCS #7 (.p7b/.p7c) and PKCS #12 (.pfx/.p12), told
apart by content, not by name. FILE - reads standard input. Control characters in
certificates and file names are shown escaped as openssl shows them (ESC as \\1B); JSON keeps
the exact values.

Options:
  -f, --format text|json   output format (default text, also called stylish; any case); json is
                           an array, one object per certificate, or {"source": {"path"}, "error"}
                           per unreadable file
  --password-env VAR       PFX password from the environment variable VAR
  --password-file FILE     PFX password from FILE (one trailing line end is ignored)
  --max-input-size BYTES   refuse larger files (default 64M; suffixes K, M, G)
  --debug                  stack traces for internal errors
  -h, --help               this help

Exit codes: 0 every file was read, 2 a file could not be read (the others are still shown).

Examples:
  sfb-certlint inspect edge-internal.pfx --password-env PFX_PASSWORD
  sfb-certlint inspect chain.p7b --format json | jq '.[].thumbprint'
  openssl s_client -connect sip.contoso.com:5061 -showcerts </dev/null | sfb-certlint inspect -
`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine('inspect', argv, {
    format: { type: 'string', short: 'f', default: 'text' as string },
    ...PASSWORD_OPTIONS,
    ...MAX_INPUT_SIZE_OPTION,
    ...COMMON_OPTIONS,
  });
  if (values.help) {
    await write(io.stdout, HELP);
    return EXIT.ok;
  }
  // Format names as lint takes them: any case, stylish for text.
  const format = formatName(values.format, FORMATS);
  if (positionals.length === 0) throw new InputError('inspect needs at least one file (see --help)');
  const password = resolvePassword(io, values);
  const maxBytes = maxInputSize(values);

  const options: ReadOptions = { password, maxBytes };
  const entries: InspectEntry[] = [];
  for (const path of positionals) entries.push(...inspectEntries(path, await read(path, options, io, values)));
  await write(io.stdout, format === 'json' ? formatInspectJson(entries) : formatInspectText(entries));
  return entries.some((e) => 'error' in e) ? EXIT.failure : EXIT.ok;
}

/** A file's certificates, a wrong password's error naming where the password came from. */
async function read(path: string, options: ReadOptions, io: CliIo, passwordOptions: PasswordOptions): Promise<CertificateFileResult> {
  const result = await (path === STDIN ? readCertificateStream(process.stdin, STDIN, options) : readCertificateFile(resolve(io.cwd, path), options));
  return { ...result, errors: result.errors.map((e) => explainPasswordError(e, passwordOptions)) };
}
