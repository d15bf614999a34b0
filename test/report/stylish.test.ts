import { describe, expect, it } from 'vitest';
import { format } from '../../src/report/stylish.js';
import type { LintReport } from '../../src/report/types.js';
import { BRANCH, cleanReport, CONTOSO, contosoReport, finding, plain } from './helpers.js';

const render = (report: LintReport = contosoReport(), color = false) => format(report, { color });
const lines = (text: string) => plain(text).split('\n');
/** The terminal columns a line takes: ANSI codes take none, every code point one. */
const columns = (line: string) => [...plain(line)].length;

describe('stylish format', () => {
  it('prints nothing when there is nothing to report, as ESLint', () => {
    expect(render(cleanReport())).toBe('');
  });

  it('prints nothing either when every finding is suppressed', () => {
    const report = cleanReport();
    report.findings = contosoReport().findings.filter((f) => f.suppression);
    expect(render(report)).toBe('');
  });

  it('groups findings by snapshot, then by pool and server, with the line declaring each server', () => {
    const out = lines(render());
    const at = (text: string) => out.findIndex((l) => l.includes(text));
    // Pools and servers by name (as people count them), whatever the report's order.
    const order = [
      CONTOSO,
      'edgepool.contoso.com › edge02.contoso.com  snapshots/contoso.yaml:80',
      'pool01.contoso.com › fe01.contoso.com  snapshots/contoso.yaml:24',
      'pool01.contoso.com › fe02.contoso.com  snapshots/contoso.yaml:38',
      BRANCH,
    ].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(out[at('pool01.contoso.com › fe02')]).toMatch(/^ {2}\S/);
    expect(out[at('oauth-same-certificate')]).toMatch(/^ {4}44:9 +error +The OAuthTokenIssuer certificate B2C3…890/);
  });

  it('names a Standard Edition server once, being its own pool', () => {
    expect(lines(render())).toContain('  sba01.contoso.com  snapshots/branch office.yaml:12');
  });

  it('puts deployment-wide findings under the snapshot heading, before any server', () => {
    const out = lines(render());
    const file = out.indexOf(CONTOSO);
    expect(out[file + 1]).toMatch(/^ {2} 3:1 +warning +The snapshot lists no SIP domains.* sip-domain-in-subject$/);
  });

  it('writes each finding as line:col, severity, message, and its rule id at the end of the first line', () => {
    const out = lines(render());
    const row = out.find((l) => l.includes('san-coverage'))!;
    expect(row).toMatch(/^ {4}27:9 {2,}error {2,}The Default, WebServicesInternal certificate does .* {2}san-coverage$/);
    // The rule ids of a snapshot line up in one column, as in ESLint's table.
    const ruleColumns = new Set(
      ['san-coverage', 'certificate-expiry', 'signature-sha2', 'oauth-same-certificate', 'trusted-root-store-hygiene'].map((id) =>
        out.find((l) => l.endsWith(`  ${id}`))!.lastIndexOf(id),
      ),
    );
    expect(ruleColumns.size).toBe(1);
  });

  it('wraps long messages under their column and keeps every word of them', () => {
    const out = lines(render());
    const first = out.findIndex((l) => l.includes('edge-pool-same-certificate'));
    const start = out[first]!.indexOf('The Internal certificate');
    const continuation: string[] = [];
    for (const line of out.slice(first + 1)) {
      if (!line.startsWith(' '.repeat(start)) || !line.trim()) break;
      continuation.push(line.trim());
    }
    expect(continuation.length).toBeGreaterThan(0);
    const text = [out[first]!.slice(start).replace(/\s+edge-pool-same-certificate$/, ''), ...continuation].join(' ');
    const message = contosoReport().findings.find((f) => f.ruleId === 'edge-pool-same-certificate')!.message;
    expect(`${text}.`).toBe(message);
  });

  it('fits a terminal 100 columns wide, a single unbreakable word excepted', () => {
    const report = contosoReport();
    const url = `http://pki.contoso.com/${'very-long-path/'.repeat(7)}contoso-issuing-ca.crl`;
    report.inputErrors.push({ path: 'snapshots/lab.yaml', line: 9, message: `The CRL ${url} could not be read.` });
    report.findings.push(
      finding('no-wildcard-subject', 'wildcard', { usages: 'WebServicesExternal', cn: `*.${'sub.'.repeat(20)}contoso.com` }, {
        path: BRANCH, pool: 'sba01.contoso.com', server: 'sba01.contoso.com', line: 16, column: 9, usage: 'WebServicesExternal',
      }),
    );
    for (const color of [false, true]) {
      const over = render(report, color).split('\n').filter((l) => columns(l) > 100);
      // Each line past the width holds a word longer than any message column could.
      expect(over.length).toBeGreaterThan(0);
      for (const line of over) expect(Math.max(...plain(line).split(' ').map((w) => [...w].length))).toBeGreaterThan(60);
    }
    const ordinary = render(contosoReport()).split('\n');
    expect(ordinary.filter((l) => columns(l) > 100)).toEqual([]);
  });

  it('moves a plug-in rule id too long to share a line below its message', () => {
    const report = cleanReport();
    const ruleId = 'contoso/internal-ca-only-for-every-internal-server-certificate';
    report.findings = [
      { ...contosoReport().findings[1]!, ruleId },
      contosoReport().findings[2]!,
    ];
    const out = lines(render(report));
    const own = out.findIndex((l) => l.trim() === ruleId);
    expect(own).toBeGreaterThan(0);
    expect(out[own - 1]).toMatch(/alternative names$/);
    expect(out.filter((l) => columns(l) > 100)).toEqual([]);
    expect(out.find((l) => l.endsWith('certificate-expiry'))).toMatch(/^ {4}27:9 +warning +The certificate 3F2B…718/);
  });

  it('lists the places of a certificate\'s defect under its message: line, server and usages', () => {
    const out = lines(render());
    const row = out.findIndex((l) => l.endsWith('  signature-sha2'));
    const places = out.slice(row + 1).filter((l) => l.includes('↳'));
    // Under the message's column, as its continuation lines.
    const column = out[row + 1]!.search(/\S/);
    expect(places.slice(0, 2)).toEqual([`${' '.repeat(column)}↳ 27  fe01.contoso.com: Default, WebServicesInternal`, `${' '.repeat(column)}↳ 41  fe02.contoso.com: Default, OAuthTokenIssuer`]);
    // A finding of one server and no places shows none.
    const san = out.findIndex((l) => l.endsWith('  san-coverage'));
    expect(out.slice(san + 1, san + 4).some((l) => l.includes('↳'))).toBe(false);
  });

  it('shows the first ten places and counts the others', () => {
    const report = cleanReport();
    const base = contosoReport().findings.find((f) => f.ruleId === 'signature-sha2')!;
    const places = Array.from({ length: 12 }, (_, i) => ({ pool: 'pool01.contoso.com', server: `fe${String(i + 1).padStart(2, '0')}.contoso.com`, usages: ['Default' as const], location: { path: CONTOSO, line: 100 + i } }));
    report.findings = [{ ...base, places }];
    const out = lines(render(report));
    expect(out.filter((l) => l.includes('↳'))).toHaveLength(10);
    expect(out.find((l) => l.includes('↳ 109'))).toMatch(/fe10\.contoso\.com: Default$/);
    expect(out.at(-4)).toMatch(/^ +… and 2 more places \(the JSON and SARIF reports list them all\)$/);
  });

  it('counts unreadable inputs, and their errors when one input has several', () => {
    const report = contosoReport();
    report.inputErrors = [1, 2, 3].map((line) => ({ path: 'snapshots/big.yaml', line, message: 'servers: the list is empty' }));
    expect(lines(render(report))[1]).toBe('✖ 1 input could not be read (3 errors):');
  });

  it('shows input errors and rule failures first', () => {
    const out = lines(render());
    expect(out[0]).toBe('');
    expect(out[1]).toBe('✖ 2 inputs could not be read:');
    expect(out[2]).toMatch(/^ {2}snapshots\/lab\.yaml:7 +pools\[0\]\.servers\[0\]/);
    expect(out).toContain('  certs/edge-external.pfx  The password in EDGE_PFX_PASSWORD does not open this PKCS #12 file.');
    const failure = out.indexOf('✖ 1 rule failed, so its findings are incomplete:');
    expect(failure).toBeGreaterThan(2);
    expect(out[failure + 1]).toBe("  trusted-root-present  Cannot read properties of undefined (reading 'facts')");
    expect(failure).toBeLessThan(out.indexOf(CONTOSO));
  });

  it('leaves suppressed findings out and counts them under the summary', () => {
    const out = lines(render());
    expect(out.some((l) => l.includes('private-key-exportable'))).toBe(false);
    expect(out.some((l) => l.includes('edge01.contoso.com ›') || l.endsWith('› edge01.contoso.com'))).toBe(false);
    const summary = out.findIndex((l) => l.startsWith('✖ 9 problems'));
    expect(out[summary + 1]).toBe('  1 suppressed by the configuration, not shown');
  });

  it('summarises as ESLint does, with info findings counted when there are any', () => {
    expect(lines(render())).toContain('✖ 9 problems (5 errors, 3 warnings, 1 info)');
    const report = cleanReport();
    report.findings = contosoReport().findings.filter((f) => f.ruleId === 'san-coverage' || f.ruleId === 'certificate-expiry');
    expect(lines(render(report))).toContain('✖ 2 problems (1 error, 1 warning)');
    report.findings = report.findings.slice(0, 1);
    expect(plain(render(report)).trimEnd().split('\n').at(-1)).toBe('✖ 1 problem (1 error, 0 warnings)');
  });

  it('lists stale suppressions as a note, with where the configuration declares them', () => {
    const out = lines(render());
    const note = out.indexOf('1 suppression in the configuration matched no finding (remove or correct it):');
    expect(note).toBeGreaterThan(out.findIndex((l) => l.startsWith('✖ 9 problems')));
    expect(out[note + 1]).toMatch(/^ {2}sfb-certlint\.config\.yaml:18 {2}san-coverage \(fe09\.contoso\.com\): Decommissioned in 2024;/);
    const staleOnly = cleanReport();
    staleOnly.unusedSuppressions = contosoReport().unusedSuppressions;
    expect(lines(render(staleOnly))[1]).toMatch(/^1 suppression in the configuration matched no finding/);
  });

  it('writes no ANSI codes when colour is off', () => {
    expect(render(contosoReport(), false)).not.toMatch(/\u001b\[/);
  });

  it('colours severities when colour is on: errors red, warnings yellow, info cyan, rule ids dim', () => {
    const out = render(contosoReport(), true);
    expect(out).toContain('\u001b[31merror\u001b[39m');
    expect(out).toContain('\u001b[33mwarning\u001b[39m');
    expect(out).toContain('\u001b[36minfo\u001b[39m');
    expect(out).toContain('\u001b[2msan-coverage\u001b[22m');
    expect(out).toContain('\u001b[4msnapshots/contoso.yaml\u001b[24m');
    expect(plain(out)).toBe(render(contosoReport(), false));
  });

  it('colours the summary by the worst severity, as ESLint', () => {
    const report = cleanReport();
    report.findings = contosoReport().findings.filter((f) => f.severity === 'warning');
    expect(render(report, true)).toContain('\u001b[33m\u001b[1m✖ 3 problems (0 errors, 3 warnings)');
    expect(render(contosoReport(), true)).toContain('\u001b[31m\u001b[1m✖ 9 problems');
  });

  it('ends with a newline and starts with a blank line, as ESLint', () => {
    const out = render();
    expect(out.startsWith('\n')).toBe(true);
    expect(out.endsWith('\n')).toBe(true);
    expect(out.endsWith('\n\n')).toBe(false);
  });
});

describe('stylish: narrow terminals and many servers (QA run, issue 12)', () => {
  /** A certificate held by edge1 ... edge12, each with four usages: the engine lists its places in text order (edge1, edge10, edge11, edge12, edge2, ...). */
  function heldByTwelve(): LintReport {
    const report = cleanReport();
    const base = contosoReport().findings.find((f) => f.ruleId === 'signature-sha2')!;
    const names = Array.from({ length: 12 }, (_, i) => `edge${i + 1}.contoso.com`).sort();
    const places = names.map((server, i) => ({ pool: 'edgepool.contoso.com', server, usages: ['Internal', 'AccessEdgeExternal', 'DataEdgeExternal', 'AudioVideoAuthentication'] as const, location: { path: CONTOSO, line: 1000 + i * 40 } }));
    report.findings = [{ ...base, pool: 'edgepool.contoso.com', server: names[0]!, places: places.map((p) => ({ ...p, usages: [...p.usages] })) }];
    return report;
  }

  it('keeps every line, the places under a message and their count too, within the width (COLUMNS=60)', () => {
    for (const width of [60, 72, 100]) {
      const out = lines(format(heldByTwelve(), { color: false, width }));
      expect(out.filter((l) => columns(l) > width), `width ${width}`).toEqual([]);
      expect(out.join(' ').replace(/\s+/g, ' ')).toContain('… and 2 more places (the JSON and SARIF reports list them all)');
    }
  });

  it('lists places as people count servers: edge1 to edge10 shown, edge11 and edge12 counted', () => {
    const shown = lines(format(heldByTwelve(), { color: false })).filter((l) => l.includes('↳')).map((l) => /↳ \d+ +(\S+):/.exec(l)![1]);
    expect(shown).toEqual(Array.from({ length: 10 }, (_, i) => `edge${i + 1}.contoso.com`));
  });

  it('orders pools and servers as people count them (edgepool2 before edgepool16), deployment-wide findings first', () => {
    const report = cleanReport();
    const { pool: _pool, server: _server, ...base } = contosoReport().findings.find((f) => f.ruleId === 'san-coverage')!;
    const at = (pool: string | undefined, server?: string) => ({ ...base, ...(pool !== undefined && { pool }), ...(server !== undefined && { server }) });
    // In the engine's text order.
    report.findings = [at(undefined), at('edgepool16.contoso.com', 'edge16-1.contoso.com'), at('edgepool17.contoso.com', 'edge17-1.contoso.com'), at('edgepool2.contoso.com', 'edge2-10.contoso.com'), at('edgepool2.contoso.com', 'edge2-9.contoso.com'), at('edgepool23.contoso.com')];
    const headings = lines(format(report, { color: false })).filter((l) => /^ {2}edgepool/.test(l));
    expect(headings.map((h) => h.trim().split(/\s{2,}/)[0])).toEqual([
      'edgepool2.contoso.com › edge2-9.contoso.com',
      'edgepool2.contoso.com › edge2-10.contoso.com',
      'edgepool16.contoso.com › edge16-1.contoso.com',
      'edgepool17.contoso.com › edge17-1.contoso.com',
      'edgepool23.contoso.com',
    ]);
    // The deployment-wide finding comes before every heading.
    const out = lines(format(report, { color: false }));
    expect(out.findIndex((l) => l.endsWith('san-coverage'))).toBeLessThan(out.findIndex((l) => l.includes('edgepool2.contoso.com')));
  });
});
