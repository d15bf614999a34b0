/**
 * The Markdown report (docs/output-formats.md#markdown): the verdict, the counts, the compliance matrix
 * (a probe's: its endpoints and the chains they served), the findings by rule, the certificates that
 * have expired or expire within the warning window, and the file digests, as GitHub-flavoured Markdown
 * for a ticket or a pull-request comment. It stays within MAX_MARKDOWN_BYTES whatever the deployment's
 * size: long tables are cut short, with a count of the rest, until it fits. Values from certificates
 * and snapshots are escaped (or put in code spans), so they render as the text they are.
 */
import { placesOf, type Finding } from '../engine/types.js';
import {
  assignedTo,
  audit,
  clientCertificateText,
  dateTime,
  daysFrom,
  failureText,
  filesReadText,
  fixUrl,
  FOLD,
  pathText,
  placeText,
  plural,
  reportTitle,
  snapshotOf,
  tlsText,
  webLink,
  type Audit,
  type MatrixCell,
  type ProbedEndpointView,
} from './audit.js';
import { visible } from './html-escape.js';
import type { Formatter } from './types.js';

/**
 * GitHub refuses a comment, an issue or a pull request's description past 65,536 characters. The report
 * counts UTF-8 bytes, never fewer than characters however they are counted, and leaves room for a line
 * or two a CI job adds around it.
 */
export const MAX_MARKDOWN_BYTES = 60_000;

/** How much a rendering shows: rows of each long table, and whether the matrix lists pools that pass. */
interface Detail {
  rows: number;
  passingPools: boolean;
  files: number;
}

/** From everything to the least: first the file digests and the pools that pass every rule go, then rows of every table. */
const DETAIL: Detail[] = [
  { rows: Infinity, passingPools: true, files: Infinity },
  { rows: Infinity, passingPools: false, files: Infinity },
  { rows: Infinity, passingPools: false, files: 0 },
  ...[100, 50, 25, 12, 6, 3, 1, 0].map((rows) => ({ rows, passingPools: false, files: 0 })),
];

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

export const format: Formatter = (report) => {
  const a = audit(report);
  let md = '';
  for (const detail of DETAIL) {
    md = render(a, detail);
    if (bytes(md) <= MAX_MARKDOWN_BYTES) return md;
  }
  return cut(md);
};

function render(a: Audit, detail: Detail): string {
  const { report } = a;
  const title = reportTitle(report);
  const files = report.run?.files ?? [];
  const out = [
    `# ${a.endpoints ? 'TLS endpoint probe' : 'Certificate compliance'}: ${text(title)}`,
    '',
    `${VERDICT_MARK[a.verdict.status]} **${text(a.verdict.text)}**`,
    '',
    `Evaluated at ${dateTime(report.evaluatedAt)}${a.timeSource ? ` (${a.timeSource})` : ''} by ${report.tool.name} ${report.tool.version}, ${plural(report.rules.length, 'rule')}; ${report.inputs.map((i) => `${code(i.snapshot)}${sha256Of(a, i.snapshot)}`).join(', ')}.${
      files.length > 0 ? ` ${filesReadText(files)}: the SHA-256 of each under [Appendix: file digests](#appendix-file-digests).` : ''
    }${report.probe ? ` Probed ${dateTime(report.probe.startedAt)} to ${dateTime(report.probe.finishedAt)}, each endpoint given ${report.probe.timeoutMs / 1000} s.` : ''}`,
    '',
    ...stopped(a, detail),
    '| Errors | Warnings | Info | Suppressed |',
    '| ---: | ---: | ---: | ---: |',
    `| ${a.counts.error} | ${a.counts.warning} | ${a.counts.info} | ${a.counts.suppressed} |`,
    '',
    ...(a.endpoints ? endpoints(a, a.endpoints, detail) : matrix(a, detail)),
    ...findings(a, detail),
    ...(a.endpoints ? [] : expiring(a, detail)),
    ...appendix(a, detail),
  ];
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** The first `max` of `items`, and the line that counts the rest (none when nothing is left out). */
function capped<T>(items: readonly T[], max: number, noun: string): { shown: readonly T[]; rest: string[] } {
  if (items.length <= max) return { shown: items, rest: [] };
  return { shown: items.slice(0, max), rest: [`… and ${items.length - max} more ${noun}, see the HTML or JSON report.`, ''] };
}

/** The last resort, when even the shortest rendering is too long (huge values, a plug-in's hundreds of rules): whole lines up to the limit. */
function cut(md: string): string {
  const note = '\n\n*The report was cut here to stay within the size of a GitHub comment: the HTML and JSON reports hold all of it.*\n';
  const budget = MAX_MARKDOWN_BYTES - bytes(note);
  const kept: string[] = [];
  let size = 0;
  for (const line of md.split('\n')) {
    size += bytes(line) + 1;
    if (size > budget) break;
    kept.push(line);
  }
  return kept.length > 0 ? `${kept.join('\n').trimEnd()}${note}` : note.trimStart();
}

const VERDICT_MARK = { pass: '✅', fail: '❌', incomplete: '⚠️' };

function sha256Of(a: Audit, path: string): string {
  const sha = a.report.run?.files.find((f) => f.path === path)?.sha256;
  return sha ? ` (SHA-256 ${code(sha)})` : '';
}

function stopped(a: Audit, detail: Detail): string[] {
  const { inputErrors, ruleFailures } = a.report;
  if (inputErrors.length + ruleFailures.length === 0) return [];
  const errors = capped(inputErrors, Math.max(detail.rows, 1), 'inputs that could not be read');
  const failures = capped(ruleFailures, Math.max(detail.rows, 1), 'rule failures');
  return [
    '> [!WARNING]',
    '> The run did not finish its job, so what follows may be incomplete:',
    ...errors.shown.map((e) => `> - ${e.path ? `${code(`${e.path}${e.line !== undefined ? `:${e.line}` : ''}`)}: ` : ''}${text(e.message)}`),
    ...errors.rest.slice(0, 1).map((line) => `> - ${line}`),
    ...failures.shown.map((f) => `> - Rule ${code(f.ruleId)} failed: ${text(f.message)}`),
    ...failures.rest.slice(0, 1).map((line) => `> - ${line}`),
    '',
  ];
}

function matrix(a: Audit, detail: Detail): string[] {
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
  // A row per pool; in a large deployment, only the pools something concerns (a finding, a suppressed one).
  const all = a.columns.map((column, c) => ({ column, cells: a.matrix.map((row) => row.cells[c]!) }));
  const listed = detail.passingPools ? all : all.filter((p) => p.cells.some((x) => x.state === 'fail' || x.state === 'accepted'));
  const passing = all.length - listed.length;
  const rows = capped(listed, detail.rows, 'pools with findings');
  return [
    '## Compliance matrix',
    '',
    // Only pools pass everywhere: a whole deployment's column exists for its findings.
    ...(passing > 0 ? [`${passing} of the ${a.columns.filter((c) => c.pool !== undefined).length} pools pass every rule that applies to them and are left out here; the HTML report shows them.`, ''] : []),
    ...(rows.shown.length > 0
      ? [
          `| Pool | ${a.matrix.map((row) => ruleLink(row.rule.id, row.rule.docsUrl)).join(' | ')} |`,
          `| --- | ${a.matrix.map(() => ':---:').join(' | ')} |`,
          ...rows.shown.map((p) => `| ${head(p.column)} | ${p.cells.map(cell).join(' | ')} |`),
          '',
        ]
      : []),
    ...rows.rest,
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

function findings(a: Audit, detail: Detail): string[] {
  if (a.byRule.length === 0) return ['## Findings', '', 'None: every rule passed.', ''];
  const several = a.report.inputs.length > 1;
  const out = ['## Findings', ''];
  for (const { rule, findings: list } of a.byRule) {
    out.push(`### ${code(rule.id)}: ${plural(list.length, 'finding')}`, '');
    if (rule.description) out.push(text(rule.description), '');
    if (rule.citation.title) out.push(`Requirement: ${link(rule.citation.url, rule.citation.title)}${webLink(rule.docsUrl) ? ` · [how to fix](${url(fixUrl(rule.docsUrl))})` : ''}`, '');
    const rows = capped(list, detail.rows, `findings of ${rule.id}`);
    if (rows.shown.length > 0) {
      out.push('| Severity | Finding | Where | Certificate |', '| --- | --- | --- | --- |');
      for (const f of rows.shown) out.push(`| ${f.severity} | ${text(f.message)} | ${where(f, several)} | ${certificate(a, f)} |`);
      out.push('');
    }
    out.push(...rows.rest);
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

function expiring(a: Audit, detail: Detail): string[] {
  const soon = a.inUse.filter((c) => c.state !== 'valid');
  const out = ['## Expiring certificates', ''];
  if (soon.length === 0) {
    const next = a.inUse[0];
    out.push(`No certificate in use has expired or expires within ${a.warnDays} days${next ? `; the next expires on ${next.entry.facts.notAfter.slice(0, 10)}` : ''}.`, '');
    return out;
  }
  out.push(`Certificates in use that have expired or expire within ${a.warnDays} days of the evaluation time:`, '');
  const rows = capped(soon, detail.rows, 'certificates');
  if (rows.shown.length > 0) {
    out.push('| Certificate | Thumbprint | Expires | Days left | Assigned to |', '| --- | --- | --- | ---: | --- |');
    for (const c of rows.shown) {
      const servers = assignedTo(c.entry).map((w) => `${text(w.server)}: ${text(w.usages.join(', '))}`);
      out.push(`| ${text(c.entry.facts.subject || '(empty subject)')} | ${code(c.entry.facts.thumbprint)} | ${c.entry.facts.notAfter.slice(0, 10)} | ${c.daysLeft} | ${lines(servers)} |`);
    }
    out.push('');
  }
  out.push(...rows.rest);
  return out;
}

/** A probe's endpoints: one line each, then each with its TLS session, the chain it served in order, and its findings. */
function endpoints(a: Audit, list: ProbedEndpointView[], detail: Detail): string[] {
  const out = ['## Endpoints', ''];
  if (list.length === 0) return [...out, 'No endpoint was probed.', ''];
  const rows = capped(list, detail.rows, 'endpoints');
  out.push('| Endpoint | Verdict | TLS | Client certificate | Certificate served | Expires |', '| --- | :---: | --- | --- | --- | --- |');
  for (const { evidence: e, verdict } of rows.shown) {
    const leaf = e.chain[0];
    out.push(
      `| ${code(e.endpoint)} ${text(e.service)} | ${cell(verdict)} | ${text(failureText(e) ?? tlsText(e))} | ${clientCertificateText(e)} | ${leaf ? text(leaf.subject ?? 'unreadable') : 'none'} | ${leaf?.notAfter ? expiry(a, leaf.notAfter) : ''} |`,
    );
  }
  out.push('', ...rows.rest);
  for (const { evidence: e, findings: found, verdict } of rows.shown) {
    out.push(`### ${code(e.endpoint)} ${cell(verdict)}`, '');
    const where = `Service: ${text(e.service)} (${e.exposure})${e.pool ? `, pool ${text(e.pool)}` : ''}`;
    const connected = e.connectTo ? `${code(e.connectTo)} (--connect-to)` : code(`${e.host}:${e.port}`);
    out.push(
      `${where}. Connected to ${connected} at ${dateTime(e.startedAt)}. TLS: ${text(failureText(e) ?? tlsText(e))}; client certificate ${clientCertificateText(e)}. Name asked: ${e.serverName ? code(e.serverName) : 'none'}${e.nameCovered === null ? '' : e.nameCovered ? ', covered' : ', not covered by the certificate served'}. Path: ${text(pathText(e))}.`,
      '',
    );
    if (e.chain.length > 0) {
      out.push('| # | Subject | Issuer | Thumbprint | Expires |', '| ---: | --- | --- | --- | --- |');
      e.chain.forEach((c, k) =>
        out.push(c.unreadable !== null ? `| ${k + 1} | unreadable: ${text(c.unreadable)} | | | |` : `| ${k + 1} | ${text(c.subject ?? '')} | ${text(c.issuer ?? '')} | ${code(c.thumbprint ?? '')} | ${c.notAfter ? expiry(a, c.notAfter) : ''} |`),
      );
      out.push('');
    }
    const shown = capped(found, Math.max(detail.rows, 1), 'findings');
    out.push(...(found.length === 0 ? ['No finding.'] : shown.shown.map((f) => `- ${f.severity}${f.suppression ? ' (suppressed)' : ''} ${code(f.ruleId)}: ${text(f.message)}`)), '', ...shown.rest);
  }
  return out;
}

/** `2049-12-31 (8614 days left)` */
function expiry(a: Audit, notAfter: string): string {
  const days = daysFrom(a.now, notAfter);
  return `${notAfter.slice(0, 10)} (${days < 0 ? `expired ${-days} days ago` : `${days} days left`})`;
}

/** The SHA-256 of every file read, last: checked by an auditor rather than read, and first to go for size. */
function appendix(a: Audit, detail: Detail): string[] {
  const files = a.report.run?.files ?? [];
  if (files.length === 0) return [];
  const rows = capped(files, detail.files, 'files');
  return [
    '## Appendix: file digests',
    '',
    `${filesReadText(files)}, each as read after linting (compare with \`Get-FileHash -Algorithm SHA256 FILE\` or \`sha256sum FILE\`):`,
    '',
    ...(rows.shown.length > 0
      ? ['| File | Read as | SHA-256 | Bytes |', '| --- | --- | --- | ---: |', ...rows.shown.map((f) => `| ${code(f.path)} | ${f.kind} | ${f.sha256 ? code(f.sha256) : 'could not be read again'} | ${f.bytes ?? ''} |`), '']
      : []),
    ...rows.rest,
  ];
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
