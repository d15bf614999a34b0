import type { SourceLocation } from '../snapshot/model.js';
import type { Finding } from './types.js';

/**
 * A finding an organisation has accepted, with the reason an auditor will read. It matches by rule and
 * by server, pool or thumbprint (at least one); a suppressed finding stays in JSON and SARIF, marked.
 */
export interface Suppression {
  rule: string;
  server?: string;
  pool?: string;
  thumbprint?: string;
  reason: string;
  /** Where it is declared in the configuration file. */
  source?: SourceLocation;
}

/** Marks the findings each suppression matches; returns the suppressions that matched none. */
export function applySuppressions(findings: Finding[], suppressions: Suppression[]): Suppression[] {
  const used = new Set<Suppression>();
  for (const finding of findings) {
    const match = suppressions.find((s) => matches(s, finding));
    if (!match) continue;
    used.add(match);
    finding.suppression = { reason: match.reason, ...(match.source && { source: match.source }) };
  }
  return suppressions.filter((s) => !used.has(s));
}

function matches(s: Suppression, f: Finding): boolean {
  return (
    (s.rule === '*' || s.rule === f.ruleId) &&
    (s.server === undefined || sameName(s.server, f.server)) &&
    (s.pool === undefined || sameName(s.pool, f.pool)) &&
    (s.thumbprint === undefined || s.thumbprint === f.thumbprint)
  );
}

/** Host names compare without regard to case, as DNS does. */
const sameName = (a: string, b: string | undefined) => b !== undefined && a.toLowerCase() === b.toLowerCase();
