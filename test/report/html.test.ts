import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/index.js';
import { format } from '../../src/report/html.js';
import type { LintReport } from '../../src/report/types.js';
import { BUILT_IN_RULES } from '../../src/rules/index.js';
import { contosoReport } from './helpers.js';
import { all, attr, byId, first, parseHtml, tag, text, withAttr, withClass, type Element } from './html-dom.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ENV = { CONTOSO_PFX_PASSWORD: 'contoso' };
const NOW = new Date('2026-01-31T00:00:00Z');
const DAY = 86_400_000;

/** The example's snapshot as written: its pools, servers, assignments, and the comment naming each certificate. */
function snapshotOf(folder: string) {
  const textOf = readFileSync(join(ROOT, folder, 'snapshot.yaml'), 'utf8');
  const doc = parseYaml(textOf) as {
    name: string;
    pools: Array<{ fqdn: string; role: string; servers: Array<{ fqdn: string; assignments: Array<{ usage: string; thumbprint: string }> }> }>;
  };
  // `thumbprint: ABC… # pool01.contoso.com, certs/fe01.cer`: the certificate's CN and file.
  const named = new Map<string, { cn: string; file: string }>();
  for (const m of textOf.matchAll(/thumbprint: ([0-9A-F]{40}) # (.+), ((?:certs|edge)\/\S+)$/gm)) named.set(m[1]!, { cn: m[2]!, file: m[3]! });
  return { doc, named };
}

function writeConfig(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}

/** `sha256sum` of the committed example files. */
const SHA256: Record<string, string> = {
  'examples/contoso/snapshot.yaml': 'FDF7AE0DE886DDB83AA1ADA09510676AD05FEBA4BA2F1081CC6B5B1163F066C2',
  'examples/contoso/certs/contoso-ca-chain.p7b': '03671BCD293560AA708D388D608797974865F4338638D6748F31445B45570ED1',
  'examples/contoso/certs/dir01-sha1.cer': '32D5D499D88F9AE2625485AC3BC72A5FD929C3C4EA322CCC664CC6B797C638B2',
  'examples/contoso/certs/fe01.cer': '22CA1775AE66246C3547E15A14AA61E505B717CFACCB63C747B92D3A73016724',
  'examples/contoso/certs/fe02.cer': '4B5E84F0DDDBF817CB5EFA78134A575D10EC1A28F9B80352E1E88953285B8925',
  'examples/contoso/certs/fe03.cer': 'A6F55D0C80F78218CDD09739448E1533ADA08265EBCCFB2D7DF727DF1621A09E',
  'examples/contoso/certs/med01-1024.cer': '107CFB6812E1E28713789815187A037C1A9AD4CC05AA82989EB9BC8BD5561705',
  'examples/contoso/certs/northwind-ca-chain.p7b': 'EF5F116D272162438A0FB80F06F45E840F9CE3620AA2C53F2FCE2B64AEF56C11',
  'examples/contoso/certs/oauth-no-sip-domain.cer': 'B042B55910C0127A9457C9CA6FA2C66A3ED197B075354BE7A79EA454EF91776A',
  'examples/contoso/certs/oauth.cer': '3042C761457A7FAAD16EA88D502E2E853BEA129C87366B4F95012B5D2C6260D0',
  'examples/contoso/edge/edge-av.pfx': '5E4F9CA6896A208A35A9641B0C1671F1E9CBDFEC17C35EAF08279D11425A4A1F',
  'examples/contoso/edge/edge-external.pfx': 'A653C393A615320B6B1F2A4C6A3483AE55442EDB46A66BC4AAAEADA8FBCD5B55',
  'examples/contoso/edge/edge-internal.pfx': '7195887D2E4D9BC1ABF5D22BE21FF11E3A44231EDAD150F91B70BE7FA390FBC4',
};

/**
 * The faults of examples/contoso (examples/README.md, `# FAULT` in its snapshot): the rule, the pool
 * whose matrix cell fails, and the certificate concerned.
 */
const FAULTS = [
  { rule: 'key-size', pool: 'med.contoso.com', thumbprint: '4CDFFFE895CD13DE0E1F4C97D763BF80B7EDA8A3' },
  { rule: 'signature-sha2', pool: 'dirpool.contoso.com', thumbprint: 'E1E1C3EF5D641391B266F27513D5B93A104C35C3' },
  { rule: 'sip-domain-in-subject', pool: 'pool01.contoso.com', thumbprint: '88DF2CE4906F6D7DFEC80BBCDAC8C046E8EF5B10' },
  { rule: 'oauth-same-certificate', pool: 'pool01.contoso.com', thumbprint: 'F77B3FFAB58657C675FFA8ABB0391074A85A5894' },
  { rule: 'trusted-root-present', pool: 'edgepool.contoso.com' },
  { rule: 'private-key-exportable', pool: 'edgepool.contoso.com', thumbprint: '46CCE54AB04A29313ADC147198CC05995C779346' },
];

/**
 * Whether a rule applies to a pool, as its metadata declares: the pool has one of its roles, and one of
 * its usages is assigned on a server of the pool (as the snapshot says).
 */
function applies(rule: string, pool: ReturnType<typeof snapshotOf>['doc']['pools'][number]): boolean {
  const { roles, usages } = BUILT_IN_RULES.find((r) => r.meta.id === rule)!.meta;
  const assigned = new Set(pool.servers.flatMap((s) => s.assignments.map((a) => a.usage)));
  return (!roles || roles.includes(pool.role as never)) && (!usages || usages.some((u) => assigned.has(u)));
}

async function render(target: string, now = NOW): Promise<{ report: LintReport; html: string; doc: Element }> {
  const report = await lint({ targets: [target], cwd: ROOT, env: ENV, now });
  const html = format(report, { color: false });
  return { report, html, doc: parseHtml(html) };
}

const cellOf = (doc: Element, rule: string, pool: string) => first(doc, (e) => withClass('cell')(e) && attr(e, 'data-rule') === rule && attr(e, 'data-pool') === pool);

describe('the HTML report of examples/contoso', () => {
  let report: LintReport;
  let html: string;
  let doc: Element;
  const { doc: snapshot, named } = snapshotOf('examples/contoso');
  beforeAll(async () => {
    ({ report, html, doc } = await render('examples/contoso'));
  });

  it('is one page that may load nothing: a Content-Security-Policy allowing only its own inline style and script', () => {
    const csp = attr(first(doc, (e) => e.tagName === 'meta' && attr(e, 'http-equiv') === 'Content-Security-Policy')!, 'content')!;
    expect(csp).toMatch(/^default-src 'none';/);
    const hash = (e: Element) => `'sha256-${createHash('sha256').update(text(e) ? (e.childNodes[0] as { value: string }).value : '').digest('base64')}'`;
    const styles = all(doc, tag('style'));
    const scripts = all(doc, tag('script'));
    expect(styles).toHaveLength(1);
    expect(scripts).toHaveLength(1);
    expect(csp).toContain(`style-src ${hash(styles[0]!)};`);
    expect(csp).toContain(`script-src ${hash(scripts[0]!)};`);
    // Nothing fetched: no external script, stylesheet, image, frame or object, and no inline style attribute the policy would block.
    expect(all(doc, (e) => ['link', 'img', 'iframe', 'object', 'embed', 'base'].includes(e.tagName))).toEqual([]);
    expect(all(doc, (e) => e.tagName !== 'a' && e.attrs.some((a) => ['src', 'href', 'style', 'srcset'].includes(a.name)))).toEqual([]);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('has its sections in the order an audit reads them', () => {
    const ids = all(doc, withClass('section')).map((e) => attr(e, 'id'));
    expect(ids).toEqual(['summary', 'timeline', 'findings', 'inventory', 'suppressions', 'digests']);
    // The header comes before them all.
    expect(html.indexOf('id="top"')).toBeLessThan(html.indexOf('id="summary"'));
  });

  it('heads the report with the deployment, the time and how it was fixed, the tool, the rules run and the verdict', () => {
    const header = byId(doc, 'top')!;
    expect(text(first(header, tag('h1'))!)).toBe(snapshot.name);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const facts = text(first(header, tag('dl'))!);
    expect(facts).toContain('Evaluated at 2026-01-31 00:00:00 UTC (fixed with --now)');
    expect(facts).toContain(`Tool sfb-certlint ${pkg.version}`);
    // The example's own configuration, when it has one, applies (it is found beside the snapshot).
    const config = 'examples/contoso/sfb-certlint.config.yaml';
    expect(facts).toContain(existsSync(join(ROOT, config)) ? `Configuration ${config} SHA-256` : 'Configuration none');
    const rulesRun = all(first(header, withClass('rules-run'))!, tag('li')).map((li) => text(li).split(' ').slice(0, 2).join(' '));
    expect(rulesRun).toEqual(BUILT_IN_RULES.map((r) => `${r.meta.id} ${r.meta.severity}`));
    // Options as written: a list, and a table of usages (JJ205253: the OAuthTokenIssuer key at least 2048 bits).
    const keySize = all(first(header, withClass('rules-run'))!, tag('li')).map(text).find((li) => li.startsWith('key-size '));
    expect(keySize).toBe('key-size error minRsaBits 2048; minRsaBitsByUsage OAuthTokenIssuer 2048; allowedCurves P-256, P-384, P-521');
    // Six faults, each an error (examples/README.md).
    expect(text(byId(doc, 'verdict')!)).toBe('Fail: 6 errors, 0 warnings');
    expect(attr(byId(doc, 'verdict')!, 'class')).toContain('fail');
  });

  it('gives the SHA-256 of the snapshot in the header, and of every file read in the appendix the header points to', () => {
    const facts = first(byId(doc, 'top')!, tag('dl'))!;
    expect(text(facts)).toContain(`examples/contoso/snapshot.yaml SHA-256 ${SHA256['examples/contoso/snapshot.yaml']}`);
    // The example's 13 files, its configuration and the public root that configuration adds.
    expect(text(facts)).toContain('Files read 15 files: 1 snapshot, 12 certificate files, 1 configuration, 1 public root file; the SHA-256 of each in the appendix');
    expect(attr(first(facts, tag('a'))!, 'href')).toBe('#digests');
    expect(first(byId(doc, 'top')!, withClass('files'))).toBeUndefined();
    const rows = all(first(byId(doc, 'digests')!, withClass('files'))!, tag('tr')).slice(1).map((tr) => all(tr, tag('td')).map(text));
    expect(rows).toHaveLength(15);
    const read = rows.filter(([, kind]) => kind === 'snapshot' || kind === 'certificate');
    expect(Object.fromEntries(read.map(([path, , sha]) => [path, sha]))).toEqual(SHA256);
  });

  it('fills the compliance matrix: a row per rule, a column per pool, each cell pass, fail with its count, or not applicable', () => {
    const pools = snapshot.pools.map((p) => p.fqdn);
    const rows = all(byId(doc, 'matrix')!, withAttr('data-rule')).filter(tag('tr'));
    expect(rows.map((r) => attr(r, 'data-rule'))).toEqual(BUILT_IN_RULES.map((r) => r.meta.id));
    expect(all(first(byId(doc, 'matrix')!, tag('thead'))!, tag('th')).slice(1).map((th) => text(first(th, withClass('pool'))!))).toEqual(pools);
    for (const { meta } of BUILT_IN_RULES) {
      for (const pool of snapshot.pools) {
        const cell = cellOf(doc, meta.id, pool.fqdn)!;
        const fault = FAULTS.find((f) => f.rule === meta.id && f.pool === pool.fqdn);
        // The OAuth certificate without a SIP domain is also dir01's: the cell fails wherever a finding places it.
        const placed = report.findings.some((f) => f.ruleId === meta.id && (f.places ?? [f]).some((p) => p.pool === pool.fqdn));
        const expected = fault || placed ? 'fail' : applies(meta.id, pool) ? 'pass' : 'na';
        expect([meta.id, pool.fqdn, attr(cell, 'data-state')]).toEqual([meta.id, pool.fqdn, expected]);
        if (expected === 'fail') expect(text(cell)).toMatch(/^✗ [1-9]\d*$/);
        if (expected === 'pass') expect(text(cell)).toBe('✓');
        if (expected === 'na') expect(text(cell)).toBe('n/a');
      }
    }
    expect(attr(cellOf(doc, 'key-size', 'med.contoso.com')!, 'data-count')).toBe('1');
  });

  it('shows every finding under its rule, with its message, where it is, the certificate, the requirement cited and the fix', () => {
    const rows = all(byId(doc, 'findings')!, withAttr('data-finding'));
    expect(rows).toHaveLength(report.findings.length);
    expect(new Set(rows.map((r) => attr(r, 'data-rule')))).toEqual(new Set(FAULTS.map((f) => f.rule)));
    for (const f of report.findings) {
      const group = byId(doc, `rule-${f.ruleId}`)!;
      const row = all(group, withAttr('data-finding')).find((r) => text(r).includes(f.message))!;
      expect(row, f.message).toBeDefined();
      for (const place of f.places ?? [{ server: f.server }]) expect(text(first(row, withClass('places'))!)).toContain(place.server!);
      const fault = FAULTS.find((x) => x.rule === f.ruleId)!;
      if (fault.thumbprint) {
        expect(text(row)).toContain(fault.thumbprint);
        expect(text(row)).toContain(`CN=${named.get(fault.thumbprint)!.cn}`);
      }
      const meta = BUILT_IN_RULES.find((r) => r.meta.id === f.ruleId)!.meta;
      const citation = first(group, withAttr('data-citation'))!;
      expect([text(citation), attr(citation, 'href')]).toEqual([meta.citation.title, meta.citation.url]);
      // The fix is the rule page's own: its first PowerShell block, verbatim.
      const page = readFileSync(join(ROOT, 'docs/rules', `${f.ruleId}.md`), 'utf8');
      const howToFix = page.slice(page.indexOf('## How to fix'));
      const block = /```powershell\n([\s\S]*?)\n\s*```/.exec(howToFix)![1]!.replace(/^ {3}/gm, '');
      expect(all(group, tag('pre')).map((pre) => text(pre))).toContain(block.replace(/\s+/g, ' ').trim());
    }
  });

  it('lists every certificate of the snapshot in the inventory, with its facts and where it is assigned', () => {
    const rows = all(byId(doc, 'inventory-table')!, withAttr('data-certificate'));
    expect(new Set(rows.map((r) => attr(r, 'data-certificate')))).toEqual(new Set(named.keys()));
    expect(rows).toHaveLength(named.size);
    const row = (thumbprint: string) => rows.find((r) => attr(r, 'data-certificate') === thumbprint)!;
    const cells = (thumbprint: string) => all(row(thumbprint), tag('td')).map(text);
    for (const [thumbprint, { cn, file }] of named) {
      const [certificate, , , , valid, days, shown] = cells(thumbprint);
      expect(certificate).toContain(`CN=${cn}`);
      expect(certificate).toContain(`examples/contoso/${file}`);
      expect(shown).toBe(thumbprint);
      // Every example certificate is valid from 2024-01-01 to 2049-12-31 (examples/README.md).
      expect(valid).toBe('2024-01-01 2049-12-31');
      expect(days).toBe(String(Math.floor((Date.UTC(2049, 11, 31, 23, 59, 59) - NOW.getTime()) / DAY)));
    }
    // The faults' facts: a 1024-bit key, a SHA-1 signature.
    expect(cells('4CDFFFE895CD13DE0E1F4C97D763BF80B7EDA8A3')[2]).toBe('RSA 1024');
    expect(cells('E1E1C3EF5D641391B266F27513D5B93A104C35C3')[3]).toBe('SHA-1');
    // Where each certificate is assigned, as the snapshot says.
    const expected = new Map<string, Map<string, string[]>>();
    for (const pool of snapshot.pools) {
      for (const server of pool.servers) {
        for (const a of server.assignments) {
          const byServer = expected.get(a.thumbprint) ?? new Map<string, string[]>();
          byServer.set(server.fqdn, [...(byServer.get(server.fqdn) ?? []), a.usage]);
          expected.set(a.thumbprint, byServer);
        }
      }
    }
    for (const [thumbprint, byServer] of expected) {
      const assigned = all(row(thumbprint), withAttr('data-assigned')).map(text);
      expect(assigned).toEqual([...byServer].map(([server, usages]) => `${server}: ${usages.join(', ')}`));
    }
    // The A/V key: not exportable on edge01, exportable on edge02 (the snapshot's Personal stores).
    expect(cells('46CCE54AB04A29313ADC147198CC05995C779346')[7]).toBe('CSP, not exportable (edge01.contoso.com) CSP, exportable (edge02.contoso.com) Microsoft RSA SChannel Cryptographic Provider');
  });

  it('draws the expiry timeline: a row per certificate in use', () => {
    const assigned = new Set(snapshot.pools.flatMap((p) => p.servers.flatMap((s) => s.assignments.map((a) => a.thumbprint))));
    const rows = all(byId(doc, 'timeline')!, (e) => e.tagName === 'g' && withClass('row')(e));
    expect(new Set(rows.map((r) => attr(r, 'data-thumbprint')))).toEqual(assigned);
    expect(rows.map((r) => attr(r, 'data-state'))).toEqual(rows.map(() => 'valid'));
  });

  it('says when nothing was suppressed', () => {
    expect(text(byId(doc, 'suppressions')!)).toContain('No finding was suppressed, and no suppression was left unused.');
  });
});

describe('the HTML report of examples/contoso-clean', () => {
  it('passes, with every matrix cell pass or not applicable, no finding, and every certificate in the inventory', async () => {
    const { doc } = await render('examples/contoso-clean');
    const { doc: snapshot, named } = snapshotOf('examples/contoso-clean');
    expect(text(byId(doc, 'verdict')!)).toBe('Pass: no errors');
    for (const { meta } of BUILT_IN_RULES) {
      for (const pool of snapshot.pools) {
        expect([meta.id, pool.fqdn, attr(cellOf(doc, meta.id, pool.fqdn)!, 'data-state')]).toEqual([meta.id, pool.fqdn, applies(meta.id, pool) ? 'pass' : 'na']);
      }
    }
    expect(all(doc, withAttr('data-finding'))).toEqual([]);
    expect(text(byId(doc, 'findings')!)).toContain('No finding: every rule passed.');
    expect(new Set(all(byId(doc, 'inventory-table')!, withAttr('data-certificate')).map((r) => attr(r, 'data-certificate')))).toEqual(new Set(named.keys()));
  });
});

describe('the HTML report near and past expiry', () => {
  it('marks certificates expiring within the window and expired ones, in the timeline and the inventory', async () => {
    // Every example certificate expires 2049-12-31T23:59:59Z.
    const { doc: soon } = await render('examples/contoso-clean', new Date('2049-12-20T00:00:00Z'));
    expect(new Set(all(byId(soon, 'timeline')!, (e) => e.tagName === 'g' && withClass('row')(e)).map((r) => attr(r, 'data-state')))).toEqual(new Set(['expiring']));
    expect(all(byId(soon, 'inventory-table')!, withClass('days')).map(text)).toEqual(all(byId(soon, 'inventory-table')!, withClass('days')).map(() => '11'));
    const { doc: late } = await render('examples/contoso-clean', new Date('2050-01-10T00:00:00Z'));
    expect(new Set(all(byId(late, 'timeline')!, (e) => e.tagName === 'g' && withClass('row')(e)).map((r) => attr(r, 'data-state')))).toEqual(new Set(['expired']));
    expect(text(byId(late, 'verdict')!)).toMatch(/^Fail: \d+ errors/);
  });

  it('shows a staged A/V roll on the timeline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfb-html-roll-'));
    cpSync(join(ROOT, 'examples/contoso-clean'), dir, { recursive: true });
    const path = join(dir, 'snapshot.yaml');
    const yaml = readFileSync(path, 'utf8');
    const av = /(- usage: AudioVideoAuthentication\n(\s+)thumbprint: )([0-9A-F]{40})/.exec(yaml)!;
    const internal = /- usage: Internal\n\s+thumbprint: ([0-9A-F]{40})/.exec(yaml)![1]!;
    writeFileSync(path, yaml.replace(av[0], `${av[1]}${internal}\n${av[2]}previousThumbprint: ${av[3]}\n${av[2]}effectiveDate: 2026-03-01T00:00:00Z`));
    const report = await lint({ targets: [dir], cwd: dir, env: ENV, now: NOW });
    const doc = parseHtml(format(report, { color: false }));
    const marks = all(byId(doc, 'timeline')!, (e) => e.tagName === 'path' && withClass('roll')(e)).map(text);
    expect(marks).toContain('AudioVideoAuthentication roll on edge01.contoso.com: takes effect 2026-03-01T00:00:00Z');
    expect(marks).toContain('AudioVideoAuthentication roll on edge01.contoso.com: replaced 2026-03-01T00:00:00Z');
  });
});

describe('the HTML report of hostile names (fixtures/report/hostile)', () => {
  it('shows every value as text: a Subject holding <script>, markup in a SAN and in the deployment name, a direction override', async () => {
    const { html, doc } = await render('fixtures/report/hostile', new Date('2030-06-15T00:00:00Z'));
    // Only the report's own script element exists, and no element came from the input.
    expect(all(doc, tag('script'))).toHaveLength(1);
    expect(all(doc, (e) => ['img', 'b'].includes(e.tagName))).toEqual([]);
    expect(text(first(doc, tag('title'))!)).toBe("</title><script>alert('name')</script>: certificate compliance report, 2030-06-15");
    expect(text(first(doc, tag('h1'))!)).toBe("</title><script>alert('name')</script>");
    const inventoryText = text(byId(doc, 'inventory-table')!);
    expect(inventoryText).toContain('CN="<script>alert(""cn"")</script>"');
    expect(inventoryText).toContain('O="""><img src=x onerror=alert(1)>"');
    expect(inventoryText).toContain('x<b>y</b>.contoso.com');
    // The right-to-left override cannot turn "gnp.exe" around: it is shown as its code.
    expect(inventoryText).toContain('a | b ` c \\E2\\80\\AEgnp.exe');
    expect(html).not.toContain('\u202e');
    // The findings quote the Subject too: as text.
    expect(text(byId(doc, 'findings')!)).toContain('Subject "CN="<script>alert(""cn"")</script>"');
    expect(text(byId(doc, 'timeline')!)).toContain('<script>alert("cn")</script>');
  });
});

describe('the HTML report of a configuration with suppressions', () => {
  it('lists accepted findings with reason, owner, ticket and expiry, lapsed ones among the findings, and unused ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfb-html-suppr-'));
    const configPath = join(dir, 'sfb-certlint.config.yaml');
    const baseline = await lint({ targets: ['examples/contoso'], cwd: ROOT, env: ENV, now: NOW, configPath: writeConfig(join(dir, 'none.yaml'), 'rules: {}\n') });
    writeConfig(
      configPath,
      [
        'suppressions:',
        '  - rule: key-size',
        '    server: med01.contoso.com',
        '    reason: Replaced in the March change window.',
        '    owner: PKI team',
        '    ticket: CHG-2041',
        '    expires: 2026-03-31',
        '  - rule: signature-sha2',
        '    server: dir01.contoso.com',
        '    reason: SHA-1 accepted until the CA migration.',
        '    ticket: RISK-77',
        '    expires: 2025-12-31',
        '  - rule: san-coverage',
        '    server: fe09.contoso.com',
        '    reason: Decommissioned.',
        '',
      ].join('\n'),
    );
    const report = await lint({ targets: ['examples/contoso'], cwd: ROOT, env: ENV, now: NOW, configPath });
    const configShown = relative(ROOT, configPath);
    const doc = parseHtml(format(report, { color: false }));
    const accepted = all(byId(doc, 'accepted-findings')!, withAttr('data-row'));
    expect(accepted.map((r) => all(r, tag('td')).slice(3).map(text))).toEqual([['Replaced in the March change window.', 'PKI team', 'CHG-2041', '2026-03-31', `${configShown}:2`]]);
    const lapsed = all(byId(doc, 'lapsed-suppressions')!, withAttr('data-row'));
    expect(lapsed.map((r) => attr(r, 'data-rule'))).toEqual(['signature-sha2']);
    const lapsedFinding = first(byId(doc, 'rule-signature-sha2')!, withAttr('data-lapsed'))!;
    expect(text(lapsedFinding)).toBe('Its suppression expired on 2025-12-31: SHA-1 accepted until the CA migration.');
    expect(all(byId(doc, 'unused-suppressions')!, withAttr('data-row')).map((r) => text(r))).toEqual([expect.stringContaining('san-coverage fe09.contoso.com Decommissioned.')]);
    expect(attr(cellOf(doc, 'key-size', 'med.contoso.com')!, 'data-state')).toBe('accepted');
    // The key-size error is accepted; the lapsed signature-sha2 suppression leaves its error counted.
    const errors = baseline.findings.filter((f) => f.severity === 'error').length - 1;
    expect(text(byId(doc, 'verdict')!)).toBe(`Fail: ${errors} errors, 0 warnings`);
    const facts = text(first(byId(doc, 'top')!, tag('dl'))!);
    expect(facts).toContain(`Configuration ${configShown} SHA-256 ${createHash('sha256').update(readFileSync(configPath)).digest('hex').toUpperCase()}`);
  });
});

describe('the HTML report of a run that did not finish, built without evidence or inventory', () => {
  it('says the run is incomplete, names what stopped it, and still shows every finding', () => {
    const report = contosoReport();
    const doc = parseHtml(format(report, { color: false }));
    expect(text(byId(doc, 'verdict')!)).toBe('Incomplete: 2 inputs could not be read, 1 rule failed; 5 errors, 3 warnings, 1 info in what was checked');
    const stopped = text(first(doc, withClass('stopped'))!);
    for (const e of report.inputErrors) expect(stopped).toContain(e.message);
    expect(stopped).toContain("Rule trusted-root-present failed: Cannot read properties of undefined (reading 'facts')");
    // Suppressed findings are listed apart; the others under their rules.
    expect(all(doc, withAttr('data-finding'))).toHaveLength(report.findings.filter((f) => !f.suppression).length);
    expect(all(byId(doc, 'accepted-findings')!, withAttr('data-row'))).toHaveLength(1);
    // A deployment-wide finding has a column of its own in the matrix.
    expect(attr(first(doc, (e) => withClass('cell')(e) && attr(e, 'data-rule') === 'sip-domain-in-subject' && attr(e, 'data-pool') === '')!, 'data-state')).toBe('fail');
  });

  it('turns the matrix round past eight pools: a row per pool, a column per rule', () => {
    const base = contosoReport();
    const pools = Array.from({ length: 12 }, (_, i) => ({ fqdn: `pool${String(i + 1).padStart(2, '0')}.contoso.com`, role: 'FrontEnd' as const, servers: [{ fqdn: `fe${i + 1}.contoso.com` }] }));
    const doc = parseHtml(format({ ...base, inputErrors: [], ruleFailures: [], findings: [], unusedSuppressions: [], inputs: [{ snapshot: 'snapshots/big.yaml', certificateFiles: [], pools }] }, { color: false }));
    const matrix = byId(doc, 'matrix')!;
    expect(all(first(matrix, tag('thead'))!, tag('th')).slice(1).map(text)).toEqual(base.rules.map((r) => r.id));
    expect(all(first(matrix, tag('tbody'))!, tag('tr')).map((tr) => text(first(tr, withClass('pool'))!))).toEqual(pools.map((p) => p.fqdn));
  });
});

describe('sfb-certlint lint --format html --output FILE', () => {
  it('writes the report of examples/contoso to the file, and exits 1 for its errors', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sfb-html-cli-')), 'report.html');
    const result = spawnSync(process.execPath, [join(ROOT, 'bin/sfb-certlint.js'), 'lint', 'examples/contoso', '--format', 'html', '--output', out, '--now', '2026-01-31T00:00:00Z'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...ENV },
      encoding: 'utf8',
    });
    expect([result.status, result.stdout, result.stderr]).toEqual([1, '', '']);
    const doc = parseHtml(readFileSync(out, 'utf8'));
    expect(text(byId(doc, 'verdict')!)).toBe('Fail: 6 errors, 0 warnings');
    expect(all(doc, withAttr('data-finding'))).toHaveLength(6);
  });
});

describe('links from rule metadata', () => {
  it('become links only to web addresses: a plug-in citing javascript: gets text', () => {
    const report = contosoReport();
    report.rules = report.rules.map((r) => (r.id === 'san-coverage' ? { ...r, citation: { title: 'Our policy', url: 'javascript:alert(1)' }, docsUrl: 'docs/policy.md' } : r));
    const doc = parseHtml(format(report, { color: false }));
    const group = byId(doc, 'rule-san-coverage')!;
    expect(all(group, tag('a'))).toEqual([]);
    expect(text(first(group, withClass('cite'))!)).toBe('Requirement: Our policy (javascript:alert(1)) · rule documentation (docs/policy.md)');
    expect(all(doc, (e) => (attr(e, 'href') ?? '').startsWith('javascript:'))).toEqual([]);
  });
});
