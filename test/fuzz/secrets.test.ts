import { createPrivateKey } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findPemBlocks } from '../../src/certs/pem.js';
import { readPkcs12 } from '../../src/certs/pkcs12.js';
import { readCertificateFile } from '../../src/certs/read.js';
import { cli, type Run } from './cli.js';
import { ROOT } from './inputs.js';

// Passwords and private keys must never reach any output: not the report in any format, not inspect or
// verify, not an error message (wrong password, damaged file), not with --debug. Each run below is
// scanned for every password and for every fragment of every private key it could have read.

const PASSWORD = 'Fixture-Pa55!';
const UNICODE_PASSWORD = 'Pässwörd-€-𝄞';
/** Handed over as a password (by passwordEnv, or --password-env) to files it does not open. */
const CANARY = 'Canary-Not-The-Password-4711';
const SECRETS = [PASSWORD, UNICODE_PASSWORD, CANARY];

const work = mkdtempSync(join(tmpdir(), 'sfb-certlint-secrets-'));
const file = (name: string) => join(work, name);
copyFileSync(join(ROOT, 'fixtures/pkcs12/aes256.p12'), file('edge.pfx'));
copyFileSync(join(ROOT, 'fixtures/pkcs12/unicode-3des.p12'), file('unicode.pfx'));
copyFileSync(join(ROOT, 'fixtures/certs/files/cert-and-key.pem'), file('cert-and-key.pem'));
copyFileSync(join(ROOT, 'fixtures/certs/files/key-pkcs8.pem'), file('key.pem'));
writeFileSync(file('password.txt'), `${PASSWORD}\r\n`);
// Damaged inside the encrypted content, after the MAC's input: the MAC check fails.
const damaged = readFileSync(file('edge.pfx'));
damaged[damaged.length >> 1]! ^= 0x10;
writeFileSync(file('damaged.pfx'), damaged);

/**
 * Every fragment of a private key that would betray it: each base64 line of its PEM form, and windows of
 * 32 hexadecimal digits, upper and lower case, across its private parts (d, p, q, dp, dq, qi) and its DER.
 */
function fragments(pkcs8: Uint8Array): string[] {
  const key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  const pem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  const jwk = key.export({ format: 'jwk' });
  const hexes = [Buffer.from(pkcs8).toString('hex'), ...['d', 'p', 'q', 'dp', 'dq', 'qi'].map((k) => Buffer.from(jwk[k as 'd']!, 'base64url').toString('hex'))];
  const windows = hexes.flatMap((hex) => Array.from({ length: Math.floor((hex.length - 32) / 16) + 1 }, (_, i) => hex.slice(i * 16, i * 16 + 32)));
  return [...pem.split('\n').filter((l) => l.length === 64), ...windows, ...windows.map((w) => w.toUpperCase())];
}

const keyFragments = [
  ...readPkcs12(readFileSync(file('edge.pfx')), PASSWORD).privateKeys,
  ...readPkcs12(readFileSync(file('unicode.pfx')), UNICODE_PASSWORD).privateKeys,
].flatMap((k) => fragments(k.pkcs8));
for (const pem of ['cert-and-key.pem', 'key.pem']) {
  const block = findPemBlocks(readFileSync(file(pem), 'utf8')).find((b) => b.label === 'PRIVATE KEY')!;
  keyFragments.push(...fragments(Buffer.from(block.base64, 'base64')));
}

/** Fails naming the run and the secret when any output holds one. */
function expectNoSecret(run: Run): void {
  const output = `${run.stdout}\n${run.stderr}`;
  for (const secret of SECRETS) expect(output.includes(secret), `${run.args.join(' ')}: prints a password`).toBe(false);
  const leaked = keyFragments.find((f) => output.includes(f));
  expect(leaked, `${run.args.join(' ')}: prints private key material`).toBeUndefined();
}

const ENV = { PFX_PASSWORD: PASSWORD, UNICODE_PASSWORD, CANARY };
const run = (args: string[]) => cli(args, { cwd: work, env: ENV });

describe('no password and no private key in any output', () => {
  beforeAll(() => {
    // The scan would see a leak: it finds the key in the key file itself.
    expect(keyFragments.filter((f) => readFileSync(file('key.pem'), 'utf8').includes(f)).length).toBeGreaterThan(10);
  });

  it('inspect: text and JSON, passwords from a variable and from a file, with --debug', async () => {
    const files = ['edge.pfx', 'damaged.pfx', 'cert-and-key.pem', 'key.pem'];
    const runs = await Promise.all([
      run(['inspect', ...files, '--password-env', 'PFX_PASSWORD', '--debug']),
      run(['inspect', ...files, '--password-file', 'password.txt', '--format', 'json']),
      run(['inspect', ...files, '--password-env', 'PFX_PASSWORD', '--format', 'json', '--debug']),
      run(['inspect', 'unicode.pfx', '--password-env', 'UNICODE_PASSWORD', '--format', 'json', '--debug']),
    ]);
    for (const r of runs) {
      expectNoSecret(r);
      expect(r.code, r.stderr).toBe(r.args.includes('unicode.pfx') ? 0 : 2);
    }
    // The secrets were used: the key was read and paired, the damaged file refused.
    expect(runs[0]!.stdout).toContain('Private key  present, matches the certificate');
    expect(runs[0]!.stdout).toContain('damaged.pfx: the password in PFX_PASSWORD does not open damaged.pfx (MAC check failed: wrong password or damaged file)');
    expect(runs[0]!.stdout).toContain('key.pem: no certificate in the file: it holds a private key alone');
    expect(JSON.parse(runs[3]!.stdout)[0].privateKey).toEqual({ present: true, matchesCertificate: true });
  });

  it('inspect and verify: a wrong password, in the message and with --debug', async () => {
    const runs = await Promise.all([
      run(['inspect', 'edge.pfx', 'unicode.pfx', '--password-env', 'CANARY', '--debug']),
      run(['inspect', 'unicode.pfx', '--password-env', 'PFX_PASSWORD', '--format', 'json']),
      run(['verify', 'edge.pfx', '--trusted', 'unicode.pfx', '--password-env', 'CANARY', '--debug']),
    ]);
    for (const r of runs) {
      expectNoSecret(r);
      expect(r.code).toBe(2);
      expect(r.stdout + r.stderr).toMatch(/MAC check failed: wrong password or damaged file/);
    }
  });

  it('verify: text and JSON, with --debug', async () => {
    const runs = await Promise.all([
      run(['verify', 'edge.pfx', '--trusted', 'edge.pfx', '--password-env', 'PFX_PASSWORD', '--debug']),
      run(['verify', 'edge.pfx', '--trusted', 'edge.pfx', '--password-file', 'password.txt', '--format', 'json', '--debug']),
    ]);
    for (const r of runs) {
      expectNoSecret(r);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
  });

  it('lint: stylish, JSON and SARIF, passwords from snapshot passwordEnv variables, with --debug', async () => {
    const leaf = readCertificateFile(file('edge.pfx'), { password: PASSWORD }).certificates[0]!.facts.thumbprint;
    const snapshot = (certificates: string) => `version: 1
sipDomains: [{ name: contoso.test }]
certificates:
${certificates}
pools:
  - fqdn: edge.contoso.test
    role: Edge
    edge: { internalFqdn: edge.contoso.test, accessEdgeFqdn: sip.contoso.test }
    servers:
      - fqdn: edge01.contoso.test
        assignments:
          - { usage: Internal, thumbprint: ${leaf} }
          - { usage: AccessEdgeExternal, thumbprint: ${leaf} }
        stores:
          personal: [{ thumbprint: ${leaf}, hasPrivateKey: true, exportable: true }]
`;
    mkdirSync(file('good'));
    writeFileSync(file('good/snapshot.yaml'), snapshot(`  - { path: ../edge.pfx, passwordEnv: PFX_PASSWORD }\n  - { path: ../cert-and-key.pem }\n  - { path: ../unicode.pfx, passwordEnv: UNICODE_PASSWORD }`));
    mkdirSync(file('bad'));
    writeFileSync(file('bad/snapshot.yaml'), snapshot(`  - { path: ../damaged.pfx, passwordEnv: PFX_PASSWORD }\n  - { path: ../edge.pfx, passwordEnv: CANARY }`));
    // The snapshots name files beside their folders, and variables a trusted configuration allows (docs/security.md).
    writeFileSync(file('sfb-certlint.config.yaml'), 'allowPasswordEnv: [UNICODE_PASSWORD, CANARY]\n');
    const trusted = ['--root', '.', '--config', 'sfb-certlint.config.yaml'];
    const runs = await Promise.all(
      ['stylish', 'json', 'sarif'].map((format, i) => run(['lint', 'good', 'bad', ...trusted, '--format', format, '--now', '2030-01-01', ...(i === 0 ? ['--debug'] : [])])),
    );
    for (const r of runs) {
      expectNoSecret(r);
      expect(r.code, r.stderr).toBe(2);
    }
    const report = JSON.parse(runs[1]!.stdout);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.inputErrors.map((e: { message: string }) => e.message)).toEqual([
      'the password in PFX_PASSWORD does not open damaged.pfx (MAC check failed: wrong password or damaged file)',
      'the password in CANARY does not open edge.pfx (MAC check failed: wrong password or damaged file)',
    ]);
  });
});
