import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { PASSWORD, PREDEPLOY, ROOT } from '../requirements/helpers.js';

const work = mkdtempSync(join(tmpdir(), 'sfb-certlint-requirements-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `sfb-certlint ARGS` in-process from the repository. */
async function cli(args: string[], env: NodeJS.ProcessEnv = PASSWORD) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => new Writable({ write: (chunk, _encoding, done) => (append(String(chunk)), done()) });
  const io: CliIo = { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), env, cwd: ROOT };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** An INF file's sections, each a list of `key = value` lines without comments (certreq's syntax). */
function inf(text: string): Record<string, string[]> {
  const sections: Record<string, string[]> = {};
  let current = '';
  for (const line of text.split('\r\n')) {
    if (line.startsWith(';') || line.trim() === '') continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) sections[(current = header[1]!)] = [];
    else sections[current]!.push(line);
  }
  return sections;
}

describe('sfb-certlint requirements: text and json', () => {
  it("lists, for each member's certificate, the Subject, every SAN with why, and the pages it comes from", async () => {
    const { code, stdout } = await cli(['requirements', 'examples/contoso', '--server', 'fe02.contoso.com']);
    expect(code).toBe(0);
    expect(stdout).toContain('pool01.contoso.com: Front End pool (fe01.contoso.com, fe02.contoso.com, fe03.contoso.com), for fe02.contoso.com');
    expect(stdout).toContain('fe02.contoso.com: Default, WebServicesInternal, WebServicesExternal');
    expect(stdout).toMatch(/SAN {10}required {5}pool01\.contoso\.com +it is the pool's FQDN/);
    expect(stdout).toMatch(/required {5}fe02\.contoso\.com +it is this server's FQDN/);
    expect(stdout).not.toContain('fe01.contoso.com  ');
    expect(stdout).toContain('The global certificate (every Front End, Standard Edition and Director): OAuthTokenIssuer');
    expect(stdout).toContain('Microsoft RSA SChannel Cryptographic Provider (ProviderType 12)');
    expect(stdout).toMatch(/\[1\] Certificate requirements for internal servers in Lync Server 2013\n {6}https:\/\/learn\.microsoft\.com\//);
  });

  it('json: the model as it is, versioned', async () => {
    const { code, stdout } = await cli(['requirements', 'examples/contoso', '--pool', 'edgepool.contoso.com', '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ version: 1, snapshot: 'examples/contoso', pool: { fqdn: 'edgepool.contoso.com', role: 'Edge' }, server: null });
    expect(report.certificates.map((c: { label: string }) => c.label)).toEqual(['edge-internal', 'edge-external']);
    expect(report.certificates[1]).toMatchObject({ holder: 'edgepool.contoso.com', issuer: { kind: 'public' }, exportable: { exportable: true }, sharing: { scope: 'pool' } });
  });

  it('names from the snapshot are escaped in text', async () => {
    const { stdout } = await cli(['requirements', join(PREDEPLOY, 'contoso'), '--server', 'fe01.contoso.com', '--usage', 'default']);
    expect(stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });
});

describe('sfb-certlint requirements: request files', () => {
  it('certreq: an INF with the Subject, the SAN extension, KeyLength, a CSP, Exportable only where needed, Server Authentication', async () => {
    const { code, stdout } = await cli(['requirements', 'examples/contoso', '--server', 'fe01.contoso.com', '--usage', 'Default', '--format', 'certreq']);
    expect(code).toBe(0);
    const s = inf(stdout);
    expect(s.Version).toEqual(['Signature = "$Windows NT$"']);
    expect(s.NewRequest).toEqual(
      expect.arrayContaining([
        'Subject = "CN=pool01.contoso.com"',
        'KeyLength = 2048',
        'KeySpec = 1',
        // As the INF example of docs/rules/key-size.md: the request signed with SHA-256.
        'HashAlgorithm = SHA256',
        'Exportable = FALSE',
        'MachineKeySet = TRUE',
        'ProviderName = "Microsoft RSA SChannel Cryptographic Provider"',
        'ProviderType = 12',
        'RequestType = PKCS10',
      ]),
    );
    expect(s.EnhancedKeyUsageExtension).toEqual(['OID = 1.3.6.1.5.5.7.3.1']);
    expect(s.Extensions).toEqual(['2.5.29.17 = "{text}"', '_continue_ = "dns=pool01.contoso.com&"', '_continue_ = "dns=fe01.contoso.com&"', '_continue_ = "dns=sip.contoso.com&"', '_continue_ = "dns=sip.fabrikam.com"']);
    expect(s.RequestAttributes).toEqual(['CertificateTemplate = WebServer']);
    // The committed fixture was made from this very file.
    expect(stdout).toBe(readFileSync(join(PREDEPLOY, 'requests/fe01-default.inf'), 'utf8'));
  });

  it('certreq for the Edge external certificate: exportable, the Access Edge FQDN as Subject, no enterprise template (a public CA)', async () => {
    const { stdout } = await cli(['requirements', 'examples/contoso', '--pool', 'edgepool.contoso.com', '--usage', 'AccessEdgeExternal,DataEdgeExternal,AudioVideoAuthentication', '--format', 'certreq']);
    const s = inf(stdout);
    expect(s.NewRequest).toEqual(expect.arrayContaining(['Subject = "CN=sip.contoso.com"', 'Exportable = TRUE']));
    expect(s.Extensions!.slice(1)).toEqual(['_continue_ = "dns=sip.contoso.com&"', '_continue_ = "dns=sip.fabrikam.com&"', '_continue_ = "dns=webconf.contoso.com"']);
    expect(s.RequestAttributes).toBeUndefined();
    expect(stdout).toBe(readFileSync(join(PREDEPLOY, 'requests/edge-external.inf'), 'utf8'));
  });

  it('openssl: the configuration the fixture requests were made from (fixtures/predeploy/make-fixtures.sh)', async () => {
    for (const [args, file] of [
      [['--server', 'fe01.contoso.com', '--usage', 'Default'], 'fe01-default.cnf'],
      [['--pool', 'edgepool.contoso.com', '--usage', 'AccessEdgeExternal,DataEdgeExternal,AudioVideoAuthentication'], 'edge-external.cnf'],
      [['--server', 'fe01.contoso.com', '--usage', 'OAuthTokenIssuer'], 'oauth.cnf'],
    ] as const) {
      const { stdout } = await cli(['requirements', 'examples/contoso', ...args, '--format', 'openssl']);
      expect(stdout).toBe(readFileSync(join(PREDEPLOY, 'requests', file), 'utf8'));
    }
    const { stdout } = await cli(['requirements', 'examples/contoso', '--server', 'fe01.contoso.com', '--usage', 'OAuthTokenIssuer', '--format', 'openssl']);
    expect(stdout).toMatch(/\[subject\]\nCN = contoso\.com\n/);
    expect(stdout).not.toContain('subjectAltName');
  });

  it('--pool with --output DIR: one request per member and the shared ones once', async () => {
    const out = join(work, 'requests');
    const { code, stdout } = await cli(['requirements', 'examples/contoso', '--pool', 'pool01.contoso.com', '--format', 'certreq', '--output', out]);
    expect(code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['fe01.contoso.com.default-web.inf', 'fe02.contoso.com.default-web.inf', 'fe03.contoso.com.default-web.inf', 'global.oauth.inf']);
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(4);
    expect(inf(readFileSync(join(out, 'fe03.contoso.com.default-web.inf'), 'utf8')).Extensions).toContain('_continue_ = "dns=fe03.contoso.com&"');
    expect(inf(readFileSync(join(out, 'global.oauth.inf'), 'utf8')).NewRequest).toEqual(expect.arrayContaining(['Subject = "CN=contoso.com"', 'Exportable = TRUE']));
  });
});

describe('sfb-certlint requirements: what the snapshot does not say is Unknown, never guessed', () => {
  // An Edge pool with no `edge:` section: the Access Edge and Web Conferencing Edge FQDNs are not known.
  const snapshot = join(work, 'no-edge-names.yaml');
  writeFileSync(snapshot, 'version: 1\nsipDomains:\n  - name: plant.test\n    default: true\npools:\n  - fqdn: edgepool.plant.test\n    role: Edge\n    servers:\n      - fqdn: edge01.plant.test\n');
  const edge = ['requirements', snapshot, '--pool', 'edgepool.plant.test'];

  it('text: the AccessEdgeExternal Subject is the Access Edge FQDN, Unknown here, with the field to add', async () => {
    const { code, stdout } = await cli([...edge, '--usage', 'AccessEdgeExternal']);
    expect(code).toBe(0);
    // "Plan for Edge Server certificates": the external certificate's Subject is the Access Edge external FQDN.
    expect(stdout).toMatch(/Subject {6}Unknown \(required\): the Access Edge external FQDN: the snapshot gives no\s+edge\.accessEdgeFqdn/);
    expect(stdout).not.toMatch(/ignores Subject/);
    expect(stdout).not.toContain('CN=sip.plant.test');
    expect(stdout).toMatch(/required {5}\(unknown\) +the Access Edge external FQDN/);
    expect(stdout).toMatch(/Unknown {6}the snapshot gives no edge\.accessEdgeFqdn for edgepool\.plant\.test, so the Access Edge\s+external FQDN cannot be named: add edge\.accessEdgeFqdn to that pool in the snapshot/);
  });

  it('text: only the A/V authentication certificate may have any Subject; one server is one server', async () => {
    const { stdout } = await cli([...edge, '--usage', 'AudioVideoAuthentication']);
    expect(stdout).toContain('Held by      1 server (edge01.plant.test): ');
    expect(stdout).toContain('Subject      any: the A/V authentication service ignores Subject and SAN');
    expect(stdout).not.toContain('Unknown');
  });

  for (const [usage, format, field, parts] of [
    ['AccessEdgeExternal', 'certreq', 'edge.accessEdgeFqdn', 'Subject and SANs'],
    ['AccessEdgeExternal', 'openssl', 'edge.accessEdgeFqdn', 'Subject and SANs'],
    ['DataEdgeExternal', 'certreq', 'edge.webConferencingEdgeFqdn', 'Subject and SANs'],
    ['XmppServer', 'certreq', 'edge.accessEdgeFqdn', 'Subject'],
  ] as const) {
    it(`${format} for ${usage}: refused (exit 2), naming ${field}; nothing written`, async () => {
      const { code, stdout, stderr } = await cli([...edge, '--usage', usage, '--format', format]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(`refusing to write a request for edgepool.plant.test (${usage}) whose ${parts} would be incomplete or guessed`);
      expect(stderr).toContain(`add ${field} to that pool in the snapshot`);
      expect(stderr).not.toMatch(/^\s+at /m);
    });
  }

  it('--output DIR: no file is written when one certificate is not fully known', async () => {
    const out = join(work, 'refused');
    const { code } = await cli([...edge, '--format', 'certreq', '--output', out]);
    expect(code).toBe(2);
    expect(existsSync(join(out, 'edgepool.plant.test.edge-internal.inf'))).toBe(false);
  });
});

describe('sfb-certlint requirements: bad usage exits 2 with a message, never a stack trace', () => {
  for (const [args, message] of [
    [['requirements', 'examples/contoso', '--pool', 'nopool.contoso.com'], /no pool nopool\.contoso\.com in the snapshot/],
    [['requirements', 'examples/contoso', '--pool', 'pool01.contoso.com', '--server', 'fe01.contoso.com'], /give --pool FQDN or --server FQDN \(one of them\)/],
    [['requirements', 'examples/contoso', '--pool', 'edgepool.contoso.com', '--usage', 'Default'], /Default is not a usage of an Edge pool/],
    [['requirements', 'examples/contoso', '--pool', 'pool01.contoso.com', '--usage', 'Bogus'], /--usage Bogus: not a certificate usage/],
    [['requirements', 'examples/contoso', '--pool', 'pool01.contoso.com', '--format', 'certreq'], /4 certificates to request .*give --output DIR/],
    [['requirements', 'examples/contoso', '--pool', 'pool01.contoso.com', '--format', 'xml'], /unknown format 'xml'/],
  ] as const) {
    it(args.slice(2).join(' '), async () => {
      const { code, stderr } = await cli([...args]);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/^\s+at /m);
    });
  }

  it('a snapshot whose .pfx password is not set: the error names the variable', async () => {
    const { code, stderr } = await cli(['requirements', 'examples/contoso', '--pool', 'pool01.contoso.com'], {});
    expect(code).toBe(2);
    expect(stderr).toContain('CONTOSO_PFX_PASSWORD');
  });
});

describe('docs/pre-deployment.md', () => {
  it("gives Import-CsCertificate's -Password a String, as Microsoft's reference types it (Import-CsCertificate: -Password <String>)", () => {
    const page = readFileSync(join(ROOT, 'docs/pre-deployment.md'), 'utf8');
    const imports = page.split('\n').filter((line) => /^\s*Import-CsCertificate\b.*-Password\b/.test(line));
    expect(imports.length).toBeGreaterThan(0);
    for (const line of imports) expect(line).toMatch(/-Password "[^"]+"/);
    expect(page).not.toMatch(/Import-CsCertificate[^\n]*AsSecureString/);
  });
});
