import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { workspace } from '../snapshot/helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOPOLOGY = join(ROOT, 'fixtures/topology/contoso-multisite.xml');
const INVENTORY = join(ROOT, 'fixtures/inventory/contoso');

/** Runs `sfb-certlint import` in-process, in a fresh folder, as the command line does (errors printed by main). */
async function importCommand(args: string[], cwd = workspace()) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const io: CliIo = { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), env: {}, cwd };
  const code = await main(['import', ...args], io);
  return { code, stdout, stderr, cwd };
}

describe('sfb-certlint import', () => {
  it('writes a snapshot from the topology and the inventory that loadSnapshot reads back', async () => {
    const { code, stdout, stderr, cwd } = await importCommand(['--topology', TOPOLOGY, '--inventory', INVENTORY, '--output', 'out/snapshot.yaml']);
    expect(code).toBe(0);
    expect(stdout).toBe('Wrote out/snapshot.yaml: 5 pools, 8 servers, 8 certificate files in certs/.\n');
    expect(stderr).toContain('sfb-certlint: warning: no inventory folder for fe02.contoso.com');
    expect(stderr).toContain('sql01.contoso.com: no server of that name in the topology; left out');

    const text = readFileSync(join(cwd, 'out/snapshot.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${relative(join(cwd, 'out'), join(ROOT, 'schema/snapshot.schema.json'))}`);
    expect(text).toContain('# Director: Registrar with IsDirector="true"');
    expect(text).toMatch(/thumbprint: [0-9A-F]{40} # CN=pool01\.contoso\.com, expires \d{4}-\d\d-\d\d/);
    // Written atomically: no temporary file left beside it.
    expect(readdirSync(join(cwd, 'out')).sort()).toEqual(['certs', 'snapshot.yaml']);
    expect(readdirSync(join(cwd, 'out/certs'))).toHaveLength(8);

    const d = loadSnapshot(join(cwd, 'out'));
    expect(d.sipDomains.map((s) => s.name)).toEqual(['contoso.com', 'fabrikam.com']);
    expect(d.pools.map((p) => p.role)).toEqual(['FrontEnd', 'Director', 'Edge', 'Mediation', 'StandardEdition']);
    const fe01 = d.pools[0]!.servers[0]!;
    expect(fe01.assignmentsCollected).toBe(true);
    expect(fe01.assignments.find((a) => a.usage === 'OAuthTokenIssuer')).toMatchObject({ effectiveDate: '2030-06-01T06:00:00Z' });
    expect(d.certificates.get(fe01.assignments[0]!.thumbprint)?.facts.subject).toBe('CN=pool01.contoso.com');
    const fe02 = d.pools[0]!.servers[1]!;
    expect(fe02).toMatchObject({ assignmentsCollected: false, stores: { personal: null, root: null, intermediate: null } });
    const dir01 = d.pools[1]!.servers[0]!;
    expect(dir01.assignmentsCollected).toBe(false);
    expect(dir01.stores.personal).toHaveLength(1);
    // The collector's Windows version and friendly names reach the model; an older collector's folder has neither.
    expect(fe01.os).toEqual({ caption: 'Microsoft Windows Server 2012 R2 Datacenter', version: '6.3.9600' });
    expect(fe01.stores.personal![0]!.friendlyName).toBe('Skype for Business Server Default 2026');
    expect(dir01.os).toBeUndefined();
    expect(d.pools[2]!.edge!.xmppFederation).toBe(true);
  });

  it('writes the topology alone without --inventory: no certificates, nothing collected', async () => {
    const { code, stderr, cwd } = await importCommand(['--topology', TOPOLOGY, '--output', 'out/snapshot.yaml']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(readdirSync(join(cwd, 'out'))).toEqual(['snapshot.yaml']);
    const text = readFileSync(join(cwd, 'out/snapshot.yaml'), 'utf8');
    expect(text).not.toContain('certificates:');
    expect(text).toContain('# Simple URLs are not in the topology');
    const d = loadSnapshot(join(cwd, 'out/snapshot.yaml'));
    expect(d.pools.flatMap((p) => p.servers).every((s) => s.assignmentsCollected === false && s.stores.personal === null)).toBe(true);
    expect(d.certificates.all()).toEqual([]);
  });

  it('refuses bad input with exit code 2 and one line, writing nothing', async () => {
    const cwd = workspace({ 'topology.xml': '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<Topology/>' });
    const { code, stdout, stderr } = await importCommand(['--topology', 'topology.xml', '--output', 'snapshot.yaml'], cwd);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toBe(`sfb-certlint: ${join(cwd, 'topology.xml')}:2: refused: the XML declares a DOCTYPE (entity expansion and external entities are not allowed)`);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(cwd, 'snapshot.yaml'))).toBe(false);
  });

  it('refuses a topology whose names are not DNS names (an unexpanded $SkypeFQDN), with the element and value, writing nothing', async () => {
    const cwd = workspace({ 'topology.xml': readFileSync(TOPOLOGY, 'utf8').replace('Fqdn="fe01.contoso.com"', 'Fqdn="$SkypeFQDN"') });
    const { code, stdout, stderr } = await importCommand(['--topology', 'topology.xml', '--output', 'out/snapshot.yaml'], cwd);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`topology.xml (/Topology/Clusters/Cluster[@Fqdn='pool01.contoso.com']/Machine[@Fqdn='$SkypeFQDN']): Machine Fqdn "$SkypeFQDN" is not a DNS name (a placeholder left unexpanded?)`);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });

  it('escapes control characters from the inventory in its warnings: a folder name must not drive the terminal', async () => {
    const cwd = workspace();
    cpSync(INVENTORY, join(cwd, 'inventory'), { recursive: true });
    mkdirSync(join(cwd, 'inventory', 'evil\u001b]0;owned\u0007\u202e.contoso.com'));
    const { code, stderr } = await importCommand(['--topology', TOPOLOGY, '--inventory', 'inventory', '--output', 'out/snapshot.yaml'], cwd);
    expect(code).toBe(0);
    expect(stderr).toContain('evil\\1B]0;owned\\07\\E2\\80\\AE.contoso.com');
    expect(stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('refuses a missing topology file', async () => {
    const { code, stderr, cwd } = await importCommand(['--topology', 'missing.xml', '--output', 'snapshot.yaml']);
    expect(code).toBe(2);
    expect(stderr).toBe(`sfb-certlint: ${join(cwd, 'missing.xml')}: file not found\n`);
  });

  it.each([
    // One prefix, as every command's errors: the command's name is not said twice.
    [['--topology', 'x.xml'], "sfb-certlint: import needs --output FILE (the snapshot to write)\nRun 'sfb-certlint import --help' for its options.\n"],
    [[], 'sfb-certlint: import needs --topology FILE (the topology to read) and --output FILE (the snapshot to write)\n'],
    [['--topology', 'x.xml', '--output', 'y', '--bogus'], "sfb-certlint: unknown option '--bogus'\nRun 'sfb-certlint import --help' for its options.\n"],
    [['--topology', 'x.xml', '--outptu', 'y'], "sfb-certlint: unknown option '--outptu'; did you mean '--output'?"],
    [['--topology', 'x.xml', '--output', 'y', 'extra'], "sfb-certlint: import takes no arguments besides its options (found 'extra')"],
  ])('refuses a bad command line %j', async (args, message) => {
    const { code, stderr } = await importCommand(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('shows its help', async () => {
    const { code, stdout } = await importCommand(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: sfb-certlint import --topology FILE \[--inventory DIR\] --output FILE/);
  });
});
