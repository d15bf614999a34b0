import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Confinement } from '../../src/files.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { fixtureThumbprint, inputErrors, workspace } from './helpers.js';

const FE01 = fixtureThumbprint('fe01.pem');
const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
/** A secret of the machine the linter runs on, outside any snapshot's root. */
const SECRET = mkdtempSync(join(tmpdir(), 'sfb-secret-'));
writeFileSync(join(SECRET, 'id_rsa.pem'), '-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----\n');

const snapshot = (certificates: string, assignment = FE01) => `version: 1
sipDomains: [{ name: contoso.com }]
certificates:
${certificates}
pools:
  - fqdn: pool01.contoso.com
    role: FrontEnd
    servers:
      - fqdn: fe01.contoso.com
        assignments: [{ usage: Default, thumbprint: ${assignment} }]
`;

/** A snapshot folder (no repository: its own folder is the root) with the fixture certificates in certs/. */
function snapshotDir(certificates: string): string {
  return workspace({ 'snapshot.yaml': snapshot(certificates) });
}

const messages = (dir: string, options = {}) => inputErrors(() => loadSnapshot(dir, options)).map((e) => e.message);

describe('confinement: every file a snapshot names stays inside the root (docs/security.md)', () => {
  it('refuses an absolute path outside the root, naming the path and the root, without opening it', () => {
    const dir = snapshotDir(`  - path: certs/\n  - path: ${join(SECRET, 'id_rsa.pem')}`);
    expect(messages(dir)).toEqual([`${join(SECRET, 'id_rsa.pem')} is outside its own folder (no repository holds it) (${dir}): refused, not opened`]);
  });

  it('refuses `..` out of the root, whether or not the file exists: no answer tells what is there', () => {
    const dir = snapshotDir('  - path: certs/\n  - path: ../../../../../../etc/passwd\n  - path: ../no-such-file.pem');
    expect(messages(dir)).toEqual([
      `../../../../../../etc/passwd is outside its own folder (no repository holds it) (${dir}): refused, not opened`,
      `../no-such-file.pem is outside its own folder (no repository holds it) (${dir}): refused, not opened`,
    ]);
  });

  it('refuses a symbolic link that leaves the root: listed, inside a listed folder, dangling, or as the snapshot itself', () => {
    const dir = snapshotDir('  - path: certs/\n  - path: key.pem\n  - path: gone.pem');
    symlinkSync(join(SECRET, 'id_rsa.pem'), join(dir, 'key.pem'));
    symlinkSync(join(SECRET, 'id_rsa.pem'), join(dir, 'certs', 'linked.pem'));
    symlinkSync(join(SECRET, 'not-there.pem'), join(dir, 'gone.pem'));
    expect(messages(dir)).toEqual([
      `certs/linked.pem leads through a symbolic link to ${join(SECRET, 'id_rsa.pem')}, outside its own folder (no repository holds it) (${dir}): refused, not opened`,
      `key.pem leads through a symbolic link to ${join(SECRET, 'id_rsa.pem')}, outside its own folder (no repository holds it) (${dir}): refused, not opened`,
      `gone.pem leads through a symbolic link to ${join(SECRET, 'not-there.pem')}, outside its own folder (no repository holds it) (${dir}): refused, not opened`,
    ]);
    const linked = mkdtempSync(join(tmpdir(), 'sfb-link-'));
    symlinkSync(join(SECRET, 'id_rsa.pem'), join(linked, 'snapshot.yaml'));
    expect(messages(linked)[0]).toMatch(/leads through a symbolic link to .*id_rsa\.pem, outside its own folder/);
  });

  it('refuses a FIFO (it would block) and a device (it never ends) by name, wherever they are', () => {
    const dir = snapshotDir('  - path: certs/\n  - path: pipe.pem\n  - path: /dev/zero');
    execFileSync('mkfifo', [join(dir, 'pipe.pem')]);
    expect(messages(dir, { confinement: Confinement.none() })).toEqual(['is a named pipe (FIFO), not a certificate file: refused, not opened', 'is a device or socket, not a certificate file']);
    // A FIFO in a listed folder is no certificate file: passed over, never opened.
    execFileSync('mkfifo', [join(dir, 'certs', 'pipe.cer')]);
    writeFileSync(join(dir, 'snapshot.yaml'), snapshot('  - path: certs/'));
    expect(loadSnapshot(dir).certificateFiles.map((f) => f.slice(dir.length + 1))).toEqual(['certs/chain.p7b', 'certs/fe01.pem', 'certs/root.cer']);
  });

  it('keeps the legitimate cases working: links inside the root, the repository as the root, and --allow-outside-root', () => {
    const dir = snapshotDir('  - path: linked/');
    symlinkSync(join(dir, 'certs'), join(dir, 'linked'));
    expect(loadSnapshot(dir).certificates.get(FE01)).toBeDefined();

    // In a repository, its root is the root: a snapshot may name a shared folder beside its own.
    const repo = mkdtempSync(join(tmpdir(), 'sfb-repo-'));
    mkdirSync(join(repo, '.git'));
    mkdirSync(join(repo, 'snapshots', 'prod'), { recursive: true });
    execFileSync('cp', ['-r', join(dir, 'certs'), join(repo, 'shared-certs')]);
    writeFileSync(join(repo, 'snapshots', 'prod', 'snapshot.yaml'), snapshot('  - path: ../../shared-certs/'));
    expect(loadSnapshot(join(repo, 'snapshots', 'prod')).certificates.get(FE01)).toBeDefined();

    const outside = snapshotDir(`  - path: ${join(dir, 'certs')}`);
    expect(loadSnapshot(outside, { confinement: Confinement.none() }).certificates.get(FE01)).toBeDefined();
  });

  it('leaves the bundled examples working unchanged', () => {
    for (const name of ['contoso', 'contoso-clean']) {
      expect(loadSnapshot(join(EXAMPLES, name), { env: { CONTOSO_PFX_PASSWORD: 'contoso' } }).certificateFiles.length).toBeGreaterThan(0);
    }
  });
});

describe('passwordEnv: only PFX password variables (docs/security.md)', () => {
  const withPfx = (entry: string) => {
    const dir = snapshotDir(`  - path: certs/\n${entry}`);
    mkdirSync(join(dir, 'edge'));
    copyFileSync(join(EXAMPLES, 'contoso/edge/edge-av.pfx'), join(dir, 'edge', 'edge-av.pfx'));
    return dir;
  };

  it('refuses a variable that is not a PFX password variable, set or not, and never shows its value', () => {
    const dir = withPfx('  - path: edge/\n    passwordEnv: GITHUB_TOKEN');
    for (const env of [{ GITHUB_TOKEN: 'ghp_canary_value' }, {}]) {
      const [error] = inputErrors(() => loadSnapshot(dir, { env }));
      expect(error!.message).toBe('passwordEnv: GITHUB_TOKEN is not read: a snapshot may name only PFX_PASSWORD or a variable ending in _PFX_PASSWORD');
      expect(error!.hint).toMatch(/allowPasswordEnv in a trusted configuration/);
      expect(JSON.stringify(error)).not.toContain('ghp_canary_value');
    }
  });

  it('reads PFX_PASSWORD and *_PFX_PASSWORD, and others a trusted configuration allows', () => {
    expect(loadSnapshot(withPfx('  - path: edge/\n    passwordEnv: CONTOSO_PFX_PASSWORD'), { env: { CONTOSO_PFX_PASSWORD: 'contoso' } }).certificateFiles).toHaveLength(4);
    expect(loadSnapshot(withPfx('  - path: edge/\n    passwordEnv: PFX_PASSWORD'), { env: { PFX_PASSWORD: 'contoso' } }).certificateFiles).toHaveLength(4);
    const legacy = withPfx('  - path: edge/\n    passwordEnv: LEGACY_PASS');
    expect(loadSnapshot(legacy, { env: { LEGACY_PASS: 'contoso' }, passwordEnvAllowed: (name) => name === 'LEGACY_PASS' }).certificateFiles).toHaveLength(4);
  });

  it('a wrong password names the variable it came from, and never the password', () => {
    const dir = withPfx('  - path: edge/\n    passwordEnv: EDGE_PFX_PASSWORD');
    const [error] = inputErrors(() => loadSnapshot(dir, { env: { EDGE_PFX_PASSWORD: 'wrong-canary' } }));
    expect(error!.message).toBe('the password in EDGE_PFX_PASSWORD does not open edge-av.pfx (MAC check failed: wrong password or damaged file)');
    expect(error!.where.path).toBe(join(dir, 'edge', 'edge-av.pfx'));
    expect(JSON.stringify(error)).not.toContain('wrong-canary');
  });

  it('a PFX listed without passwordEnv says how a snapshot gives its password', () => {
    const [error] = inputErrors(() => loadSnapshot(withPfx('  - path: edge/')));
    expect(error!.message).toBe(
      'the file is password-protected: name the environment variable that holds its password with passwordEnv, beside its path under certificates: (e.g. passwordEnv: CONTOSO_PFX_PASSWORD)',
    );
  });
});
