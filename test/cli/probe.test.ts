import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED, NOW, PLANTED, SNAPSHOT, startPlanted, type Planted, type PlantedEndpoint } from '../probe/planted.js';
import { THUMBPRINTS } from '../probe/servers.js';

// The real command, as CI runs it (test/global-setup.ts builds dist/ first). Run asynchronously: the
// loopback servers it probes live in this process, and must keep answering while it runs.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/sfb-certlint.js');
const run = promisify(execFile);
const STACK = /^\s+at |\.[jt]s:\d+:\d+/m;

let planted: Planted;
let work: string;
beforeAll(async () => {
  planted = await startPlanted();
  work = mkdtempSync(join(tmpdir(), 'sfb-certlint-probe-cli-'));
});
afterAll(async () => {
  await planted.close();
  rmSync(work, { recursive: true, force: true });
});

/**
 * `--endpoint` and `--connect-to` for the planted endpoints: every endpoint probed is one named, and
 * every one named is sent to 127.0.0.1, so the command connects to nothing else (and looks up no name).
 */
function plantedArgs(endpoints: PlantedEndpoint[] = Object.keys(PLANTED) as PlantedEndpoint[]): string[] {
  return endpoints.flatMap((e) => {
    const to = planted.connectTo[e];
    expect(to.host).toBe('127.0.0.1');
    return ['--endpoint', e, '--connect-to', `${e}=${to.host}:${to.port}`];
  });
}

async function probe(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'probe', ...args], { cwd: ROOT, env: { PATH: process.env.PATH }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failed = e as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const BASE = () => [SNAPSHOT, '--now', NOW, '--timeout', '1s', ...plantedArgs()];

describe('sfb-certlint probe: the planted differences, in every format', () => {
  it('json: exactly the planted findings; exit 1', async () => {
    const result = await probe([...BASE(), '--format', 'json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.findings.map((f: { server: string; ruleId: string; messageId: string; severity: string }) => `${f.server} ${f.ruleId}/${f.messageId} ${f.severity}`).sort()).toEqual(EXPECTED);
    expect(report.summary).toEqual({ errors: 4, warnings: 3, infos: 1, suppressed: 0 });
    // The snapshot as lint reads it: the same inputs entry.
    const linted = JSON.parse(await run(process.execPath, [BIN, 'lint', SNAPSHOT, '--format', 'json', '--now', NOW], { cwd: ROOT, env: { PATH: process.env.PATH } }).then((r) => r.stdout, (e: { stdout: string }) => e.stdout));
    expect(report.inputs).toEqual(linted.inputs);
    expect(report.inputs).toEqual([expect.objectContaining({ snapshot: SNAPSHOT, crlFiles: [], certificateFiles: expect.arrayContaining(['fixtures/probe/certs/fe01.cer']) })]);
    expect(report.rules.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(['probe-unreachable', 'probe-chain-incomplete', 'certificate-expiry', 'key-size']));
    expect(report.rules.find((r: { id: string }) => r.id === 'probe-unreachable').docsUrl).toBe('https://github.com/sfb-certlint/sfb-certlint/blob/main/docs/probe.md#probe-unreachable');
    // Nothing on stderr: it is not a terminal, so no progress.
    expect(result.stderr).toBe('');
  });

  it('sarif: the same findings, valid against the SARIF 2.1.0 schema', async () => {
    const result = await probe([...BASE(), '--format', 'sarif']);
    expect(result.code).toBe(1);
    const sarif = JSON.parse(result.stdout);
    const schema = JSON.parse(readFileSync(new URL('../../../shared/schemas/sarif-2.1.0.json', import.meta.url), 'utf8'));
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const results = sarif.runs[0].results as Array<{ ruleId: string; level: string; properties: { server: string; messageId: string } }>;
    const level = { error: 'error', warning: 'warning', info: 'note' } as Record<string, string>;
    expect(results.map((r) => `${r.properties.server} ${r.ruleId}/${r.properties.messageId} ${r.level}`).sort()).toEqual(
      EXPECTED.map((e) => e.replace(/ (\w+)$/, (_, s: string) => ` ${level[s]}`)).sort(),
    );
  });

  it('stylish: each finding under its pool and endpoint, and the summary', async () => {
    const result = await probe([...BASE(), '--no-color']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('fixtures/probe/snapshot.yaml');
    expect(result.stdout).toContain('pool01.contoso.com › fe01.contoso.com:4443');
    expect(result.stdout).toContain('edgepool-int.contoso.com › sip.contoso.com:5061');
    for (const line of EXPECTED) expect(result.stdout).toContain(line.split(' ')[1]!.split('/')[0]!);
    expect(result.stdout).toMatch(/✖ 8 problems \(4 errors, 3 warnings, 1 info\)\n\nEvaluated at 2026-06-01T00:00:00Z \(set by --now\), not at the current time\.\n$/);
    // The non-TLS answer's escape sequence reaches the terminal escaped.
    expect(result.stdout).not.toContain('\u001b[2J');
    expect(result.stdout).toContain('\\1B[2J');
  });
});

describe('sfb-certlint probe: evidence, saved chains, exit codes', () => {
  it('--evidence records every endpoint: when, where it connected, what was served, how it was judged', async () => {
    const evidencePath = join(work, 'evidence.json');
    const result = await probe([...BASE(), '--format', 'json', '--output', join(work, 'report.json'), '--evidence', evidencePath, '--save', join(work, 'served')]);
    expect(result.code).toBe(1);
    const evidence = JSON.parse(readFileSync(evidencePath, 'utf8'));
    expect(evidence).toMatchObject({ version: 1, evaluatedAt: '2026-06-01T00:00:00Z', snapshot: SNAPSHOT, timeoutMs: 1000 });
    expect(evidence.endpoints.map((e: { endpoint: string }) => e.endpoint).sort()).toEqual(Object.keys(PLANTED).sort());
    // Only loopback was ever connected to.
    for (const e of evidence.endpoints) {
      expect(e.connectTo).toMatch(/^127\.0\.0\.1:\d+$/);
      if (e.address !== null) expect(e.address).toBe('127.0.0.1');
    }
    const at = (endpoint: string) => evidence.endpoints.find((e: { endpoint: string }) => e.endpoint === endpoint);
    const fe01 = at('fe01.contoso.com:5061');
    expect(fe01).toMatchObject({
      serverName: 'fe01.contoso.com',
      exposure: 'internal',
      pool: 'pool01.contoso.com',
      servers: ['fe01.contoso.com'],
      failure: null,
      tls: { handshakeCompleted: true, clientCertificateRequested: false },
      savedAs: expect.stringMatching(/served\/fe01\.contoso\.com_5061\.pem$/),
      expected: { usage: 'Default', thumbprints: [THUMBPRINTS.fe01] },
      trust: { anchors: 'the Trusted Root stores of fe01.contoso.com', count: 1, profile: 'rfc5280' },
      validation: { valid: true, path: [THUMBPRINTS.fe01, THUMBPRINTS['internal-issuing'], THUMBPRINTS['internal-root']], trustAnchor: THUMBPRINTS['internal-root'], failure: null, missingIntermediate: null },
      nameCovered: true,
      findings: [],
    });
    expect(fe01.tls.version).toMatch(/^TLSv1\.[23]$/);
    // Each certificate whole, as served: the DER is the fixture's (openssl's) byte for byte.
    expect(fe01.chain.map((c: { thumbprint: string }) => c.thumbprint)).toEqual([THUMBPRINTS.fe01, THUMBPRINTS['internal-issuing']]);
    expect(fe01.chain[0].der).toBe(readFileSync(join(ROOT, 'fixtures/probe/certs/fe01.cer')).toString('base64'));
    expect(at('sip.contoso.com:5061').validation).toMatchObject({ missingIntermediate: THUMBPRINTS['public-issuing'] });
    expect(at('fe01.contoso.com:443').tls.clientCertificateRequested).toBe(true);
    expect(at('pool01.contoso.com:5061')).toMatchObject({ tls: null, chain: [], failure: { kind: 'timeout', connected: true }, findings: [{ ruleId: 'probe-unreachable', messageId: 'handshakeTimeout', severity: 'warning' }] });
    expect(at('pool01.contoso.com:5061').durationMs).toBeGreaterThanOrEqual(990);
    expect(at('webconf.contoso.com:443')).toMatchObject({ address: null, failure: { kind: 'refused', connected: false } });
    expect(JSON.parse(readFileSync(join(work, 'report.json'), 'utf8')).findings).toHaveLength(EXPECTED.length);
  });

  it('exit 0 for the clean endpoints, with nothing printed', async () => {
    const result = await probe([SNAPSHOT, '--now', NOW, ...plantedArgs(['fe01.contoso.com:5061', 'edge01.contoso.com:5061', 'sip.contoso.com:443'])]);
    // Nothing but the time judged at, since --now fixed it.
    expect(result).toEqual({ code: 0, stdout: '\nEvaluated at 2026-06-01T00:00:00Z (set by --now), not at the current time.\n', stderr: '' });
  });

  it('exit 2 for a usage error, never with a stack trace', async () => {
    // Each with a loopback endpoint, so that were an option accepted, nothing else would be probed.
    const loopback = plantedArgs(['webconf.contoso.com:443']);
    for (const args of [
      ['--endpoint', 'sip.contoso.com'],
      ['--endpoint', 'sip.contoso.com:443', '--connect-to', 'sip.contoso.com:443'],
      [SNAPSHOT, '--only', 'dmz', ...loopback],
      [SNAPSHOT, '--timeout', 'soon', ...loopback],
      [SNAPSHOT, '--concurrency', '0', ...loopback],
      [SNAPSHOT, '--format', 'xml', ...loopback],
      [SNAPSHOT, '--rule', 'san-coverage:off', ...loopback],
      [SNAPSHOT, '--connect-to', 'fe09.contoso.com:5061=127.0.0.1:1', ...loopback],
      [],
    ]) {
      const result = await probe(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^sfb-certlint: /);
      expect(result.stderr).not.toMatch(STACK);
    }
  });

  it('progress on stderr when it is a terminal: one line, rewritten, erased at the end', async () => {
    // In-process, with a stderr that says it is a terminal.
    const { main } = await import('../../src/cli/main.js');
    const stream = (isTTY: boolean) => {
      const s = Object.assign(new PassThrough(), { isTTY, text: '' });
      s.on('data', (chunk: Buffer) => (s.text += chunk.toString('utf8')));
      return s;
    };
    const stdout = stream(false);
    const stderr = stream(true);
    const code = await main(['probe', SNAPSHOT, '--now', NOW, ...plantedArgs(['fe01.contoso.com:5061', 'sip.contoso.com:443'])], { stdout, stderr, env: {}, cwd: ROOT });
    expect(code).toBe(0);
    expect(stderr.text).toBe('\rprobing: 1/2 endpoints\rprobing: 2/2 endpoints\r\u001b[K');
    expect(stdout.text).toBe('\nEvaluated at 2026-06-01T00:00:00Z (set by --now), not at the current time.\n');
  });

  it('--help: the options, the endpoints and examples', async () => {
    const result = await probe(['--help']);
    expect(result.code).toBe(0);
    for (const option of ['--only internal|external', '--endpoint HOST:PORT', '--connect-to HOST:PORT=ADDRESS:PORT', '--timeout', '--concurrency', '--save DIR', '--evidence FILE', 'Examples:']) {
      expect(result.stdout).toContain(option);
    }
  });
});
