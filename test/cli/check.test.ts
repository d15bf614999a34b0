import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { formatCheck } from '../../src/report/requirements-check.js';
import { check as checkCertificate } from '../../src/requirements/check.js';
import { PASSWORD, PREDEPLOY } from '../requirements/helpers.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// Runs from fixtures/predeploy: its contoso/ is examples/contoso with the fixtures' CAs trusted (README there).
const NOW = '2026-06-01T00:00:00Z';
const work = mkdtempSync(join(tmpdir(), 'sfb-certlint-check-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function cli(args: string[], env: NodeJS.ProcessEnv = PASSWORD) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => new Writable({ write: (chunk, _encoding, done) => (append(String(chunk)), done()) });
  const io: CliIo = { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), env, cwd: PREDEPLOY };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  server: string | null;
  usage: string | null;
  category: 'candidate' | 'elsewhere';
  places?: Array<{ server?: string }>;
}
interface JsonCheck {
  findings: JsonFinding[];
  summary: { errors: number; warnings: number };
  check: { kind: string; verdict: string; candidates: Array<{ file: string; assigned: Array<{ server: string; usages: string[] }>; pending?: string }>; fixed: JsonFinding[]; notes: string[] };
}

/** The JSON report's schema, which check's report follows too (its `check` and `category` are marked as its own). */
const validReport = (() => {
  const schema = (name: string) => JSON.parse(readFileSync(new URL(`../../schema/${name}`, import.meta.url), 'utf8'));
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats.default(ajv);
  ajv.addSchema(schema('inspect-output.schema.json'));
  return ajv.compile(schema('lint-report.schema.json'));
})();

/** `check ... --format json`, with its exit code; the report valid against schema/lint-report.schema.json. */
async function check(...args: string[]): Promise<{ code: number; report: JsonCheck }> {
  const { code, stdout, stderr } = await cli(['check', ...args, '--snapshot', 'contoso', '--now', NOW, '--format', 'json']);
  expect(stderr).toBe('');
  const report = JSON.parse(stdout) as JsonCheck;
  expect(validReport(report) ? [] : validReport.errors).toEqual([]);
  return { code, report };
}
const errors = (r: JsonCheck) => r.findings.filter((f) => f.severity === 'error');

// The verdicts below are Microsoft's: a Front End's Default certificate names the pool and that server
// (Certificate requirements for internal servers); the Access Edge external certificate names the Access
// Edge FQDN, the Web Conferencing Edge FQDN and sip.<domain> for every SIP domain (Plan for Edge Server
// certificates); the OAuthTokenIssuer certificate is the same everywhere, names a SIP domain and has a key
// of at least 2048 bits (JJ205253).
describe("check a certificate: a Front End's Default certificate", () => {
  it('the pool and fe01 in its SAN, from a CA the servers trust: it fits (exit 0)', async () => {
    const { code, report } = await check('candidates/fe01-default-good.cer', '--server', 'fe01.contoso.com', '--usage', 'Default');
    expect(code).toBe(0);
    expect(report.check.verdict).toBe('fits');
    expect(report.findings).toEqual([]);
    expect(report.check.candidates[0]!.assigned).toEqual([{ pool: 'pool01.contoso.com', server: 'fe01.contoso.com', usages: ['Default'] }]);
  });

  it("without fe01.contoso.com: it would break (exit 1), and says the server's name is missing", async () => {
    const { code, report } = await check('candidates/fe01-default-bad.cer', '--server', 'fe01.contoso.com', '--usage', 'Default');
    expect(code).toBe(1);
    expect(errors(report)).toMatchObject([{ ruleId: 'san-coverage', server: 'fe01.contoso.com', usage: 'Default', category: 'candidate', message: expect.stringContaining('fe01.contoso.com') }]);
  });

  it("the pool's three certificates at once: each server gets the one that names it", async () => {
    const { code, report } = await check('candidates/fe01-default-good.cer', 'candidates/fe02-default-good.cer', 'candidates/fe03-default-good.cer', '--pool', 'pool01.contoso.com', '--usage', 'Default');
    expect(code).toBe(0);
    expect(report.check.candidates.map((c) => [c.file, c.assigned.map((a) => a.server)])).toEqual([
      ['candidates/fe01-default-good.cer', ['fe01.contoso.com']],
      ['candidates/fe02-default-good.cer', ['fe02.contoso.com']],
      ['candidates/fe03-default-good.cer', ['fe03.contoso.com']],
    ]);
  });

  it('two of the three for three usages: one note for the server no candidate names, not one per usage', async () => {
    const { report } = await check('candidates/fe01-default-good.cer', 'candidates/fe02-default-good.cer', '--pool', 'pool01.contoso.com', '--usage', 'Default,WebServicesInternal,WebServicesExternal');
    expect(report.check.notes).toEqual(['no candidate names fe03.contoso.com: its Default, WebServicesInternal, WebServicesExternal certificate is left as it is']);
  });

  it("one server's certificate for the whole pool: the other servers' names are missing", async () => {
    const { code, report } = await check('candidates/fe01-default-good.cer', '--pool', 'pool01.contoso.com', '--usage', 'Default');
    expect(code).toBe(1);
    expect(errors(report).map((f) => f.server).sort()).toEqual(['fe02.contoso.com', 'fe03.contoso.com']);
  });
});

describe("check a certificate: the Edge pool's external certificate", () => {
  const usage = ['--usage', 'AccessEdgeExternal,DataEdgeExternal'];

  it('from the public CA, as a .pfx with its chain and key, on every Edge of the pool: it fits', async () => {
    const { code, report } = await check('candidates/edge-external-good.pfx', '--password-env', 'CONTOSO_PFX_PASSWORD', '--pool', 'edgepool.contoso.com', ...usage);
    expect(code).toBe(0);
    expect(report.check.candidates[0]!.assigned.map((a) => a.server)).toEqual(['edge01.contoso.com', 'edge02.contoso.com']);
  });

  it('as a .cer: its issuing CA must come from somewhere (--chain)', async () => {
    const bare = await check('candidates/edge-external-good.cer', '--pool', 'edgepool.contoso.com', ...usage);
    expect(bare.code).toBe(1);
    expect(errors(bare.report).some((f) => f.ruleId === 'trusted-root-present' && f.message.includes('Tailspin Trust TLS CA'))).toBe(true);
    const chained = await check('candidates/edge-external-good.cer', '--chain', 'pki/tailspin-chain.p7b', '--pool', 'edgepool.contoso.com', ...usage);
    expect(chained.code).toBe(0);
  });

  it('on one Edge only: the change breaks the pool, one finding for the pool naming both Edges', async () => {
    const { code, report } = await check('candidates/edge-external-good.pfx', '--password-env', 'CONTOSO_PFX_PASSWORD', '--server', 'edge01.contoso.com', ...usage);
    expect(code).toBe(1);
    const pool = errors(report).filter((f) => f.ruleId === 'edge-pool-same-certificate');
    // One for each usage the candidate took.
    expect(pool.map((f) => [f.usage, f.server, f.category, f.places?.map((p) => p.server)])).toEqual(
      ['AccessEdgeExternal', 'DataEdgeExternal'].map((u) => [u, 'edge01.contoso.com', 'candidate', ['edge01.contoso.com', 'edge02.contoso.com']]),
    );
  });

  it('without the Web Conferencing Edge FQDN and sip.fabrikam.com: it would break, naming both', async () => {
    const { code, report } = await check('candidates/edge-external-bad.cer', '--pool', 'edgepool.contoso.com', ...usage);
    expect(code).toBe(1);
    const messages = report.findings.filter((f) => f.server === 'edge01.contoso.com').map((f) => f.message);
    expect(messages.some((m) => m.includes('webconf.contoso.com'))).toBe(true);
    expect(messages.some((m) => m.includes('sip.fabrikam.com'))).toBe(true);
    expect(errors(report).every((f) => f.category === 'candidate')).toBe(true);
  });
});

describe('check a certificate: the OAuthTokenIssuer certificate, global', () => {
  it('CN=contoso.com, 2048 bits, on every Front End and Director: it fits, and fixes the example\'s two OAuth faults', async () => {
    const { code, report } = await check('candidates/oauth-good.cer', '--pool', 'pool01.contoso.com', '--usage', 'OAuthTokenIssuer');
    expect(code).toBe(0);
    expect(report.check.candidates[0]!.assigned.map((a) => a.server)).toEqual(['fe01.contoso.com', 'fe02.contoso.com', 'fe03.contoso.com', 'dir01.contoso.com']);
    expect(report.check.fixed.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['oauth-same-certificate', 'sip-domain-in-subject']));
  });

  it('a 1024-bit key: it would break', async () => {
    const { code, report } = await check('candidates/oauth-bad.cer', '--server', 'dir01.contoso.com', '--usage', 'OAuthTokenIssuer');
    expect(code).toBe(1);
    expect(errors(report).length).toBeGreaterThan(0);
    expect(errors(report).every((f) => f.ruleId === 'key-size' && f.message.includes('1024-bit') && f.category === 'candidate')).toBe(true);
  });

  it('an ECDH P-256 key: it would break, as requirements asks a CSP and an EC key exists only in CNG, which Lync Server 2013 cannot use', async () => {
    const { code, report } = await check('candidates/oauth-ec.cer', '--pool', 'pool01.contoso.com', '--usage', 'OAuthTokenIssuer');
    expect(code).toBe(1);
    const cng = errors(report).filter((f) => f.ruleId === 'cng-key-provider');
    // One per server that holds the global certificate: the pool's three Front Ends and the Director.
    expect(cng.map((f) => f.server).sort()).toEqual(['dir01.contoso.com', 'fe01.contoso.com', 'fe02.contoso.com', 'fe03.contoso.com']);
    expect(cng.every((f) => f.category === 'candidate')).toBe(true);
    expect(report.check.notes).toEqual([expect.stringMatching(/has an EC key \(P-256\), which exists only in a CNG Key Storage Provider/)]);
    const request = await check('requests/oauth-ec.csr', '--pool', 'pool01.contoso.com', '--usage', 'OAuthTokenIssuer');
    expect(request.code).toBe(1);
    expect(errors(request.report).map((f) => f.ruleId)).toEqual(['request/key']);
  });

  it('a staged roll must take effect 24 hours before the current certificate expires (2049-12-31T23:59:59Z)', async () => {
    const late = await check('candidates/oauth-good.cer', '--pool', 'pool01.contoso.com', '--usage', 'OAuthTokenIssuer', '--effective-date', '2049-12-31T12:00:00Z');
    expect(late.code).toBe(1);
    expect(late.report.findings.filter((f) => /only (11\.\d|12) hours before the current certificate expires/.test(f.message)).length).toBeGreaterThan(0);
    const early = await check('candidates/oauth-good.cer', '--pool', 'pool01.contoso.com', '--usage', 'OAuthTokenIssuer', '--effective-date', '2049-12-01T00:00:00Z');
    expect(early.report.findings.filter((f) => f.message.includes('hours before the current certificate expires'))).toEqual([]);
    expect(early.report.check.candidates[0]!.assigned[0]).toMatchObject({ effectiveDate: '2049-12-01T00:00:00Z' });
  });
});

describe('check a request', () => {
  const verdict = async (file: string, ...args: string[]) => {
    const { code, report } = await check(file, ...args);
    expect(report.check.kind).toBe('request');
    return { code, faults: report.findings.map((f) => `${f.severity} ${f.ruleId}: ${f.message}`), report };
  };

  it("a Front End's Default request: good fits, without the server's FQDN breaks", async () => {
    expect(await verdict('requests/fe01-default-good.csr', '--server', 'fe01.contoso.com', '--usage', 'Default')).toMatchObject({ code: 0, faults: [] });
    const bad = await verdict('requests/fe01-default-bad.csr', '--server', 'fe01.contoso.com', '--usage', 'Default');
    expect(bad).toMatchObject({ code: 1, faults: ["error request/names: Add SAN fe01.contoso.com; it is this server's FQDN, which other servers connect to."] });
  });

  it("the Edge external request: good fits, without sip.fabrikam.com breaks and says why", async () => {
    const args = ['--pool', 'edgepool.contoso.com', '--usage', 'AccessEdgeExternal,DataEdgeExternal,AudioVideoAuthentication'];
    expect(await verdict('requests/edge-external-good.csr', ...args)).toMatchObject({ code: 0, faults: [] });
    const bad = await verdict('requests/edge-external-bad.csr', ...args);
    expect(bad.code).toBe(1);
    expect(bad.faults).toEqual(['error request/names: Add SAN sip.fabrikam.com; fabrikam.com is a SIP domain of this deployment, and remote clients and federated partners connect to sip.fabrikam.com.']);
    expect(bad.report.check.candidates[0]!.pending).toContain('that a public CA issued it');
  });

  it('the OAuth request: 2048 bits fits, 1024 breaks', async () => {
    expect(await verdict('requests/oauth-good.csr', '--pool', 'pool01.contoso.com', '--usage', 'OAuthTokenIssuer')).toMatchObject({ code: 0, faults: [] });
    const bad = await verdict('requests/oauth-bad.csr', '--pool', 'pool01.contoso.com', '--usage', 'OAuthTokenIssuer');
    expect(bad.code).toBe(1);
    expect(bad.faults).toEqual([expect.stringMatching(/^error request\/key: The request has a 1024-bit RSA key; the OAuthTokenIssuer certificate needs at least 2048 bits/)]);
  });

  it("the report's inputs are lint's for the same snapshot: its name, configuration, certificate files and pool roles, not the request", async () => {
    const { report } = await verdict('requests/fe01-default-good.csr', '--server', 'fe01.contoso.com', '--usage', 'Default');
    const linted = JSON.parse((await cli(['lint', 'contoso', '--now', NOW, '--format', 'json'])).stdout);
    const [input] = (report as unknown as { inputs: Array<Record<string, unknown>> }).inputs;
    expect(input).toEqual(linted.inputs[0]);
    // As fixtures/predeploy/contoso/snapshot.yaml declares them, and the configuration beside it.
    expect(input).toMatchObject({ name: "Contoso (with faults), also trusting the pre-deployment fixtures' CAs", configuration: 'contoso/sfb-certlint.config.yaml' });
    expect((input!.pools as Array<{ role: string }>).map((p) => p.role)).toEqual(['FrontEnd', 'Director', 'Edge', 'Mediation']);
    expect(input!.certificateFiles).not.toContain('requests/fe01-default-good.csr');
    expect(report.check.candidates[0]!.file).toBe('requests/fe01-default-good.csr');
  });

  it("certreq's request with a CNG provider breaks; with --pool, a per-server request is measured against the server it names", async () => {
    const cng = await verdict('requests/fe01-default-certreq-cng.req', '--pool', 'pool01.contoso.com', '--usage', 'Default');
    expect(cng.code).toBe(1);
    expect(cng.faults[0]).toMatch(/^error request\/provider: The request's key is in Microsoft Software Key Storage Provider/);
    expect(cng.report.check.candidates[0]!.assigned[0]!.server).toBe('fe01.contoso.com');
  });
});

describe('check: the three formats', () => {
  it('stylish: where the candidate goes, the findings, the fixes and one verdict line; nothing from files unescaped', async () => {
    const evil = join(work, 'evil\u001b[31m.cer');
    copyFileSync(join(PREDEPLOY, 'candidates/oauth-good.cer'), evil);
    const { code, stdout } = await cli(['check', evil, '--snapshot', 'contoso', '--pool', 'pool01.contoso.com', '--usage', 'OAuthTokenIssuer', '--now', NOW, '--no-color']);
    expect(code).toBe(0);
    expect(stdout).toContain('evil\\1B[31m.cer: CN=contoso.com');
    expect(stdout).not.toContain('\u001b');
    expect(stdout).toContain('  assigned to OAuthTokenIssuer on dir01.contoso.com (dirpool.contoso.com)');
    expect(stdout).toMatch(/Fixed by this change \(\d+\):/);
    expect(stdout).toMatch(/✔ It fits\. \d+ findings of the deployment as it is stay as they are \(lint lists them\)\.\n$/);
  });

  it('stylish: a finding the change causes is listed with every place it reaches', async () => {
    const { stdout } = await cli(['check', 'candidates/edge-external-good.pfx', '--password-env', 'CONTOSO_PFX_PASSWORD', '--snapshot', 'contoso', '--server', 'edge01.contoso.com', '--usage', 'AccessEdgeExternal', '--now', NOW]);
    expect(stdout).toMatch(/edgepool\.contoso\.com › edge01\.contoso\.com.*\n.*error  The Edge servers of this pool hold different/);
    expect(stdout).toMatch(/↳ \d+ +edge02\.contoso\.com: AccessEdgeExternal/);
    expect(stdout).toMatch(/✖ It would break: \d+ errors? about it or introduced by it\./);
  });

  it('stylish: a finding introduced elsewhere says so', async () => {
    const result = await checkCertificate({
      candidates: ['candidates/edge-external-good.pfx'],
      password: PASSWORD.CONTOSO_PFX_PASSWORD,
      snapshot: 'contoso',
      server: 'edge01.contoso.com',
      usages: ['AccessEdgeExternal'],
      cwd: PREDEPLOY,
      env: PASSWORD,
      now: new Date(NOW),
    });
    // None of the fixtures' candidates breaks a server it is not assigned to (the pool's disagreement
    // names the candidate's Edge): the category is set here, as check sets it for such a finding.
    const stylish = formatCheck({ ...result, categories: result.categories.map(() => 'elsewhere') }, 'stylish', { color: false });
    expect(stylish).toMatch(/edgepool\.contoso\.com › edge01\.contoso\.com.*\n.*error  Introduced by the change: /);
  });

  it('sarif: valid SARIF 2.1.0, each result new with its category, the verdict in the run', async () => {
    const { code, stdout } = await cli(['check', 'candidates/fe01-default-bad.cer', '--snapshot', 'contoso', '--server', 'fe01.contoso.com', '--usage', 'Default', '--now', NOW, '--format', 'sarif']);
    expect(code).toBe(1);
    const log = JSON.parse(stdout);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(new URL('../../../shared/schemas/sarif-2.1.0.json', import.meta.url), 'utf8')));
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0].results).toMatchObject([{ ruleId: 'san-coverage', baselineState: 'new', properties: { category: 'candidate' } }]);
    expect(log.runs[0].properties.check).toMatchObject({ kind: 'certificate', verdict: 'breaks' });
  });
});

describe('check: what it cannot check exits 2, with a message', () => {
  for (const [args, message] of [
    [['candidates/oauth-good.cer', 'requests/oauth-good.csr', '--pool', 'pool01.contoso.com', '--usage', 'OAuthTokenIssuer'], /give certificates or requests, not both/],
    [['candidates/oauth-good.cer', '--pool', 'pool01.contoso.com'], /check needs --usage/],
    [['candidates/oauth-good.cer', '--server', 'fe09.contoso.com', '--usage', 'OAuthTokenIssuer'], /no server fe09\.contoso\.com in the snapshot/],
    [['requests/oauth-good.csr', '--chain', 'pki/tailspin-chain.p7b', '--pool', 'pool01.contoso.com', '--usage', 'OAuthTokenIssuer'], /--chain is for certificates/],
    [['candidates/edge-external-good.pfx', '--pool', 'edgepool.contoso.com', '--usage', 'AccessEdgeExternal'], /password/i],
    [['candidates/no-such.cer', '--pool', 'pool01.contoso.com', '--usage', 'Default'], /file not found/],
    [['candidates/fe01-default-good.cer', '--pool', 'pool01.contoso.com', '--usage', 'Default', '--effective-date', '2030-01-01'], /stages a roll of OAuthTokenIssuer or AudioVideoAuthentication only/],
    // NOW is 2026-06-01: a roll dated before it would be judged as done already.
    [['candidates/oauth-good.cer', '--pool', 'pool01.contoso.com', '--usage', 'OAuthTokenIssuer', '--effective-date', '2026-03-01'], /--effective-date 2026-03-01T00:00:00Z is before the evaluation time 2026-06-01T00:00:00Z/],
    [['requests/oauth-good.csr', '--pool', 'pool01.contoso.com', '--usage', 'OAuthTokenIssuer', '--effective-date', '2030-01-01'], /--effective-date is for certificates/],
  ] as const) {
    it(args.join(' '), async () => {
      const { code, stderr } = await cli(['check', ...args, '--snapshot', 'contoso', '--now', NOW]);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/^\s+at /m);
    });
  }

  it('a misspelt usage: did you mean, and the usages there are', async () => {
    const { code, stderr } = await cli(['check', 'candidates/fe01-default-good.cer', '--snapshot', 'contoso', '--server', 'fe01.contoso.com', '--usage', 'Defualt', '--now', NOW]);
    expect(code).toBe(2);
    expect(stderr).toContain("--usage Defualt: not a certificate usage; did you mean 'Default'?");
    expect(stderr).toMatch(/\nThe usages: Default, .*OAuthTokenIssuer/);
  });

  it('without --snapshot', async () => {
    const { code, stderr } = await cli(['check', 'candidates/oauth-good.cer', '--pool', 'pool01.contoso.com', '--usage', 'OAuthTokenIssuer']);
    expect(code).toBe(2);
    expect(stderr).toContain('check needs --snapshot SNAPSHOT');
  });
});
