/**
 * Headless Chromium for the HTML report tests (Debian's `chromium` package; CI installs it, .ci/run).
 * Without a browser the tests that need one are skipped, and say so.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string => !!p);

/** The browser found, or undefined (after a warning naming `file`, whose tests are skipped). */
export function chromiumFor(file: string): string | undefined {
  const executable = CANDIDATES.find((p) => existsSync(p));
  if (!executable) console.warn(`${file} skipped: no Chromium at ${CANDIDATES.join(', ')} (apt-get install chromium, or set CHROMIUM=path)`);
  return executable;
}

export const launch = (executable: string | undefined): Promise<Browser> => chromium.launch({ executablePath: executable!, args: ['--no-sandbox'] });

/**
 * The width of a page's printable area in CSS pixels (96 to the inch), landscape, less the report's
 * @page margins (11 mm left and right): A4 297 mm, Letter 279.4 mm. Letter is the narrower.
 */
export const PRINT_WIDTH = { a4: ((297 - 22) / 25.4) * 96, letter: ((279.4 - 22) / 25.4) * 96 };

/** A page that records what a report must never do: log an error, load anything, open a dialog. */
export async function open(browser: Browser, path: string, viewport = { width: 1360, height: 1000 }) {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  return { page, problems, requests };
}
