#!/usr/bin/env node
// `npm run bench`: throughput, cold start and scale of the built CLI (dist/), as whole processes.
// Each benchmark's commands run alternately, in a rotating order, after one untimed warm-up each; the
// median of --runs runs is reported. These are benchmarks, not tests: nothing fails on a slow run, and
// the ratios against the goals are printed and written to bench/out/results.json.
//
//   node bench/run.mjs [--runs 5] [--only throughput,cold-start,scale,report] [--bundles 2000,20000] [--servers 100,1000,10000]
//                      [--report-servers 1000]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { bundle, deployment, GENERATOR_VERSION, NOW, OUT } from './generate.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin/sfb-certlint.js');
const NATIVE = join(ROOT, 'bench/native-x509.mjs');
const CONTOSO = join(ROOT, 'examples/contoso');

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    only: { type: 'string', default: 'throughput,cold-start,scale,report' },
    bundles: { type: 'string', default: '2000,20000' },
    servers: { type: 'string', default: '100,1000,10000' },
    'report-servers': { type: 'string', default: '1000' },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${values.runs}: expected a whole number of runs, at least 1`);
const only = new Set(values.only.split(','));
const sizes = (list) => list.split(',').map(Number);

const GOALS = { throughputRatio: 0.5, coldStartRatio: 5, scaleSeconds: 10, scaleGrowth: 12, reportSeconds: 5, pageSeconds: 2 };

/** A command: node with these arguments, and the exit codes that mean it did its job. */
const command = (label, args, { env = {}, ok = [0] } = {}) => ({ label, args, env: { ...process.env, NO_COLOR: '1', ...env }, ok });

/**
 * CPU time (user + system, ms) of the children waited for so far, from /proc/self/stat on Linux (null
 * elsewhere). On a shared machine wall time includes waiting for a core; CPU time does not.
 */
function childrenCpuMs() {
  try {
    // Fields after the parenthesised command name: cutime and cstime are the 14th and 15th.
    const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /s, '').split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
/** USER_HZ: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS = 100;

function spawn(cmd, stdout) {
  const cpuBefore = childrenCpuMs();
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, cmd.args, { cwd: ROOT, env: cmd.env, stdio: ['ignore', stdout, 'pipe'], maxBuffer: 2 ** 30 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (!cmd.ok.includes(result.status)) {
    throw new Error(`${cmd.label}: exit code ${result.status}${result.signal ? ` (${result.signal})` : ''}\n${result.stderr}`);
  }
  const cpuAfter = childrenCpuMs();
  return { ms, cpuMs: cpuBefore === null ? null : cpuAfter - cpuBefore, stdout: result.stdout };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Times the commands alternately: each round runs all of them, starting one further along, so a
 * burst of load from other processes spreads over all of them instead of one. Output goes to
 * /dev/null; `check` (if any) sees each command's output once, from the warm-up.
 */
function measure(commands, check) {
  for (const cmd of commands) {
    const { stdout } = spawn(cmd, check ? 'pipe' : 'ignore');
    check?.(cmd, stdout);
  }
  const samples = commands.map(() => []);
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < commands.length; k++) {
      const i = (r + k) % commands.length;
      samples[i].push(spawn(commands[i], 'ignore'));
      process.stderr.write('.');
    }
  }
  process.stderr.write('\n');
  return commands.map((cmd, i) => {
    const wall = samples[i].map((s) => s.ms);
    const cpu = samples[i].map((s) => s.cpuMs);
    return {
      label: cmd.label,
      medianMs: round(median(wall)),
      minMs: round(Math.min(...wall)),
      cpuMedianMs: cpu.includes(null) ? null : round(median(cpu)),
      samplesMs: wall.map((x) => round(x)),
    };
  });
}

const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const n = (x) => x.toLocaleString('en-US');
const verdict = (met) => (met ? 'met' : 'MISSED');
/** a / b by wall time, and by CPU time where it was measured. */
const ratios = (a, b) => ({ ratio: round(a.medianMs / b.medianMs, 2), cpuRatio: a.cpuMedianMs && b.cpuMedianMs ? round(a.cpuMedianMs / b.cpuMedianMs, 2) : null });

function throughput() {
  return sizes(values.bundles).map((count) => {
    const path = bundle(count);
    const [ours, native] = measure(
      [command(`inspect ${n(count)}`, [CLI, 'inspect', path, '--format', 'json']), command(`X509Certificate ${n(count)}`, [NATIVE, path])],
      (cmd, stdout) => {
        const read = cmd.args[0] === CLI ? JSON.parse(stdout).length : Number(String(stdout).split(' ')[0]);
        if (read !== count) throw new Error(`${cmd.label} read ${read} certificates, not ${count}`);
      },
    );
    const perSecond = (r) => Math.round(count / (r.medianMs / 1000));
    // Throughput is the inverse of time: our throughput over native's is native's time over ours.
    const { ratio, cpuRatio } = ratios(native, ours);
    return {
      certificates: count,
      sfbCertlint: { ...ours, certsPerSecond: perSecond(ours) },
      native: { ...native, certsPerSecond: perSecond(native) },
      ratio,
      cpuRatio,
      goal: `>= ${GOALS.throughputRatio}`,
      met: ratio >= GOALS.throughputRatio,
    };
  });
}

function coldStart() {
  // The example deployment has error findings by design: exit code 1.
  const lint = (label, env = {}) => command(label, [CLI, 'lint', CONTOSO, '--now', NOW], { env: { CONTOSO_PFX_PASSWORD: 'contoso', ...env }, ok: [1] });
  const commands = [command('node -e 0', ['-e', '0']), command('sfb-certlint --version', [CLI, '--version']), lint('sfb-certlint lint examples/contoso')];
  // Node loads the certificates NODE_EXTRA_CA_CERTS names as it starts, which makes a bare start several
  // times slower: where it is set, both are timed without it too (undefined removes it from the child's environment).
  const extraCa = process.env.NODE_EXTRA_CA_CERTS !== undefined;
  const unset = { NODE_EXTRA_CA_CERTS: undefined };
  if (extraCa) commands.push(command('node -e 0 (no NODE_EXTRA_CA_CERTS)', ['-e', '0'], { env: unset }), lint('lint examples/contoso (no NODE_EXTRA_CA_CERTS)', unset));
  const [bare, version, configured, bareClean, clean] = measure(commands);
  const pair = (environment, node, run) => {
    const r = ratios(run, node);
    return { environment, node, lint: run, ...r, goal: `<= ${GOALS.coldStartRatio}x`, met: r.ratio <= GOALS.coldStartRatio };
  };
  return {
    version: { ...version, ...ratios(version, bare) },
    pairs: [pair('as configured', bare, configured), ...(extraCa ? [pair('NODE_EXTRA_CA_CERTS unset', bareClean, clean)] : [])],
  };
}

function scale() {
  const list = sizes(values.servers).map((servers) => ({ servers, path: deployment(servers) }));
  const timed = measure(
    list.map(({ servers, path }) => command(`lint ${n(servers)} servers`, [CLI, 'lint', path, '--now', NOW], { ok: [1] })),
    (cmd, stdout) => {
      if (!String(stdout).includes('problems')) throw new Error(`${cmd.label}: no findings reported`);
    },
  );
  const rows = list.map(({ servers, path }, i) => ({ servers, certificateFiles: readdirSync(join(path, 'certs')).length, ...timed[i] }));
  const at = (count) => rows.find((r) => r.servers === count);
  const big = at(10_000);
  const growth = big && at(1_000) ? ratios(big, at(1_000)) : null;
  return {
    rows,
    tenThousand: big ? { seconds: round(big.medianMs / 1000, 2), cpuSeconds: big.cpuMedianMs && round(big.cpuMedianMs / 1000, 2), goal: `< ${GOALS.scaleSeconds} s`, met: big.medianMs < GOALS.scaleSeconds * 1000 } : null,
    growth: growth && { ...growth, goal: `<= ${GOALS.scaleGrowth}x`, met: growth.ratio <= GOALS.scaleGrowth },
  };
}

/**
 * The report formats on a large deployment: the whole lint written as stylish, JSON, SARIF, HTML and
 * Markdown (`--output` to a file), then the HTML page in headless Chromium, when there is one: the time
 * to load it, to sort the inventory and to filter it.
 */
async function reportFormats() {
  const rows = [];
  for (const servers of sizes(values['report-servers'])) {
    const path = deployment(servers);
    const file = (format) => join(OUT, `report-${servers}.${format}`);
    const formats = ['stylish', 'json', 'sarif', 'html', 'markdown'];
    const timed = measure(formats.map((format) => command(`lint ${n(servers)} servers --format ${format}`, [CLI, 'lint', path, '--now', NOW, '--format', format, '--output', file(format)], { ok: [1] })));
    const byFormat = Object.fromEntries(formats.map((format, i) => [format, { ...timed[i], bytes: statSync(file(format)).size }]));
    const html = byFormat.html;
    rows.push({
      servers,
      formats: byFormat,
      html: { seconds: round(html.medianMs / 1000, 2), overStylish: ratios(html, byFormat.stylish), goal: `< ${GOALS.reportSeconds} s`, met: html.medianMs < GOALS.reportSeconds * 1000 },
      page: await pageTimes(file('html')),
    });
  }
  return rows;
}

/**
 * Load, sort and filter times of the HTML report in headless Chromium (medians), or null without a
 * browser: wall time, and the renderer's main-thread busy time (CDP's TaskDuration), which waiting for
 * a core on a shared machine does not inflate.
 */
async function pageTimes(path) {
  const executable = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
  if (!executable) return null;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: executable, args: ['--no-sandbox'] });
  const samples = { loadMs: [], loadBusyMs: [], sortMs: [], sortBusyMs: [], filterMs: [], filterBusyMs: [] };
  const frame = (page) => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done())));
  try {
    for (let r = 0; r < runs; r++) {
      const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const busy = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value * 1000;
      const time = async (name, action) => {
        const [t, b] = [performance.now(), await busy()];
        await action();
        await frame(page);
        samples[`${name}Ms`].push(performance.now() - t);
        samples[`${name}BusyMs`].push((await busy()) - b);
      };
      await time('load', () => page.goto(pathToFileURL(path).href, { waitUntil: 'load' }));
      // By days left, then a filter: each until the page has drawn its next frame.
      await time('sort', () => page.click('#inventory-table th:nth-child(6) button.sort'));
      await time('filter', () => page.fill('[data-filter="inventory-table"] input', 'fe01'));
      await page.close();
      process.stderr.write('.');
    }
  } finally {
    await browser.close();
  }
  process.stderr.write('\n');
  const result = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, round(median(v))]));
  return { ...result, browser: executable, goal: `load < ${GOALS.pageSeconds} s`, met: result.loadMs < GOALS.pageSeconds * 1000 };
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    nproc: os.availableParallelism(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((x) => round(x, 2)),
  };
}

function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('  ')).join('\n');
}

const ms = (x) => (x === null ? 'n/a' : `${n(Math.round(x))} ms`);
const times = (r) => [ms(r.medianMs), ms(r.cpuMedianMs)];
const factor = (x) => (x === null ? 'n/a' : x.toFixed(2));

function report(results) {
  const m = results.machine;
  const out = [
    `sfb-certlint benchmarks: ${m.cpus} CPUs (nproc ${m.nproc}), ${m.cpuModel}, Node ${m.node}; load average ${m.loadAverage[0]} at start, ${results.loadAfter[0]} at end`,
    `Median of ${results.runs} runs per command, commands alternated. Wall time is what the goals judge; CPU time`,
    '(user + system) is less disturbed by other processes on a shared machine. Compare ratios within one run.',
  ];
  if (results.throughput) {
    out.push('', 'Throughput: inspect --format json against node:crypto X509Certificate, whole processes');
    out.push(table([
      ['certificates', 'sfb-certlint', 'CPU', 'certs/s', 'X509Certificate', 'CPU', 'certs/s', 'ratio', 'by CPU', 'goal', ''],
      ...results.throughput.map((t) => [
        n(t.certificates), ...times(t.sfbCertlint), n(t.sfbCertlint.certsPerSecond), ...times(t.native), n(t.native.certsPerSecond),
        factor(t.ratio), factor(t.cpuRatio), t.goal, verdict(t.met),
      ]),
    ]));
  }
  if (results.coldStart) {
    const c = results.coldStart;
    out.push('', 'Cold start: whole processes');
    const row = (r, ratio, cpuRatio, goal = '', met) => [r.label, ...times(r), ms(r.minMs), factor(ratio), factor(cpuRatio), goal, met === undefined ? '' : verdict(met)];
    out.push(table([
      ['command', 'median', 'CPU', 'min', 'x node', 'by CPU', 'goal', ''],
      ...c.pairs.flatMap((p) => [row(p.node, 1, 1), row(p.lint, p.ratio, p.cpuRatio, p.goal, p.met)]),
      row(c.version, c.version.ratio, c.version.cpuRatio),
    ]));
  }
  if (results.scale) {
    const s = results.scale;
    out.push('', `Scale: lint --now ${NOW} of synthetic deployments (bench/generate.mjs v${GENERATOR_VERSION})`);
    out.push(table([['servers', 'certificate files', 'median', 'CPU', 'min'], ...s.rows.map((r) => [n(r.servers), n(r.certificateFiles), ...times(r), ms(r.minMs)])]));
    if (s.tenThousand) out.push(`10,000 servers: ${s.tenThousand.seconds} s, ${s.tenThousand.cpuSeconds ?? 'n/a'} s CPU (goal ${s.tenThousand.goal}: ${verdict(s.tenThousand.met)})`);
    if (s.growth) out.push(`10,000 / 1,000 servers: ${factor(s.growth.ratio)}x, ${factor(s.growth.cpuRatio)}x by CPU (goal ${s.growth.goal}: ${verdict(s.growth.met)})`);
  }
  for (const r of results.report ?? []) {
    out.push('', `Report formats: lint --now ${NOW} of ${n(r.servers)} servers, written with --output`);
    out.push(table([
      ['format', 'median', 'CPU', 'min', 'size'],
      ...Object.entries(r.formats).map(([format, f]) => [format, ...times(f), ms(f.minMs), `${n(Math.round(f.bytes / 1024))} KiB`]),
    ]));
    out.push(`HTML: ${r.html.seconds} s, ${factor(r.html.overStylish.ratio)}x stylish (goal ${r.html.goal}: ${verdict(r.html.met)})`);
    if (r.page) {
      out.push(`HTML page in Chromium (wall, and the renderer's busy time): load ${ms(r.page.loadMs)} (${ms(r.page.loadBusyMs)}), sort the inventory ${ms(r.page.sortMs)} (${ms(r.page.sortBusyMs)}), filter it ${ms(r.page.filterMs)} (${ms(r.page.filterBusyMs)})`);
      out.push(`HTML page load: goal ${r.page.goal}: ${verdict(r.page.met)}`);
    }
    else out.push('HTML page: not timed (no Chromium)');
  }
  return `${out.join('\n')}\n`;
}

const results = { date: new Date().toISOString(), runs, machine: machine() };
if (only.has('throughput')) results.throughput = throughput();
if (only.has('cold-start')) results.coldStart = coldStart();
if (only.has('scale')) results.scale = scale();
if (only.has('report')) results.report = await reportFormats();
results.loadAfter = os.loadavg().map((x) => round(x, 2));
const path = join(OUT, 'results.json');
writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`\n${report(results)}\nWritten to ${relative(process.cwd(), path)}\n`);
