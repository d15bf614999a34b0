/**
 * A probe's HTML and Markdown reports: every endpoint probed with its verdict, TLS session, client
 * certificate request, the chain it served in order and its findings, against the planted endpoints on
 * 127.0.0.1 (test/probe/planted.ts). The HTML is read in headless Chromium (test/report/browser.ts).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import MarkdownIt from 'markdown-it';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe, type ProbeRun } from '../../src/probe/run.js';
import { format as html } from '../../src/report/html.js';
import { format as markdown } from '../../src/report/markdown.js';
import { chromiumFor, launch, open } from '../report/browser.js';
import { all, parseHtml, tag, text } from '../report/html-dom.js';
import { NOW, PLANTED, SNAPSHOT, startPlanted, type Planted, type PlantedEndpoint } from './planted.js';
import { loopbackOnly, THUMBPRINTS } from './servers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/sfb-certlint.js');
const executable = chromiumFor('test/probe/report.test.ts');
const ENDPOINTS = Object.keys(PLANTED) as PlantedEndpoint[];

let planted: Planted;
let work: string;
let run: ProbeRun;
/** What node:tls, as a client of its own, agrees with the planted fe01.contoso.com:5061: the oracle for the TLS columns. */
let session: { version: string; cipher: string };

beforeAll(async () => {
  planted = await startPlanted();
  work = mkdtempSync(join(tmpdir(), 'sfb-certlint-probe-report-'));
  run = await probe({
    snapshot: SNAPSHOT,
    cwd: ROOT,
    env: {},
    now: new Date(NOW),
    timeoutMs: 1000,
    endpoints: ENDPOINTS.map((e) => ({ host: e.slice(0, e.lastIndexOf(':')), port: Number(e.slice(e.lastIndexOf(':') + 1)) })),
    connectTo: ENDPOINTS.map((e) => ({ from: e, to: planted.connectTo[e] })),
    allowAddress: loopbackOnly,
  });
  const to = planted.connectTo['fe01.contoso.com:5061'];
  session = await new Promise((resolve, reject) => {
    const socket = connect({ host: to.host, port: to.port, servername: 'fe01.contoso.com', rejectUnauthorized: false }, () => {
      resolve({ version: socket.getProtocol()!, cipher: socket.getCipher().standardName });
      socket.end();
    });
    socket.on('error', reject);
  });
});
afterAll(async () => {
  await planted.close();
  rmSync(work, { recursive: true, force: true });
});

/** The findings the planted endpoint must give, as `ruleId severity`. */
const plantedFinding = (endpoint: PlantedEndpoint) => {
  const finding = PLANTED[endpoint].finding;
  return finding ? [`${finding[0]} ${finding[2]}`] : [];
};

describe('the HTML report of a probe', () => {
  it('says how the evaluation time was fixed, and shows each endpoint with its verdict and findings', () => {
    const doc = parseHtml(html(run.report, { color: false }));
    const facts = text(all(doc, tag('dl'))[0]!);
    expect(facts).toContain('Evaluated at 2026-06-01 00:00:00 UTC (fixed with --now)');
    expect(facts).toMatch(/Probed \d{4}-\d\d-\d\d [\d:]+ UTC to \d{4}-\d\d-\d\d [\d:]+ UTC: 11 endpoints, each given 1 s/);
    expect(text(doc)).not.toContain('No pool was read');
    const sections = all(doc, (e) => e.tagName === 'section' && e.attrs.some((a) => a.name === 'data-endpoint'));
    expect(sections.map((s) => s.attrs.find((a) => a.name === 'data-endpoint')!.value)).toEqual(ENDPOINTS);
    for (const section of sections) {
      const endpoint = section.attrs.find((a) => a.name === 'data-endpoint')!.value as PlantedEndpoint;
      const rows = all(section, (e) => e.tagName === 'tr' && e.attrs.some((a) => a.name === 'data-finding'));
      expect(rows.map((tr) => { const cells = all(tr, tag('td')).map(text); return `${cells[1]} ${cells[0]}`; }), endpoint).toEqual(plantedFinding(endpoint));
      const verdict = all(section, (e) => e.attrs.some((a) => a.name === 'data-verdict'))[0]!;
      expect(text(verdict), endpoint).toBe(PLANTED[endpoint].finding ? '✗ 1 finding' : '✓ pass');
    }
  });
});

describe.skipIf(!executable)('the HTML report of a probe, in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch(executable);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('sfb-certlint probe --format html --output FILE: the TLS session, the client certificate request and the chain served, in order', async () => {
    const out = join(work, 'probe.html');
    const args = [BIN, 'probe', SNAPSHOT, '--now', NOW, '--timeout', '1s', '--format', 'html', '--output', out];
    for (const e of ENDPOINTS) args.push('--endpoint', e, '--connect-to', `${e}=${planted.connectTo[e].host}:${planted.connectTo[e].port}`);
    // Asynchronously: the servers it probes live in this process.
    const result = await promisify(execFile)(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH } }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(['code' in result ? result.code : 0, result.stdout, result.stderr]).toEqual([1, '', '']);
    const { page, problems, requests } = await open(browser, out);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(out).href]);
    const endpoint = (key: PlantedEndpoint) => `#endpoints section[data-endpoint="${key}"]`;
    const chain = (key: PlantedEndpoint) => page.$$eval(`${endpoint(key)} [data-chain] tbody tr`, (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.innerText.trim())));
    // fe01 sends its certificate and the issuing CA, in that order (servers.ts: chain by default); openssl computed the thumbprints.
    const fe01 = await chain('fe01.contoso.com:5061');
    expect(fe01.map((cells) => cells[3])).toEqual([THUMBPRINTS.fe01, THUMBPRINTS['internal-issuing']]);
    expect(fe01.map((cells) => cells.slice(1, 3))).toEqual([
      ['CN=pool01.contoso.com, O=Contoso, C=US', 'CN=Contoso Probe Issuing CA, O=Contoso'],
      ['CN=Contoso Probe Issuing CA, O=Contoso', 'CN=Contoso Probe Root CA, O=Contoso'],
    ]);
    expect(fe01[0]![4]).toMatch(/^\d{4}-\d\d-\d\d \(\d+ days left\)$/);
    // Without its intermediate: the leaf alone.
    expect((await chain('sip.contoso.com:5061')).map((cells) => cells[3])).toEqual([THUMBPRINTS['edge-external']]);
    expect(await page.innerText(`${endpoint('fe01.contoso.com:5061')} [data-tls]`)).toBe(`${session.version}, ${session.cipher}`);
    expect(await page.innerText(`${endpoint('fe01.contoso.com:5061')} [data-client-certificate]`)).toBe('not requested');
    expect(await page.innerText(`${endpoint('fe01.contoso.com:443')} [data-client-certificate]`)).toBe('requested');
    expect(await page.innerText(`${endpoint('webconf.contoso.com:443')} [data-tls]`)).toMatch(/^no certificates connection refused \(ECONNREFUSED\)$/);
    // The summary's table: a row per endpoint, its verdict.
    expect(await page.$$eval('#endpoint-table tbody tr', (rows) => rows.map((r) => r.getAttribute('data-endpoint')))).toEqual(ENDPOINTS);
    await page.close();
  });

  it('shows what a server sent as text: a Subject made of markup runs nothing', async () => {
    const report = structuredClone(run.report);
    const served = report.probe!.endpoints.find((e) => e.endpoint === 'fe01.contoso.com:5061')!.chain[0]!;
    served.subject = '<img src=x onerror=alert(1)>';
    report.probe!.endpoints[0]!.service = '<script>alert(2)</script>';
    const path = join(work, 'hostile.html');
    writeFileSync(path, html(report, { color: false }));
    const { page, problems } = await open(browser, path);
    expect(problems).toEqual([]);
    expect(await page.$$eval('img, #endpoints script', (e) => e.length)).toBe(0);
    expect(await page.innerText('#endpoints')).toContain('<img src=x onerror=alert(1)>');
    expect(await page.innerText('#endpoints')).toContain('<script>alert(2)</script>');
    await page.close();
  });
});

describe('the Markdown report of a probe', () => {
  const md = new MarkdownIt({ html: true });
  it('lists every endpoint with its verdict, TLS session and client certificate request, then each chain served and its findings', () => {
    const source = markdown(run.report, { color: false });
    expect(source).toContain('Evaluated at 2026-06-01 00:00:00 UTC (fixed with --now)');
    const doc = parseHtml(`<!doctype html><html><body>${md.render(source)}</body></html>`);
    const tables = all(doc, tag('table')).map((t) => all(t, tag('tr')).map((tr) => all(tr, (e) => e.tagName === 'td' || e.tagName === 'th').map(text)));
    const summary = tables.find((t) => t[0]![0] === 'Endpoint');
    expect(summary![0]).toEqual(['Endpoint', 'Verdict', 'TLS', 'Client certificate', 'Certificate served', 'Expires']);
    const row = (key: string) => summary!.find((r) => r[0]!.startsWith(`${key} `))!;
    expect(summary!.slice(1).map((r) => r[0]!.split(' ')[0])).toEqual(ENDPOINTS);
    expect(row('fe01.contoso.com:5061').slice(1, 4)).toEqual(['✅', `${session.version}, ${session.cipher}`, 'not requested']);
    expect(row('fe01.contoso.com:443')[3]).toBe('requested');
    expect(row('fe02.contoso.com:5061')[1]).toBe('❌ 1');
    expect(row('webconf.contoso.com:443').slice(1, 4)).toEqual(['⚠️ 1', 'connection refused (ECONNREFUSED)', 'unknown']);
    // Each endpoint under its own heading, its chain in the order served, its findings listed.
    const headings = all(doc, tag('h3')).map(text).filter((h) => / (✅|❌|⚠️|ℹ️)/.test(h));
    expect(headings.map((h) => h.split(' ')[0])).toEqual(ENDPOINTS);
    const chains = tables.filter((t) => t[0]![0] === '#');
    expect(chains[0]!.slice(1).map((r) => r[3])).toEqual([THUMBPRINTS.fe01, THUMBPRINTS['internal-issuing']]);
    // Under each endpoint's heading, its findings as a list (`- severity rule: message`).
    for (const endpoint of ENDPOINTS) {
      const part = source.split('\n### ').find((p) => p.startsWith(`\`${endpoint}\` `))!;
      const listed = part.split('\n').filter((line) => line.startsWith('- ')).map((line) => line.replace(/^- (\w+) `([\w-]+)`: .*/, '$2 $1'));
      expect(listed, endpoint).toEqual(plantedFinding(endpoint));
    }
  });

  it('without a snapshot, is titled by the endpoints named', async () => {
    const to = planted.connectTo['sip.contoso.com:443'];
    const alone = await probe({ cwd: ROOT, env: {}, now: new Date(NOW), timeoutMs: 1000, endpoints: [{ host: 'sip.contoso.com', port: 443 }], connectTo: [{ from: 'sip.contoso.com:443', to }], allowAddress: loopbackOnly });
    expect(markdown(alone.report, { color: false }).split('\n')[0]).toBe('# TLS endpoint probe: sip.contoso.com:443');
    expect(text(all(parseHtml(html(alone.report, { color: false })), tag('h1'))[0]!)).toBe('sip.contoso.com:443');
  });

  it('escapes what a server sent', () => {
    const report = structuredClone(run.report);
    report.probe!.endpoints[0]!.chain[0]!.subject = 'CN=<img src=x onerror=alert(1)> | `x` *y*';
    const rendered = md.render(markdown(report, { color: false }));
    expect(rendered).not.toMatch(/<img[\s>]/);
    expect(text(parseHtml(`<!doctype html><html><body>${rendered}</body></html>`))).toContain('CN=<img src=x onerror=alert(1)> | `x` *y*');
  });
});

