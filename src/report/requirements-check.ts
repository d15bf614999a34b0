/**
 * `check`'s report in lint's three formats, each lint's own formatter with what a check adds: which
 * candidate went where, which findings are about it and which the change introduces elsewhere, what it
 * fixes, and the verdict.
 * - stylish: the candidates and where they go, lint's stylish table of the verdict's findings (those
 *   introduced elsewhere say so), the findings the change fixes, and one verdict line.
 * - json: lint's JSON report, each finding with its `category`, and a `check` object (verdict,
 *   candidates, fixed findings, notes).
 * - sarif: lint's SARIF log; each result `baselineState: "new"` with its category, the rest under the
 *   run's `properties.check`.
 */
import type { Finding } from '../engine/types.js';
import { printable } from '../errors.js';
import type { CheckResult } from '../requirements/check.js';
import { jsonReport } from './json.js';
import { sarifLog } from './sarif.js';
import { hanging } from './requirements-types.js';
import { format as stylish } from './stylish.js';
import { summarize, type FormatOptions } from './types.js';

export type CheckFormat = 'stylish' | 'json' | 'sarif';

export type Verdict = 'fits' | 'breaks' | 'could not check';

export function verdictOf(result: CheckResult): Verdict {
  const { report } = result;
  if (report.inputErrors.length > 0 || report.ruleFailures.length > 0) return 'could not check';
  return summarize(report.findings).error > 0 ? 'breaks' : 'fits';
}

export function formatCheck(result: CheckResult, format: CheckFormat, options: FormatOptions): string {
  switch (format) {
    case 'stylish':
      return stylishCheck(result, options);
    case 'json':
      return `${JSON.stringify(jsonCheck(result), null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(sarifCheck(result), null, 2)}\n`;
  }
}

const ELSEWHERE = 'Introduced by the change: ';

function stylishCheck(result: CheckResult, options: FormatOptions): string {
  const lines: string[] = [];
  for (const c of result.candidates) {
    const id = c.thumbprint ?? `request ${c.sha256?.slice(0, 16)}…`;
    lines.push(`${c.file}: ${c.subject || '(empty Subject)'} (${id})`);
    for (const a of c.assigned) {
      const staged = a.previousThumbprint ? `, staged to replace ${a.previousThumbprint} from ${a.effectiveDate}` : '';
      lines.push(`  ${result.kind === 'request' ? 'measured as' : 'assigned to'} ${a.usages.join(', ')} on ${a.server} (${a.pool})${staged}`);
    }
    if (c.pending) lines.push(...hanging('  ', c.pending));
  }
  for (const note of result.notes) lines.push(...hanging('  note: ', note));
  const findings = result.report.findings.map((f, i) => (result.categories[i] === 'elsewhere' ? { ...f, message: `${ELSEWHERE}${f.message}` } : f));
  const table = stylish({ ...result.report, findings }, options).replace(/^\n/, '');
  const fixed = result.fixed.map((f) => `  ${f.ruleId}  ${where(f)}: ${f.message}`);
  const verdict = verdictOf(result);
  const counts = summarize(result.report.findings);
  const unchanged = result.unchanged > 0 ? ` ${result.unchanged} finding${result.unchanged === 1 ? '' : 's'} of the deployment as it is stay as they are (lint lists them).` : '';
  const line =
    verdict === 'could not check'
      ? '✖ Could not check the candidate (above).'
      : verdict === 'breaks'
        ? `✖ It would break: ${counts.error} error${counts.error === 1 ? '' : 's'} ${result.kind === 'request' ? 'in the request' : 'about it or introduced by it'}.${unchanged}`
        : `✔ It fits${counts.warning > 0 ? `, with ${counts.warning} warning${counts.warning === 1 ? '' : 's'}` : ''}.${unchanged}`;
  const blocks = [lines.map((l) => printable(l)).join('\n'), table.trimEnd(), fixed.length > 0 ? [`Fixed by this change (${fixed.length}):`, ...fixed.map((l) => printable(l))].join('\n') : '', line];
  return `\n${blocks.filter(Boolean).join('\n\n')}\n`;
}

const where = (f: Finding) => [f.pool, f.server].filter(Boolean).join(' › ') || 'deployment';

function jsonCheck(result: CheckResult) {
  const base = jsonReport(result.report);
  return {
    ...base,
    findings: base.findings.map((f, i) => ({ ...f, category: result.categories[i] })),
    check: {
      kind: result.kind,
      verdict: verdictOf(result),
      candidates: result.candidates,
      fixed: jsonReport({ ...result.report, findings: result.fixed }).findings,
      unchanged: result.unchanged,
      notes: result.notes,
    },
  };
}

function sarifCheck(result: CheckResult) {
  const log = sarifLog(result.report);
  const [run] = log.runs;
  return {
    ...log,
    runs: [
      {
        ...run!,
        results: run!.results.map((r, i) => ({ ...r, baselineState: 'new', properties: { ...r.properties, category: result.categories[i] } })),
        properties: {
          check: {
            kind: result.kind,
            verdict: verdictOf(result),
            candidates: result.candidates,
            fixed: result.fixed.map((f) => ({ ruleId: f.ruleId, message: f.message, pool: f.pool ?? null, server: f.server ?? null, usage: f.usage ?? null })),
            notes: result.notes,
          },
        },
      },
    ],
  };
}
