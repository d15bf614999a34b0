import type { SourceLocation } from '../snapshot/model.js';
import { placesOf, type Finding, type SuppressionNote } from './types.js';

/**
 * A finding an organisation has accepted, with the reason an auditor will read. It matches by rule and
 * by server, pool or thumbprint (at least one); a suppressed finding stays in JSON and SARIF, marked.
 * A finding found in several places (a certificate several servers hold) matches when any of its places
 * has the server and pool named: the finding is one, so is its suppression.
 * With `expires`, it applies until then only: an exception is reviewed, not kept forever.
 */
export interface Suppression {
  rule: string;
  server?: string;
  pool?: string;
  thumbprint?: string;
  reason: string;
  /** Who answers for the exception (a person or team). */
  owner?: string;
  /** The change or risk record that approved it. */
  ticket?: string;
  /** As written: a date (the suppression holds to the end of that day, UTC) or a date and time. */
  expires?: string;
  /** Where it is declared in the configuration file. */
  source?: SourceLocation;
}

/** The moment a suppression stops applying: a date's following midnight UTC, or the time given. Undefined: never. */
export function lapsesAt(s: Pick<Suppression, 'expires'>): Date | undefined {
  if (s.expires === undefined) return undefined;
  const at = Date.parse(s.expires);
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(s.expires) ? at + 24 * 3600 * 1000 : at);
}

/**
 * Marks the findings each suppression in force at `now` matches; a finding that only a lapsed one matches
 * counts again and says so. Returns the suppressions that matched none.
 */
export function applySuppressions(findings: Finding[], suppressions: Suppression[], now: Date): Suppression[] {
  const used = new Set<Suppression>();
  const inForce = (s: Suppression) => (lapsesAt(s)?.getTime() ?? Infinity) > now.getTime();
  for (const finding of findings) {
    const matching = suppressions.filter((s) => matches(s, finding));
    if (matching.length === 0) continue;
    const match = matching.find(inForce);
    if (match) {
      used.add(match);
      finding.suppression = note(match);
      continue;
    }
    const lapsed = matching[0]!;
    used.add(lapsed);
    finding.lapsedSuppression = note(lapsed);
    // Every format shows the message, the terminal's too: the reader learns why an accepted finding is back.
    const record = [lapsed.ticket, lapsed.owner && `owner ${lapsed.owner}`].filter(Boolean).join(', ');
    finding.message = `${finding.message.replace(/\.?$/, '.')} The suppression that accepted it expired on ${lapsed.expires}${record ? ` (${record})` : ''}.`;
  }
  return suppressions.filter((s) => !used.has(s));
}

function note(s: Suppression): SuppressionNote {
  return {
    reason: s.reason,
    ...(s.owner !== undefined && { owner: s.owner }),
    ...(s.ticket !== undefined && { ticket: s.ticket }),
    ...(s.expires !== undefined && { expires: s.expires }),
    ...(s.source && { source: s.source }),
  };
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
