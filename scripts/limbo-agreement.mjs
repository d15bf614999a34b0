// Runs the whole x509-limbo suite (a limbo.json, C2SP/x509-limbo's compiled test suite) through this
// project's path validator and through `openssl verify`, and writes how often each agrees with the
// expected result. Not part of `npm test`: limbo.json is not in this repository (docs/verify.md says
// how the figures in it were measured).
//
//   npm run build && node scripts/limbo-agreement.mjs --limbo /path/to/limbo.json [--no-openssl]
//        [--include 'bettertls::*'] [--out reports/limbo]
//
// Writes OUT/summary.json (figures) and OUT/disagreements.json (every case either side gets wrong,
// with our reason), and prints the figures.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readCertificateBytes } from '../dist/certs/read.js';
import { readCrlBytes } from '../dist/certs/crl.js';
import { PathValidator } from '../dist/pki/validate.js';

const { values } = parseArgs({
  options: {
    limbo: { type: 'string' },
    out: { type: 'string', default: 'reports/limbo' },
    include: { type: 'string' },
    'no-openssl': { type: 'boolean', default: false },
  },
});
if (!values.limbo) {
  console.error('usage: node scripts/limbo-agreement.mjs --limbo limbo.json [--no-openssl] [--include GLOB] [--out DIR]');
  process.exit(2);
}

const suite = JSON.parse(readFileSync(values.limbo, 'utf8'));
const glob = values.include ? new RegExp(`^${values.include.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`) : null;
const cases = suite.testcases.filter((c) => !glob || glob.test(c.id));

const certs = (pems, what) => {
  const out = [];
  for (const pem of pems) {
    const result = readCertificateBytes(Buffer.from(pem), what);
    if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.message).join('; '));
    out.push(...result.certificates);
  }
  return out;
};

/**
 * The profile a case is judged in: limbo's `rfc5280::` and `pathlen::` cases test RFC 5280 itself
 * (`pathlen::validation-ignores-pathlen-in-leaf` has a CA as its leaf, which RFC 5280 allows and the Web
 * PKI does not); every other case (Web PKI, BetterTLS, pathological, CVE, CRL, online chains) is a TLS
 * client's validation, which is what `verify --hostname` applies by default.
 */
const profileOf = (c) => (c.id.startsWith('rfc5280::') || c.id.startsWith('pathlen::') ? 'rfc5280' : 'webpki');

/**
 * What the limbo case asks, as ValidationOptions (one set for each of its expected_peer_names, all of
 * which must pass); a string when the validator cannot take the case.
 */
function optionsOf(c) {
  const eku = c.extended_key_usage ?? [];
  if (eku.length > 1) return 'several extended key usages';
  const purpose = eku[0] ?? (c.validation_kind === 'CLIENT' ? 'clientAuth' : 'serverAuth');
  if (purpose !== 'serverAuth' && purpose !== 'clientAuth') return `extended key usage ${purpose}`;
  if ((c.signature_algorithms ?? []).length > 0) return 'signature_algorithms';

  const crls = [];
  for (const pem of c.crls ?? []) {
    const read = readCrlBytes(Buffer.from(pem), `${c.id} CRL`);
    if (read.errors.length > 0) return `unreadable CRL: ${read.errors[0].message}`;
    crls.push(...read.crls);
  }
  const base = {
    trusted: certs(c.trusted_certs, 'trusted'),
    untrusted: certs(c.untrusted_intermediates, 'untrusted'),
    time: c.validation_time ? new Date(c.validation_time) : new Date(),
    profile: profileOf(c),
    purpose,
    ...((c.key_usage ?? []).length > 0 && { keyUsage: c.key_usage }),
    ...(c.max_chain_depth != null && { maxDepth: c.max_chain_depth }),
    // As limbo's OpenSSL harness (X509_V_FLAG_CRL_CHECK_ALL): every certificate below the anchor, a status that cannot be had is a failure.
    ...(crls.length > 0 && { revocation: { crls, scope: 'all', strict: true } }),
  };
  const peers = c.expected_peer_names?.length ? c.expected_peer_names : c.expected_peer_name ? [c.expected_peer_name] : [null];
  return peers.map((peer) => ({
    ...base,
    ...(peer && peer.kind !== 'RFC822' && { hostname: peer.value }),
    ...(peer && peer.kind === 'RFC822' && { email: peer.value }),
  }));
}

const validator = new PathValidator();
function ours(c) {
  let optionSets;
  try {
    optionSets = optionsOf(c);
  } catch (e) {
    // A certificate our reader refuses: the chain is refused.
    return { valid: false, reason: `unreadable: ${e.message}` };
  }
  if (typeof optionSets === 'string') return { skipped: optionSets };
  let leaf;
  try {
    leaf = certs([c.peer_certificate], 'peer')[0];
  } catch (e) {
    return { valid: false, reason: `unreadable: ${e.message}` };
  }
  if (!leaf) return { valid: false, reason: 'unreadable: no certificate' };
  const started = performance.now();
  const failed = optionSets.map((options) => validator.validate(leaf, options)).find((r) => !r.valid);
  const ms = performance.now() - started;
  return { valid: !failed, reason: failed ? `${failed.failure.code}: ${failed.failure.message}` : null, ms };
}

const OPENSSL_PURPOSE = { serverAuth: 'sslserver', clientAuth: 'sslclient', anyExtendedKeyUsage: 'any' };

/** limbo's own OpenSSL harness (harness/openssl/main.cpp), as `openssl verify` options. */
function openssl(c, dir) {
  if ((c.signature_algorithms ?? []).length > 0 || (c.key_usage ?? []).length > 0 || (c.expected_peer_names ?? []).length > 0) return { skipped: 'not expressible' };
  if (c.validation_kind !== 'SERVER') return { skipped: 'non-SERVER' };
  const write = (name, pems) => {
    const path = join(dir, name);
    writeFileSync(path, pems.join('\n'));
    return path;
  };
  const args = ['verify', '-x509_strict', '-partial_chain', '-auth_level', '2', '-CAfile', write('trusted.pem', c.trusted_certs)];
  if (c.untrusted_intermediates.length > 0) args.push('-untrusted', write('untrusted.pem', c.untrusted_intermediates));
  if ((c.crls ?? []).length > 0) args.push('-CRLfile', write('crls.pem', c.crls), '-crl_check_all');
  if (c.validation_time) args.push('-attime', String(Math.floor(Date.parse(c.validation_time) / 1000)));
  else args.push('-no_check_time');
  const peer = c.expected_peer_name;
  if (peer?.kind === 'DNS') args.push('-verify_hostname', peer.value);
  else if (peer?.kind === 'IP') args.push('-verify_ip', peer.value);
  else if (peer?.kind === 'RFC822') args.push('-verify_email', peer.value);
  const eku = c.extended_key_usage ?? [];
  if (eku.length > 1) return { skipped: 'several EKUs' };
  if (eku.length === 1) {
    if (!OPENSSL_PURPOSE[eku[0]]) return { skipped: `EKU ${eku[0]}` };
    args.push('-purpose', OPENSSL_PURPOSE[eku[0]]);
  }
  if (c.max_chain_depth != null) args.push('-verify_depth', String(c.max_chain_depth));
  args.push(write('peer.pem', [c.peer_certificate]));
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  const error = /error \d+ at \d+ depth lookup: (.*)/.exec(run.stdout + run.stderr)?.[1] ?? (run.stdout + run.stderr).trim().split('\n').pop();
  return { valid: run.status === 0, reason: run.status === 0 ? null : error };
}

const tmp = mkdtempSync(join(tmpdir(), 'limbo-'));
const rows = [];
try {
  for (const c of cases) {
    const row = { id: c.id, expected: c.expected_result === 'SUCCESS', conflicts: (c.conflicts_with ?? []).length > 0, features: c.features ?? [], ours: ours(c) };
    if (!values['no-openssl']) row.openssl = openssl(c, tmp);
    rows.push(row);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

function figures(who) {
  const judged = rows.filter((r) => r[who] && !r[who].skipped);
  const agree = judged.filter((r) => r[who].valid === r.expected).length;
  const acceptedInvalid = judged.filter((r) => !r.expected && r[who].valid);
  return {
    cases: rows.length,
    judged: judged.length,
    skipped: rows.length - judged.length,
    agree,
    /** Over every case of the suite, a skipped case counting as a disagreement. */
    agreementPercent: Number(((100 * agree) / rows.length).toFixed(2)),
    refusedValid: judged.filter((r) => r.expected && !r[who].valid).length,
    acceptedInvalid: acceptedInvalid.length,
    acceptedInvalidOutsideConflicts: acceptedInvalid.filter((r) => !r.conflicts).length,
  };
}

const byPrefix = {};
for (const r of rows) {
  const prefix = r.id.split('::').slice(0, r.id.startsWith('bettertls::') ? 2 : 1).join('::');
  const p = (byPrefix[prefix] ??= { cases: 0, ours: 0, openssl: 0 });
  p.cases++;
  if (!r.ours.skipped && r.ours.valid === r.expected) p.ours++;
  if (r.openssl && !r.openssl.skipped && r.openssl.valid === r.expected) p.openssl++;
}
const slowest = rows.filter((r) => r.ours.ms !== undefined).sort((a, b) => b.ours.ms - a.ours.ms).slice(0, 5).map((r) => ({ id: r.id, ms: Number(r.ours.ms.toFixed(1)) }));
const opensslVersion = spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout.trim();
const summary = {
  limbo: resolve(values.limbo),
  include: values.include ?? null,
  ours: figures('ours'),
  ...(!values['no-openssl'] && { openssl: { version: opensslVersion, ...figures('openssl') } }),
  byPrefix,
  slowest,
};
const wrong = rows.filter((r) => r.ours.skipped || r.ours.valid !== r.expected || (r.openssl && !r.openssl.skipped && r.openssl.valid !== r.expected));
mkdirSync(values.out, { recursive: true });
writeFileSync(join(values.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
writeFileSync(join(values.out, 'disagreements.json'), `${JSON.stringify(wrong, null, 2)}\n`);
console.log(JSON.stringify(summary, null, 2));
