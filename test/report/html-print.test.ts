/**
 * The HTML report as it prints: Chromium laid out for print media (test/report/browser.ts) at the width
 * of a landscape page's printable area, so what falls outside it would be lost on paper.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { format } from '../../src/report/html.js';
import type { LintReport } from '../../src/report/types.js';
import { chromiumFor, launch, open, PRINT_WIDTH } from './browser.js';
import { contosoReport } from './helpers.js';

const executable = chromiumFor('html-print.test.ts');

function reportFile(report: LintReport): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sfb-print-')), 'report.html');
  writeFileSync(path, format(report, { color: false }));
  return path;
}

/** A run over `count` pools of long names (one a single unbroken word), every role in turn, with a finding and a suppressed one. */
function manyPools(count: number, rules = contosoReport().rules): LintReport {
  const roles = ['FrontEnd', 'Director', 'Edge', 'Mediation'] as const;
  const pools = Array.from({ length: count }, (_, i) => ({
    fqdn: i === 1 ? 'a-pool-name-far-longer-than-any-column-of-the-matrix-could-hold.emea.contoso-international.com' : `frontend-pool-${String(i + 1).padStart(2, '0')}.emea.contoso-international.com`,
    role: roles[i % roles.length]!,
    servers: [{ fqdn: `fe${i + 1}.contoso.com` }],
  }));
  const base = contosoReport();
  return { ...base, rules, inputErrors: [], ruleFailures: [], unusedSuppressions: [], inputs: [{ snapshot: 'snapshots/big.yaml', certificateFiles: [], pools }], findings: [] };
}

/** The boxes (in CSS pixels) of what the matrix shows, laid out for print at `width`. */
async function matrixBoxes(page: Page, width: number) {
  await page.setViewportSize({ width: Math.floor(width), height: 900 });
  await page.emulateMedia({ media: 'print' });
  return page.$$eval('#matrix th, #matrix td, #matrix code', (elements) =>
    elements.map((e) => {
      const box = e.getBoundingClientRect();
      return { text: e.textContent!.trim(), tag: e.tagName, rule: e.closest('[data-rule]')?.getAttribute('data-rule') ?? null, left: box.left, right: box.right, width: box.width, height: box.height };
    }),
  );
}

describe.skipIf(!executable)('the compliance matrix in print', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch(executable);
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const [paper, width] of Object.entries(PRINT_WIDTH)) {
    it(`turned round (40 pools), shows every rule's column on a landscape ${paper} page`, async () => {
      const report = manyPools(40);
      const { page, problems } = await open(browser, reportFile(report));
      const boxes = await matrixBoxes(page, width);
      const headings = boxes.filter((b) => b.tag === 'CODE');
      // Every rule that ran heads a column, once, and the whole of its id is on the page.
      expect(headings.map((b) => b.text)).toEqual(report.rules.map((r) => r.id));
      for (const b of boxes) {
        expect(b.left, b.text).toBeGreaterThanOrEqual(0);
        expect(b.right, b.text).toBeLessThanOrEqual(width);
        expect(b.width * b.height, b.text).toBeGreaterThan(0);
      }
      expect(boxes.filter((b) => b.tag === 'TD')).toHaveLength(40 * report.rules.length);
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it('with more rules than a page holds (plug-ins), splits the rules into tables of every pool, and loses none', async () => {
    const rules = contosoReport().rules;
    const more = [...rules, ...rules.slice(0, 12).map((r) => ({ ...r, id: `acme/${r.id}` }))];
    const { page } = await open(browser, reportFile(manyPools(12, more)));
    const boxes = await matrixBoxes(page, PRINT_WIDTH.letter);
    expect(await page.$$eval('#matrix table', (t) => t.length)).toBe(2);
    expect(boxes.filter((b) => b.tag === 'CODE').map((b) => b.text)).toEqual(more.map((r) => r.id));
    for (const b of boxes) expect([b.left >= 0, b.right <= PRINT_WIDTH.letter], b.text).toEqual([true, true]);
    await page.close();
  });

  it('with eight pools of long names (a column each), shows every pool and rule on a landscape Letter page', async () => {
    const report = manyPools(8);
    const { page } = await open(browser, reportFile(report));
    const boxes = await matrixBoxes(page, PRINT_WIDTH.letter);
    expect(await page.$$eval('#matrix thead th .pool', (p) => p.map((e) => e.textContent))).toEqual(report.inputs[0]!.pools!.map((p) => p.fqdn));
    expect(boxes.filter((b) => b.tag === 'CODE').map((b) => b.text)).toEqual(report.rules.map((r) => r.id));
    for (const b of boxes) expect([b.left >= 0, b.right <= PRINT_WIDTH.letter], b.text).toEqual([true, true]);
    await page.close();
  });
});

describe.skipIf(!executable)('the file digests in print', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch(executable);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('of 300 files come last, in the appendix, and the summary starts on the first page', async () => {
    const files = Array.from({ length: 300 }, (_, i) => ({ path: `snapshots/big/certs/${String(i).padStart(40, '0')}.cer`, kind: 'certificate' as const, sha256: 'AB'.repeat(32), bytes: 1210 }));
    const report: LintReport = { ...manyPools(3), run: { timeSource: 'option', rules: [], configurations: [], plugins: [], files: [{ path: 'snapshots/big.yaml', kind: 'snapshot', sha256: 'CD'.repeat(32), bytes: 90_000 }, ...files] } };
    const { page } = await open(browser, reportFile(report));
    await page.setViewportSize({ width: Math.floor(PRINT_WIDTH.a4), height: 900 });
    await page.emulateMedia({ media: 'print' });
    // The page is not scrolled: the top of an element is its distance from the top of the document.
    const top = (selector: string) => page.$eval(selector, (e) => e.getBoundingClientRect().top);
    // A landscape A4 page holds 183 mm (210 less the 12 and 15 mm margins) of the report: 691 px.
    expect(await top('#summary')).toBeLessThan((183 / 25.4) * 96);
    // The header says where the digests are and keeps the snapshot's.
    expect(await page.innerText('#top dl')).toContain('301 files: 1 snapshot, 300 certificate files; the SHA-256 of each in the appendix');
    expect(await page.innerText('#top dl')).toContain('CD'.repeat(32));
    const order = await page.$$eval('main > details.section', (sections) => sections.map((s) => s.id));
    expect(order.at(-1)).toBe('digests');
    expect(await page.$$eval('#digests table.files tbody tr', (rows) => rows.length)).toBe(301);
    await page.close();
  });
});

describe.skipIf(!executable)('the compliance matrix on screen', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch(executable);
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const count of [3, 12]) {
    it(`puts each pool's role on a line below its name (${count} pools: ${count > 8 ? 'a row' : 'a column'} per pool)`, async () => {
      const { page } = await open(browser, reportFile(manyPools(count)));
      const lines = await page.$$eval('#matrix .pool', (pools) =>
        pools.map((pool) => {
          const role = pool.nextElementSibling!;
          return { text: `${pool.textContent} ${role.textContent}`, below: role.getBoundingClientRect().top >= pool.getBoundingClientRect().bottom - 0.5 };
        }),
      );
      expect(lines).toHaveLength(count);
      for (const line of lines) expect(line.below, line.text).toBe(true);
      // As a reader copies it: name and role apart.
      expect(await page.$eval('#matrix .pool', (pool) => pool.parentElement!.innerText)).toBe('frontend-pool-01.emea.contoso-international.com\nFrontEnd');
      await page.close();
    });
  }
});
