import { defineRule } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { atJudged, certificateLabel, certificatesAndIssuers, SHA2_HASHES } from './support.js';

export default defineRule({
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
      weak: { text: 'The certificate {{certificate}} is signed with {{algorithm}} ({{hash}}); reissue it signed with SHA-256 or stronger.', scope: 'certificate' },
      pss: {
        text: 'The certificate {{certificate}} is signed with RSASSA-PSS, which Lync/SfB do not support (sign-in and call forwarding fail); reissue it with sha256WithRSAEncryption (PKCS #1 v1.5).',
        scope: 'certificate',
      },
      unknown: { text: 'The certificate {{certificate}} is signed with {{algorithm}}, which Lync/SfB do not support; reissue it with sha256WithRSAEncryption.', scope: 'certificate' },
      caWeak: {
        text: 'The CA certificate {{certificate}} is signed with {{algorithm}} ({{hash}}); renew it at its parent CA signed with SHA-256 or stronger, and publish the renewed certificate to the servers.',
        scope: 'certificate',
      },
      caPss: {
        text: 'The CA certificate {{certificate}} is signed with RSASSA-PSS, which Lync/SfB do not support (sign-in and call forwarding fail); renew it at its parent CA with sha256WithRSAEncryption (PKCS #1 v1.5).',
        scope: 'certificate',
      },
      caUnknown: { text: 'The CA certificate {{certificate}} is signed with {{algorithm}}, which Lync/SfB do not support; renew it at its parent CA with sha256WithRSAEncryption.', scope: 'certificate' },
    },
  },
  *check(context) {
    for (const judged of certificatesAndIssuers(context)) {
      // A trust anchor's own signature is never checked by anyone: only what it signs matters.
      if (judged.anchor || (judged.issuer && judged.certificate.facts.selfIssued)) continue;
      const { hash, pss, algorithm } = judged.certificate.facts.signature;
      const certificate = certificateLabel(judged.certificate);
      const where = atJudged(judged);
      if (pss) yield { messageId: judged.issuer ? 'caPss' : 'pss', data: { certificate }, ...where };
      else if (hash === null) yield { messageId: judged.issuer ? 'caUnknown' : 'unknown', data: { certificate, algorithm }, ...where };
      else if (!SHA2_HASHES.has(hash) && !(hash === 'SHA-1' && context.options.allowSha1)) yield { messageId: judged.issuer ? 'caWeak' : 'weak', data: { certificate, algorithm, hash }, ...where };
    }
  },
});
