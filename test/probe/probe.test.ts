import { copyFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/engine/types.js';
import { endpointKey } from '../../src/probe/endpoints.js';
import { probe, type ProbeRequest } from '../../src/probe/run.js';
import { exitCode } from '../../src/engine/lint.js';
import { EXPECTED, NOW, PLANTED, SNAPSHOT, startPlanted, type Planted, type PlantedEndpoint } from './planted.js';
import { cannedServer, loopbackOnly, THUMBPRINTS, tlsServer, type TestServer } from './servers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let planted: Planted;
const extra: TestServer[] = [];
let work: string;

beforeAll(async () => {
  planted = await startPlanted();
  work = mkdtempSync(join(tmpdir(), 'sfb-certlint-probe-'));
});
afterAll(async () => {
  await planted.close();
  for (const server of extra) await server.close();
  rmSync(work, { recursive: true, force: true });
});

/** Probes the planted endpoints named (all by default), every one pointed at its loopback server. */
function probePlanted(endpoints: PlantedEndpoint[] = Object.keys(PLANTED) as PlantedEndpoint[], request: Partial<ProbeRequest> = {}) {
  return probe({
    snapshot: SNAPSHOT,
    cwd: ROOT,
    env: {},
    now: new Date(NOW),
    timeoutMs: 1000,
    endpoints: endpoints.map((e) => ({ host: e.slice(0, e.lastIndexOf(':')), port: Number(e.slice(e.lastIndexOf(':') + 1)) })),
    connectTo: endpoints.map((e) => ({ from: e, to: planted.connectTo[e] })),
    allowAddress: loopbackOnly,
    ...request,
  });
}

const found = (findings: Finding[]) => findings.map((f) => `${f.server} ${f.ruleId}/${f.messageId} ${f.severity}`).sort();

describe('probe against the planted endpoints', () => {
  it('reports exactly the planted differences, and nothing of the clean endpoints', async () => {
    const run = await probePlanted();
    expect(found(run.report.findings)).toEqual(EXPECTED);
    expect(run.report.inputErrors).toEqual([]);
    expect(run.report.ruleFailures).toEqual([]);
    expect(exitCode(run.report)).toBe(1);
  });

  it('says what each difference is, in words an administrator acts on', async () => {
    const { report } = await probePlanted();
    const message = (endpoint: string) => report.findings.find((f) => f.server === endpoint)!.message;
    expect(message('fe01.contoso.com:4443')).toBe(
      `fe01.contoso.com:4443 (external web services as the reverse proxy reaches them) serves "CN=pool01.contoso.com, O=Contoso, C=US" (${THUMBPRINTS['fe01-previous']}), not the WebServicesExternal certificate the snapshot assigns there (${THUMBPRINTS.fe01}): a service not restarted since Set-CsCertificate, or a load balancer or reverse proxy serving a certificate of its own.`,
    );
    expect(message('sip.contoso.com:5061')).toMatch(/^sip\.contoso\.com:5061 \(Access Edge for federation\) does not send the intermediate CA "CN=Northwind Probe TLS CA, O=Northwind Trust": .* cannot build the path to "CN=Northwind Probe Root CA, O=Northwind Trust"/);
    expect(message('fe02.contoso.com:5061')).toBe(
      'fe02.contoso.com:5061 (SIP over TLS) serves a certificate that does not cover fe02.contoso.com, the name clients ask for there; it names pool01.contoso.com, webext.contoso.com, meet.contoso.com, dialin.contoso.com, admin.contoso.com.',
    );
    const fe03 = THUMBPRINTS.fe03;
    expect(message('fe03.contoso.com:5061')).toMatch(new RegExp(`^The certificate ${fe03.slice(0, 4)}…${fe03.slice(-3)} \\(CN=pool01\\.contoso\\.com\\) expired 2002-01-01T00:00:00Z: renew it`));
    // The server the probe met is the one --connect-to named, not the endpoint's own address.
    expect(message('pool01.contoso.com:5061')).toMatch(/^No TLS handshake with pool01\.contoso\.com:5061 \(SIP over TLS by the pool name\): the server at 127\.0\.0\.1:\d+ accepted the connection but did not answer the handshake within 1 s\.$/);
  });

  it('places each finding on its endpoint, in its pool, at the snapshot line that declares it, with the certificate concerned', async () => {
    const { report } = await probePlanted(['fe01.contoso.com:4443', 'sip.contoso.com:5061']);
    const text = readFileSync(join(ROOT, SNAPSHOT), 'utf8').split('\n');
    const [edge, fe01] = report.findings;
    expect(fe01).toMatchObject({ pool: 'pool01.contoso.com', server: 'fe01.contoso.com:4443', usage: 'WebServicesExternal', thumbprint: THUMBPRINTS['fe01-previous'] });
    expect(fe01!.locations).toEqual([{ path: SNAPSHOT, line: expect.any(Number), column: expect.any(Number), kind: 'snapshot' }]);
    expect(text[fe01!.locations[0]!.line! - 1]!.trim()).toBe('- usage: WebServicesExternal');
    // The Access Edge's external certificate may be assigned as External: the finding names that usage.
    expect(edge).toMatchObject({ pool: 'edgepool-int.contoso.com', server: 'sip.contoso.com:5061', usage: 'External', thumbprint: THUMBPRINTS['public-issuing'] });
  });

  it('judges the clean endpoints clean: the assigned certificate, a complete chain to the trusted root, the name covered', async () => {
    const clean: PlantedEndpoint[] = ['fe01.contoso.com:5061', 'edge01.contoso.com:5061', 'sip.contoso.com:443'];
    const run = await probePlanted(clean);
    expect(run.report.findings).toEqual([]);
    expect(exitCode(run.report)).toBe(0);
    for (const probed of run.endpoints) {
      expect(probed.validation?.valid, endpointKey(probed.endpoint)).toBe(true);
      expect(probed.nameCovered).toBe(true);
      expect(probed.expected).toContain(probed.leaf!.facts.thumbprint);
    }
    const [fe01, edge01, sip] = run.endpoints;
    expect(fe01!.validation!.path.map((c) => c.facts.thumbprint)).toEqual([THUMBPRINTS.fe01, THUMBPRINTS['internal-issuing'], THUMBPRINTS['internal-root']]);
    // The Edge internal certificate has no SAN: its CN covers the Edge pool's internal FQDN, which the Front Ends ask for.
    expect(edge01!.endpoint.name).toBe('edgepool-int.contoso.com');
    // Outside: the public roots (here, the configuration adds the fixture's), in the Web PKI profile.
    expect(sip!.trust).toBe('the public roots');
    expect(sip!.validation!.trustAnchor?.facts.thumbprint).toBe(THUMBPRINTS['public-root']);
  });
});

describe('what the probe judges, one thing at a time', () => {
  it('a chain of another PKI is untrusted inside: the servers do not trust its root', async () => {
    const server = await tlsServer('edge-external');
    extra.push(server);
    const run = await probePlanted(['fe01.contoso.com:5061'], { connectTo: [{ from: 'fe01.contoso.com:5061', to: { host: '127.0.0.1', port: server.port } }] });
    expect(found(run.report.findings)).toEqual([
      'fe01.contoso.com:5061 probe-chain-invalid/untrusted error',
      'fe01.contoso.com:5061 probe-name-mismatch/mismatch error',
      'fe01.contoso.com:5061 probe-unexpected-certificate/other error',
    ]);
    expect(run.report.findings.find((f) => f.ruleId === 'probe-chain-invalid')!.message).toMatch(/leads to none of the Trusted Root stores of fe01\.contoso\.com: no certificate for CN=Northwind Probe Root CA/);
  });

  it('an expired leaf is one finding; with certificate-expiry off, the chain rule reports the expiry instead', async () => {
    expect(found((await probePlanted(['fe03.contoso.com:5061'])).report.findings)).toEqual(['fe03.contoso.com:5061 certificate-expiry/expired error']);
    const off = await probePlanted(['fe03.contoso.com:5061'], { ruleSettings: { 'certificate-expiry': 'off' } });
    expect(found(off.report.findings)).toEqual(['fe03.contoso.com:5061 probe-chain-invalid/invalid error']);
    expect(off.report.findings[0]!.message).toMatch(/expired 2002-01-01T00:00:00Z \(expired\)\.$/);
  });

  it('a server asking for a client certificate on a SIP port is normal (MTLS between servers)', async () => {
    const server = await tlsServer('fe01', { requestCert: true, rejectUnauthorized: false });
    extra.push(server);
    const run = await probePlanted(['fe01.contoso.com:5061'], { connectTo: [{ from: 'fe01.contoso.com:5061', to: { host: '127.0.0.1', port: server.port } }] });
    expect(run.endpoints[0]!.handshake.tls?.clientCertificateRequested).toBe(true);
    expect(run.report.findings).toEqual([]);
  });

  it('a web endpoint that refuses clients without a certificate is an error', async () => {
    const server = await tlsServer('fe01', { maxVersion: 'TLSv1.2', requestCert: true, rejectUnauthorized: true });
    extra.push(server);
    const run = await probePlanted(['fe01.contoso.com:443'], { connectTo: [{ from: 'fe01.contoso.com:443', to: { host: '127.0.0.1', port: server.port } }] });
    expect(found(run.report.findings)).toEqual(['fe01.contoso.com:443 probe-client-certificate-requested/refused error']);
  });

  it('a certificate that cannot be read is recorded, and reported; the readable ones are judged', async () => {
    const fe01 = readFileSync(join(ROOT, 'fixtures/probe/certs/fe01.cer'));
    const garbage = Buffer.from('30820100not a certificate at all');
    for (const [chain, expected] of [
      [[garbage], ['fe01.contoso.com:5061 probe-chain-invalid/unreadable error']],
      // The leaf is judged: it is fe01's, and the intermediate it needs is not among what was sent.
      [[fe01, garbage], ['fe01.contoso.com:5061 probe-chain-incomplete/missing error', 'fe01.contoso.com:5061 probe-chain-invalid/unreadable error']],
      // However many cannot be read, one finding says so.
      [[fe01, garbage, garbage, garbage], ['fe01.contoso.com:5061 probe-chain-incomplete/missing error', 'fe01.contoso.com:5061 probe-chain-invalid/unreadable error']],
    ] as const) {
      const server = await cannedServer([...chain]);
      extra.push(server);
      const run = await probePlanted(['fe01.contoso.com:5061'], { connectTo: [{ from: 'fe01.contoso.com:5061', to: { host: '127.0.0.1', port: server.port } }] });
      expect(run.endpoints[0]!.handshake.certificates.map((c) => Buffer.from(c).toString('hex'))).toEqual(chain.map((c) => c.toString('hex')));
      expect(run.endpoints[0]!.handshake.tls).toMatchObject({ version: 'TLSv1.2', completed: false });
      expect(found(run.report.findings)).toEqual(expected);
      const unreadable = run.report.findings.find((f) => f.messageId === 'unreadable')!.message;
      expect(unreadable).toContain(chain.length === 1 ? '(number 1 of the chain)' : `(number 2 of the chain${chain.length > 2 ? `, and ${chain.length - 2} more` : ''})`);
    }
  });

  it('an internal endpoint whose servers have no Trusted Root store in the snapshot: not validated, and said so', async () => {
    const dir = mkdtempSync(join(work, 'no-roots-'));
    cpSync(join(ROOT, 'fixtures/probe/certs'), join(dir, 'certs'), { recursive: true });
    const text = readFileSync(join(ROOT, SNAPSHOT), 'utf8').replace(/ {10}root:\n {12}- thumbprint: \w+ # Contoso Probe Root CA\n(?= {10}intermediate:)/g, '');
    writeFileSync(join(dir, 'snapshot.yaml'), text);
    const run = await probePlanted(['fe01.contoso.com:5061'], { snapshot: join(dir, 'snapshot.yaml') });
    expect(run.report.inputErrors).toEqual([]);
    expect(run.endpoints[0]!.anchors).toEqual([]);
    expect(found(run.report.findings)).toEqual(['fe01.contoso.com:5061 probe-chain-invalid/notValidated info']);
  });

  it('unreachable endpoints are warnings: exit 0 unless --max-warnings says otherwise; --rule makes them errors', async () => {
    const run = await probePlanted(['webconf.contoso.com:443']);
    expect(exitCode(run.report)).toBe(0);
    expect(exitCode(run.report, 0)).toBe(1);
    const strict = await probePlanted(['webconf.contoso.com:443'], { ruleSettings: { 'probe-unreachable': 'error' } });
    expect(found(strict.report.findings)).toEqual(['webconf.contoso.com:443 probe-unreachable/refused error']);
  });

  it('--only keeps the endpoints reached from inside, or from outside', async () => {
    const inside = await probePlanted(undefined, { only: 'internal' });
    expect(inside.endpoints.map((e) => e.endpoint.exposure)).not.toContain('external');
    expect(inside.endpoints.map((e) => endpointKey(e.endpoint))).toContain('fe01.contoso.com:5061');
    const outside = await probePlanted(undefined, { only: 'external' });
    expect(outside.endpoints.map((e) => endpointKey(e.endpoint)).sort()).toEqual(['sip.contoso.com:443', 'sip.contoso.com:5061', 'webconf.contoso.com:443']);
  });

  it('without a snapshot: --endpoint alone, judged against the public roots (which the configuration may extend)', async () => {
    // A configuration names files inside its own folder (confinement): the root beside it.
    const config = join(work, 'public-roots.yaml');
    copyFileSync(join(ROOT, 'fixtures/probe/certs/public-root.cer'), join(work, 'public-root.cer'));
    writeFileSync(config, 'publicRoots:\n  add:\n    - public-root.cer\n');
    const request = { snapshot: undefined, endpoints: [{ host: 'sip.contoso.com', port: 443 }], connectTo: [{ from: 'sip.contoso.com:443', to: planted.connectTo['sip.contoso.com:443'] }] };
    const withRoot = await probePlanted(undefined, { ...request, configPath: config });
    expect(withRoot.report.findings).toEqual([]);
    expect(withRoot.endpoints[0]!.endpoint.location).toEqual({ path: '--endpoint' });
    const bundledOnly = await probePlanted(undefined, { ...request, cwd: work });
    expect(found(bundledOnly.report.findings)).toEqual(['sip.contoso.com:443 probe-chain-invalid/untrusted error']);
    // No pool: the command line names an endpoint, not a pool.
    expect(bundledOnly.report.findings[0]!.pool).toBeUndefined();
    expect(bundledOnly.report.findings[0]!.locations).toEqual([{ path: '--endpoint', kind: 'snapshot' }]);
  });

  it('a suppression in the configuration marks its finding; one for a lint rule is not reported as stale', async () => {
    const dir = mkdtempSync(join(work, 'suppress-'));
    const config = join(dir, 'config.yaml');
    copyFileSync(join(ROOT, 'fixtures/probe/certs/public-root.cer'), join(dir, 'public-root.cer'));
    writeFileSync(
      config,
      [
        'publicRoots:',
        '  add:',
        '    - public-root.cer',
        'suppressions:',
        '  - rule: probe-unreachable',
        '    server: webconf.contoso.com:443',
        '    reason: The Web Conferencing Edge is not yet published.',
        '  - rule: san-coverage',
        '    server: fe01.contoso.com',
        '    reason: A lint finding, not the probe\'s.',
        '',
      ].join('\n'),
    );
    const run = await probePlanted(['webconf.contoso.com:443', 'sip.contoso.com:443'], { configPath: config });
    expect(run.report.findings.map((f) => [f.ruleId, f.suppression?.reason])).toEqual([['probe-unreachable', 'The Web Conferencing Edge is not yet published.']]);
    expect(run.report.unusedSuppressions).toEqual([]);
  });

  it('--save writes each served chain as PEM, in the order served, as openssl wrote it', async () => {
    const folder = join(work, 'served');
    const run = await probePlanted(['fe01.contoso.com:5061', 'sip.contoso.com:5061', 'webconf.contoso.com:443'], { saveDir: folder });
    expect(readdirSync(folder).sort()).toEqual(['fe01.contoso.com_5061.pem', 'sip.contoso.com_5061.pem']);
    expect(readFileSync(join(folder, 'fe01.contoso.com_5061.pem'), 'utf8')).toBe(readFileSync(join(ROOT, 'fixtures/probe/tls/fe01.chain.pem'), 'utf8'));
    expect(readFileSync(join(folder, 'sip.contoso.com_5061.pem'), 'utf8')).toBe(readFileSync(join(ROOT, 'fixtures/probe/tls/edge-external.pem'), 'utf8'));
    // Findings about a served certificate point at the file it was saved to.
    const incomplete = run.report.findings.find((f) => f.ruleId === 'probe-chain-incomplete')!;
    expect(incomplete.locations.map((l) => l.kind)).toEqual(['snapshot']);
    const saved = await probePlanted(['fe01.contoso.com:4443'], { saveDir: folder });
    expect(saved.report.findings[0]!.locations[1]).toEqual({ path: expect.stringMatching(/served\/fe01\.contoso\.com_4443\.pem$/), kind: 'certificate' });
  });

  it('probes at most --concurrency endpoints at once, and every one', async () => {
    let open = 0;
    let most = 0;
    const { createServer } = await import('node:net');
    const server = createServer((socket) => {
      most = Math.max(most, ++open);
      socket.on('close', () => open--);
      setTimeout(() => socket.destroy(), 150);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const endpoints = ['fe01', 'fe02', 'fe03'].flatMap((s) => [5061, 443, 4443].map((p) => `${s}.contoso.com:${p}`));
      const run = await probe({ snapshot: SNAPSHOT, cwd: ROOT, env: {}, now: new Date(NOW), timeoutMs: 5000, concurrency: 2, endpoints: endpoints.map((e) => ({ host: e.split(':')[0]!, port: Number(e.split(':')[1]) })), connectTo: endpoints.map((from) => ({ from, to: { host: '127.0.0.1', port } })), allowAddress: loopbackOnly });
      expect(run.endpoints).toHaveLength(9);
      expect(most).toBe(2);
    } finally {
      server.close();
    }
  });

  it('refuses a --connect-to that names no endpoint probed, and a --rule the probe does not run', async () => {
    await expect(probePlanted(['fe01.contoso.com:5061'], { connectTo: [{ from: 'fe09.contoso.com:5061', to: { host: '127.0.0.1', port: 1 } }] })).rejects.toThrow(/--connect-to fe09\.contoso\.com:5061: no endpoint/);
    await expect(probePlanted(['fe01.contoso.com:5061'], { ruleSettings: { 'san-coverage': 'off' } })).rejects.toThrow(/--rule san-coverage: not a rule this command runs \(it runs key-size, .*probe-unreachable\)/);
  });

  it('an unreadable snapshot is an input error (exit 2), and nothing is probed', async () => {
    const broken = join(work, 'broken.yaml');
    writeFileSync(broken, 'version: 1\npools: [\n');
    const run = await probePlanted(['fe01.contoso.com:5061'], { snapshot: broken, connectTo: [] });
    expect(run.report.inputErrors.length).toBeGreaterThan(0);
    expect(run.endpoints).toEqual([]);
    expect(exitCode(run.report)).toBe(2);
  });
});
