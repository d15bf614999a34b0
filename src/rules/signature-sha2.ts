import { defineRule, type Report } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { atJudged, certificatesAndIssuers } from './support.js';

const SHA2 = new Set(['SHA-224', 'SHA-256', 'SHA-384', 'SHA-512']);

export default defineRule<{ allowSha1: boolean }>({
  meta: {
    id: 'signature-sha2',
    description: 'Assigned certificates and their issuing CAs are signed with SHA-2 (224/256/384/512), never MD5, SHA-1 or RSASSA-PSS.',
    severity: 'error',
    citation: CITATIONS.infrastructure,
    options: {
      allowSha1: {
        type: 'boolean',
        default: false,
        description: 'Accept SHA-1 signatures, which Lync Server 2013 itself still supports (this project requires SHA-2 by default).',
      },
    },
    messages: {
      weak: 'The {{what}} is signed with {{algorithm}} ({{hash}}); reissue it signed with SHA-256 or stronger.',
      pss: 'The {{what}} is signed with RSASSA-PSS, which Lync/SfB do not support (sign-in and call forwarding fail); reissue it with sha256WithRSAEncryption (PKCS #1 v1.5).',
      unknown: 'The {{what}} is signed with {{algorithm}}, which Lync/SfB do not support.',
    },
  },
  *check(context): Generator<Report> {
    for (const judged of certificatesAndIssuers(context)) {
      // A trust anchor's own signature is never checked by anyone: only what it signs matters.
      if (judged.anchor || (judged.issuer && judged.certificate.facts.selfIssued)) continue;
      const { hash, pss, algorithm } = judged.certificate.facts.signature;
      const messageId = pss ? 'pss' : hash === null ? 'unknown' : SHA2.has(hash) || (hash === 'SHA-1' && context.options.allowSha1) ? null : 'weak';
      if (messageId) yield { messageId, data: { what: judged.what, algorithm, hash: hash ?? 'none' }, ...atJudged(judged) };
    }
  },
});
