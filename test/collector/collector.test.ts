/**
 * scripts/Collect-SfbCertificates.ps1, run for real: PowerShell runs its Pester tests
 * (Collect-SfbCertificates.Tests.ps1, with the Lync cmdlets, the certificate stores and WMI mocked as
 * scenario.json describes a Front End), which keep what the collector wrote; this file then checks that
 * `import --inventory` reads exactly that, field by field, and the same from the files Windows PowerShell
 * 5.1 writes when run by hand. Skipped, saying why, where pwsh or Pester 5 is not installed (.ci/run
 * installs both).
 */
import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { accessSync, constants, cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { importSnapshot } from '../../src/snapshot/import/import.js';
import { readInventory, type Inventory } from '../../src/snapshot/import/inventory.js';
import { loadSnapshot } from '../../src/snapshot/load.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCENARIO = JSON.parse(readFileSync(join(ROOT, 'test/collector/scenario.json'), 'utf8')) as Scenario;
const TOPOLOGY = join(ROOT, 'fixtures/topology/contoso-multisite.xml');
/** The Pester tests the file holds (Its): all must run and pass. */
const PESTER_TESTS = 16;

interface StoreEntrySpec {
  certificate: string;
  FriendlyName: string;
  key?: { ContainerName: string; ProviderName: string; ProviderType: number; Exportable: boolean };
}
interface Scenario {
  server: string;
  os: { Caption: string; Version: string };
  assignments: Array<{ Use: string; certificate: string; previous?: string; EffectiveDate?: string }>;
  stores: { My: StoreEntrySpec[]; Root: StoreEntrySpec[]; CA: StoreEntrySpec[] };
}

/** pwsh on the PATH, or where `dotnet tool install --global` puts it. */
function findPwsh(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), join(homedir(), '.dotnet', 'tools')];
  for (const dir of dirs.filter(Boolean)) {
    for (const name of process.platform === 'win32' ? ['pwsh.exe'] : ['pwsh']) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

const pwsh = findPwsh();
if (!pwsh) console.warn('test/collector: skipped: pwsh (PowerShell 7) not found on the PATH or in ~/.dotnet/tools; .ci/run installs it.');

interface PesterResult {
  missing?: string;
  passed: number;
  failed: number;
  failedBlocks: number;
  notRun: number;
  failures: string[];
}

/** Runs the Pester tests with pwsh, keeping the collector's output in `output`. */
async function runPester(output: string): Promise<PesterResult> {
  const script = `
    $ErrorActionPreference = 'Stop'
    $pester = Get-Module -ListAvailable Pester | Where-Object { $_.Version.Major -ge 5 } | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) { '{"missing": "Pester 5 or later is not installed"}'; exit 0 }
    Import-Module $pester
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = 'test/collector'
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'None'
    $r = Invoke-Pester -Configuration $configuration
    [pscustomobject]@{
      passed = $r.PassedCount; failed = $r.FailedCount; failedBlocks = $r.FailedBlocksCount + $r.FailedContainersCount; notRun = $r.NotRunCount + $r.SkippedCount
      failures = @($r.Failed | ForEach-Object { "$($_.ExpandedPath): $($_.ErrorRecord[0].Exception.Message)" }) + @($r.FailedBlocks | ForEach-Object { "$($_.Path -join ' '): $($_.ErrorRecord[0].Exception.Message)" })
    } | ConvertTo-Json -Compress`;
  const { stdout } = await promisify(execFile)(pwsh!, ['-NoProfile', '-NonInteractive', '-Command', script], {
    cwd: ROOT,
    env: { ...process.env, SFB_COLLECTOR_OUTPUT: output, NO_COLOR: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as PesterResult;
}

/** A collector listing as the collector wrote it: UTF-8 without a BOM, JSON. */
function listing(folder: string, name: string): Record<string, unknown>[] {
  const bytes = readFileSync(join(folder, name));
  expect([...bytes.subarray(0, 3)], `${name} has no byte order mark`).not.toEqual([0xef, 0xbb, 0xbf]);
  const data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  return Array.isArray(data) ? data : [data as Record<string, unknown>];
}

/** The DER of a fixtures/rules/ certificate, and what node:crypto reads in it. */
function fixture(name: string) {
  const x = new X509Certificate(readFileSync(join(ROOT, 'fixtures/rules', name)));
  return { der: x.raw, thumbprint: createHash('sha1').update(x.raw).digest('hex').toUpperCase() };
}

/**
 * The same listing as Windows PowerShell 5.1 writes it when run by hand, `ConvertTo-Json > file`: UTF-16LE
 * with a BOM and CRLF, 4-space indentation, dates as "\/Date(ms)\/", a one-row list as a lone object.
 */
function asWindowsPowerShell51(text: string): Buffer {
  const data = JSON.parse(text) as unknown;
  const unwrapped = Array.isArray(data) && data.length === 1 ? data[0] : data;
  const json = JSON.stringify(
    unwrapped,
    (_, value: unknown) => (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(value) ? `/Date(${Date.parse(value)})/` : value),
    4,
  ).replaceAll('"/Date(', '"\\/Date(').replaceAll(')/"', ')\\/"');
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json.replaceAll('\n', '\r\n'), 'utf16le')]);
}

describe.skipIf(!pwsh)('Collect-SfbCertificates.ps1 with import --inventory', () => {
  const inventory = mkdtempSync(join(tmpdir(), 'sfb-collector-'));
  const folder = join(inventory, 'fe01.contoso.com');
  let pester: PesterResult;
  let imported: Inventory;

  beforeAll(async () => {
    pester = await runPester(inventory);
    if (pester.missing) console.warn(`test/collector: skipped: ${pester.missing}; .ci/run installs it.`);
    else imported = readInventory(inventory);
  }, 300_000);

  it('runs every Pester test of the collector, and they pass', (ctx) => {
    if (pester.missing) ctx.skip();
    expect(pester.failures).toEqual([]);
    expect(pester).toMatchObject({ passed: PESTER_TESTS, failed: 0, failedBlocks: 0, notRun: 0 });
  });

  it('writes exactly the properties docs/collect.md describes', (ctx) => {
    if (pester.missing) ctx.skip();
    expect(readdirSync(inventory)).toEqual(['fe01.contoso.com']);
    const keys = (name: string) => Object.keys(listing(folder, name)[0]!);
    const store = ['Thumbprint', 'Subject', 'Issuer', 'FriendlyName', 'NotBefore', 'NotAfter', 'HasPrivateKey'];
    expect(keys('my.json')).toEqual([...store, 'KeyProvider', 'KeyProviderName', 'KeyExportable', 'RawData']);
    expect(keys('root.json')).toEqual([...store, 'RawData']);
    expect(keys('ca.json')).toEqual([...store, 'RawData']);
    expect(Object.keys(listing(folder, 'cscertificate.json').find((r) => r.Use === 'OAuthTokenIssuer')!)).toEqual([
      'Use', 'Thumbprint', 'Subject', 'Issuer', 'NotBefore', 'NotAfter', 'SerialNumber', 'AlternativeNames', 'EffectiveDate', 'PreviousThumbprint',
    ]);
    expect(keys('os.json')).toEqual(['Caption', 'Version']);
  });

  it('import --inventory reads what the collector wrote, field by field', (ctx) => {
    if (pester.missing) ctx.skip();
    const server = imported.servers.find((s) => s.fqdn === 'fe01.contoso.com')!;
    expect(imported.warnings).toEqual([]);

    const rows = listing(folder, 'cscertificate.json');
    expect(server.assignments).toEqual(
      rows.map((r) => ({
        usage: r.Use,
        thumbprint: r.Thumbprint,
        ...(r.PreviousThumbprint !== undefined && { previousThumbprint: r.PreviousThumbprint }),
        ...(r.EffectiveDate !== undefined && { effectiveDate: r.EffectiveDate }),
      })),
    );

    const entry = (r: Record<string, unknown>) => ({ thumbprint: r.Thumbprint, ...(r.FriendlyName !== '' && { friendlyName: r.FriendlyName }) });
    expect(server.stores.personal).toEqual(
      listing(folder, 'my.json').map((r) => ({
        ...entry(r),
        hasPrivateKey: r.HasPrivateKey,
        ...(r.KeyExportable !== null && { exportable: r.KeyExportable }),
        ...(r.KeyProvider !== null && { keyProvider: r.KeyProvider }),
        ...(r.KeyProviderName !== null && { providerName: r.KeyProviderName }),
      })),
    );
    expect(server.stores.root).toEqual(listing(folder, 'root.json').map(entry));
    expect(server.stores.intermediate).toEqual(listing(folder, 'ca.json').map(entry));

    for (const name of ['my.json', 'root.json', 'ca.json']) {
      for (const r of listing(folder, name)) {
        expect(imported.certificates.get(r.Thumbprint as string)).toEqual({ der: new Uint8Array(Buffer.from(r.RawData as string, 'base64')), subject: r.Subject, notAfter: r.NotAfter });
      }
    }
    const [os] = listing(folder, 'os.json');
    expect(server.os).toEqual({ caption: os!.Caption, version: os!.Version });
  });

  it('reads the same from the files Windows PowerShell 5.1 writes by hand: UTF-16LE, /Date()/, a lone object', (ctx) => {
    if (pester.missing) ctx.skip();
    const copy = mkdtempSync(join(tmpdir(), 'sfb-collector-51-'));
    cpSync(inventory, copy, { recursive: true });
    const converted = join(copy, 'fe01.contoso.com');
    for (const name of readdirSync(converted)) writeFileSync(join(converted, name), asWindowsPowerShell51(readFileSync(join(converted, name), 'utf8')));
    const ca = readFileSync(join(converted, 'ca.json'));
    expect([...ca.subarray(0, 4)]).toEqual([0xff, 0xfe, '{'.charCodeAt(0), 0]);
    expect(ca.toString('utf16le')).toMatch(/"NotAfter": "\\\/Date\(\d+\)\\\/"/);
    expect(readInventory(copy)).toEqual(imported);
  });

  it('gets to the snapshot lint reads: each fact as the mocked server had it', (ctx) => {
    if (pester.missing) ctx.skip();
    const out = mkdtempSync(join(tmpdir(), 'sfb-collector-snapshot-'));
    importSnapshot({ topology: TOPOLOGY, inventory, output: join(out, 'snapshot.yaml') });
    const fe01 = loadSnapshot(out).pools.flatMap((p) => p.servers).find((s) => s.fqdn === SCENARIO.server.toLowerCase())!;

    expect(fe01.os).toEqual({ caption: SCENARIO.os.Caption, version: SCENARIO.os.Version });
    expect(fe01.assignments.map(({ location: _, ...a }) => a)).toEqual(
      SCENARIO.assignments.map((a) => ({
        usage: a.Use,
        thumbprint: fixture(a.certificate).thumbprint,
        ...(a.previous && { previousThumbprint: fixture(a.previous).thumbprint }),
        ...(a.EffectiveDate && { effectiveDate: a.EffectiveDate }),
      })),
    );
    const entry = (e: StoreEntrySpec) => ({ thumbprint: fixture(e.certificate).thumbprint, ...(e.FriendlyName && { friendlyName: e.FriendlyName }) });
    expect(fe01.stores.personal!.map(({ location: _, ...e }) => e)).toEqual(
      SCENARIO.stores.My.map((e) => ({
        ...entry(e),
        hasPrivateKey: e.key !== undefined,
        ...(e.key && { exportable: e.key.Exportable, keyProvider: e.key.ProviderType === 0 ? 'CNG' : 'CSP', providerName: e.key.ProviderName }),
      })),
    );
    expect(fe01.stores.root!.map(({ location: _, ...e }) => e)).toEqual(SCENARIO.stores.Root.map(entry));
    expect(fe01.stores.intermediate!.map(({ location: _, ...e }) => e)).toEqual(SCENARIO.stores.CA.map(entry));
    // The certificate files import wrote are the fixtures, byte for byte.
    const good = fixture('good.pem');
    expect(Buffer.from(readFileSync(join(out, 'certs', `${good.thumbprint}.cer`))).equals(Buffer.from(good.der))).toBe(true);
  });
});
