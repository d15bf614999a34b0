/**
 * The HTML report for auditors (docs/output-formats.md#html): one self-contained page, its stylesheet
 * and script inline and a Content-Security-Policy that lets it load nothing, readable without the
 * script and printable to PDF. In order: the header (what was checked, when, with what, the file
 * digests, the verdict), the summary and compliance matrix, the expiry timeline, the findings by rule
 * with the requirement and the fix, the certificate inventory, and the suppressions.
 */
import { createHash } from 'node:crypto';
import { placesOf, type Finding } from '../engine/types.js';
import {
  assignedTo,
  audit,
  chunks,
  dateTime,
  daysFrom,
  digestText,
  expiryState,
  failureText,
  filesReadText,
  fixUrl,
  FOLD,
  clientCertificateText,
  keyText,
  pathText,
  placeText,
  plural,
  reportTitle,
  snapshotOf,
  tlsText,
  webLink,
  type Audit,
  type CertificateInUse,
  type ProbedEndpointView,
} from './audit.js';
import { SCRIPT, STYLE } from './html-assets.js';
import { html, trusted, type Html } from './html-escape.js';
import { ruleFix } from './rule-fixes.js';
import type { Formatter, InventoryEntry, LintReport, ReportedSuppression } from './types.js';

export const format: Formatter = (report) => page(audit(report));

/**
 * Rule columns in one table of the turned matrix: at about 38 px each beside the pool names, as many
 * as a landscape A4 or Letter page holds.
 */
const MAX_RULE_COLUMNS = 22;

/** Past this many certificates, sections off screen wait to be laid out until they scroll near. */
const LARGE = 200;

const digest = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
// Nothing may load: no network, no frame, no form target; only this stylesheet and this script run.
const CSP = `default-src 'none'; style-src ${digest(STYLE)}; script-src ${digest(SCRIPT)}; base-uri 'none'; form-action 'none'`;

function page(a: Audit): string {
  const { report } = a;
  const title = reportTitle(report);
  return `<!doctype html>\n${
    html`<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${report.tool.name} ${report.tool.version}">
<title>${title}: ${a.endpoints ? 'TLS endpoint probe' : 'certificate compliance report'}, ${report.evaluatedAt.slice(0, 10)}</title>
<style>${trusted(STYLE)}</style>
</head>
<body${(report.inventory?.length ?? 0) > LARGE ? trusted(' class="large"') : ''}>
${header(a, title)}
${toc(a)}
<main class="page">
${summary(a)}
${a.endpoints ? endpoints(a, a.endpoints) : html`${timeline(a)}`}
${findings(a)}
${a.endpoints ? '' : inventory(a)}
${suppressions(a)}
${appendix(a)}
</main>
<footer class="page">
<p>Written by ${report.tool.name} ${report.tool.version} (<a href="${report.tool.informationUri}">${report.tool.informationUri}</a>). The page is self-contained and loads nothing from the network. To check that a file kept with this report is the one judged, compare its digest: <code>Get-FileHash -Algorithm SHA256 FILE</code> in PowerShell, <code>sha256sum FILE</code> elsewhere.</p>
</footer>
<script>${trusted(SCRIPT)}</script>
</body>
</html>
`.text
  }`;
}

// ---------------------------------------------------------------- header

function header(a: Audit, title: string): Html {
  const { report } = a;
  const run = report.run;
  const files = run?.files ?? [];
  const digestOf = (path: string) => files.find((f) => f.path === path)?.sha256;
  return html`<header class="report-header" id="top">
<div class="page">
<p class="kicker">${a.endpoints ? 'TLS endpoint probe' : 'Certificate compliance report'} · Lync Server 2013 / Skype for Business Server</p>
<h1>${title}</h1>
<p class="verdict ${a.verdict.status}" id="verdict">${a.verdict.text}</p>
${stopped(report)}
<dl class="facts">
<dt>Evaluated at</dt><dd>${dateTime(report.evaluatedAt)}${a.timeSource ? html` <span class="note">(${a.timeSource})</span>` : ''}</dd>
${report.probe ? html`<dt>Probed</dt><dd>${dateTime(report.probe.startedAt)} to ${dateTime(report.probe.finishedAt)}: ${plural(report.probe.endpoints.length, 'endpoint')}, each given ${report.probe.timeoutMs / 1000} s</dd>` : ''}
<dt>Tool</dt><dd>${report.tool.name} ${report.tool.version}</dd>
${report.inputs.map(
  (input) => html`<dt>Snapshot</dt><dd><code>${input.snapshot}</code>${digestOf(input.snapshot) ? html` <span class="note">SHA-256</span> <code class="hash">${digestOf(input.snapshot)!}</code>` : ''}</dd>
${input.configuration || !report.probe ? html`<dt>Configuration</dt><dd>${input.configuration ? html`<code>${input.configuration}</code>${digestOf(input.configuration) ? html` <span class="note">SHA-256</span> <code class="hash">${digestOf(input.configuration)!}</code>` : ''}` : 'none: every rule at its default severity and options'}</dd>` : ''}`,
)}
${files.length > 0 ? html`<dt>Files read</dt><dd>${filesReadText(files)}; the SHA-256 of each in the <a href="#digests">appendix</a></dd>` : ''}
${run && run.plugins.length > 0 ? html`<dt>Plug-ins</dt><dd>${run.plugins.map((p, i) => html`${i > 0 ? ', ' : ''}<code>${p.path}</code> (${p.rules.join(', ')})`)}</dd>` : ''}
<dt>Rules run</dt><dd>${rulesRun(report)}</dd>
</dl>
</div>
</header>`;
}

function stopped(report: LintReport): Html {
  if (report.inputErrors.length + report.ruleFailures.length === 0) return html``;
  return html`<div class="stopped" role="alert">
<h2>The run did not finish its job: what follows may be incomplete</h2>
<ul>${report.inputErrors.map((e) => html`<li>${e.path ? html`<code>${e.path}${e.line !== undefined ? `:${e.line}` : ''}</code>: ` : ''}${e.message}</li>`)}${report.ruleFailures.map((f) => html`<li>Rule <code>${f.ruleId}</code> failed: ${f.message}</li>`)}</ul>
</div>`;
}

/** An option's value as a reader reads it: `P-256, P-384`, `OAuthTokenIssuer 4096, Internal 2048`. */
function optionText(value: unknown): string {
  if (Array.isArray(value)) return value.map(optionText).join(', ');
  if (value !== null && typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k} ${optionText(v)}`).join(', ') || 'none';
  return String(value);
}

function rulesRun(report: LintReport): Html {
  const settings = new Map(report.run?.rules.map((r) => [r.id, r.options]) ?? []);
  return html`<ul class="rules-run">${report.rules.map((rule) => {
    const options = Object.entries(settings.get(rule.id) ?? {});
    return html`<li><code>${rule.id}</code> <span class="badge ${rule.severity}">${rule.severity}</span>${options.length ? html` <span class="opts">${options.map(([k, v]) => `${k} ${optionText(v)}`).join('; ')}</span>` : ''}</li>`;
  })}</ul>`;
}

function toc(a: Audit): Html {
  const findingCount = a.byRule.reduce((n, g) => n + g.findings.length, 0);
  const files = a.report.run?.files.length ?? 0;
  type Link = [id: string, text: string, count: number | undefined];
  const links: Link[] = [
    ['summary', 'Summary', undefined],
    a.endpoints ? ['endpoints', 'Endpoints', a.endpoints.length] : ['timeline', 'Expiry timeline', a.inUse.length],
    ['findings', 'Findings', findingCount],
    ...(a.endpoints ? [] : [['inventory', 'Certificate inventory', a.report.inventory?.length ?? 0] satisfies Link]),
    ['suppressions', 'Suppressions', a.suppressed.length + a.lapsed.length + a.report.unusedSuppressions.length],
    ...(files > 0 ? [['digests', 'File digests', files] satisfies Link] : []),
  ];
  return html`<nav class="toc" aria-label="Sections"><ul>${links.map(([id, text, n]) => html`<li><a href="#${id}">${text}</a>${n !== undefined ? html` <span class="n">${n}</span>` : ''}</li>`)}</ul></nav>`;
}

// ---------------------------------------------------------------- summary

function section(id: string, title: string, body: Html, lead?: Html | string): Html {
  return html`<details class="section" id="${id}" open>
<summary><h2>${title}</h2></summary>
${lead !== undefined ? html`<p class="lead">${lead}</p>` : ''}
${body}
</details>`;
}

function summary(a: Audit): Html {
  const { counts, report } = a;
  const servers = report.inputs.reduce((n, i) => n + (i.pools ?? []).reduce((m, p) => m + p.servers.length, 0), 0);
  const pools = report.inputs.reduce((n, i) => n + (i.pools?.length ?? 0), 0);
  const cards = html`<div class="cards">
<div class="card error" data-count="error"><span class="num">${counts.error}</span><span class="label">${counts.error === 1 ? 'error' : 'errors'}</span></div>
<div class="card warning" data-count="warning"><span class="num">${counts.warning}</span><span class="label">${counts.warning === 1 ? 'warning' : 'warnings'}</span></div>
<div class="card info" data-count="info"><span class="num">${counts.info}</span><span class="label">info</span></div>
<div class="card accepted" data-count="suppressed"><span class="num">${counts.suppressed}</span><span class="label">suppressed</span></div>
<div class="card"><span class="num">${report.rules.length}</span><span class="label">rules run</span></div>
${a.endpoints ? probeCards(a.endpoints) : html`<div class="card"><span class="num">${pools}</span><span class="label">${pools === 1 ? 'pool' : 'pools'}, ${plural(servers, 'server')}</span></div>
<div class="card"><span class="num">${a.inUse.length}</span><span class="label">certificates in use, ${report.inventory?.length ?? 0} read</span></div>`}
</div>`;
  return section('summary', 'Summary', a.endpoints ? html`${cards}<h3>Endpoints probed</h3>${endpointTable(a, a.endpoints)}` : html`${cards}<h3>Compliance matrix</h3>${matrix(a)}`);
}

function matrix(a: Audit): Html {
  if (a.columns.length === 0) return html`<p class="empty">No pool was read.</p>`;
  const several = new Set(a.columns.map((c) => c.snapshot)).size > 1;
  const columnHead = (c: Audit['columns'][number]) =>
    html`<span class="pool">${c.pool ?? 'Whole deployment'}</span>${c.role ? html`<span class="role">${c.role}</span>` : ''}${several ? html`<span class="role">${c.snapshot}</span>` : ''}`;
  const cellOf = (ruleIndex: number, columnIndex: number) => {
    const rule = a.matrix[ruleIndex]!.rule;
    const column = a.columns[columnIndex]!;
    return cell(a.matrix[ruleIndex]!.cells[columnIndex]!, rule.id, column.pool, column.snapshot, a.poolsAsRows);
  };
  const legend = html`<ul class="legend">
<li><span class="badge pass">✓ pass</span> checked, no finding</li>
<li><span class="badge error">✗ n</span> n findings (colour of the most severe)</li>
<li><span class="badge accepted">${a.poolsAsRows ? 'acc.' : 'accepted'}</span> accepted: every finding suppressed</li>
<li><span class="badge na">n/a</span> the rule does not apply to the pool's role or usages</li>
</ul>`;
  if (!a.poolsAsRows) {
    return html`<div class="matrix-wrap" id="matrix"><table class="matrix">
<thead><tr><th>Rule</th>${a.columns.map((c) => html`<th scope="col">${columnHead(c)}</th>`)}</tr></thead>
<tbody>${a.matrix.map(
      (row, r) => html`<tr data-rule="${row.rule.id}"><th scope="row"><a href="#rule-${row.rule.id}"><code>${row.rule.id}</code></a><span class="desc">${row.rule.description}</span></th>${a.columns.map((_, c) => html`<td>${cellOf(r, c)}</td>`)}</tr>`,
    )}</tbody></table></div>${legend}`;
  }
  // A row per pool: the rule ids run up the column headings, so a page's width holds MAX_RULE_COLUMNS of
  // them; more rules (plug-ins) make more tables, each with every pool, so none is cut off in print.
  const groups = chunks(
    a.matrix.map((row, r) => ({ row, r })),
    MAX_RULE_COLUMNS,
  );
  const table = (group: (typeof groups)[number], g: number) => html`<table class="matrix by-pool">
<colgroup><col class="c-pool">${group.map(() => html`<col class="c-rule">`)}</colgroup>
<thead><tr><th scope="col">Pool${groups.length > 1 ? html` <span class="role">rules ${group[0]!.r + 1} to ${group.at(-1)!.r + 1} of ${a.matrix.length}, table ${g + 1} of ${groups.length}</span>` : ''}</th>${group.map(
    ({ row }) => html`<th scope="col" class="rule" data-rule="${row.rule.id}"><a href="#rule-${row.rule.id}" title="${row.rule.description}"><code>${row.rule.id}</code></a></th>`,
  )}</tr></thead>
<tbody>${a.columns.map((column, c) => html`<tr data-row><th scope="row">${columnHead(column)}</th>${group.map(({ r }) => html`<td>${cellOf(r, c)}</td>`)}</tr>`)}</tbody></table>`;
  return html`<div class="matrix-wrap" id="matrix">${groups.map(table)}</div>${legend}`;
}

/** A matrix cell; `narrow` (the turned matrix's columns) shortens `accepted` to `acc.`. */
function cell(c: Audit['matrix'][number]['cells'][number], rule: string, pool: string | undefined, snapshot: string, narrow: boolean): Html {
  const data = html`data-rule="${rule}" data-pool="${pool ?? ''}" data-snapshot="${snapshot}" data-state="${c.state}"`;
  switch (c.state) {
    case 'fail':
      return html`<span class="cell ${c.worst}" ${data} data-count="${c.count}" title="${plural(c.count, 'finding')}, the most severe ${c.worst}${c.suppressed ? `; ${c.suppressed} suppressed` : ''}">✗ ${c.count}</span>`;
    case 'accepted':
      return html`<span class="cell accepted" ${data} data-count="0" title="${plural(c.suppressed, 'finding')}, all suppressed">${narrow ? 'acc.' : 'accepted'}</span>`;
    case 'pass':
      return html`<span class="cell pass" ${data} data-count="0" title="checked, no finding">✓</span>`;
    case 'na':
      return html`<span class="cell na" ${data} title="the rule does not apply here">n/a</span>`;
  }
}

// ---------------------------------------------------------------- probe

function probeCards(endpoints: ProbedEndpointView[]): Html {
  const answered = endpoints.filter((e) => e.evidence.tls).length;
  const served = new Set(endpoints.flatMap((e) => e.evidence.chain.map((c) => c.sha256 ?? c.der))).size;
  return html`<div class="card"><span class="num">${endpoints.length}</span><span class="label">${endpoints.length === 1 ? 'endpoint' : 'endpoints'} probed, ${answered} answered TLS</span></div>
<div class="card"><span class="num">${served}</span><span class="label">${served === 1 ? 'certificate' : 'certificates'} served</span></div>`;
}

/** An endpoint's verdict as a badge: its unsuppressed findings, coloured as the most severe. */
function endpointVerdict(v: ProbedEndpointView['verdict']): Html {
  if (v.state === 'fail') return html`<span class="badge ${v.worst}" data-verdict="fail" title="${plural(v.count, 'finding')}, the most severe ${v.worst}">✗ ${plural(v.count, 'finding')}</span>`;
  return v.state === 'accepted' ? html`<span class="badge accepted" data-verdict="accepted">accepted</span>` : html`<span class="badge pass" data-verdict="pass">✓ pass</span>`;
}

const endpointId = (i: number) => `endpoint-${i + 1}`;

/** One line per endpoint: what it is, its verdict, its TLS session and the certificate it served first. */
function endpointTable(a: Audit, endpoints: ProbedEndpointView[]): Html {
  if (endpoints.length === 0) return html`<p class="empty">No endpoint was probed.</p>`;
  return html`<table class="endpoints" id="endpoint-table">
<thead><tr><th>Endpoint</th><th>Verdict</th><th>TLS</th><th>Client certificate</th><th>Certificate served</th><th>Expires</th></tr></thead>
<tbody>${endpoints.map(({ evidence: e, verdict }, i) => {
    const leaf = e.chain[0];
    return html`<tr data-row data-endpoint="${e.endpoint}"><td><a href="#${endpointId(i)}"><code>${e.endpoint}</code></a><div class="small">${e.service}${e.pool ? ` · ${e.pool}` : ''}</div></td>
<td>${endpointVerdict(verdict)}</td><td>${failureText(e) ?? tlsText(e)}</td><td class="nowrap">${clientCertificateText(e)}</td>
<td>${leaf ? html`<div class="subject">${leaf.subject ?? 'unreadable'}</div>` : html`<span class="empty">none</span>`}</td>
<td class="nowrap">${leaf?.notAfter ? expiry(a, leaf.notAfter) : ''}</td></tr>`;
  })}</tbody></table>`;
}

/** `2049-12-31` and its days left, coloured as the inventory colours them. */
function expiry(a: Audit, notAfter: string): Html {
  const days = daysFrom(a.now, notAfter);
  return html`${notAfter.slice(0, 10)} <span class="days ${expiryState(days, a.warnDays)}">(${days < 0 ? `expired ${-days} days ago` : `${days} days left`})</span>`;
}

function endpoints(a: Audit, list: ProbedEndpointView[]): Html {
  if (list.length === 0) return section('endpoints', 'Endpoints', html`<p class="empty">No endpoint was probed.</p>`);
  const lead = `Each endpoint as the probe saw it: where it connected, the TLS session, the chain the server sent (in the order sent), how the chain was judged at the evaluation time, and the findings.`;
  return section('endpoints', 'Endpoints', html`${list.map((view, i) => endpoint(a, view, i))}`, lead);
}

function endpoint(a: Audit, { evidence: e, findings: list, verdict }: ProbedEndpointView, i: number): Html {
  const worst = verdict.state === 'fail' ? verdict.worst : verdict.state;
  const failure = failureText(e);
  return html`<section class="rule-group endpoint ${worst}" id="${endpointId(i)}" data-endpoint="${e.endpoint}">
<header><h3><code>${e.endpoint}</code> ${endpointVerdict(verdict)}</h3>
<p class="rule-desc">${e.service}, ${e.exposure}${e.pool ? `, pool ${e.pool}` : ''}${e.servers.length ? ` (${e.servers.join(', ')})` : ''}</p></header>
<dl class="endpoint-facts">
<dt>Connected to</dt><dd>${e.connectTo ? html`<code>${e.connectTo}</code> (--connect-to)` : html`<code>${e.host}:${e.port}</code>`}${e.address ? `, address ${e.address}` : ''}, ${dateTime(e.startedAt)}, ${e.durationMs} ms</dd>
<dt>TLS</dt><dd data-tls>${failure ? html`<span class="badge warning">no certificates</span> ${failure}` : tlsText(e)}</dd>
<dt>Client certificate</dt><dd data-client-certificate>${clientCertificateText(e)}</dd>
<dt>Name asked</dt><dd>${e.serverName ? html`<code>${e.serverName}</code>${e.nameCovered === null ? '' : e.nameCovered ? ': covered by the certificate served' : ': not covered by the certificate served'}` : 'none sent (an IP address)'}</dd>
${e.expected ? html`<dt>Assigned there</dt><dd>${e.expected.usage}: ${e.expected.thumbprints.map((t, k) => html`${k > 0 ? ', ' : ''}<span class="thumb">${t}</span>`)}</dd>` : ''}
<dt>Path</dt><dd>${pathText(e)}</dd>
${e.savedAs ? html`<dt>Saved as</dt><dd><code>${e.savedAs}</code></dd>` : ''}
</dl>
${e.chain.length > 0 ? html`<table class="chain" data-chain>
<thead><tr><th>#</th><th>Subject</th><th>Issuer</th><th>Thumbprint (SHA-1)</th><th>Expires</th></tr></thead>
<tbody>${e.chain.map((c, k) => html`<tr data-served="${k + 1}"><td>${k + 1}</td>${c.unreadable !== null ? html`<td colspan="3"><span class="badge error">unreadable</span> ${c.unreadable}</td><td></td>` : html`<td><div class="subject">${c.subject ?? ''}</div></td><td class="small">${c.issuer ?? ''}</td><td><span class="thumb">${c.thumbprint ?? ''}</span></td><td class="nowrap">${c.notAfter ? expiry(a, c.notAfter) : ''}</td>`}</tr>`)}</tbody>
</table>` : ''}
${list.length > 0 ? html`<table class="findings endpoint-findings">
<thead><tr><th>Severity</th><th>Rule</th><th>Finding</th></tr></thead>
<tbody>${list.map((f) => html`<tr data-finding="${f.ruleId}"><td><span class="badge ${f.severity}">${f.severity}</span>${f.suppression ? html` <span class="badge accepted">suppressed</span>` : ''}</td><td class="nowrap"><a href="#rule-${f.ruleId}"><code>${f.ruleId}</code></a></td><td>${f.message}</td></tr>`)}</tbody>
</table>` : html`<p class="empty">No finding.</p>`}
</section>`;
}

// ---------------------------------------------------------------- timeline

const DAY = 24 * 3600 * 1000;
/** Rows per SVG: each prints whole on a page. */
const ROWS_PER_CHART = 14;
/** Rows shown before the rest fold away. */
const TIMELINE_SHOWN = 42;
const W = 1200;
const LABEL_W = 360;
const CHART_X = LABEL_W + 10;
const CHART_W = W - CHART_X - 90;
const ROW_H = 34;
const AXIS_H = 30;

function timeline(a: Audit): Html {
  const lead = html`Every certificate assigned on a server, from the evaluation time (${a.report.evaluatedAt.slice(0, 10)}) to the last expiry. <span class="badge error">expired</span> <span class="badge warning">expires within ${a.warnDays} days</span> (certificate-expiry's window, shaded) <span class="badge info">valid</span>; <span class="badge accepted">◆</span> marks a staged OAuthTokenIssuer or A/V roll taking effect.`;
  if (a.inUse.length === 0) return section('timeline', 'Expiry timeline', html`<p class="empty">No certificate is assigned in the snapshot.</p>`, lead);
  const start = a.now.getTime();
  const lastExpiry = Math.max(...a.inUse.map((c) => Date.parse(c.entry.facts.notAfter)));
  const end = Math.max(lastExpiry, start + a.warnDays * DAY) + 0.02 * Math.max(lastExpiry - start, 30 * DAY);
  const x = (t: number) => CHART_X + ((Math.min(Math.max(t, start), end) - start) / (end - start)) * CHART_W;
  const ticks = axisTicks(start, end);
  const chart = (rows: CertificateInUse[], i: number) => {
    const height = AXIS_H + rows.length * ROW_H + 6;
    return html`<svg viewBox="0 0 ${W} ${height}" role="img" aria-label="Expiry of certificates ${i + 1} to ${i + rows.length}" xmlns="http://www.w3.org/2000/svg">
${rows.map((_, r) => (r % 2 === 0 ? html`<rect class="stripe" x="0" y="${AXIS_H + r * ROW_H}" width="${W}" height="${ROW_H}"/>` : ''))}
<rect class="window" x="${x(start)}" y="${AXIS_H - 6}" width="${x(start + a.warnDays * DAY) - x(start)}" height="${rows.length * ROW_H + 6}"/>
<g class="axis">${ticks.map((t) => html`<line class="grid" x1="${x(t.time)}" x2="${x(t.time)}" y1="${AXIS_H - 6}" y2="${height}"/><text x="${x(t.time)}" y="${AXIS_H - 12}" text-anchor="middle">${t.label}</text>`)}
<text x="${CHART_X}" y="12" class="tick">now</text></g>
${rows.map((c, r) => timelineRow(c, AXIS_H + r * ROW_H, x, start))}
<line class="now" x1="${x(start)}" x2="${x(start)}" y1="${AXIS_H - 6}" y2="${height}"/>
</svg>`;
  };
  const charts = (from: number, to: number) => {
    const out: Html[] = [];
    for (let i = from; i < to; i += ROWS_PER_CHART) out.push(chart(a.inUse.slice(i, Math.min(i + ROWS_PER_CHART, to)), i));
    return out;
  };
  // The soonest to expire are what matter; in a large deployment the later ones fold (and print in full).
  const shown = a.inUse.length <= TIMELINE_SHOWN + ROWS_PER_CHART ? a.inUse.length : TIMELINE_SHOWN;
  const rest = a.inUse.slice(shown);
  const more = rest.length
    ? html`<details class="more"><summary>The other ${rest.length} certificates, expiring ${rest[0]!.entry.facts.notAfter.slice(0, 10)} to ${rest.at(-1)!.entry.facts.notAfter.slice(0, 10)}</summary>${charts(shown, a.inUse.length)}</details>`
    : '';
  return section('timeline', 'Expiry timeline', html`<div class="timeline">${charts(0, shown)}${more}</div>`, lead);
}

function timelineRow(c: CertificateInUse, y: number, x: (t: number) => number, start: number): Html {
  const f = c.entry.facts;
  const where = assignedTo(c.entry);
  const usages = [...new Set(c.entry.assignments.map((a) => a.usage))].join(', ');
  const servers = where.length === 1 ? where[0]!.server : `${where.length} servers`;
  const name = f.subjectCommonName ?? (f.subject || f.thumbprint);
  const from = x(Math.max(Date.parse(f.notBefore), start));
  const to = x(Date.parse(f.notAfter));
  const barY = y + 11;
  const rolls = c.entry.assignments.filter((a) => a.effectiveDate !== undefined && !Number.isNaN(Date.parse(a.effectiveDate)));
  const status = c.state === 'expired' ? `expired ${-c.daysLeft} days ago` : `${c.daysLeft} days left`;
  return html`<g class="row" data-thumbprint="${f.thumbprint}" data-state="${c.state}"><title>${f.subject}\n${usages} on ${where.map((w) => w.server).join(', ')}\nValid ${f.notBefore} to ${f.notAfter} (${status})\nThumbprint ${f.thumbprint}</title>
<text class="label" x="8" y="${y + 15}">${clip(name, 44)}</text><text class="sub" x="8" y="${y + 29}">${clip(`${servers} · ${usages}`, 58)}</text>
${c.state === 'expired' ? html`<rect class="bar expired" x="${CHART_X}" y="${barY}" width="6" height="12" rx="2"/><text class="end" x="${CHART_X + 12}" y="${barY + 10}">expired ${f.notAfter.slice(0, 10)}</text>` : html`<rect class="bar ${c.state}" x="${from}" y="${barY}" width="${Math.max(to - from, 3)}" height="12" rx="3"/><text class="end" x="${Math.max(to, from + 3) + 6}" y="${barY + 10}">${f.notAfter.slice(0, 10)}</text>`}
${rolls.map((roll) => {
    const rx = x(Date.parse(roll.effectiveDate!));
    return html`<path class="roll" d="M ${rx} ${barY - 3} l 6 9 l -6 9 l -6 -9 z"><title>${roll.usage} roll on ${roll.server}: ${roll.state === 'previous' ? 'replaced' : 'takes effect'} ${roll.effectiveDate!}</title></path>`;
  })}
</g>`;
}

/** Years across a long span (every few years when very long), months across a short one. */
function axisTicks(start: number, end: number): Array<{ time: number; label: string }> {
  const years = (end - start) / (365.25 * DAY);
  const ticks: Array<{ time: number; label: string }> = [];
  const first = new Date(start);
  if (years > 2.5) {
    const step = years > 30 ? 10 : years > 12 ? 5 : years > 6 ? 2 : 1;
    for (let y = Math.ceil((first.getUTCFullYear() + 1) / step) * step; ; y += step) {
      const time = Date.UTC(y, 0, 1);
      if (time > end) break;
      ticks.push({ time, label: String(y) });
    }
  } else {
    const step = years > 1 ? 3 : 1;
    for (let m = first.getUTCMonth() + 1; ; m += step) {
      const time = Date.UTC(first.getUTCFullYear(), m, 1);
      if (time > end) break;
      const d = new Date(time);
      ticks.push({ time, label: `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}` });
    }
  }
  return ticks;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

// ---------------------------------------------------------------- findings

function findings(a: Audit): Html {
  const total = a.byRule.reduce((n, g) => n + g.findings.length, 0);
  if (total === 0) {
    return section('findings', 'Findings', html`<p class="empty">No finding: every rule passed${a.counts.suppressed ? ` (${plural(a.counts.suppressed, 'finding')} suppressed, listed under Suppressions)` : ''}.</p>`);
  }
  const filter = html`<div class="toolbar" data-filter="findings-list" hidden><input type="search" placeholder="Filter findings: server, certificate, words of the message" aria-label="Filter findings"><span class="shown"></span></div>`;
  const lead = `${plural(total, 'finding')} of ${plural(a.byRule.length, 'rule')}, most severe first. Suppressed findings are under Suppressions.`;
  return section('findings', 'Findings', html`${filter}<div id="findings-list">${a.byRule.map((group) => ruleGroup(a, group))}</div>`, lead);
}

function ruleGroup(a: Audit, group: Audit['byRule'][number]): Html {
  const { rule } = group;
  const steps = ruleFix(rule.id);
  const several = a.report.inputs.length > 1;
  return html`<section class="rule-group ${group.worst}" id="rule-${rule.id}" data-rule="${rule.id}">
<header>
<h3><code>${rule.id}</code> <span class="badge ${rule.severity}">${rule.severity}</span> <span class="count">${plural(group.findings.length, 'finding')}</span></h3>
${rule.description ? html`<p class="rule-desc">${rule.description}</p>` : ''}
<p class="cite">${rule.citation.title ? html`Requirement: ${link(rule.citation.url, rule.citation.title, 'data-citation')}` : ''}${rule.docsUrl ? html` · ${link(rule.docsUrl, 'rule documentation')}` : ''}</p>
</header>
<table class="findings">
<thead><tr><th>Severity</th><th>Finding</th><th>Where</th><th>Certificate</th></tr></thead>
<tbody>${group.findings.map((f) => findingRow(a, f, several))}</tbody>
</table>
${steps.length > 0 ? html`<details class="fix" open><summary>How to fix</summary><div class="steps">${steps.map((s) => html`<div class="step" data-language="${s.language}">${s.caption ? html`<p>${s.caption}</p>` : ''}<pre><code>${s.code}</code></pre></div>`)}</div>${webLink(rule.docsUrl) ? html`<p class="small">Every step, and how to check the result: <a href="${fixUrl(rule.docsUrl)}">the rule's page</a>.</p>` : ''}</details>` : ''}
</section>`;
}

/** A link to a web address; any other address (a plug-in's metadata may hold anything) as text beside its label. */
function link(url: string, label: string, data?: 'data-citation'): Html {
  const marker = data ? trusted(` ${data}`) : '';
  return webLink(url) ? html`<a href="${url}"${marker}>${label}</a>` : html`<span${marker}>${label}</span>${url ? ` (${url})` : ''}`;
}

function findingRow(a: Audit, f: Finding, several: boolean): Html {
  return html`<tr data-row data-finding data-rule="${f.ruleId}" data-severity="${f.severity}">
<td><span class="badge ${f.severity}">${f.severity}</span></td>
<td>${f.message}${f.lapsedSuppression ? html`<span class="lapsed" data-lapsed>Its suppression expired on ${f.lapsedSuppression.expires ?? ''}: ${f.lapsedSuppression.reason}</span>` : ''}</td>
<td>${places(f, several)}</td>
<td>${certificateCell(a.certificateOf(f), f.thumbprint)}</td>
</tr>`;
}

function places(f: Finding, several: boolean): Html {
  const all = placesOf(f);
  const item = (p: ReturnType<typeof placesOf>[number]) =>
    html`<li data-place data-pool="${p.pool ?? ''}" data-server="${p.server ?? ''}">${placeText(p)}${p.location.line !== undefined ? html` <span class="loc">line ${p.location.line}</span>` : ''}</li>`;
  return html`${several ? html`<span class="loc">${snapshotOf(f)}</span>` : ''}${folded(all, item, 'places', 'place')}`;
}

/** The first items of a list, and the rest behind a "and N more" that opens (and prints) in full. */
function folded<T>(items: T[], item: (t: T) => Html, cls: string, noun: string): Html {
  if (items.length <= FOLD) return html`<ul class="${cls}">${items.map(item)}</ul>`;
  return html`<ul class="${cls}">${items.slice(0, FOLD - 1).map(item)}</ul><details class="more"><summary>and ${items.length - FOLD + 1} more ${noun}s</summary><ul class="${cls}">${items.slice(FOLD - 1).map(item)}</ul></details>`;
}

function certificateCell(entry: InventoryEntry | undefined, thumbprint: string | undefined): Html {
  if (!entry) return thumbprint ? html`<span class="thumb">${thumbprint}</span>` : html`<span class="empty">none</span>`;
  return html`<div class="subject">${entry.facts.subject || '(empty subject)'}</div><span class="thumb" data-thumbprint>${entry.facts.thumbprint}</span>`;
}

// ---------------------------------------------------------------- inventory

function inventory(a: Audit): Html {
  const entries = a.report.inventory ?? [];
  if (entries.length === 0) return section('inventory', 'Certificate inventory', html`<p class="empty">No certificate was read.</p>`);
  const inUse = new Map(a.inUse.map((c) => [c.entry, c]));
  // Certificates in use first, soonest expiry first; then the others (CAs, spares) by expiry.
  const ordered = [...a.inUse.map((c) => c.entry), ...entries.filter((e) => !inUse.has(e)).sort((x, y) => Date.parse(x.facts.notAfter) - Date.parse(y.facts.notAfter))];
  const several = a.report.inputs.length > 1;
  const filter = html`<div class="toolbar" data-filter="inventory-table" hidden><input type="search" placeholder="Filter certificates: subject, issuer, thumbprint, server, usage" aria-label="Filter certificates"><span class="shown"></span></div>`;
  const lead = `${plural(entries.length, 'certificate')} read from the snapshot's files, ${a.inUse.length} of them assigned; days left at the evaluation time. Sort by a column's heading.`;
  return section(
    'inventory',
    'Certificate inventory',
    html`${filter}<table class="inventory" id="inventory-table" data-sortable>
<colgroup><col class="c-cert"><col class="c-issuer"><col class="c-key"><col class="c-digest"><col class="c-valid"><col class="c-days"><col class="c-thumb"><col class="c-pk"><col class="c-where"></colgroup>
<thead><tr><th data-sort="text">Certificate</th><th data-sort="text">Issuer</th><th data-sort="text">Key</th><th data-sort="text">Digest</th><th data-sort="text">Valid</th><th data-sort="number">Days left</th><th data-sort="text">Thumbprint</th><th>Private key</th><th>Assigned to</th></tr></thead>
<tbody>${ordered.map((e) => inventoryRow(a, e, inUse.get(e), several))}</tbody>
</table>`,
    lead,
  );
}

function inventoryRow(a: Audit, e: InventoryEntry, use: CertificateInUse | undefined, several: boolean): Html {
  const f = e.facts;
  const days = daysFrom(a.now, f.notAfter);
  const state = expiryState(days, a.warnDays);
  const sans = [...f.subjectAltNames.dns, ...f.subjectAltNames.ip.map((n) => `IP:${n}`), ...f.subjectAltNames.uri, ...f.subjectAltNames.email.map((n) => `email:${n}`)];
  const isCa = f.basicConstraints?.ca === true;
  return html`<tr data-row data-certificate="${f.thumbprint}" data-in-use="${use ? 'yes' : 'no'}">
<td data-value="${f.subject}"><div class="subject">${f.subject || '(empty subject)'}${isCa ? html` <span class="badge ca">CA</span>` : ''}</div>${sans.length > 0 ? html`<div class="small" data-sans>SAN: ${sans.length > 12 ? `${sans.slice(0, 11).join(', ')} and ${sans.length - 11} more` : sans.join(', ')}</div>` : ''}<div class="small">${several ? `${e.snapshot}: ` : ''}${f.source.path}${f.source.index > 0 ? ` #${f.source.index}` : ''}</div></td>
<td><span class="small">${f.issuer}${f.selfIssued ? ' (self-issued)' : ''}</span></td>
<td class="nowrap" data-value="${f.publicKey.algorithm} ${String(f.publicKey.bits ?? 0).padStart(6, '0')}">${keyText(e)}</td>
<td class="nowrap">${digestText(e)}</td>
<td class="nowrap" data-value="${f.notAfter}">${f.notBefore.slice(0, 10)}<br>${f.notAfter.slice(0, 10)}</td>
<td class="days ${state}" data-value="${days}">${days}</td>
<td><span class="thumb">${f.thumbprint}</span></td>
<td>${privateKey(e)}</td>
<td>${assignments(e)}</td>
</tr>`;
}

/** Key facts of the Personal store entries, servers with the same facts together. */
function privateKey(e: InventoryEntry): Html {
  const personal = e.stores.filter((s) => s.store === 'personal');
  const pfx = e.facts.privateKey;
  if (personal.length === 0) return pfx ? html`<span class="small">${pfx.present ? 'in the PFX file' : 'none in the file'}</span>` : html`<span class="small">—</span>`;
  const groups = new Map<string, string[]>();
  for (const s of personal) {
    const facts = [
      s.hasPrivateKey === false ? 'no private key' : s.keyProvider ?? (s.hasPrivateKey ? 'key present' : 'key not recorded'),
      s.exportable === undefined ? undefined : s.exportable ? 'exportable' : 'not exportable',
    ].filter(Boolean).join(', ');
    const list = groups.get(facts) ?? [];
    list.push(s.server);
    groups.set(facts, list);
  }
  const provider = [...new Set(personal.map((s) => s.providerName).filter((p): p is string => p !== undefined))];
  return html`${[...groups].map(([facts, servers]) => html`<div>${facts}${groups.size > 1 ? html` <span class="small">(${servers.join(', ')})</span>` : ''}</div>`)}${provider.length ? html`<div class="small">${provider.join('; ')}</div>` : ''}`;
}

function assignments(e: InventoryEntry): Html {
  const where = assignedTo(e);
  if (where.length === 0) {
    const stores = new Map<string, number>();
    for (const s of e.stores) stores.set(s.store, (stores.get(s.store) ?? 0) + 1);
    const names = { root: 'Trusted Root', intermediate: 'Intermediate', personal: 'Personal' };
    return stores.size === 0
      ? html`<span class="empty">not assigned, in no store</span>`
      : html`<span class="small">not assigned; in the ${[...stores].map(([store, n]) => `${names[store as keyof typeof names]} store of ${plural(n, 'server')}`).join(', ')}</span>`;
  }
  return folded(where, (w) => html`<li data-assigned data-server="${w.server}"><span class="nowrap">${w.server}</span>: ${w.usages.join(', ')}</li>`, 'places', 'server');
}

// ---------------------------------------------------------------- suppressions

function suppressions(a: Audit): Html {
  const unused = a.report.unusedSuppressions;
  if (a.suppressed.length + a.lapsed.length + unused.length === 0) {
    return section('suppressions', 'Suppressions', html`<p class="empty">No finding was suppressed, and no suppression was left unused.</p>`);
  }
  const record = (s: Pick<ReportedSuppression, 'reason' | 'owner' | 'ticket' | 'expires' | 'source'>) =>
    html`<td>${s.reason}</td><td>${s.owner ?? '—'}</td><td class="nowrap">${s.ticket ?? '—'}</td><td class="nowrap">${s.expires ?? 'never'}</td><td class="small">${s.source ? `${s.source.path}${s.source.line !== undefined ? `:${s.source.line}` : ''}` : ''}</td>`;
  const head = html`<th>Reason</th><th>Owner</th><th>Ticket</th><th>Expires</th><th>Declared at</th>`;
  const findingTable = (list: Finding[], note: 'suppression' | 'lapsedSuppression', id: string) =>
    html`<table class="suppressed" id="${id}"><thead><tr><th>Rule</th><th>Finding</th><th>Where</th>${head}</tr></thead><tbody>${list.map(
      (f) => html`<tr data-row data-rule="${f.ruleId}"><td><code>${f.ruleId}</code> <span class="badge ${f.severity}">${f.severity}</span></td><td>${f.message}</td><td>${places(f, a.report.inputs.length > 1)}</td>${record(f[note]!)}</tr>`,
    )}</tbody></table>`;
  const parts: Html[] = [];
  if (a.suppressed.length > 0) parts.push(html`<h3>Accepted findings</h3><p class="lead">Findings the configuration accepts, with the reason given. They do not count towards the verdict.</p>${findingTable(a.suppressed, 'suppression', 'accepted-findings')}`);
  if (a.lapsed.length > 0) parts.push(html`<h3>Lapsed suppressions</h3><p class="lead">Suppressions past their expiry date at the evaluation time: their findings count again and are listed under Findings.</p>${findingTable(a.lapsed, 'lapsedSuppression', 'lapsed-suppressions')}`);
  if (unused.length > 0) {
    parts.push(html`<h3>Suppressions that matched nothing</h3><p class="lead">Stale exceptions (a server retired, a certificate replaced): remove or correct them before they hide a new finding.</p>
<table class="unused" id="unused-suppressions"><thead><tr><th>Rule</th><th>Limited to</th>${head}</tr></thead><tbody>${unused.map(
      (s) => html`<tr data-row><td><code>${s.rule}</code></td><td>${[s.pool, s.server, s.thumbprint].filter(Boolean).join(', ')}</td>${record(s)}</tr>`,
    )}</tbody></table>`);
  }
  return section('suppressions', 'Suppressions', html`${parts}`);
}

// ---------------------------------------------------------------- appendix

/** The SHA-256 of every file read, last: a long list an auditor checks, not reads, so it does not push the summary pages away. */
function appendix(a: Audit): Html {
  const files = a.report.run?.files ?? [];
  if (files.length === 0) return html``;
  const lead = html`${filesReadText(files)}, each as read after linting. To check that a file kept with this report is the one judged, compare its digest: <code>Get-FileHash -Algorithm SHA256 FILE</code> in PowerShell, <code>sha256sum FILE</code> elsewhere.`;
  return section(
    'digests',
    'Appendix: file digests',
    html`<table class="files"><thead><tr><th>File</th><th>Read as</th><th>SHA-256</th><th>Bytes</th></tr></thead>
<tbody>${files.map((f) => html`<tr><td><code>${f.path}</code></td><td>${f.kind}</td><td>${f.sha256 ?? 'could not be read again'}</td><td class="nowrap">${f.bytes ?? ''}</td></tr>`)}</tbody></table>`,
    lead,
  );
}
