import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/verify.js';
import { InputError } from '../../src/errors.js';
import { CHAINS } from '../pki/chains.js';
// @ts-expect-error: the fixture builder is plain JavaScript
import { certificate, ext, gn, name, newKey, OID, pem, value } from '../../fixtures/chains/der.mjs';

function capture(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}

async function verify(...argv: string[]) {
  const stdout = capture();
  const stderr = capture();
  const io: CliIo = { stdout, stderr, env: { PFX_PASSWORD: 'x' }, cwd: CHAINS };
  const code = await run(argv, io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const AT = ['--time', '2025-06-01T00:00:00Z'];

describe('sfb-certlint verify: a wrong PFX password', () => {
  it('names the variable it came from, never its value, and exits 2', async () => {
    const pfx = fileURLToPath(new URL('../../fixtures/pkcs12/aes256.p12', import.meta.url));
    const root = fileURLToPath(new URL('../../fixtures/certs/files/root-ca.pem', import.meta.url));
    const r = await verify(pfx, '--password-env', 'PFX_PASSWORD', '--trusted', root);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${pfx}: the password in PFX_PASSWORD does not open aes256.p12 (MAC check failed: wrong password or damaged file)\n`);
  });
});

describe('sfb-certlint verify', () => {
  it('prints the path leaf to trust anchor and exits 0 for a valid chain', async () => {
    const dir = 'sfb.cross-signed-intermediate';
    const r = await verify(`${dir}/leaf.pem`, '--trusted', `${dir}/trusted.pem`, '--untrusted', `${dir}/untrusted.pem`, ...AT, '--hostname', 'example.com');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('valid (webpki): 3 certificates, leaf to trust anchor');
    expect(lines[1]).toMatch(/^ {2}CN=example\.com +[0-9A-F]{40} {2}\(sfb\.cross-signed-intermediate\/leaf\.pem #0\)$/);
    expect(lines[3]).toMatch(/CN=Contoso New Root .*\(trust anchor, sfb\.cross-signed-intermediate\/trusted\.pem #0\)$/);
    expect(r.stderr).toBe('');
  });

  it('explains in two lines why a chain is not valid, and exits 1', async () => {
    const dir = 'rfc5280.validity.expired-leaf';
    const r = await verify(`${dir}/leaf.pem`, '--trusted', `${dir}/trusted.pem`, '--untrusted', `${dir}/untrusted.pem`, '--time', '2022-01-01T00:00:00Z');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^not valid \(rfc5280\): expired: CN=example\.com: expired 2020-01-01T00:00:00Z\n {2}certificate: CN=example\.com \(thumbprint [0-9A-F]{40}\)\n$/);
  });

  it('writes JSON with the path, the reason and the certificate at fault', async () => {
    const dir = 'sfb.untrusted-chain-without-root';
    const r = await verify(`${dir}/leaf.pem`, '--trusted', `${dir}/trusted.pem`, '--untrusted', `${dir}/untrusted.pem`, ...AT, '--format', 'json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      valid: false,
      profile: 'rfc5280',
      reason: { code: 'issuer-not-found', missingIssuer: 'CN=Fabrikam Root' },
      certificate: { subject: expect.stringContaining('x509-limbo-intermediate') },
    });
    expect(json.path.map((p: { subject: string }) => p.subject)).toEqual(['CN=example.com', expect.stringContaining('x509-limbo-intermediate')]);
    expect(json.path[0]).toEqual({ subject: 'CN=example.com', thumbprint: expect.stringMatching(/^[0-9A-F]{40}$/), issuer: expect.any(String), notAfter: expect.any(String), source: { path: `${dir}/leaf.pem`, index: 0 }, trustAnchor: false });
  });

  it('takes several files after --trusted, and uses the other certificates of the leaf file as intermediates', async () => {
    const dir = 'pathlen.intermediate-pathlen-may-increase';
    const work = mkdtempSync(join(tmpdir(), 'verify-'));
    const bundle = join(work, 'bundle.pem');
    writeFileSync(bundle, readFileSync(join(CHAINS, dir, 'untrusted.pem'), 'utf8') + readFileSync(join(CHAINS, dir, 'leaf.pem'), 'utf8'));
    const r = await verify(bundle, '--trusted', 'sfb.trusted-leaf/trusted.pem', `${dir}/trusted.pem`, ...AT, '--format', 'json');
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, path: [{ subject: 'CN=example.com' }, {}, {}, { trustAnchor: true }] });
    expect(r.code).toBe(0);
  });

  it('picks the profile from --hostname unless --profile says otherwise', async () => {
    const dir = 'rfc5280.eku.ee-without-eku';
    const args = [`${dir}/leaf.pem`, '--trusted', `${dir}/trusted.pem`, ...AT];
    expect((await verify(...args)).code).toBe(0);
    const web = await verify(...args, '--hostname', 'example.com');
    expect(web.stdout).toMatch(/^not valid \(webpki\): eku-missing-purpose/);
    expect((await verify(...args, '--hostname', 'example.com', '--profile', 'rfc5280')).code).toBe(0);
  });

  it('honours --purpose and --max-depth', async () => {
    const eku = 'rfc5280.eku.ee-wrong-eku';
    expect((await verify(`${eku}/leaf.pem`, '--trusted', `${eku}/trusted.pem`, ...AT, '--purpose', 'clientAuth')).code).toBe(0);
    const deep = 'sfb.max-depth';
    const args = [`${deep}/leaf.pem`, '--trusted', `${deep}/trusted.pem`, '--untrusted', `${deep}/untrusted.pem`, ...AT];
    expect((await verify(...args)).code).toBe(0);
    expect((await verify(...args, '--max-depth', '2')).stdout).toMatch(/max-depth-exceeded/);
  });

  it('reports every unreadable file on its own line and exits 2 without a verdict', async () => {
    const r = await verify('missing-leaf.pem', '--trusted', 'missing-root.pem', 'cases.json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'missing-leaf.pem: file not found',
      'missing-root.pem: file not found',
      'cases.json: not a certificate file: text without a PEM block (-----BEGIN CERTIFICATE-----)',
    ]);
  });

  it('refuses wrong options as input errors', async () => {
    const leaf = 'webpki.san.exact-dns-san/leaf.pem';
    const trusted = ['--trusted', 'webpki.san.exact-dns-san/trusted.pem'];
    for (const args of [
      [leaf],
      ['--trusted', 'x.pem'],
      [leaf, 'other.pem', ...trusted],
      [leaf, ...trusted, '--time', 'yesterday'],
      [leaf, ...trusted, '--hostname', 'not a host'],
      [leaf, ...trusted, '--purpose', 'codeSigning'],
      [leaf, ...trusted, '--profile', 'strict'],
      [leaf, ...trusted, '--max-depth', 'two'],
      [leaf, ...trusted, '--format', 'xml'],
    ]) {
      await expect(verify(...args), args.join(' ')).rejects.toBeInstanceOf(InputError);
    }
  });

  it('prints help', async () => {
    const r = await verify('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: sfb-certlint verify LEAF --trusted FILE\|DIR\.\.\./);
  });
});

const CRLS = join(import.meta.dirname, '../../fixtures/crls');

describe('sfb-certlint verify: folders, revocation and the other inputs', () => {
  const crlRun = (...argv: string[]) => verify(join(CRLS, argv[0]!), '--trusted', join(CRLS, 'root.pem'), '--untrusted', join(CRLS, 'issuing.pem'), '--time', '2030-01-01T00:00:00Z', ...argv.slice(1));

  it('reads every certificate file of a --trusted folder, skipping a CRL in it with a notice', async () => {
    const work = mkdtempSync(join(tmpdir(), 'verify-dir-'));
    writeFileSync(join(work, 'root.pem'), readFileSync(join(CRLS, 'root.pem')));
    writeFileSync(join(work, 'root.crl'), readFileSync(join(CRLS, 'root.crl.pem')));
    writeFileSync(join(work, '.hidden'), 'not read');
    const r = await verify(join(CRLS, 'good.pem'), '--trusted', work, '--untrusted', join(CRLS, 'issuing.pem'), '--now', '2030-01-01');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/trust anchor, .*root\.pem #0/);
    expect(r.stderr).toBe(`${join(work, 'root.crl')}: skipped, a CRL (give CRLs with --crl)\n`);
  });

  it('refuses a revoked leaf with the CRL entry, and reads a folder of CRLs', async () => {
    const work = mkdtempSync(join(tmpdir(), 'verify-crls-'));
    writeFileSync(join(work, 'issuing.crl'), readFileSync(join(CRLS, 'issuing.crl.der')));
    writeFileSync(join(work, 'issuing.pem'), readFileSync(join(CRLS, 'issuing.pem')));
    const r = await crlRun('revoked.pem', '--crl', work);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^not valid \(rfc5280\): revoked: CN=revoked\.example\.com: revoked 2025-02-01T00:00:00Z \(keyCompromise\) by the CRL /);
    expect(r.stderr).toBe(`${join(work, 'issuing.pem')}: skipped, a certificate file in a CRL folder\n`);
  });

  it('reports an unknown status without failing, unless --crl-strict', async () => {
    const lenient = await crlRun('good.pem', '--crl', join(CRLS, 'issuing.crl.pem'), '--crl-check', 'all');
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/revocation checked \(every certificate\)/);
    expect(lenient.stdout).toMatch(/\n {2}revocation unknown: CN=CRL Test Issuing CA: no CRL from CN=CRL Test Root was given\n$/);
    const strict = await crlRun('good.pem', '--crl', join(CRLS, 'issuing.crl.pem'), '--crl-check', 'all', '--crl-strict');
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^not valid \(rfc5280\): revocation-unknown: CN=CRL Test Issuing CA: no CRL from CN=CRL Test Root/);
  });

  it('records in JSON the time, names, purpose, profile and revocation it checked', async () => {
    const r = await crlRun('good.pem', '--crl', join(CRLS, 'issuing.crl.pem'), '--hostname', 'good.example.com', '--key-usage', 'digitalSignature', '--format', 'json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.profile).toBe('webpki');
    expect(json.checked).toEqual({
      time: '2030-01-01T00:00:00Z',
      purpose: 'serverAuth',
      hostname: 'good.example.com',
      email: null,
      keyUsage: ['digitalSignature'],
      maxDepth: 8,
      revocation: { scope: 'leaf', strict: false, crls: 1 },
    });
    expect(json.revocation).toEqual([expect.objectContaining({ subject: 'CN=good.example.com', status: 'good', crl: expect.objectContaining({ thisUpdate: '2025-06-01T00:00:00Z' }) })]);
  });

  it('checks --key-usage and --email against the leaf', async () => {
    const usage = await crlRun('good.pem', '--key-usage', 'keyEncipherment');
    expect(usage.stdout).toMatch(/key-usage-not-allowed: CN=good\.example\.com: keyUsage \(digitalSignature\) does not allow keyEncipherment/);
    const email = await crlRun('good.pem', '--email', 'admin@example.com');
    expect(email.stdout).toMatch(/email-mismatch: .*subjectAltName does not include admin@example\.com/);
  });

  it('refuses bad values of the new options, and --time with --now', async () => {
    for (const [argv, message] of [
      [['--crl-check', 'some'], /--crl-check 'some' is not leaf or all/],
      [['--key-usage', 'signing'], /--key-usage 'signing' is not a keyUsage name/],
      [['--email', 'nobody'], /--email 'nobody' is not an email address/],
      [['--time', '2030-01-01', '--now', '2030-01-02'], /give --time or --now, not both/],
      [['--now', 'tomorrow'], /--now: 'tomorrow' is not a date \(not in that form\); expected an ISO 8601 date or date-time/],
    ] as const) {
      await expect(verify(join(CRLS, 'good.pem'), '--trusted', join(CRLS, 'root.pem'), ...argv)).rejects.toThrow(message);
    }
  });

  it('escapes control and bidirectional characters from certificates in text, and keeps them exact in JSON', async () => {
    const key = newKey();
    const hostile = 'evil\u001b[2J\u202egnp.exe';
    const subject = name(['CN', hostile]);
    const der = certificate({ subject, issuer: subject, key, signer: key, notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2049-01-01T00:00:00Z'), extensions: [ext(OID.subjectAltName, false, value.generalNames(gn.dns('example.com')))] });
    const work = mkdtempSync(join(tmpdir(), 'verify-hostile-'));
    writeFileSync(join(work, 'hostile.pem'), pem(der));
    const text = await verify(join(work, 'hostile.pem'), '--trusted', join(work, 'hostile.pem'), ...AT);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(/[\u001b\u202e]/);
    expect(text.stdout).toContain('CN=evil\\1B[2J\\E2\\80\\AEgnp.exe');
    const json = await verify(join(work, 'hostile.pem'), '--trusted', join(work, 'hostile.pem'), ...AT, '--format', 'json');
    expect(JSON.parse(json.stdout).path[0].subject).toBe(`CN=${hostile}`);
  });
});
