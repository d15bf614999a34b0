import { createHash } from 'node:crypto';
import type { Finding } from '../engine/types.js';

/**
 * A stable identity for each finding (SARIF `partialFingerprints["sfbCertlint/v1"]`, JSON `fingerprint`):
 * the SHA-256 of what the finding is about (snapshot file, rule, pool, server, usage, thumbprint,
 * message id), never of its line or its wording, so an alert survives edits that move lines and
 * rewordings between versions. A finding about a certificate, found in several places (`places`), is
 * identified by its certificate without pool, server and usage: servers that come to hold the
 * certificate, or stop holding it, or are listed in another order, leave it the same alert; one found in
 * several places about no one certificate (a pool whose servers disagree) by the pool and usage of its
 * first place, as two such causes in one run differ in those. `:N` counts
 * findings with the same identity in report order, as GitHub's own line hashes do, so no two findings of
 * a run share a fingerprint.
 */
export function fingerprints(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const perServer = f.places === undefined;
    const perPool = !perServer && f.thumbprint === undefined;
    const identity = [
      (f.locations[0]?.path ?? '').replace(/\\/g, '/'),
      f.ruleId,
      // DNS names compare without regard to case: retyping a name in capitals is not a new finding.
      perServer || perPool ? (f.pool?.toLowerCase() ?? '') : '',
      perServer ? (f.server?.toLowerCase() ?? '') : '',
      perServer || perPool ? (f.usage ?? '') : '',
      f.thumbprint ?? '',
      f.messageId,
    ];
    const hash = createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 32);
    const count = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, count);
    return `${hash}:${count}`;
  });
}
