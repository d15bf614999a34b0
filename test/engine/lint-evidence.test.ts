import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ENV = { CONTOSO_PFX_PASSWORD: 'contoso' };
const NOW = new Date('2026-01-31T00:00:00Z');

/** Digests of the committed example files, as `sha256sum` prints them (upper-cased). */
const SHA256 = {
  'examples/contoso/snapshot.yaml': 'FDF7AE0DE886DDB83AA1ADA09510676AD05FEBA4BA2F1081CC6B5B1163F066C2',
  'examples/contoso/certs/med01-1024.cer': '107CFB6812E1E28713789815187A037C1A9AD4CC05AA82989EB9BC8BD5561705',
  'examples/contoso/edge/edge-av.pfx': '5E4F9CA6896A208A35A9641B0C1671F1E9CBDFEC17C35EAF08279D11425A4A1F',
  'examples/plugin/internal-ca-only.mjs': '8CD1B34324E02D22C4E3C74FCF9B4308B187EDC56273CB5AA4205CFCDBF047F6',
};

/** The certificates of examples/contoso, as its snapshot's comments and examples/README.md name them. */
const CONTOSO = {
  oauthNoSipDomain: '88DF2CE4906F6D7DFEC80BBCDAC8C046E8EF5B10',
  oauth: 'F77B3FFAB58657C675FFA8ABB0391074A85A5894',
  av: '46CCE54AB04A29313ADC147198CC05995C779346',
  contosoRoot: '33E5E6F24346388259470871DC21C4861191A216',
  med01: '4CDFFFE895CD13DE0E1F4C97D763BF80B7EDA8A3',
};

describe('lint() records the evidence of its run', () => {
  it('says what fixed the time, every rule with its severity and options, and the digest of every file read', async () => {
    const report = await lint({ targets: ['examples/contoso'], cwd: ROOT, env: ENV, now: NOW, ruleSettings: { 'key-size': 'warning' } });
    const run = report.run!;
    expect(run.timeSource).toBe('option');
    // The example's own configuration, when it has one, is found beside the snapshot and applied.
    const config = ['examples/contoso/sfb-certlint.config.yaml'].filter((c) => existsSync(join(ROOT, c)));
    expect(run.configurations).toEqual(config);
    expect(run.rules.find((r) => r.id === 'key-size')).toEqual({ id: 'key-size', severity: 'warning', options: { minRsaBits: 2048, minRsaBitsByUsage: { OAuthTokenIssuer: 2048 }, allowedCurves: ['P-256', 'P-384', 'P-521'] } });
    expect(run.rules.find((r) => r.id === 'certificate-expiry')).toEqual({ id: 'certificate-expiry', severity: 'error', options: { warnDays: 30 } });
    expect(run.rules.map((r) => r.id)).toEqual(report.rules.map((r) => r.id));
    for (const [path, sha256] of Object.entries(SHA256).filter(([p]) => p.startsWith('examples/contoso/'))) {
      expect(run.files.find((f) => f.path === path)).toMatchObject({ sha256 });
    }
    // The configuration first (and any public roots it names), then the snapshot and its 12 certificate
    // files (examples/README.md), each once.
    expect(run.files.filter((f) => f.kind === 'configuration').map((f) => f.path)).toEqual(config);
    expect(run.files.filter((f) => f.kind === 'snapshot' || f.kind === 'certificate').map((f) => f.kind)).toEqual(['snapshot', ...Array(12).fill('certificate')]);
    expect(run.files.find((f) => f.path === 'examples/contoso/snapshot.yaml')!.bytes).toBe(13655);
    expect(report.inputs[0]).toMatchObject({ name: 'Contoso (with faults)' });
    expect(report.inputs[0]!.configuration).toBe(config[0]);
    expect(report.inputs[0]!.pools!.map((p) => [p.fqdn, p.role])).toEqual([
      ['pool01.contoso.com', 'FrontEnd'],
      ['dirpool.contoso.com', 'Director'],
      ['edgepool.contoso.com', 'Edge'],
      ['med.contoso.com', 'Mediation'],
    ]);
  });

  it('records the configuration applied and the plug-ins it loaded, with their digests', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfb-evidence-'));
    const configPath = join(dir, 'sfb-certlint.config.json');
    const plugin = join(ROOT, 'examples/plugin/internal-ca-only.mjs');
    const publicRoot = join(ROOT, 'fixtures/report/hostile/certs/root.pem');
    writeFileSync(
      configPath,
      JSON.stringify({ now: '2026-02-01T00:00:00Z', plugins: [plugin], publicRoots: { add: [publicRoot] }, rules: { 'contoso/internal-ca-only': ['error', { allowedRoots: [CONTOSO.contosoRoot] }] } }),
    );
    // The configuration lies outside the repository it names files in: this test is about the record, not confinement.
    const report = await lint({ targets: ['examples/contoso'], cwd: ROOT, env: ENV, configPath, allowOutsideRoot: true });
    const run = report.run!;
    const config = relative(ROOT, configPath).split('\\').join('/');
    expect(run.timeSource).toBe('configuration');
    expect(report.evaluatedAt).toBe('2026-02-01T00:00:00Z');
    expect(run.configurations).toEqual([config]);
    expect(report.inputs[0]!.configuration).toBe(config);
    expect(run.plugins).toEqual([{ specifier: plugin, path: 'examples/plugin/internal-ca-only.mjs', configuration: config, rules: ['contoso/internal-ca-only'] }]);
    expect(run.rules.find((r) => r.id === 'contoso/internal-ca-only')).toEqual({ id: 'contoso/internal-ca-only', severity: 'error', options: { allowedRoots: [CONTOSO.contosoRoot] } });
    expect(run.files.slice(0, 3).map((f) => [f.kind, f.path])).toEqual([
      ['configuration', config],
      ['public-root', 'fixtures/report/hostile/certs/root.pem'],
      ['plugin', 'examples/plugin/internal-ca-only.mjs'],
    ]);
    expect(run.files[1]!.sha256).toBe(createHash('sha256').update(readFileSync(publicRoot)).digest('hex').toUpperCase());
    expect(run.files[2]!.sha256).toBe(SHA256['examples/plugin/internal-ca-only.mjs']);
  });
});

describe('lint() lists the certificate inventory', () => {
  it('has every certificate of the snapshot once, with where it is assigned and stored', async () => {
    const report = await lint({ targets: ['examples/contoso'], cwd: ROOT, env: ENV, now: NOW });
    const inventory = report.inventory!;
    // 14 certificates (examples/README.md): 9 servers' own, 4 CAs, and the OAuth certificate assigned on fe03 only.
    expect(inventory).toHaveLength(14);
    expect(new Set(inventory.map((e) => e.facts.thumbprint)).size).toBe(14);
    const entry = (thumbprint: string) => inventory.find((e) => e.facts.thumbprint === thumbprint)!;

    // CN=Lync Server OAuth is the OAuthTokenIssuer certificate of fe01, fe02 and dir01.
    expect(entry(CONTOSO.oauthNoSipDomain).assignments.map((a) => [a.server, a.usage, a.role, a.state])).toEqual([
      ['fe01.contoso.com', 'OAuthTokenIssuer', 'FrontEnd', 'assigned'],
      ['fe02.contoso.com', 'OAuthTokenIssuer', 'FrontEnd', 'assigned'],
      ['dir01.contoso.com', 'OAuthTokenIssuer', 'Director', 'assigned'],
    ]);
    expect(entry(CONTOSO.oauthNoSipDomain).facts).toMatchObject({ subject: 'CN=Lync Server OAuth, O=Contoso, C=US', source: { path: 'examples/contoso/certs/oauth-no-sip-domain.cer', format: 'der' } });
    expect(entry(CONTOSO.oauth).assignments.map((a) => a.server)).toEqual(['fe03.contoso.com']);

    // The A/V key is not exportable on edge01, exportable on edge02 (the snapshot's personal stores).
    expect(entry(CONTOSO.av).stores.filter((s) => s.store === 'personal').map((s) => [s.server, s.exportable, s.keyProvider])).toEqual([
      ['edge01.contoso.com', false, 'CSP'],
      ['edge02.contoso.com', true, 'CSP'],
    ]);
    expect(entry(CONTOSO.av).facts.source).toEqual({ path: 'examples/contoso/edge/edge-av.pfx', format: 'pkcs12', index: 0 });

    // Contoso Root CA: in every Trusted Root store but edge02's, assigned nowhere.
    const root = entry(CONTOSO.contosoRoot);
    expect(root.assignments).toEqual([]);
    expect(root.stores.map((s) => [s.server, s.store])).toEqual(
      ['fe01', 'fe02', 'fe03', 'dir01', 'edge01', 'med01'].map((s) => [`${s}.contoso.com`, 'root']),
    );
    expect(entry(CONTOSO.med01).facts.publicKey).toEqual({ algorithm: 'RSA', bits: 1024, curve: null });
  });

  it('shows a staged roll on both certificates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfb-roll-'));
    cpSync(join(ROOT, 'examples/contoso-clean'), dir, { recursive: true });
    const snapshot = join(dir, 'snapshot.yaml');
    // Stage a roll of the A/V certificate on edge01: the Internal certificate takes over on 2026-03-01.
    const text = readFileSync(snapshot, 'utf8');
    const av = /(- usage: AudioVideoAuthentication\n\s+thumbprint: )([0-9A-F]{40})/.exec(text)!;
    const internal = /- usage: Internal\n\s+thumbprint: ([0-9A-F]{40})/.exec(text)![1]!;
    const indent = /\n(\s+)thumbprint: $/.exec(av[1]!)![1]!;
    writeFileSync(snapshot, text.replace(av[0], `${av[1]}${internal}\n${indent}previousThumbprint: ${av[2]}\n${indent}effectiveDate: 2026-03-01T00:00:00Z`));
    const report = await lint({ targets: [dir], cwd: dir, env: ENV, now: NOW });
    const entry = (thumbprint: string) => report.inventory!.find((e) => e.facts.thumbprint === thumbprint)!;
    expect(entry(av[2]!).assignments).toContainEqual(expect.objectContaining({ server: 'edge01.contoso.com', usage: 'AudioVideoAuthentication', state: 'previous', effectiveDate: '2026-03-01T00:00:00Z', rollsWith: internal }));
    expect(entry(internal).assignments).toContainEqual(expect.objectContaining({ server: 'edge01.contoso.com', usage: 'AudioVideoAuthentication', state: 'assigned', effectiveDate: '2026-03-01T00:00:00Z', rollsWith: av[2] }));
  });
});
