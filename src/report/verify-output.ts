/**
 * The output of `verify`: text for a person (every string from a certificate or a file name escaped,
 * as they are attacker-controlled) and JSON for a program (exact values; JSON escaping is enough).
 * docs/verify.md shows both.
 */
import { isoSeconds } from '../dates.js';
import type { Certificate } from '../certs/x509.js';
import { printable } from '../errors.js';
import type { Profile, Purpose, RevocationStatus, ValidationResult } from '../pki/validate.js';

/** What was asked: recorded in the JSON, so that a report says what it is evidence of. */
export interface VerifyQuestion {
  time: Date;
  profile: Profile;
  purpose: Purpose;
  hostname?: string;
  email?: string;
  keyUsage?: string[];
  maxDepth: number;
  /** Present when revocation was checked. */
  revocation?: { scope: 'leaf' | 'all'; strict: boolean; crls: number };
}

export interface VerifyReport {
  question: VerifyQuestion;
  result: ValidationResult;
}

const brief = (c: Certificate) => ({ subject: c.facts.subject, thumbprint: c.facts.thumbprint });

export function formatVerifyJson({ question, result }: VerifyReport): string {
  const json = {
    valid: result.valid,
    profile: question.profile,
    checked: {
      time: isoSeconds(question.time),
      purpose: question.purpose,
      hostname: question.hostname ?? null,
      email: question.email ?? null,
      keyUsage: question.keyUsage ?? null,
      maxDepth: question.maxDepth,
      revocation: question.revocation ?? null,
    },
    path: result.path.map((c) => ({
      ...brief(c),
      issuer: c.facts.issuer,
      notAfter: c.facts.notAfter,
      source: { path: c.facts.source.path, index: c.facts.source.index },
      trustAnchor: c === result.trustAnchor,
    })),
    reason: result.failure
      ? { code: result.failure.code, message: result.failure.message, ...(result.failure.missingIssuer !== undefined && { missingIssuer: result.failure.missingIssuer }) }
      : null,
    certificate: result.failure?.certificate ? brief(result.failure.certificate) : null,
    revocation: result.revocation?.map(revocationJson) ?? null,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

function revocationJson(s: RevocationStatus) {
  return {
    ...brief(s.certificate),
    status: s.status,
    message: s.message,
    ...(s.crl && { crl: { path: s.crl.source.path, index: s.crl.source.index, thisUpdate: s.crl.thisUpdate, nextUpdate: s.crl.nextUpdate } }),
    ...(s.revocationDate !== undefined && { revocationDate: s.revocationDate, reason: s.reason ?? null }),
  };
}

const subjectOf = (c: Certificate) => printable(c.facts.subject || '(empty subject)');

export function formatVerifyText({ question, result }: VerifyReport): string {
  const profile = question.profile;
  const unknown = (result.revocation ?? []).filter((s) => s.status === 'unknown');
  const notes = unknown.map((s) => `  revocation unknown: ${subjectOf(s.certificate)}: ${printable(s.message)}\n`).join('');
  if (!result.valid) {
    const failure = result.failure!;
    const at = failure.certificate ? `\n  certificate: ${subjectOf(failure.certificate)} (thumbprint ${failure.certificate.facts.thumbprint})` : '';
    return `not valid (${profile}): ${failure.code}: ${printable(failure.message)}${at}\n${notes}`;
  }
  const subjects = result.path.map(subjectOf);
  const width = Math.max(...subjects.map((s) => s.length));
  const rows = result.path.map((c, i) => {
    const role = c === result.trustAnchor ? 'trust anchor, ' : '';
    return `  ${subjects[i]!.padEnd(width)}  ${c.facts.thumbprint}  (${role}${printable(c.facts.source.path)} #${c.facts.source.index})`;
  });
  const checked = question.revocation ? `, revocation checked (${question.revocation.scope === 'all' ? 'every certificate' : 'the leaf'})` : '';
  return `valid (${profile}): ${result.path.length} certificate${result.path.length === 1 ? '' : 's'}, leaf to trust anchor${checked}\n${rows.join('\n')}\n${notes}`;
}
