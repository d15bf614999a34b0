/**
 * The Markdown report (docs/output-formats.md#markdown): the verdict, the counts, the compliance matrix,
 * the findings by rule and the certificates that have expired or expire within the warning window, as
 * GitHub-flavoured Markdown for a ticket or a pull-request comment. Values from certificates and
 * snapshots are escaped (or put in code spans), so they render as the text they are.
 */
import { placesOf, type Finding } from '../engine/types.js';
import { assignedTo, audit, dateTime, FOLD, placeText, plural, snapshotOf, webLink, type Audit, type MatrixCell } from './audit.js';
import { visible } from './html-escape.js';
import type { Formatter } from './types.js';


export const format: Formatter = (report) => {
  const a = audit(report);
  const title = report.inputs.map((i) => i.name ?? i.snapshot).join(', ') || 'no deployment read';
  const out = [
    `# Certificate compliance: ${text(title)}`,
    '',
    `${VERDICT_MARK[a.verdict.status]} **${text(a.verdict.text)}**`,
    '',
    `Evaluated at ${dateTime(report.evaluatedAt)}${a.timeSource ? ` (${a.timeSource})` : ''} by ${report.tool.name} ${report.tool.version}, ${plural(report.rules.length, 'rule')}; ${report.inputs.map((i) => `${code(i.snapshot)}${sha256Of(a, i.snapshot)}`).join(', ')}.`,
    '',
    ...stopped(a),
    '| Errors | Warnings | Info | Suppressed |',
    '| ---: | ---: | ---: | ---: |',
    `| ${a.counts.error} | ${a.counts.warning} | ${a.counts.info} | ${a.counts.suppressed} |`,
    '',
    ...matrix(a),
    ...findings(a),
    ...expiring(a),
  ];
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
};

const VERDICT_MARK = { pass: '✅', fail: '❌', incomplete: '⚠️' };

function sha256Of(a: Audit, path: string): string {
  const sha = a.report.run?.files.find((f) => f.path === path)?.sha256;
  return sha ? ` (SHA-256 ${code(sha)})` : '';
}

function stopped(a: Audit): string[] {
  const { inputErrors, ruleFailures } = a.report;
  if (inputErrors.length + ruleFailures.length === 0) return [];
  return [
    '> [!WARNING]',
    '> The run did not finish its job, so what follows may be incomplete:',
    ...inputErrors.map((e) => `> - ${e.path ? `${code(`${e.path}${e.line !== undefined ? `:${e.line}` : ''}`)}: ` : ''}${text(e.message)}`),
    ...ruleFailures.map((f) => `> - Rule ${code(f.ruleId)} failed: ${text(f.message)}`),
    '',
  ];
}

function matrix(a: Audit): string[] {
  if (a.columns.length === 0) return [];
  const several = new Set(a.columns.map((c) => c.snapshot)).size > 1;
  const head = (c: Audit['columns'][number]) => `${c.pool ? text(c.pool) : 'Whole deployment'}${several ? ` (${code(c.snapshot)})` : ''}`;
  const legend = '✅ pass · ❌ *n* findings (⚠️ warnings only, ℹ️ info only) · accepted: every finding suppressed · n/a: the rule does not apply to the pool';
  if (!a.poolsAsRows) {
    return [
      '## Compliance matrix',
      '',
      `| Rule | ${a.columns.map(head).join(' | ')} |`,
      `| --- | ${a.columns.map(() => ':---:').join(' | ')} |`,
      ...a.matrix.map((row) => `| ${ruleLink(row.rule.id, row.rule.docsUrl)} | ${row.cells.map(cell).join(' | ')} |`),
      '',
      legend,
      '',
    ];
  }
  return [
    '## Compliance matrix',
    '',
    `| Pool | ${a.matrix.map((row) => ruleLink(row.rule.id, row.rule.docsUrl)).join(' | ')} |`,
    `| --- | ${a.matrix.map(() => ':---:').join(' | ')} |`,
    ...a.columns.map((column, c) => `| ${head(column)} | ${a.matrix.map((row) => cell(row.cells[c]!)).join(' | ')} |`),
    '',
    legend,
    '',
  ];
}

function cell(c: MatrixCell): string {
  switch (c.state) {
    case 'fail':
      return `${c.worst === 'error' ? '❌' : c.worst === 'warning' ? '⚠️' : 'ℹ️'} ${c.count}`;
    case 'accepted':
      return 'accepted';
    case 'pass':
      return '✅';
    case 'na':
      return 'n/a';
  }
}

function findings(a: Audit): string[] {
  if (a.byRule.length === 0) return ['## Findings', '', 'None: every rule passed.', ''];
  const several = a.report.inputs.length > 1;
  const out = ['## Findings', ''];
  for (const { rule, findings: list } of a.byRule) {
    out.push(`### ${code(rule.id)}: ${plural(list.length, 'finding')}`, '');
    if (rule.description) out.push(text(rule.description), '');
    if (rule.citation.title) out.push(`Requirement: ${link(rule.citation.url, rule.citation.title)}${webLink(rule.docsUrl) ? ` · [how to fix](${url(`${rule.docsUrl}#how-to-fix`)})` : ''}`, '');
    out.push('| Severity | Finding | Where | Certificate |', '| --- | --- | --- | --- |');
    for (const f of list) out.push(`| ${f.severity} | ${text(f.message)} | ${where(f, several)} | ${certificate(a, f)} |`);
    out.push('');
  }
  if (a.counts.suppressed > 0) out.push(`${plural(a.counts.suppressed, 'finding')} suppressed by the configuration (not shown; the HTML and JSON reports list them with their reasons).`, '');
  return out;
}

function where(f: Finding, several: boolean): string {
  return `${several ? `${code(snapshotOf(f))}: ` : ''}${lines(placesOf(f).map((p) => text(placeText(p))))}`;
}

function certificate(a: Audit, f: Finding): string {
  const entry = a.certificateOf(f);
  if (!entry) return f.thumbprint ? code(f.thumbprint) : '';
  return `${text(entry.facts.subject || '(empty subject)')}<br>${code(entry.facts.thumbprint)}`;
}

function expiring(a: Audit): string[] {
  const soon = a.inUse.filter((c) => c.state !== 'valid');
  const out = ['## Expiring certificates', ''];
  if (soon.length === 0) {
    const next = a.inUse[0];
    out.push(`No certificate in use has expired or expires within ${a.warnDays} days${next ? `; the next expires on ${next.entry.facts.notAfter.slice(0, 10)}` : ''}.`, '');
    return out;
  }
  out.push(`Certificates in use that have expired or expire within ${a.warnDays} days of the evaluation time:`, '');
  out.push('| Certificate | Thumbprint | Expires | Days left | Assigned to |', '| --- | --- | --- | ---: | --- |');
  for (const c of soon) {
    const servers = assignedTo(c.entry).map((w) => `${text(w.server)}: ${text(w.usages.join(', '))}`);
    out.push(`| ${text(c.entry.facts.subject || '(empty subject)')} | ${code(c.entry.facts.thumbprint)} | ${c.entry.facts.notAfter.slice(0, 10)} | ${c.daysLeft} | ${lines(servers)} |`);
  }
  out.push('');
  return out;
}

/** Lines of a table cell, the first few and a count of the rest. */
const lines = (items: string[]) => (items.length > FOLD ? [...items.slice(0, FOLD - 1), `and ${items.length - FOLD + 1} more`] : items).join('<br>');

const ruleLink = (id: string, docsUrl: string) => (webLink(docsUrl) ? `[${code(id)}](${url(docsUrl)})` : code(id));

/** A link to a web address; any other address (a plug-in's metadata may hold anything) as text. */
const link = (address: string, label: string) => (webLink(address) ? `[${text(label)}](${url(address)})` : `${text(label)}${address ? ` (${text(address)})` : ''}`);

/**
 * Text for a paragraph or a table cell: the characters that make Markdown or HTML escaped (emphasis,
 * code, links, tags, entities, table cells; a heading, list or quote mark at the start), a line break
 * as a space (a table row is one line), control characters and direction overrides made visible.
 */
export function text(value: string): string {
  return visible(value)
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([#+\-=>])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** A code span holding `value` exactly: a fence longer than any run of backticks in it, and `|` escaped for tables. */
export function code(value: string): string {
  const v = visible(value).replace(/\r?\n|\r/g, ' ');
  const longest = Math.max(0, ...(v.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = v.startsWith('`') || v.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${v.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** A link destination from a rule's metadata: spaces and parentheses encoded so the link stays one. */
const url = (u: string) => u.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
