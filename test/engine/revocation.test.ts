import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCertificateFile } from '../../src/certs/read.js';
import { lint } from '../../src/engine/lint.js';
import { jsonReport } from '../../src/report/json.js';
import { InputErrorList } from '../../src/snapshot/errors.js';
import { loadSnapshot } from '../../src/snapshot/load.js';

// fixtures/crls/make.sh made the PKI, its CRLs and the two snapshots with openssl; openssl-verdicts.txt
// holds what `openssl verify -crl_check(_all)` said of the same certificates and CRLs.
const ROOT = join(import.meta.dirname, '../..');
const DIR = join(ROOT, 'fixtures/crls');
const OPENSSL = readFileSync(join(DIR, 'openssl-verdicts.txt'), 'utf8');
const NOW = new Date('2030-01-01T00:00:00Z');

const run = (snapshot: string) => lint({ targets: [join('fixtures/crls', snapshot)], cwd: ROOT, env: {}, now: NOW, ruleSettings: { 'trusted-root-present': 'error' } });
const chainFindings = async (snapshot: string) => (await run(snapshot)).findings.filter((f) => f.ruleId === 'trusted-root-present');

describe('revocation from the CRLs a snapshot lists (trusted-root-present)', () => {
  it('reads the CRL files the snapshot lists, and records them in the report with their digests', async () => {
    const deployment = loadSnapshot(join(DIR, 'snapshot-revoked-ca.yaml'));
    expect(deployment.crlFiles).toEqual([join(DIR, 'issuing.crl.pem'), join(DIR, 'root-revokes-issuing.crl.pem')]);
    expect(deployment.crls!.map((c) => c.thisUpdate)).toEqual(['2025-06-01T00:00:00Z', '2025-08-01T00:00:00Z']);
    const report = await run('snapshot-revoked-ca.yaml');
    expect(jsonReport(report).inputs[0]!.crlFiles).toEqual(['fixtures/crls/issuing.crl.pem', 'fixtures/crls/root-revokes-issuing.crl.pem']);
    expect(report.run!.files.filter((f) => f.kind === 'crl').map((f) => f.path)).toEqual(['fixtures/crls/issuing.crl.pem', 'fixtures/crls/root-revokes-issuing.crl.pem']);
  });

  it('a revoked server certificate is an error on its server, with the date and reason of its CRL entry; the good one passes', async () => {
    expect(OPENSSL).toMatch(/^revoked issuing\.crl\.pem: error 23 at 0 depth lookup: certificate revoked$/m);
    expect(OPENSSL).toMatch(/^good issuing\.crl\.pem: OK$/m);
    const findings = await chainFindings('snapshot-revoked-leaf.yaml');
    expect(findings.map((f) => [f.server, f.messageId, f.severity])).toEqual([['fe01.example.com', 'revoked', 'error']]);
    expect(findings[0]!.message).toBe(
      'The Default certificate was revoked on 2025-02-01T00:00:00Z (keyCompromise), according to the CRL of CN=CRL Test Issuing CA published 2025-06-01T00:00:00Z: clients and servers that check revocation refuse it. Request a new certificate, then import and assign it on this server (Import-CsCertificate, Set-CsCertificate).',
    );
  });

  it('a revoked issuing CA fails every certificate it issued, on every server, naming the CA', async () => {
    expect(OPENSSL).toMatch(/^good issuing\.crl\.pem\+root-revokes-issuing\.crl\.pem \(crl_check_all\): error 23 at 1 depth lookup: certificate revoked$/m);
    const findings = await chainFindings('snapshot-revoked-ca.yaml');
    expect(findings.map((f) => [f.server, f.messageId])).toEqual([
      ['fe01.example.com', 'caRevoked'],
      ['fe02.example.com', 'caRevoked'],
    ]);
    const ca = readCertificateFile(join(DIR, 'issuing.pem')).certificates[0]!.facts.thumbprint;
    expect(findings[0]!.message).toBe(
      `The path of the Default certificate goes through the CA certificate ${ca.slice(0, 4)}…${ca.slice(-3)} (CN=CRL Test Issuing CA), revoked on 2025-07-01T00:00:00Z (cACompromise) according to the CRL of CN=CRL Test Root published 2025-08-01T00:00:00Z: whatever it issued is refused where revocation is checked. Reissue the certificate from a CA that is not revoked, and import that CA's certificate into LocalMachine\\CA on this server.`,
    );
    expect(findings[0]!.thumbprint).toBe(ca);
  });

  it('without crls: in the snapshot, revocation is not checked', async () => {
    const text = readFileSync(join(DIR, 'snapshot-revoked-leaf.yaml'), 'utf8');
    expect(text).toContain('crls:');
    const report = await lint({
      targets: ['fixtures/crls/snapshot-revoked-leaf.yaml'],
      cwd: ROOT,
      env: {},
      now: NOW,
      ruleSettings: { 'trusted-root-present': 'error' },
      transform: (d) => ({ ...d, crls: [], crlFiles: [] }),
    });
    expect(report.findings.filter((f) => f.ruleId === 'trusted-root-present')).toEqual([]);
  });
});

describe('crls: in a snapshot, read as the certificate files are', () => {
  /** A snapshot folder in a fresh temporary folder (its own root: no repository around it), with `crls` as given. */
  const deployment = (crls: string, files: Record<string, string> = {}) => {
    const top = mkdtempSync(join(tmpdir(), 'sfb-crls-'));
    const folder = join(top, 'snapshot');
    mkdirSync(join(folder, 'crls'), { recursive: true });
    for (const [name, from] of Object.entries(files)) copyFileSync(join(DIR, from), join(folder, name));
    const text = readFileSync(join(DIR, 'snapshot-revoked-leaf.yaml'), 'utf8').replace(/^crls:\n(  - .*\n)+/m, `crls: ${crls}\n`);
    for (const name of ['root.pem', 'issuing.pem', 'good.pem', 'revoked.pem']) copyFileSync(join(DIR, name), join(folder, name));
    writeFileSync(join(folder, 'snapshot.yaml'), text);
    writeFileSync(join(top, 'outside.crl'), readFileSync(join(DIR, 'issuing.crl.pem')));
    return folder;
  };
  const errorsOf = (folder: string) => {
    try {
      loadSnapshot(folder);
    } catch (e) {
      return (e instanceof InputErrorList ? e.errors : [e as Error]).map((x) => x.message);
    }
    return [];
  };

  it('a folder contributes its CRL files; a CA certificate kept beside them is skipped with a notice', () => {
    const folder = deployment('[{ path: crls/ }]', { 'crls/issuing.crl.pem': 'issuing.crl.pem', 'crls/root.crl.der': 'issuing.crl.der', 'crls/issuing-ca.pem': 'issuing.pem' });
    const notices: string[] = [];
    const loaded = loadSnapshot(folder, { onNotice: (n) => notices.push(`${n.path}: ${n.message}`) });
    expect(loaded.crlFiles).toEqual([join(folder, 'crls/issuing.crl.pem'), join(folder, 'crls/root.crl.der')]);
    expect(notices).toEqual([`${join(folder, 'crls/issuing-ca.pem')}: skipped: a certificate, not a CRL (list it under certificates:)`]);
  });

  it("a path outside the snapshot's root is refused without being read; a missing or damaged file is an error", () => {
    expect(errorsOf(deployment('[{ path: ../outside.crl }]'))).toEqual([expect.stringMatching(/^\.\.\/outside\.crl is outside .*: refused, not opened$/)]);
    expect(errorsOf(deployment('[{ path: crls/none.crl }]'))).toEqual([expect.stringMatching(/^CRL file or folder not found: .*crls\/none\.crl$/)]);
    expect(errorsOf(deployment('[{ path: crls/bad.crl }]', { 'crls/bad.crl': 'good.pem' }))).toEqual(['not a CRL file: neither DER nor a PEM block "-----BEGIN X509 CRL-----"']);
    expect(errorsOf(deployment('[{ path: crls/ }]'))).toEqual([expect.stringMatching(/holds no CRL files \(\.crl, \.pem, \.der\)$/)]);
  });
});
