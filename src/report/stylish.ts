/**
 * The terminal format, after ESLint's stylish: what stopped the run first, then the findings of each
 * snapshot grouped by pool and server (`line:col  severity  message  rule-id`), then a summary line,
 * and the evaluation time when it is not the clock's. Suppressed findings are counted, not shown.
 * Lines fit the terminal's width (100 columns by default); a single word longer than its column (a
 * URL, a thumbprint) is never broken. Nothing at all is printed for a clean run at the current time.
 * Every text is escaped (printable): certificates, snapshots and plug-ins are not to drive the terminal.
 */
import { styleText } from 'node:util';
import type { Finding, Severity } from '../engine/types.js';
import { isoSeconds } from '../dates.js';
import { printable } from '../errors.js';
import { summarize, type Formatter, type LintReport, type ReportedInput } from './types.js';
import { compareNatural, pushTo } from '../collections.js';

type Color = 'red' | 'yellow' | 'cyan';

/** The few styles the report uses, or plain text when colour is off. */
interface Paint {
  dim(text: string): string;
  bold(text: string): string;
  bold(color: Color, text: string): string;
  underline(text: string): string;
  yellow(text: string): string;
  redBold(text: string): string;
  color(color: Color, text: string): string;
}

/**
 * Colour is the CLI's decision (--color, NO_COLOR, FORCE_COLOR, a TTY): styleText must not decide again
 * from a stream, hence validateStream off. node:util instead of chalk: a library less to load at start-up.
 */
function painter(color: boolean): Paint {
  const style = (format: Color | 'dim' | 'bold' | 'underline', text: string) => (color ? styleText(format, text, { validateStream: false }) : text);
  return {
    dim: (text) => style('dim', text),
    bold: (a: string, b?: string) => (b === undefined ? style('bold', a) : style(a as Color, style('bold', b))),
    underline: (text) => style('underline', text),
    yellow: (text) => style('yellow', text),
    redBold: (text) => style('red', style('bold', text)),
    color: (c, text) => style(c, text),
  };
}

const DEFAULT_WIDTH = 100;
/** The narrowest message column: past it, a long plug-in rule id moves below its message instead. */
const MIN_MESSAGE = 40;
/** The widest label column (a path:line, a rule id); a longer label gets a line of its own. */
const MAX_LABEL = 40;

export const format: Formatter = (report, options) => {
  const c = painter(options.color);
  const columns = options.width ?? DEFAULT_WIDTH;
  const blocks = [...failures(report, c, columns), ...snapshots(report, c, columns), ...summary(report, c, columns)];
  // As ESLint: a blank line first, blank lines between blocks, a newline at the end.
  return blocks.length > 0 ? `\n${blocks.join('\n\n')}\n` : '';
};

/** Inputs that could not be read and rules that threw: the run is incomplete, so they come first. */
function failures(report: LintReport, c: Paint, columns: number): string[] {
  const blocks: string[] = [];
  const { inputErrors, ruleFailures } = report;
  if (inputErrors.length > 0) {
    // One unreadable snapshot may have many errors: count the inputs, and the errors when more.
    const inputs = new Set(inputErrors.map((e) => e.path ?? '')).size;
    const errors = inputErrors.length > inputs ? ` (${count(inputErrors.length, 'error')})` : '';
    const heading = c.redBold(`✖ ${count(inputs, 'input')} could not be read${errors}:`);
    const rows = inputErrors.map((e) => ({ label: e.path ? place(e.path, e.line) : '', text: printable(e.message) }));
    blocks.push([heading, ...labelled(rows, (s) => s, columns)].join('\n'));
  }
  if (ruleFailures.length > 0) {
    const n = ruleFailures.length;
    const heading = c.redBold(`✖ ${count(n, 'rule')} failed, so ${n === 1 ? 'its' : 'their'} findings are incomplete:`);
    const rows = ruleFailures.map((f) => ({ label: printable(f.ruleId), text: printable(f.message) }));
    blocks.push([heading, ...labelled(rows, c.dim, columns)].join('\n'));
  }
  return blocks;
}

interface Group {
  /** `pool › server`; absent for deployment-wide findings. */
  heading?: string;
  pool?: string;
  server?: string;
  /** The snapshot path:line declaring the server (or pool). */
  where?: string;
  findings: Finding[];
}

function snapshots(report: LintReport, c: Paint, columns: number): string[] {
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) {
    if (f.suppression) continue;
    pushTo(byFile, f.locations[0]!.path, f);
  }
  return [...byFile].map(([path, findings]) => {
    const input = report.inputs.find((i) => i.snapshot === path);
    return [c.underline(printable(path)), ...table(groups(path, findings, declarations(input)), c, columns)].join('\n');
  });
}

/** Deployment-wide findings first, then each pool and server, named as people count (edgepool2 before edgepool16). */
function groups(path: string, findings: Finding[], declared: Declarations): Group[] {
  const byKey = new Map<string, Group>();
  for (const f of findings) {
    const key = `${f.pool ?? ''} ${f.server ?? ''}`;
    let group = byKey.get(key);
    if (!group) {
      const line = declared(f.pool, f.server);
      group = {
        ...(f.pool || f.server ? { heading: heading(f.pool, f.server), pool: f.pool, server: f.server } : {}),
        ...(line !== undefined && { where: place(path, line) }),
        findings: [],
      };
      byKey.set(key, group);
    }
    group.findings.push(f);
  }
  return [...byKey.values()].sort((a, b) => Number(a.heading !== undefined) - Number(b.heading !== undefined) || compareNatural(a.pool, b.pool) || compareNatural(a.server, b.server));
}

/** `pool › server`; a Standard Edition server is its own pool, named once. */
function heading(pool?: string, server?: string): string {
  return printable(pool && server && pool.toLowerCase() !== server.toLowerCase() ? `${pool} › ${server}` : (server ?? pool)!);
}

/** Where the snapshot declares a server (or, for a pool-wide finding, the pool), by name. */
type Declarations = (pool?: string, server?: string) => number | undefined;

/** The snapshot's declarations indexed once, as a deployment of thousands of servers has as many groups. */
function declarations(input: ReportedInput | undefined): Declarations {
  const pools = new Map<string, number | undefined>();
  const servers = new Map<string, number | undefined>();
  /** A server by its name alone, for a finding whose pool the snapshot does not declare. */
  const anywhere = new Map<string, number | undefined>();
  for (const p of input?.pools ?? []) {
    const pool = p.fqdn.toLowerCase();
    pools.set(pool, p.line);
    for (const s of p.servers) {
      const server = s.fqdn.toLowerCase();
      servers.set(`${pool} ${server}`, s.line);
      if (!anywhere.has(server)) anywhere.set(server, s.line);
    }
  }
  return (pool, server) => {
    if (server === undefined) return pool === undefined ? undefined : pools.get(pool.toLowerCase());
    const key = server.toLowerCase();
    return pool !== undefined && pools.has(pool.toLowerCase()) ? servers.get(`${pool.toLowerCase()} ${key}`) : anywhere.get(key);
  };
}

const SEVERITY_COLOR: Record<Severity, Color> = { error: 'red', warning: 'yellow', info: 'cyan' };

/**
 * One snapshot's findings as ESLint's table: columns aligned across the whole file, the message wrapped
 * in its column, the rule id at the end of the message's first line.
 */
function table(groups: Group[], c: Paint, columns: number): string[] {
  const findings = groups.flatMap((g) => g.findings);
  const nested = groups.some((g) => g.heading !== undefined);
  const deepest = nested ? 4 : 2;
  // ESLint aligns the colons: lines right-aligned, columns left-aligned.
  const lineText = (f: Finding) => String(f.locations[0]!.line ?? '-');
  const columnText = (f: Finding) => (f.locations[0]!.column !== undefined ? `:${f.locations[0]!.column}` : '');
  const lineWidth = Math.max(...findings.map((f) => width(lineText(f))));
  const columnWidth = Math.max(...findings.map((f) => width(columnText(f))));
  const severityWidth = Math.max(...findings.map((f) => width(f.severity)));
  const messageStart = (indent: number) => indent + lineWidth + columnWidth + 2 + severityWidth + 2;
  // A rule id too long to share a line with MIN_MESSAGE columns of message does not widen the column.
  const sharing = findings.filter((f) => width(ruleId(f)) <= columns - messageStart(deepest) - 2 - MIN_MESSAGE);
  const ruleWidth = Math.max(0, ...sharing.map((f) => width(ruleId(f))));
  const longest = Math.max(0, ...sharing.map((f) => width(text(f))));
  const ruleColumn = messageStart(deepest) + Math.min(longest, columns - messageStart(deepest) - 2 - ruleWidth) + 2;

  const row = (f: Finding, indent: number): string[] => {
    const start = messageStart(indent);
    const messageWidth = ruleColumn - 2 - start;
    const ruleFits = sharing.includes(f);
    // Only the first line shares its row with the rule id: the rest of the message takes the full width.
    const [first, ...rest] = wrap(text(f), ruleFits ? messageWidth : columns - start, columns - start);
    const position = c.dim(`${lineText(f).padStart(lineWidth)}${pad(columnText(f), columnWidth)}`);
    const severity = c.color(SEVERITY_COLOR[f.severity], f.severity) + ' '.repeat(severityWidth - width(f.severity));
    const lead = `${' '.repeat(indent)}${position}  ${severity}  `;
    const hanging = (s: string) => `${' '.repeat(start)}${s}`;
    return [
      ruleFits ? `${lead}${pad(first!, messageWidth)}  ${c.dim(ruleId(f))}` : `${lead}${first}`,
      ...rest.map(hanging),
      ...(ruleFits ? [] : [hanging(c.dim(ruleId(f)))]),
      ...places(f, columns - start).map((l) => hanging(c.dim(l))),
    ];
  };

  const lines: string[] = [];
  for (const group of groups) {
    if (group.heading !== undefined) {
      if (lines.length > 0) lines.push('');
      const where = group.where ? c.dim(group.where) : '';
      const oneLine = width(group.heading) + 2 + width(group.where ?? '') <= columns - 2;
      lines.push(`  ${c.bold(group.heading)}${where && oneLine ? `  ${where}` : ''}`);
      if (where && !oneLine) lines.push(`    ${where}`);
    }
    for (const f of group.findings) lines.push(...row(f, group.heading === undefined ? 2 : deepest));
  }
  return lines;
}

/** Places shown under a message before the rest are counted. */
const MAX_PLACES = 10;

/**
 * A finding about a certificate lists where it is found, under its message: `↳ 47  fe02.contoso.com:
 * OAuthTokenIssuer`, each place's line, server (or pool) and usages, the first ten and a count of the rest.
 */
function places(f: Finding, columns: number): string[] {
  if (!f.places) return [];
  // Servers as people count them (edge2 before edge16): the first ten are the first ten they would list.
  const shown = [...f.places].sort((a, b) => compareNatural(a.pool, b.pool) || compareNatural(a.server, b.server) || (a.location.line ?? 0) - (b.location.line ?? 0)).slice(0, MAX_PLACES);
  const lineWidth = Math.max(...shown.map((p) => width(String(p.location.line ?? '-'))));
  const lines = shown.flatMap((p) => {
    const lead = `↳ ${String(p.location.line ?? '-').padEnd(lineWidth)}  `;
    const name = p.server ?? p.pool ?? '';
    const text = p.usages && p.usages.length > 0 ? `${name}: ${p.usages.join(', ')}` : name;
    const [first, ...rest] = wrap(text, columns - width(lead));
    return [`${lead}${first}`, ...rest.map((l) => `${' '.repeat(width(lead))}${l}`)];
  });
  const more = f.places.length - MAX_PLACES;
  return more > 0 ? [...lines, ...wrap(`… and ${count(more, 'more place')} (the JSON and SARIF reports list them all)`, columns)] : lines;
}

function summary(report: LintReport, c: Paint, columns: number): string[] {
  const counts = summarize(report.findings);
  const problems = counts.error + counts.warning + counts.info;
  const blocks: string[] = [];
  if (problems > 0) {
    const parts = [count(counts.error, 'error'), count(counts.warning, 'warning')];
    // "info" is a mass noun here, as in the severity column: "2 info", not "2 infos".
    if (counts.info > 0) parts.push(`${counts.info} info`);
    const worst: Severity = counts.error > 0 ? 'error' : counts.warning > 0 ? 'warning' : 'info';
    const line = c.bold(SEVERITY_COLOR[worst], `✖ ${count(problems, 'problem')} (${parts.join(', ')})`);
    blocks.push(counts.suppressed > 0 ? `${line}\n  ${counts.suppressed} suppressed by the configuration, not shown` : line);
  }
  const stale = report.unusedSuppressions;
  if (stale.length > 0) {
    const heading = c.yellow(`${count(stale.length, 'suppression')} in the configuration matched no finding (remove or correct ${stale.length === 1 ? 'it' : 'them'}):`);
    const rows = stale.map((s) => ({
      label: s.source ? place(s.source.path, s.source.line) : '',
      text: printable(`${s.rule} (${[s.pool, s.server, s.thumbprint].filter(Boolean).join(', ')}): ${s.reason}`),
    }));
    blocks.push([heading, ...labelled(rows, c.dim, columns)].join('\n'));
  }
  // A clean result or a list of findings holds at the time evaluated: say so when that is not now.
  if (report.evaluationTimeFrom !== undefined) {
    blocks.push(c.dim(wrap(`Evaluated at ${isoSeconds(new Date(report.evaluatedAt))} (set by ${printable(report.evaluationTimeFrom)}), not at the current time.`, columns).join('\n')));
  }
  return blocks;
}

/** Rows of `label  text`, the text wrapped in its column; a label too long for the column gets a line of its own. */
function labelled(rows: Array<{ label: string; text: string }>, style: (s: string) => string, columns: number): string[] {
  const indent = 2;
  const labelWidth = Math.max(0, ...rows.map((r) => width(r.label)).filter((w) => w <= MAX_LABEL));
  const start = labelWidth > 0 ? indent + labelWidth + 2 : indent;
  return rows.flatMap(({ label, text }) => {
    const [first, ...rest] = wrap(text, columns - start);
    const hanging = rest.map((l) => `${' '.repeat(start)}${l}`);
    if (width(label) > labelWidth) return [`${' '.repeat(indent)}${style(label)}`, `${' '.repeat(start)}${first}`, ...hanging];
    const lead = labelWidth > 0 ? `${style(label)}${' '.repeat(labelWidth - width(label) + 2)}` : '';
    return [`${' '.repeat(indent)}${lead}${first}`, ...hanging];
  });
}

/** `path:line`, clickable in most terminals and editors. */
// Paths come from the file system: control characters in one must not reach the terminal.
const place = (path: string, line?: number) => (line ? `${printable(path)}:${line}` : printable(path));

/** ESLint drops a message's final period in the table. */
const text = (f: Finding) => printable(f.message).replace(/([^ ])\.$/, '$1');

/** A plug-in's rule id is its author's text. */
const ruleId = (f: Finding) => printable(f.ruleId);

/** Greedy word wrap; a word longer than the width gets a line of its own, unbroken. */
function wrap(s: string, columns: number, later = columns): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(/\s+/).filter(Boolean)) {
    if (line && width(line) + 1 + width(word) > (lines.length === 0 ? columns : later)) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** Columns a plain (uncoloured) string takes: one per code point. */
const width = (s: string) => [...s].length;

const pad = (s: string, columns: number) => s + ' '.repeat(Math.max(0, columns - width(s)));

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
