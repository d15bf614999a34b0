#!/usr/bin/env node
// Makes the README's picture of the HTML report: lints examples/contoso at a fixed time into an HTML
// report, opens it in headless Chromium (Debian's `chromium`, or CHROMIUM=path) and writes
// docs/images/html-report.png. With --pdf FILE it also prints the report to PDF, with --full a
// screenshot of the whole page.
//
//   npm run build && node scripts/report-screenshot.mjs [--out FILE] [--pdf FILE] [--full] [--snapshot DIR]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(ROOT, 'docs/images/html-report.png') },
    pdf: { type: 'string' },
    full: { type: 'boolean', default: false },
    snapshot: { type: 'string', default: 'examples/contoso' },
    width: { type: 'string', default: '1360' },
    height: { type: 'string', default: '1500' },
  },
});

const dir = mkdtempSync(join(tmpdir(), 'sfb-report-'));
const report = join(dir, 'report.html');
try {
  try {
    execFileSync(process.execPath, [join(ROOT, 'bin/sfb-certlint.js'), 'lint', values.snapshot, '--now', '2026-01-31T00:00:00Z', '--format', 'html', '--output', report], {
      cwd: ROOT,
      env: { ...process.env, CONTOSO_PFX_PASSWORD: 'contoso' },
      stdio: 'inherit',
    });
  } catch (e) {
    // Exit code 1: the example has findings by design.
    if (e.status !== 1) throw e;
  }
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: Number(values.width), height: Number(values.height) }, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(report).href);
    await page.screenshot({ path: values.out, fullPage: values.full });
    if (values.pdf) await page.pdf({ path: values.pdf, format: 'A4', landscape: true, printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
  process.stdout.write(`${values.out}${values.pdf ? `\n${values.pdf}` : ''}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
