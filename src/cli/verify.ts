import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCrlBytes, type Crl } from '../certs/crl.js';
import { DEFAULT_MAX_BYTES, readCertificateBytes } from '../certs/read.js';
import type { Certificate } from '../certs/x509.js';
import { InputError, printable } from '../errors.js';
import { readInputFile } from '../files.js';
import { parseEmailAddress, parseReferenceId } from '../pki/names.js';
import { DEFAULT_MAX_DEPTH, validatePath } from '../pki/validate.js';
import { formatVerifyJson, formatVerifyText, type VerifyQuestion } from '../report/verify-output.js';
import { EXIT, write, type CliIo } from './io.js';
import { COMMON_OPTIONS, formatName, MAX_INPUT_SIZE_OPTION, maxInputSize, parseCommandLine, parseDate, PASSWORD_OPTIONS } from './options.js';
import { explainPasswordError, resolvePassword, type PasswordOptions } from './password.js';

const HELP = `Usage: sfb-certlint verify LEAF --trusted FILE|DIR... [options]

Builds and validates the certification path of LEAF as a TLS peer would (RFC 5280 section 6,
and the Web PKI profile): signatures, validity, CA and path length constraints, key usage,
extended key usage, name constraints, critical extensions, the host name or email address, and,
with --crl, revocation. Files may be PEM, DER (.cer/.crt), PKCS #7 (.p7b) or PKCS #12 (.pfx).
Nothing is fetched from the network. See docs/verify.md.

LEAF is the first certificate of the file; for a .pfx or a bundle, the one with the private key,
else the first that is not a CA. The file's other certificates count as untrusted intermediates.

Options:
  --trusted FILE|DIR...    trust anchors (a server's Trusted Root store); required. A folder:
                           every file in it (as openssl verify -CApath; CRL files are skipped)
  --untrusted FILE|DIR...  intermediates path building may use
  --crl FILE|DIR...        certificate revocation lists (PEM or DER); checks revocation
  --crl-check leaf|all     which certificates to check against the CRLs (default leaf)
  --crl-strict             a certificate whose revocation status is unknown makes the path invalid
  --time ISO-DATE          validate at this time (default now), e.g. 2025-06-01T00:00:00Z;
                           --now is the same option
  --hostname NAME          DNS name or IP address the leaf must be valid for
  --email ADDRESS          email address the leaf must be valid for (a client or S/MIME certificate)
  --purpose serverAuth|clientAuth
                           extended key usage required (default serverAuth)
  --key-usage USAGE...     keyUsage bits the leaf must allow, e.g. digitalSignature,keyEncipherment
  --profile webpki|rfc5280 checks to apply (default webpki with --hostname, else rfc5280)
  --max-depth N            most intermediate certificates in a path, self-issued ones not
                           counted (default 8)
  -f, --format text|json   output format (default text)
  --password-env VAR       PFX password from the environment variable VAR
  --password-file FILE     PFX password from FILE (one trailing line end is ignored)
  --max-input-size BYTES   refuse larger files (default 64M; suffixes K, M, G)
  --debug                  stack traces for internal errors
  -h, --help               this help

Several files may follow --trusted, --untrusted and --crl, or the option may be repeated.

Exit codes: 0 valid, 1 not valid, 2 a file could not be read or an option is wrong.

Examples:
  sfb-certlint verify edge-external.pfx --password-env PFX_PASSWORD --trusted roots.p7b --hostname sip.contoso.com
  sfb-certlint verify pool.cer --trusted /etc/ssl/certs --untrusted issuing-ca.cer --format json
  sfb-certlint verify pool.cer --trusted root.cer --untrusted issuing-ca.cer --crl crls/ --crl-check all --crl-strict
`;

const LIST_OPTIONS = new Set(['trusted', 'untrusted', 'crl', 'key-usage']);
/** keyUsage bits by RFC 5280 name, as --key-usage takes them. */
const KEY_USAGES = ['digitalSignature', 'nonRepudiation', 'contentCommitment', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, tokens } = parseCommandLine('verify', argv, {
    trusted: { type: 'string', multiple: true },
    untrusted: { type: 'string', multiple: true },
    crl: { type: 'string', multiple: true },
    'crl-check': { type: 'string' },
    'crl-strict': { type: 'boolean' },
    time: { type: 'string' },
    now: { type: 'string' },
    hostname: { type: 'string' },
    email: { type: 'string' },
    purpose: { type: 'string', default: 'serverAuth' as string },
    'key-usage': { type: 'string', multiple: true },
    profile: { type: 'string' },
    'max-depth': { type: 'string' },
    format: { type: 'string', short: 'f', default: 'text' as string },
    ...PASSWORD_OPTIONS,
    ...MAX_INPUT_SIZE_OPTION,
    ...COMMON_OPTIONS,
  });
  if (values.help) {
    await write(io.stdout, HELP);
    return EXIT.ok;
  }
  // Values after a list option belong to it until the next option; LEAF comes before them.
  const lists: Record<string, string[]> = { trusted: [], untrusted: [], crl: [], 'key-usage': [] };
  const positionals: string[] = [];
  let list: string | null = null;
  for (const token of tokens) {
    if (token.kind === 'option') {
      list = LIST_OPTIONS.has(token.name) ? token.name : null;
      if (list && token.value !== undefined) lists[list]!.push(token.value);
    } else if (token.kind === 'positional') (list ? lists[list]! : positionals).push(token.value);
  }
  const [leafPath, ...extra] = positionals;
  if (leafPath === undefined) throw new InputError('verify needs the LEAF certificate file, before --trusted (see --help)');
  if (extra.length > 0) throw new InputError(`verify takes one LEAF file; also given: ${extra.map((e) => printable(e)).join(', ')}`);
  if (lists.trusted!.length === 0) throw new InputError('verify needs at least one --trusted file or folder (the trust anchors)');
  const format = formatName(values.format, ['text', 'json'] as const);
  const asked = readQuestion(values, lists['key-usage']!.flatMap((u) => u.split(',')).filter(Boolean));
  const password = resolvePassword(io, values);
  const maxBytes = maxInputSize(values);

  const inputs = new Inputs(io, password, maxBytes, values);
  const inLeafFile = inputs.certificates(leafPath, 'file');
  const trusted = lists.trusted!.flatMap((path) => inputs.certificates(path, 'folder'));
  const untrusted = lists.untrusted!.flatMap((path) => inputs.certificates(path, 'folder'));
  const crls = lists.crl!.flatMap((path) => inputs.crls(path));
  if (inputs.notices.length > 0) await write(io.stderr, inputs.notices.map((n) => `${n}\n`).join(''));
  if (inputs.errors.length > 0) {
    await write(io.stderr, inputs.errors.map((e) => `${e}\n`).join(''));
    return EXIT.failure;
  }
  if (inLeafFile.length === 0) throw new InputError('no certificate in the LEAF file', { path: leafPath });

  const leaf = pickLeaf(inLeafFile);
  const { revocation: askedRevocation, ...rest } = asked;
  const question: VerifyQuestion = { ...rest, ...(askedRevocation && { revocation: { ...askedRevocation, crls: crls.length } }) };
  const revocation = askedRevocation && { crls, ...askedRevocation };
  const result = validatePath(leaf, {
    trusted,
    untrusted: [...inLeafFile.filter((c) => c !== leaf), ...untrusted],
    time: question.time,
    profile: question.profile,
    purpose: question.purpose,
    maxDepth: question.maxDepth,
    ...(question.hostname !== undefined && { hostname: question.hostname }),
    ...(question.email !== undefined && { email: question.email }),
    ...(question.keyUsage && { keyUsage: question.keyUsage }),
    ...(revocation && { revocation }),
  });
  const report = { question, result };
  await write(io.stdout, format === 'json' ? formatVerifyJson(report) : formatVerifyText(report));
  return result.valid ? EXIT.ok : EXIT.findings;
}

/** The certificate and CRL files named on the command line, folders expanded; what could not be read. */
class Inputs {
  readonly errors: string[] = [];
  readonly notices: string[] = [];

  constructor(
    private readonly io: CliIo,
    private readonly password: string | undefined,
    private readonly maxBytes: number | undefined,
    /** Where the password came from, named when it does not open a file. */
    private readonly passwordOptions: PasswordOptions,
  ) {}

  /** Every certificate of a file, or of each file of a folder (not its sub-folders or hidden files). */
  certificates(path: string, allow: 'file' | 'folder'): Certificate[] {
    const files = this.expand(path, allow);
    return files.flatMap(({ shown, full, inFolder }) => {
      const bytes = this.bytes(shown, full);
      if (!bytes) return [];
      // In a folder, a CRL beside the certificates (as in an OpenSSL CApath) is not an error.
      if (inFolder) {
        const asCrl = readCrlBytes(bytes, shown);
        if (asCrl.crls.length > 0 && asCrl.errors.length === 0) {
          this.notices.push(`${printable(shown)}: skipped, a CRL (give CRLs with --crl)`);
          return [];
        }
      }
      const result = readCertificateBytes(bytes, shown, { ...(this.password !== undefined && { password: this.password }), ...(this.maxBytes !== undefined && { maxBytes: this.maxBytes }) });
      for (const e of result.errors.map((error) => explainPasswordError(error, this.passwordOptions))) this.errors.push(located(shown, e.where.line, e.message));
      return result.certificates;
    });
  }

  /** Every CRL of a file, or of each file of a folder; certificate files in a CRL folder are skipped. */
  crls(path: string): Crl[] {
    return this.expand(path, 'folder').flatMap(({ shown, full, inFolder }) => {
      const bytes = this.bytes(shown, full);
      if (!bytes) return [];
      const result = readCrlBytes(bytes, shown);
      if (result.crls.length === 0 && inFolder && readCertificateBytes(bytes, shown).certificates.length > 0) {
        this.notices.push(`${printable(shown)}: skipped, a certificate file in a CRL folder`);
        return [];
      }
      for (const e of result.errors) this.errors.push(located(shown, e.where.line, e.message));
      return result.crls;
    });
  }

  /** The files `path` names: itself, or the files of the folder it is (not sub-folders, not hidden files). */
  private expand(path: string, allow: 'file' | 'folder'): Array<{ shown: string; full: string; inFolder: boolean }> {
    const full = resolve(this.io.cwd, path);
    let folder = false;
    try {
      folder = statSync(full).isDirectory();
    } catch {
      // Not there: reading it reports that.
    }
    if (!folder) return [{ shown: path, full, inFolder: false }];
    if (allow === 'file') {
      this.errors.push(located(path, undefined, 'is a folder; LEAF is one certificate file'));
      return [];
    }
    const names = readdirSync(full, { withFileTypes: true })
      .filter((e) => !e.name.startsWith('.') && (e.isFile() || e.isSymbolicLink()))
      .map((e) => e.name)
      .sort();
    if (names.length === 0) this.errors.push(located(path, undefined, 'the folder holds no file'));
    return names.map((name) => ({ shown: join(path, name), full: join(full, name), inFolder: true }));
  }

  private bytes(shown: string, full: string): Uint8Array | null {
    try {
      return readInputFile(full, this.maxBytes ?? DEFAULT_MAX_BYTES, 'certificate or CRL file');
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      this.errors.push(located(shown, undefined, e.message));
      return null;
    }
  }
}

const located = (path: string, line: number | undefined, message: string) => `${printable(path)}${line !== undefined ? `:${line}` : ''}: ${printable(message)}`;

function readQuestion(
  values: { time?: string; now?: string; hostname?: string; email?: string; purpose?: string; profile?: string; 'max-depth'?: string; crl?: string[]; 'crl-check'?: string; 'crl-strict'?: boolean },
  keyUsage: string[],
): Omit<VerifyQuestion, 'revocation'> & { revocation?: { scope: 'leaf' | 'all'; strict: boolean } } {
  if (values.purpose !== 'serverAuth' && values.purpose !== 'clientAuth') throw new InputError(`unknown purpose '${printable(values.purpose ?? '')}' (use serverAuth or clientAuth)`);
  const profile = values.profile ?? (values.hostname !== undefined ? 'webpki' : 'rfc5280');
  if (profile !== 'webpki' && profile !== 'rfc5280') throw new InputError(`unknown profile '${printable(profile)}' (use webpki or rfc5280)`);
  if (values.time !== undefined && values.now !== undefined) throw new InputError('give --time or --now, not both (they are the same option)');
  const timeOption = values.time !== undefined ? '--time' : '--now';
  const timeText = values.time ?? values.now;
  const time = timeText === undefined ? new Date() : parseDate(timeText, timeOption);
  if (values.hostname !== undefined && !parseReferenceId(values.hostname)) throw new InputError(`--hostname '${printable(values.hostname)}' is not a DNS name or an IP address`);
  if (values.email !== undefined && !parseEmailAddress(values.email)) throw new InputError(`--email '${printable(values.email)}' is not an email address (local@domain)`);
  const unknownUsage = keyUsage.find((u) => !KEY_USAGES.includes(u));
  if (unknownUsage !== undefined) throw new InputError(`--key-usage '${printable(unknownUsage)}' is not a keyUsage name (use ${KEY_USAGES.join(', ')})`);
  const depth = values['max-depth'];
  if (depth !== undefined && !/^\d+$/.test(depth)) throw new InputError(`--max-depth '${printable(depth)}' is not a whole number`);
  const check = values['crl-check'];
  if (check !== undefined && check !== 'leaf' && check !== 'all') throw new InputError(`--crl-check '${printable(check)}' is not leaf or all`);
  const revocation = values.crl !== undefined || check !== undefined || values['crl-strict'];
  return {
    time,
    profile,
    purpose: values.purpose,
    maxDepth: depth === undefined ? DEFAULT_MAX_DEPTH : Number(depth),
    ...(values.hostname !== undefined && { hostname: values.hostname }),
    ...(values.email !== undefined && { email: values.email }),
    // contentCommitment is RFC 5280's later name for nonRepudiation, which is what the reader reports.
    ...(keyUsage.length > 0 && { keyUsage: keyUsage.map((u) => (u === 'contentCommitment' ? 'nonRepudiation' : u)) }),
    ...(revocation && { revocation: { scope: check ?? 'leaf', strict: values['crl-strict'] === true } }),
  };
}

/** The certificate with the private key, else the first that is not a CA, else the first. */
function pickLeaf(certs: Certificate[]): Certificate {
  return certs.find((c) => c.facts.privateKey?.present) ?? certs.find((c) => !c.facts.basicConstraints?.ca) ?? certs[0]!;
}
