import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readCertificateFile } from '../certs/read.js';
import type { CertificateFacts } from '../certs/facts.js';
import { InputError } from '../errors.js';
import { EXIT, write, type CliIo } from './io.js';
import { resolvePassword } from './password.js';
import { COMMON_OPTIONS, MAX_INPUT_SIZE_OPTION, maxInputSize, PASSWORD_OPTIONS } from './options.js';

const HELP = `Usage: sfb-certlint inspect FILE... [options]

Shows what Lync and Skype for Business care about in certificate files: subject, SANs,
key, digest, validity, EKU, thumbprint, private key. Reads PEM, DER (.cer/.crt/.der),
PKCS #7 (.p7b/.p7c) and PKCS #12 (.pfx/.p12), told apart by content, not by name.

Options:
  --format text|json       output format (default text); json is an array, one object per
                           certificate, or {"source": {"path"}, "error"} per unreadable file
  --password-env VAR       PFX password from the environment variable VAR
  --password-file FILE     PFX password from FILE (one trailing line end is ignored)
  --max-input-size BYTES   refuse larger files (default 64M; suffixes K, M, G)
  --debug                  stack traces for internal errors

Exit codes: 0 every file was read, 2 a file could not be read (the others are still shown).

Examples:
  sfb-certlint inspect edge-internal.pfx --password-env PFX_PASSWORD
  sfb-certlint inspect chain.p7b --format json | jq '.[].thumbprint'
`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      ...PASSWORD_OPTIONS,
      ...MAX_INPUT_SIZE_OPTION,
      ...COMMON_OPTIONS,
    },
  });
  if (values.help) {
    await write(io.stdout, HELP);
    return EXIT.ok;
  }
  if (values.format !== 'text' && values.format !== 'json') {
    throw new InputError(`unknown format '${values.format}' (use text or json)`);
  }
  if (positionals.length === 0) throw new InputError('inspect needs at least one file (see --help)');
  const password = resolvePassword(io, values);
  const maxBytes = maxInputSize(values);

  const entries: InspectEntry[] = [];
  let failed = false;
  for (const path of positionals) {
    const result = readCertificateFile(resolve(io.cwd, path), { password, maxBytes });
    for (const cert of result.certificates) {
      cert.facts.source.path = path;
      entries.push(cert.facts);
    }
    for (const error of result.errors) {
      failed = true;
      entries.push({ source: { path, ...(error.where.line !== undefined && { line: error.where.line }) }, error: error.message });
    }
  }
  await write(io.stdout, values.format === 'json' ? `${JSON.stringify(entries, null, 2)}\n` : formatText(entries));
  return failed ? EXIT.failure : EXIT.ok;
}

export type InspectEntry = CertificateFacts | { source: { path: string; line?: number }; error: string };

function formatText(entries: InspectEntry[]): string {
  const out: string[] = [];
  let certificates = 0;
  let errors = 0;
  for (const e of entries) {
    if ('error' in e) {
      errors++;
      out.push(`${e.source.path}${e.source.line !== undefined ? `:${e.source.line}` : ''}: ${e.error}`, '');
      continue;
    }
    certificates++;
    out.push(...describe(e), '');
  }
  out.push(`${certificates} certificate${certificates === 1 ? '' : 's'}${errors ? `, ${errors} unreadable` : ''}`);
  return `${out.join('\n')}\n`;
}

function describe(f: CertificateFacts): string[] {
  const sans = [
    ...f.subjectAltNames.dns.map((n) => `DNS:${n}`),
    ...f.subjectAltNames.ip.map((n) => `IP:${n}`),
    ...f.subjectAltNames.uri.map((n) => `URI:${n}`),
    ...f.subjectAltNames.email.map((n) => `email:${n}`),
  ];
  const key = f.publicKey;
  const keyText = `${key.algorithm === 'unknown' ? key.oid : key.algorithm}${key.bits !== null ? ` ${key.bits} bits` : ''}${key.curve ? ` (${key.curve})` : ''}`;
  const bc = f.basicConstraints;
  const rows: Array<[string, string | undefined]> = [
    ['Subject', f.subject || '(empty)'],
    ['Issuer', `${f.issuer}${f.selfIssued ? ' (self-issued)' : ''}`],
    ['SANs', sans.length ? sans.join(', ') : 'none'],
    ['Key', keyText],
    ['Signature', `${f.signature.algorithm}${f.signature.hash ? ` (${f.signature.hash}${f.signature.pss ? ', PSS' : ''})` : ''}`],
    ['Valid', `${f.notBefore} to ${f.notAfter}`],
    ['EKU', f.extendedKeyUsage ? f.extendedKeyUsage.join(', ') : 'none (any purpose)'],
    ['Key usage', f.keyUsage?.join(', ')],
    ['CA', bc ? (bc.ca ? `yes${bc.pathLength !== null ? `, path length ${bc.pathLength}` : ''}` : 'no') : 'no (no basicConstraints)'],
    ['CRL', f.crlDistributionPoints.join(', ') || 'none'],
    ['Serial', f.serialNumber],
    ['Thumbprint', f.thumbprint],
    ['Private key', f.privateKey && (f.privateKey.present ? (f.privateKey.matchesCertificate ? 'present, matches the certificate' : 'present, DOES NOT match the certificate') : 'absent')],
    ['Container', f.container && `${f.container.encryption}, MAC ${f.container.macHash ?? 'none'}${f.container.legacyWindowsCompatible ? '' : ' (Windows Server 2016 and older cannot import it: export with TripleDES-SHA1)'}`],
  ];
  return [
    `${f.source.path} #${f.source.index} (${f.source.format})`,
    ...rows.filter((r): r is [string, string] => r[1] !== undefined).map(([k, v]) => `  ${k.padEnd(12)} ${v}`),
  ];
}
