import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readCertificateFile } from '../certs/read.js';
import type { Certificate } from '../certs/x509.js';
import { InputError } from '../errors.js';
import { parseReferenceId } from '../pki/names.js';
import { validatePath, type Profile, type Purpose, type ValidationResult } from '../pki/validate.js';
import { EXIT, write, type CliIo } from './io.js';
import { COMMON_OPTIONS, MAX_INPUT_SIZE_OPTION, maxInputSize, parseDate, PASSWORD_OPTIONS } from './options.js';
import { resolvePassword } from './password.js';

const HELP = `Usage: sfb-certlint verify LEAF --trusted FILE... [options]

Builds and validates the certification path of LEAF as a TLS peer would (RFC 5280 section 6,
and the Web PKI profile): signatures, validity, CA and path length constraints, key usage,
extended key usage, name constraints, critical extensions, and the host name. Files may be
PEM, DER (.cer/.crt), PKCS #7 (.p7b) or PKCS #12 (.pfx). See docs/verify.md.

LEAF is the first certificate of the file; for a .pfx or a bundle, the one with the private key,
else the first that is not a CA. The file's other certificates count as untrusted intermediates.

Options:
  --trusted FILE...        trust anchors (a server's Trusted Root store); required
  --untrusted FILE...      intermediates path building may use
  --time ISO-DATE          validate at this time (default now), e.g. 2025-06-01T00:00:00Z
  --hostname NAME          DNS name or IP address the leaf must be valid for
  --purpose serverAuth|clientAuth
                           extended key usage required (default serverAuth)
  --profile webpki|rfc5280 checks to apply (default webpki with --hostname, else rfc5280)
  --max-depth N            most intermediate certificates in a path (default 8)
  --format text|json       output format (default text)
  --password-env VAR       PFX password from the environment variable VAR
  --password-file FILE     PFX password from FILE (one trailing line end is ignored)
  --max-input-size BYTES   refuse larger files (default 64M; suffixes K, M, G)
  --debug                  stack traces for internal errors

Several files may follow --trusted and --untrusted, or the option may be repeated.

Exit codes: 0 valid, 1 not valid, 2 a file could not be read or an option is wrong.

Examples:
  sfb-certlint verify edge-external.pfx --password-env PFX_PASSWORD --trusted roots.p7b --hostname sip.contoso.com
  sfb-certlint verify pool.cer --trusted root.cer --untrusted issuing-ca.cer --format json
`;

const LIST_OPTIONS = new Set(['trusted', 'untrusted']);

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, tokens } = parseArgs({
    args: argv,
    allowPositionals: true,
    tokens: true,
    options: {
      trusted: { type: 'string', multiple: true },
      untrusted: { type: 'string', multiple: true },
      time: { type: 'string' },
      hostname: { type: 'string' },
      purpose: { type: 'string', default: 'serverAuth' },
      profile: { type: 'string' },
      'max-depth': { type: 'string' },
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
  // Files after --trusted/--untrusted belong to it until the next option; LEAF comes before them.
  const lists: Record<string, string[]> = { trusted: [...(values.trusted ?? [])], untrusted: [...(values.untrusted ?? [])] };
  const positionals: string[] = [];
  let list: string | null = null;
  for (const token of tokens) {
    if (token.kind === 'option') list = LIST_OPTIONS.has(token.name) ? token.name : null;
    else if (token.kind === 'positional') (list ? lists[list]! : positionals).push(token.value);
  }
  const [leafPath, ...extra] = positionals;
  if (leafPath === undefined) throw new InputError('verify needs the LEAF certificate file, before --trusted (see --help)');
  if (extra.length > 0) throw new InputError(`verify takes one LEAF file; also given: ${extra.join(', ')}`);
  if (lists.trusted!.length === 0) throw new InputError('verify needs at least one --trusted file (the trust anchors)');
  const options = readOptions(values);
  const password = resolvePassword(io, values);
  const maxBytes = maxInputSize(values);

  const errors: string[] = [];
  const read = (path: string): Certificate[] => {
    const result = readCertificateFile(resolve(io.cwd, path), { password, maxBytes });
    for (const e of result.errors) errors.push(`${path}${e.where.line !== undefined ? `:${e.where.line}` : ''}: ${e.message}`);
    for (const c of result.certificates) c.facts.source.path = path;
    return result.certificates;
  };
  const inLeafFile = read(leafPath);
  const trusted = lists.trusted!.flatMap(read);
  const untrusted = lists.untrusted!.flatMap(read);
  if (errors.length > 0) {
    await write(io.stderr, errors.map((e) => `${e}\n`).join(''));
    return EXIT.failure;
  }

  const leaf = pickLeaf(inLeafFile);
  const result = validatePath(leaf, { ...options, trusted, untrusted: [...inLeafFile.filter((c) => c !== leaf), ...untrusted] });
  await write(io.stdout, values.format === 'json' ? `${JSON.stringify(toJson(result, options.profile), null, 2)}\n` : toText(result, options.profile));
  return result.valid ? EXIT.ok : EXIT.findings;
}

interface Options {
  time: Date;
  profile: Profile;
  purpose: Purpose;
  hostname?: string;
  maxDepth?: number;
}

function readOptions(values: { time?: string; hostname?: string; purpose?: string; profile?: string; 'max-depth'?: string; format?: string }): Options {
  if (values.format !== 'text' && values.format !== 'json') throw new InputError(`unknown format '${values.format}' (use text or json)`);
  if (values.purpose !== 'serverAuth' && values.purpose !== 'clientAuth') throw new InputError(`unknown purpose '${values.purpose}' (use serverAuth or clientAuth)`);
  const profile = values.profile ?? (values.hostname !== undefined ? 'webpki' : 'rfc5280');
  if (profile !== 'webpki' && profile !== 'rfc5280') throw new InputError(`unknown profile '${profile}' (use webpki or rfc5280)`);
  const time = values.time === undefined ? new Date() : parseDate(values.time, '--time');
  if (values.hostname !== undefined && !parseReferenceId(values.hostname)) throw new InputError(`--hostname '${values.hostname}' is not a DNS name or an IP address`);
  const depth = values['max-depth'];
  if (depth !== undefined && !/^\d+$/.test(depth)) throw new InputError(`--max-depth '${depth}' is not a whole number`);
  return {
    time,
    profile,
    purpose: values.purpose,
    ...(values.hostname !== undefined && { hostname: values.hostname }),
    ...(depth !== undefined && { maxDepth: Number(depth) }),
  };
}

/** The certificate with the private key, else the first that is not a CA, else the first. */
function pickLeaf(certs: Certificate[]): Certificate {
  return certs.find((c) => c.facts.privateKey?.present) ?? certs.find((c) => !c.facts.basicConstraints?.ca) ?? certs[0]!;
}

const brief = (c: Certificate) => ({ subject: c.facts.subject, thumbprint: c.facts.thumbprint });

function toJson(result: ValidationResult, profile: Profile) {
  return {
    valid: result.valid,
    profile,
    path: result.path.map((c) => ({
      ...brief(c),
      issuer: c.facts.issuer,
      notAfter: c.facts.notAfter,
      source: { path: c.facts.source.path, index: c.facts.source.index },
      trustAnchor: c === result.trustAnchor,
    })),
    reason: result.failure
      ? { code: result.failure.code, message: result.failure.message, ...(result.failure.missingIssuer !== undefined && { missingIssuer: result.failure.missingIssuer }) }
      : null,
    certificate: result.failure?.certificate ? brief(result.failure.certificate) : null,
  };
}

function toText(result: ValidationResult, profile: Profile): string {
  if (!result.valid) {
    const failure = result.failure!;
    const at = failure.certificate ? `\n  certificate: ${failure.certificate.facts.subject || '(empty subject)'} (thumbprint ${failure.certificate.facts.thumbprint})` : '';
    return `not valid (${profile}): ${failure.code}: ${failure.message}${at}\n`;
  }
  const width = Math.max(...result.path.map((c) => c.facts.subject.length));
  const rows = result.path.map((c) => {
    const role = c === result.trustAnchor ? 'trust anchor, ' : '';
    return `  ${c.facts.subject.padEnd(width)}  ${c.facts.thumbprint}  (${role}${c.facts.source.path} #${c.facts.source.index})`;
  });
  return `valid (${profile}): ${result.path.length} certificate${result.path.length === 1 ? '' : 's'}, leaf to trust anchor\n${rows.join('\n')}\n`;
}
