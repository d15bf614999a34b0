/**
 * The HTML report in a real browser: headless Chromium (test/report/browser.ts). Without a browser the
 * tests are skipped, and say so.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/index.js';
import { format } from '../../src/report/html.js';
import { chromiumFor, launch, open } from './browser.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ENV = { CONTOSO_PFX_PASSWORD: 'contoso' };
const executable = chromiumFor('html-browser.test.ts');

async function reportFile(target: string, now: string): Promise<string> {
  const report = await lint({ targets: [target], cwd: ROOT, env: ENV, now: new Date(now) });
  const path = join(mkdtempSync(join(tmpdir(), 'sfb-browser-')), 'report.html');
  writeFileSync(path, format(report, { color: false }));
  return path;
}

const visibleRows = (page: Page, selector: string) => page.$$eval(selector, (rows) => rows.filter((r) => !r.hasAttribute('hidden')).map((r) => r.getAttribute('data-certificate') ?? r.textContent ?? ''));

describe.skipIf(!executable)('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let contoso: string;
  beforeAll(async () => {
    browser = await launch(executable);
    contoso = await reportFile('examples/contoso', '2026-01-31T00:00:00Z');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens with no console error and no request but its own file, and the script runs', async () => {
    const { page, problems, requests } = await open(browser, contoso);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(contoso).href]);
    // The script ran (the policy allowed it): the filters it shows are visible.
    expect(await page.isVisible('[data-filter="inventory-table"]')).toBe(true);
    await page.close();
  });

  it('sorts the inventory by a column and filters it by text', async () => {
    const { page, problems } = await open(browser, contoso);
    await page.click('#inventory-table th:nth-child(3) button.sort');
    const keys = await page.$$eval('#inventory-table tbody tr td:nth-child(3)', (cells) => cells.map((c) => c.textContent!.trim()));
    // By key: the Mediation server's 1024-bit key first among the RSA keys, the 4096-bit roots last.
    expect(keys[0]).toBe('RSA 1024');
    expect(keys.at(-1)).toBe('RSA 4096');
    expect(await page.getAttribute('#inventory-table th:nth-child(3)', 'aria-sort')).toBe('ascending');
    await page.fill('[data-filter="inventory-table"] input', 'edge02 AudioVideoAuthentication');
    // Only the A/V certificate is assigned on edge02 for A/V authentication.
    expect(await visibleRows(page, '#inventory-table tbody tr')).toEqual(['46CCE54AB04A29313ADC147198CC05995C779346']);
    expect(await page.textContent('[data-filter="inventory-table"] .shown')).toBe('1 of 14 shown');
    await page.fill('[data-filter="inventory-table"] input', '');
    expect(await visibleRows(page, '#inventory-table tbody tr')).toHaveLength(14);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('takes a screenshot and prints to PDF, every collapsed part open and the navigation left out', async () => {
    const { page, problems } = await open(browser, contoso);
    const png = await page.screenshot();
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.length).toBeGreaterThan(20_000);
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('nav.toc')).toBe(false);
    // The file digests, the appendix at the end, print too.
    expect(await page.isVisible('#digests table.files')).toBe(true);
    const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // Pages: the /Type /Page objects (not /Pages).
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)!.length).toBeGreaterThan(3);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('runs nothing from hostile names: no dialog, the Subject shown as text', async () => {
    const hostile = await reportFile('fixtures/report/hostile', '2030-06-15T00:00:00Z');
    const { page, problems, requests } = await open(browser, hostile);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(hostile).href]);
    expect(await page.textContent('h1')).toBe("</title><script>alert('name')</script>");
    expect(await page.$$eval('script', (s) => s.length)).toBe(1);
    expect(await page.textContent('#inventory-table')).toContain('<script>alert(""cn"")</script>');
    await page.close();
  });
});
