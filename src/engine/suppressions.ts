import type { SourceLocation } from '../snapshot/model.js';
import { placesOf, type Finding } from './types.js';

/**
 * A finding an organisation has accepted, with the reason an auditor will read. It matches by rule and
 * by server, pool or thumbprint (at least one); a suppressed finding stays in JSON and SARIF, marked.
 * A finding found in several places (a certificate several servers hold) matches when any of its places
 * has the server and pool named: the finding is one, so is its suppression.
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
    (s.thumbprint === undefined || s.thumbprint === f.thumbprint) &&
    ((s.server === undefined && s.pool === undefined) ||
      placesOf(f).some((p) => (s.server === undefined || sameName(s.server, p.server)) && (s.pool === undefined || sameName(s.pool, p.pool))))
  );
}

/** Host names compare without regard to case, as DNS does. */
const sameName = (a: string, b: string | undefined) => b !== undefined && a.toLowerCase() === b.toLowerCase();
