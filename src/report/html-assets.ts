/**
 * The HTML report's stylesheet and script, inline in the page and allowed by their SHA-256 in its
 * Content-Security-Policy. The page reads in full without the script: it only adds sorting and
 * filtering, and opens every collapsed part before printing.
 */

export const STYLE = `
:root {
  --ink: #1d2939; --muted: #5d6b82; --line: #d9dee7; --soft: #f5f7fa; --brand: #1b3a5c;
  --error: #b42318; --error-bg: #fef3f2; --warning: #a15c07; --warning-bg: #fffaeb;
  --info: #175cd3; --info-bg: #eff8ff; --pass: #067647; --pass-bg: #ecfdf3;
  --na: #667085; --na-bg: #f2f4f7; --accepted: #5925dc; --accepted-bg: #f4f3ff;
  --mono: ui-monospace, "Cascadia Mono", Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #eef1f5; }
a { color: #1849a9; }
code, pre, .mono { font-family: var(--mono); font-size: 0.92em; }
.page { max-width: 1320px; margin: 0 auto; padding: 0 24px 40px; }
.report-header { background: var(--brand); color: #fff; padding: 28px 0 22px; }
.report-header .page { padding-bottom: 0; }
.report-header a { color: #cfe0ff; }
.kicker { margin: 0; font-size: 12px; letter-spacing: 0.08em; text-transform: uppercase; color: #b9c7da; }
h1 { margin: 4px 0 14px; font-size: 28px; line-height: 1.2; font-weight: 650; overflow-wrap: anywhere; }
.verdict { display: inline-flex; align-items: center; gap: 10px; margin: 0 0 18px; padding: 7px 16px 7px 12px; border-radius: 999px; font-size: 16px; font-weight: 650; }
.verdict::before { content: ""; width: 12px; height: 12px; border-radius: 50%; background: currentColor; }
.verdict.pass { background: var(--pass-bg); color: var(--pass); }
.verdict.fail { background: var(--error-bg); color: var(--error); }
.verdict.incomplete { background: var(--warning-bg); color: var(--warning); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 22px; margin: 0; font-size: 13.5px; }
.facts dt { color: #b9c7da; font-weight: 600; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.facts .hash, .facts code { color: #e4ecf7; }
.note { color: #b9c7da; font-size: 0.92em; }
.rules-run { display: flex; flex-wrap: wrap; gap: 4px 6px; margin: 0; padding: 0; list-style: none; }
.rules-run li { display: inline-flex; gap: 5px; align-items: baseline; padding: 1px 8px; border-radius: 6px; background: rgba(255, 255, 255, 0.1); font-size: 12.5px; }
.rules-run .opts { color: #b9c7da; font-size: 11.5px; }
.report-header details { margin-top: 14px; }
.report-header summary { cursor: pointer; color: #cfe0ff; font-size: 13px; }
.report-header table { margin-top: 8px; background: #fff; color: var(--ink); border-radius: 6px; }
.stopped { margin: 0 0 16px; padding: 10px 14px; border-radius: 8px; background: var(--warning-bg); color: var(--ink); border-left: 4px solid var(--warning); }
.stopped h2 { margin: 0 0 4px; font-size: 14px; color: var(--warning); }
.stopped ul { margin: 0; padding-left: 18px; }
nav.toc { position: sticky; top: 0; z-index: 2; background: #fff; border-bottom: 1px solid var(--line); box-shadow: 0 1px 3px rgba(16, 24, 40, 0.06); }
nav.toc ul { display: flex; flex-wrap: wrap; gap: 4px 22px; margin: 0 auto; padding: 10px 24px; max-width: 1320px; list-style: none; font-size: 13.5px; }
nav.toc a { color: var(--ink); text-decoration: none; font-weight: 550; }
nav.toc a:hover { color: #1849a9; }
nav.toc .n { color: var(--muted); font-weight: 400; }
main.page { padding-top: 22px; }
details.section { margin: 0 0 22px; padding: 4px 22px 20px; background: #fff; border: 1px solid var(--line); border-radius: 10px; box-shadow: 0 1px 2px rgba(16, 24, 40, 0.04); }
/* In a large report a section off screen is not laid out until it scrolls near, so the page opens at once. */
@media screen { body.large details.section { content-visibility: auto; contain-intrinsic-size: auto 1200px; } }
details.section > summary { cursor: pointer; list-style: none; padding: 14px 0 6px; }
details.section > summary::-webkit-details-marker { display: none; }
details.section > summary h2 { display: inline; margin: 0; font-size: 19px; font-weight: 650; }
details.section > summary::after { content: "▾"; float: right; color: var(--muted); }
details.section:not([open]) > summary::after { content: "▸"; }
.lead { margin: 4px 0 14px; color: var(--muted); }
h3 { font-size: 15.5px; margin: 0; }
#suppressions h3, #summary h3 { margin-top: 18px; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 7px 9px; border-bottom: 1px solid var(--line); }
thead th { background: var(--soft); color: #344054; font-weight: 600; font-size: 12px; border-bottom: 1px solid #c4cbd6; white-space: nowrap; }
tbody tr:hover { background: #fafbfc; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; margin: 8px 0 20px; }
.card { padding: 12px 14px; border: 1px solid var(--line); border-radius: 8px; background: #fff; }
.card .num { display: block; font-size: 26px; font-weight: 700; line-height: 1.15; }
.card .label { color: var(--muted); font-size: 12.5px; }
.card.error .num { color: var(--error); } .card.warning .num { color: var(--warning); } .card.info .num { color: var(--info); } .card.accepted .num { color: var(--accepted); }
.badge { display: inline-block; padding: 0 7px; border-radius: 5px; font-size: 11.5px; font-weight: 650; line-height: 1.6; white-space: nowrap; }
.badge.error, .cell.error { background: var(--error-bg); color: var(--error); }
.badge.warning, .cell.warning { background: var(--warning-bg); color: var(--warning); }
.badge.info, .cell.info { background: var(--info-bg); color: var(--info); }
.badge.pass, .cell.pass { background: var(--pass-bg); color: var(--pass); }
.badge.accepted, .cell.accepted { background: var(--accepted-bg); color: var(--accepted); }
.badge.na, .cell.na { background: var(--na-bg); color: var(--na); }
.badge.ca { background: #eef4ff; color: #3538cd; }
.matrix-wrap { overflow-x: auto; }
table.matrix th[scope="row"] { font-weight: 500; min-width: 250px; }
table.matrix th[scope="row"] .desc { display: block; color: var(--muted); font-size: 11.5px; font-weight: 400; line-height: 1.35; }
table.matrix thead th { text-align: center; white-space: normal; min-width: 112px; }
table.matrix thead th:first-child { text-align: left; }
/* A pool's name, its role and its snapshot on lines of their own, whether heading a column or a row. */
table.matrix .pool { display: block; overflow-wrap: anywhere; }
table.matrix .role { display: block; color: var(--muted); font-weight: 400; }
/* Turned (a row per pool): the rule ids run up narrow columns, so a page's width holds every rule. */
table.matrix.by-pool { table-layout: fixed; }
table.matrix.by-pool + table.matrix.by-pool { margin-top: 18px; }
table.matrix.by-pool col.c-pool { width: 20%; }
table.matrix.by-pool th[scope="row"] { min-width: 0; }
table.matrix.by-pool thead th { min-width: 0; }
table.matrix.by-pool thead th.rule { vertical-align: bottom; padding: 6px 0; }
table.matrix.by-pool thead th.rule a { display: inline-block; writing-mode: vertical-rl; transform: rotate(180deg); text-align: left; }
table.matrix.by-pool .cell { padding: 3px 0; font-size: 11.5px; white-space: nowrap; }
table.matrix td { padding: 3px; vertical-align: middle; }
.cell { display: block; padding: 4px 6px; border-radius: 5px; text-align: center; font-weight: 650; font-size: 12.5px; }
.cell.na { font-weight: 400; }
.legend { display: flex; flex-wrap: wrap; gap: 8px 18px; margin: 12px 0 0; padding: 0; list-style: none; color: var(--muted); font-size: 12.5px; }
.timeline svg { display: block; width: 100%; height: auto; margin: 6px 0 0; }
.timeline .axis text, .timeline .tick { font: 11px system-ui, sans-serif; fill: var(--muted); }
.timeline .label { font: 600 12px system-ui, sans-serif; fill: var(--ink); }
.timeline .sub { font: 11px system-ui, sans-serif; fill: var(--muted); }
.timeline .end { font: 11px system-ui, sans-serif; fill: #344054; }
.timeline .grid { stroke: #e4e7ec; }
.timeline .now { stroke: var(--ink); stroke-width: 1.5; }
.timeline .window { fill: var(--warning-bg); }
.timeline .bar.valid { fill: #5b8def; } .timeline .bar.expiring { fill: #f79009; } .timeline .bar.expired { fill: var(--error); }
.timeline .roll { fill: var(--accepted); stroke: #fff; stroke-width: 1.5; }
.timeline .stripe { fill: #fafbfc; }
.rule-group { margin: 14px 0 22px; padding: 16px 18px; border: 1px solid var(--line); border-left: 4px solid var(--na); border-radius: 8px; }
.rule-group.error { border-left-color: var(--error); } .rule-group.warning { border-left-color: #f79009; } .rule-group.info { border-left-color: var(--info); }
.rule-group h3 { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; }
.rule-group .count { color: var(--muted); font-weight: 400; font-size: 13px; }
.rule-desc { margin: 4px 0 2px; }
.cite { margin: 0 0 10px; color: var(--muted); font-size: 13px; }
ul.places { margin: 0; padding: 0; list-style: none; }
ul.places li { white-space: nowrap; }
.loc { color: var(--muted); font-size: 12px; }
.subject { font-weight: 550; overflow-wrap: anywhere; }
.thumb { font-family: var(--mono); font-size: 11.5px; color: #344054; word-break: break-all; }
.small { font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
.lapsed { display: block; margin-top: 4px; color: var(--warning); font-size: 12.5px; }
details.fix { margin-top: 12px; border-top: 1px dashed var(--line); padding-top: 8px; }
details.fix > summary { cursor: pointer; font-weight: 600; color: #344054; }
.steps { margin: 8px 0 0; }
.step { margin: 0 0 10px; }
.step p { margin: 0 0 4px; }
pre { margin: 0; padding: 10px 12px; background: #0f1b2d; color: #e6edf7; border-radius: 6px; overflow-x: auto; white-space: pre; font-size: 12px; line-height: 1.45; }
.more > summary { cursor: pointer; color: #1849a9; font-size: 12px; }
.toolbar { display: flex; gap: 12px; align-items: center; margin: 0 0 10px; }
.toolbar input { width: min(420px, 100%); padding: 6px 10px; border: 1px solid #c4cbd6; border-radius: 6px; font: inherit; }
.toolbar .shown { color: var(--muted); font-size: 12.5px; }
th.sortable { cursor: pointer; user-select: none; }
button.sort { margin-left: 4px; padding: 0 3px; border: 0; background: none; color: #98a2b3; font: inherit; cursor: pointer; }
button.sort::after { content: "↕"; }
th[aria-sort="ascending"] button.sort::after { content: "↑"; }
th[aria-sort="descending"] button.sort::after { content: "↓"; }
th[aria-sort="ascending"] button.sort, th[aria-sort="descending"] button.sort { color: var(--ink); }
table.inventory { table-layout: fixed; }
table.inventory col.c-cert { width: 23%; } table.inventory col.c-issuer { width: 13%; } table.inventory col.c-key { width: 7.5%; }
table.inventory col.c-digest { width: 6.5%; } table.inventory col.c-valid { width: 7.5%; } table.inventory col.c-days { width: 5.5%; }
table.inventory col.c-thumb { width: 12%; } table.inventory col.c-pk { width: 10.5%; } table.inventory col.c-where { width: 14.5%; }
table.inventory ul.places li { white-space: normal; }
table.inventory thead th { white-space: normal; }
td.days { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.days.expired { color: var(--error); font-weight: 650; } td.days.expiring { color: var(--warning); font-weight: 650; }
.nowrap { white-space: nowrap; }
.empty { color: var(--muted); font-style: italic; }
table.files td:nth-child(3) { font-family: var(--mono); font-size: 11.5px; word-break: break-all; }
.rule-group.pass { border-left-color: var(--pass); } .rule-group.accepted { border-left-color: var(--accepted); }
.endpoint-facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 18px; margin: 8px 0 12px; font-size: 13px; }
.endpoint-facts dt { color: var(--muted); font-weight: 600; }
.endpoint-facts dd { margin: 0; overflow-wrap: anywhere; }
table.chain, table.endpoint-findings { margin-bottom: 10px; }
table.endpoints code { overflow-wrap: anywhere; }
span.days { font-size: 12px; color: var(--muted); }
span.days.expired { color: var(--error); font-weight: 650; } span.days.expiring { color: var(--warning); font-weight: 650; }
footer.page { color: var(--muted); font-size: 12.5px; padding-top: 0; }
@media print {
  @page { size: landscape; margin: 12mm 11mm 15mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt system-ui, sans-serif; color: #555; } @bottom-left { content: "sfb-certlint certificate compliance report"; font: 8pt system-ui, sans-serif; color: #555; } }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { background: #fff; font-size: 9.5pt; }
  .page { max-width: none; padding: 0; }
  .report-header { padding: 0 0 10px; background: #fff; color: var(--ink); border-bottom: 2px solid var(--brand); }
  .report-header .kicker, .facts dt, .note, .rules-run .opts, .report-header summary { color: var(--muted); }
  .facts .hash, .facts code { color: var(--ink); }
  .rules-run li { background: var(--soft); }
  .report-header table { border: 1px solid var(--line); }
  .small, .loc { font-size: 7.5pt; }
  pre { background: var(--soft); color: var(--ink); border: 1px solid var(--line); }
  nav.toc, .toolbar, button.sort, details.section > summary::after { display: none; }
  details.section { border: 0; box-shadow: none; padding: 0; margin: 0 0 14px; }
  details.section > summary { padding: 8px 0 4px; break-after: avoid; }
  details::details-content { content-visibility: visible; }
  #inventory, #findings, #digests { break-before: page; }
  table { font-size: 8pt; }
  th, td { padding: 4px 6px; }
  tr, .card, .cell, pre, svg, .step, .rule-group > header { break-inside: avoid; }
  thead { display: table-header-group; }
  .rule-group { break-inside: auto; padding: 10px 12px; }
  pre { white-space: pre-wrap; font-size: 7.5pt; }
  a, .report-header a { color: inherit; text-decoration: none; }
  .matrix-wrap { overflow: visible; }
  /* The page's width, not the screen's minimums, sets the columns: every pool and rule stays on the paper. */
  table.matrix thead th, table.matrix th[scope="row"] { min-width: 0; }
  table.matrix.by-pool td, table.matrix.by-pool th { padding: 2px 3px; }
  table.matrix.by-pool thead th.rule { padding: 4px 0; }
  table.matrix.by-pool .cell { padding: 2px 0; font-size: 9pt; }
  #summary h3 { break-after: avoid; }
  tbody tr:hover { background: none; }
}
`;

export const SCRIPT = `
(() => {
  'use strict';
  // Sortable tables: a button in each header marked data-sort ("text" or "number").
  for (const table of document.querySelectorAll('table[data-sortable]')) {
    const headers = [...table.tHead.rows[0].cells];
    headers.forEach((th, index) => {
      if (!th.dataset.sort) return;
      // The heading's text stays as it is (a repeated print header shows it); a button beside it sorts,
      // and so does a click anywhere on the heading.
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.setAttribute('aria-label', 'Sort by ' + th.textContent.trim());
      th.append(button);
      th.setAttribute('aria-sort', 'none');
      th.classList.add('sortable');
      th.addEventListener('click', () => {
        const ascending = th.getAttribute('aria-sort') !== 'ascending';
        for (const other of headers) if (other.hasAttribute('aria-sort')) other.setAttribute('aria-sort', 'none');
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        const numeric = th.dataset.sort === 'number';
        const key = (row) => {
          const cell = row.cells[index];
          const value = cell.dataset.value ?? cell.textContent.trim();
          return numeric ? Number(value) : value.toLowerCase();
        };
        const body = table.tBodies[0];
        const rows = [...body.rows].map((row, i) => [key(row), i, row]);
        rows.sort((a, b) => {
          const order = a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
          return order === 0 ? a[1] - b[1] : ascending ? order : -order;
        });
        body.append(...rows.map((r) => r[2]));
      });
    });
  }
  // Filters: a search box above a table or list, shown only when this script runs.
  for (const bar of document.querySelectorAll('[data-filter]')) {
    const scope = document.getElementById(bar.dataset.filter);
    const input = bar.querySelector('input');
    const shown = bar.querySelector('.shown');
    const rows = [...scope.querySelectorAll('[data-row]')];
    const texts = rows.map((row) => row.textContent.toLowerCase());
    bar.hidden = false;
    input.addEventListener('input', () => {
      const words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
      let count = 0;
      rows.forEach((row, i) => {
        const hit = words.every((w) => texts[i].includes(w));
        row.hidden = !hit;
        if (hit) count++;
      });
      shown.textContent = words.length ? count + ' of ' + rows.length + ' shown' : '';
    });
  }
  // Printing shows everything: collapsed parts open for the print, and close again after.
  let closed = [];
  addEventListener('beforeprint', () => {
    closed = [...document.querySelectorAll('details:not([open])')];
    for (const d of closed) d.open = true;
  });
  addEventListener('afterprint', () => {
    for (const d of closed) d.open = false;
    closed = [];
  });
})();
`;
