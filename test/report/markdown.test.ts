import MarkdownIt from 'markdown-it';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { placesOf } from '../../src/engine/types.js';
import { lint } from '../../src/index.js';
import { code, format, MAX_MARKDOWN_BYTES, text as mdText } from '../../src/report/markdown.js';
import type { LintReport } from '../../src/report/types.js';
import { BUILT_IN_RULES } from '../../src/rules/index.js';
import { all, parseHtml, tag, text, type Element } from './html-dom.js';
import { contosoReport } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ENV = { CONTOSO_PFX_PASSWORD: 'contoso' };
const NOW = new Date('2026-01-31T00:00:00Z');

/** Markdown as GitHub renders it (markdown-it's CommonMark with GFM tables; raw HTML allowed, as GitHub allows some). */
const markdown = new MarkdownIt({ html: true, linkify: true });
const rendered = (md: string): Element => parseHtml(`<!doctype html><html><body>${markdown.render(md)}</body></html>`);

/** The rows of the first table after the heading with this text, as cell texts. */
function tableAfter(doc: Element, heading: string): string[][] {
  const nodes = all(doc, (e) => ['h1', 'h2', 'h3', 'table'].includes(e.tagName));
  const start = nodes.findIndex((e) => e.tagName !== 'table' && text(e) === heading);
  const table = nodes.slice(start + 1).find((e) => e.tagName === 'table')!;
  return all(table, tag('tr')).map((tr) => all(tr, (e) => e.tagName === 'td' || e.tagName === 'th').map(text));
}

async function report(target: string, now = NOW): Promise<LintReport> {
  return lint({ targets: [target], cwd: ROOT, env: ENV, now });
}

describe('the Markdown report of examples/contoso', () => {
  let doc: Element;
  let md: string;
  let result: LintReport;
  beforeAll(async () => {
    result = await report('examples/contoso');
    md = format(result, { color: false });
    doc = rendered(md);
  });

  it('opens with the deployment, the verdict and the counts', () => {
    expect(text(all(doc, tag('h1'))[0]!)).toBe('Certificate compliance: Contoso (with faults)');
    expect(text(all(doc, tag('strong'))[0]!)).toBe('Fail: 6 errors, 0 warnings');
    expect(tableAfter(doc, 'Certificate compliance: Contoso (with faults)')).toEqual([
      ['Errors', 'Warnings', 'Info', 'Suppressed'],
      ['6', '0', '0', '0'],
    ]);
  });

  it('has the compliance matrix as a table: a row per rule, a column per pool', () => {
    const rows = tableAfter(doc, 'Compliance matrix');
    expect(rows[0]).toEqual(['Rule', 'pool01.contoso.com', 'dirpool.contoso.com', 'edgepool.contoso.com', 'med.contoso.com']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(BUILT_IN_RULES.map((r) => r.meta.id));
    const cell = (rule: string, pool: string) => rows.find((r) => r[0] === rule)![rows[0]!.indexOf(pool)];
    expect(cell('key-size', 'med.contoso.com')).toBe('❌ 1');
    expect(cell('key-size', 'pool01.contoso.com')).toBe('✅');
    expect(cell('signature-sha2', 'dirpool.contoso.com')).toBe('❌ 1');
    expect(cell('private-key-exportable', 'edgepool.contoso.com')).toBe('❌ 1');
    expect(cell('edge-pool-same-certificate', 'pool01.contoso.com')).toBe('n/a');
    expect(rows.every((r) => r.length === 5)).toBe(true);
  });

  it('lists each finding under its rule, with the requirement and a link to the fix', () => {
    for (const f of result.findings) {
      const rows = tableAfter(doc, `${f.ruleId}: 1 finding`);
      expect(rows[0]).toEqual(['Severity', 'Finding', 'Where', 'Certificate']);
      expect(rows[1]![0]).toBe(f.severity);
      expect(rows[1]![1]).toBe(f.message);
      expect(rows[1]![2]).toContain(f.server!);
      if (f.thumbprint) expect(rows[1]![3]).toContain(f.thumbprint);
    }
    const link = all(doc, tag('a')).find((a) => text(a) === 'how to fix' && a.attrs.some((x) => x.value.includes('key-size.md#how-to-fix')));
    expect(link).toBeDefined();
  });

  it('says when no certificate in use expires soon', () => {
    expect(md).toContain('No certificate in use has expired or expires within 30 days; the next expires on 2049-12-31.');
  });

  it('ends with the SHA-256 of every file read, which the opening points to', () => {
    expect(md).toContain('15 files: 1 snapshot, 12 certificate files, 1 configuration, 1 public root file: the SHA-256 of each under [Appendix: file digests](#appendix-file-digests).');
    expect(all(doc, tag('h2')).map(text).at(-1)).toBe('Appendix: file digests');
    const rows = tableAfter(doc, 'Appendix: file digests');
    expect(rows[0]).toEqual(['File', 'Read as', 'SHA-256', 'Bytes']);
    expect(rows).toHaveLength(16);
    // Each file's digest and size as node:crypto and the file system give them.
    for (const [path, , sha256, size] of rows.slice(1)) {
      const bytes = readFileSync(join(ROOT, path!));
      expect([sha256, size], path).toEqual([createHash('sha256').update(bytes).digest('hex').toUpperCase(), String(bytes.length)]);
    }
  });
});

describe('the Markdown report near expiry', () => {
  it('lists the certificates in use that expire within the window', async () => {
    // Every example certificate expires 2049-12-31T23:59:59Z; ten are assigned (examples/README.md).
    const doc = rendered(format(await report('examples/contoso-clean', new Date('2049-12-20T00:00:00Z')), { color: false }));
    const rows = tableAfter(doc, 'Expiring certificates');
    expect(rows[0]).toEqual(['Certificate', 'Thumbprint', 'Expires', 'Days left', 'Assigned to']);
    expect(rows.slice(1).map((r) => [r[2], r[3]])).toEqual(rows.slice(1).map(() => ['2049-12-31', '11']));
    expect(rows.slice(1).some((r) => r[0]!.startsWith('CN=av.contoso.com') && r[4] === 'edge01.contoso.com: AudioVideoAuthentication edge02.contoso.com: AudioVideoAuthentication')).toBe(true);
  });
});

describe('the Markdown report of hostile names (fixtures/report/hostile)', () => {
  it('renders every value as the text it is: no tag, no broken table, no reordered text', async () => {
    const md = format(await report('fixtures/report/hostile', new Date('2030-06-15T00:00:00Z')), { color: false });
    const html = markdown.render(md);
    expect(html).not.toMatch(/<(script|img|b)[\s>]/);
    const doc = rendered(md);
    expect(text(all(doc, tag('h1'))[0]!)).toBe("Certificate compliance: </title><script>alert('name')</script>");
    const rows = tableAfter(doc, 'Expiring certificates');
    // The pipe in the Subject stays in its cell: five columns.
    expect(rows.map((r) => r.length)).toEqual([5, 5]);
    expect(rows[1]![0]).toBe('CN="<script>alert(""cn"")</script>", OU=a | b ` c \\E2\\80\\AEgnp.exe, O="""><img src=x onerror=alert(1)>", C=US');
    expect(md).not.toContain('\u202e');
  });

  it('escapes what makes Markdown, and keeps a code span whole whatever backticks it holds', () => {
    for (const value of ['*a* _b_ [c](http://x) <i>d</i> `e` ~f~ | g & h', '# heading', '1. item', '- item', '> quote']) {
      const doc = rendered(`${mdText(value)}\n`);
      // One paragraph holding exactly the value: no heading, list, quote, link, emphasis or tag made of it
      // (a URL may show as a link to itself, as GitHub shows any URL in text).
      const made = all(doc, (e) => !['html', 'head', 'body', 'p'].includes(e.tagName));
      expect(made.filter((e) => !(e.tagName === 'a' && e.attrs.find((a) => a.name === 'href')?.value === text(e)))).toEqual([]);
      expect(text(doc)).toBe(value);
    }
    for (const value of ['a`b', '``', '`x`', 'a | b']) {
      const cell = all(rendered(`| h |\n| --- |\n| ${code(value)} |\n`), tag('code'))[0]!;
      expect(text(cell)).toBe(value);
    }
  });
});

describe('the Markdown report of many pools', () => {
  it('turns the matrix round past eight pools: a row per pool, a column per rule', () => {
    const base = contosoReport();
    const pools = Array.from({ length: 12 }, (_, i) => ({ fqdn: `pool${String(i + 1).padStart(2, '0')}.contoso.com`, role: 'FrontEnd' as const, servers: [{ fqdn: `fe${i + 1}.contoso.com` }] }));
    const many: LintReport = { ...base, inputErrors: [], ruleFailures: [], findings: [], unusedSuppressions: [], inputs: [{ snapshot: 'snapshots/big.yaml', certificateFiles: [], pools }] };
    const rows = tableAfter(rendered(format(many, { color: false })), 'Compliance matrix');
    expect(rows[0]![0]).toBe('Pool');
    expect(rows[0]!.slice(1)).toEqual(base.rules.map((r) => r.id));
    expect(rows.slice(1).map((r) => r[0])).toEqual(pools.map((p) => p.fqdn));
  });
});

/** GitHub's limit on a comment, an issue or a pull request's description, in characters. */
const GITHUB_COMMENT_LIMIT = 65_536;

/** Under GitHub's limit however characters are counted: UTF-8 bytes, UTF-16 code units, code points. */
function expectUnderGitHubLimit(md: string) {
  expect(Buffer.byteLength(md, 'utf8')).toBeLessThan(GITHUB_COMMENT_LIMIT);
  expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
  expect([...md].length).toBeLessThan(GITHUB_COMMENT_LIMIT);
}

describe('the Markdown report of 1,000 servers (bench/generate.mjs deployment 1000)', () => {
  let result: LintReport;
  let md: string;
  let doc: Element;
  beforeAll(async () => {
    // Made once and kept under bench/out/, as the benchmarks keep it.
    const folder = execFileSync(process.execPath, ['bench/generate.mjs', 'deployment', '1000'], { cwd: ROOT, encoding: 'utf8' }).trim();
    result = await lint({ targets: [relative(ROOT, folder)], cwd: ROOT, env: {}, now: new Date('2026-01-01T00:00:00Z') });
    md = format(result, { color: false });
    doc = rendered(md);
  }, 120_000);

  it("fits a GitHub comment (gh pr comment --body-file), though its file digests alone would not", () => {
    expectUnderGitHubLimit(md);
    expect(MAX_MARKDOWN_BYTES).toBeLessThan(GITHUB_COMMENT_LIMIT);
    // Every file's path and the 64 hex digits of its SHA-256, and nothing else, would be over the limit.
    expect(result.run!.files.reduce((n, f) => n + f.path.length + 64, 0)).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
  });

  it('keeps the verdict and the counts whole', () => {
    const count = (severity: string) => result.findings.filter((f) => f.severity === severity && !f.suppression).length;
    expect(text(all(doc, tag('strong'))[0]!)).toBe(`Fail: ${count('error')} errors, ${count('warning')} warnings`);
    expect(tableAfter(doc, 'Certificate compliance: Synthetic 1000')[1]).toEqual([String(count('error')), String(count('warning')), String(count('info')), '0']);
  });

  it('heads every rule with all its findings, shows some, and counts the rest', () => {
    const byRule = new Map<string, number>();
    for (const f of result.findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
    expect(byRule.size).toBeGreaterThan(10);
    for (const [rule, total] of byRule) {
      const heading = `${rule}: ${total} finding${total === 1 ? '' : 's'}`;
      expect(all(doc, tag('h3')).map(text), rule).toContain(heading);
      const shown = tableAfter(doc, heading).length - 1;
      const more = md.match(new RegExp(`… and (\\d+) more findings of ${rule}, see the HTML or JSON report\\.`));
      expect(shown + Number(more?.[1] ?? 0), rule).toBe(total);
    }
    expect(md).toMatch(/… and \d+ more findings of/);
  });

  it('lists in the matrix the pools with findings, and says how many pass and are left out', () => {
    const pools = result.inputs[0]!.pools!.map((p) => p.fqdn);
    const concerned = new Set(result.findings.flatMap((f) => placesOf(f).map((p) => p.pool)).filter((p) => p !== undefined));
    expect(md).toContain(`${pools.length - concerned.size} of the ${pools.length} pools pass every rule that applies to them and are left out here; the HTML report shows them.`);
    const rows = tableAfter(doc, 'Compliance matrix');
    expect(rows[0]!.slice(1)).toEqual(result.rules.map((r) => r.id));
    for (const row of rows.slice(1)) expect(concerned.has(row[0]!), row[0]).toBe(true);
    const more = Number(md.match(/… and (\d+) more pools with findings, see the HTML or JSON report\./)?.[1] ?? 0);
    expect(rows.length - 1 + more).toBe(concerned.size);
  });

  it('renders every table whole: each row as many cells as its heading', () => {
    for (const table of all(doc, tag('table'))) {
      const widths = all(table, tag('tr')).map((tr) => all(tr, (e) => e.tagName === 'td' || e.tagName === 'th').length);
      expect(new Set(widths).size).toBe(1);
    }
  });
});

describe('the Markdown report of values too large for any table', () => {
  it('is cut at a whole line under the limit, and says where the rest is', () => {
    const base = contosoReport();
    // A plug-in's 300 rules, each with a finding and a description of 1,400 characters: too long even with no table row.
    const huge = '<b>x</b> | * '.repeat(100);
    const rules = [...base.rules, ...Array.from({ length: 300 }, (_, i) => ({ ...base.rules[0]!, id: `acme/policy-rule-number-${i}`, description: `${i} ${huge}` }))];
    const findings = rules.slice(base.rules.length).map((r) => ({ ...base.findings[1]!, ruleId: r.id, message: huge }));
    const md = format({ ...base, rules, findings }, { color: false });
    expectUnderGitHubLimit(md);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(MAX_MARKDOWN_BYTES);
    expect(md.endsWith('\n\n*The report was cut here to stay within the size of a GitHub comment: the HTML and JSON reports hold all of it.*\n')).toBe(true);
    expect(markdown.render(md)).not.toMatch(/<b>/);
    // A deployment name longer than the limit leaves the note alone.
    const named = format({ ...base, inputs: [{ ...base.inputs[0]!, name: 'n'.repeat(100_000) }] }, { color: false });
    expect(named).toBe('*The report was cut here to stay within the size of a GitHub comment: the HTML and JSON reports hold all of it.*\n');
  });
});
