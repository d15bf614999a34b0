import type { SignatureFacts } from '../certs/facts.js';
import { defineRule } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { atJudged, labelOf, certificatesAndIssuers, SHA2_HASHES } from './support.js';

export default defineRule({
  meta: {
    id: 'signature-sha2',
    description:
      'Assigned certificates and their issuing CAs are signed with SHA-2 (224/256/384/512), never MD5, SHA-1 or RSASSA-PSS; where the algorithm inside tbsCertificate differs from the outer one, by the stricter of the two.',
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
      innerWeak: {
        text: 'The certificate {{certificate}} names {{algorithm}} ({{hash}}) inside its tbsCertificate, while its outer signature says {{outer}}: judged by the stricter of the two, its digest is {{hash}}, not SHA-2. Reissue it signed with SHA-256 or stronger, with both algorithms the same.',
        scope: 'certificate',
      },
      innerUnsupported: {
        text: 'The certificate {{certificate}} names {{algorithm}} inside its tbsCertificate, while its outer signature says {{outer}}: Lync/SfB support neither RSASSA-PSS nor an algorithm without a SHA-2 digest. Reissue it with sha256WithRSAEncryption in both places.',
        scope: 'certificate',
      },
      caInnerWeak: {
        text: 'The CA certificate {{certificate}} names {{algorithm}} ({{hash}}) inside its tbsCertificate, while its outer signature says {{outer}}: judged by the stricter of the two, its digest is {{hash}}, not SHA-2. Renew it at its parent CA signed with SHA-256 or stronger, with both algorithms the same, and publish the renewed certificate to the servers.',
        scope: 'certificate',
      },
      caInnerUnsupported: {
        text: 'The CA certificate {{certificate}} names {{algorithm}} inside its tbsCertificate, while its outer signature says {{outer}}: Lync/SfB support neither RSASSA-PSS nor an algorithm without a SHA-2 digest. Renew it at its parent CA with sha256WithRSAEncryption in both places.',
        scope: 'certificate',
      },
      caUnknown: { text: 'The CA certificate {{certificate}} is signed with {{algorithm}}, which Lync/SfB do not support; renew it at its parent CA with sha256WithRSAEncryption.', scope: 'certificate' },
    },
  },
  *check(context) {
    /** What is wrong with a signature algorithm, if anything. */
    const fault = ({ hash, pss }: SignatureFacts) => (pss ? 'pss' : hash === null ? 'unknown' : !SHA2_HASHES.has(hash) && !(hash === 'SHA-1' && context.options.allowSha1) ? 'weak' : undefined);
    for (const judged of certificatesAndIssuers(context)) {
      // A trust anchor's own signature is never checked by anyone: only what it signs matters.
      if (judged.anchor || (judged.issuer && judged.certificate.facts.selfIssued)) continue;
      const { signature, tbsSignature } = judged.certificate.facts;
      const certificate = labelOf(context, judged.certificate);
      const where = atJudged(judged);
      const outer = fault(signature);
      const { hash, algorithm } = signature;
      if (outer === 'pss') yield { messageId: judged.issuer ? 'caPss' : 'pss', data: { certificate }, ...where };
      else if (outer === 'unknown') yield { messageId: judged.issuer ? 'caUnknown' : 'unknown', data: { certificate, algorithm }, ...where };
      else if (outer === 'weak') yield { messageId: judged.issuer ? 'caWeak' : 'weak', data: { certificate, algorithm, hash: hash! }, ...where };
      else if (tbsSignature) {
        // The two algorithms differ (certificate-well-formed says so): the digest is judged by the stricter.
        const inner = fault(tbsSignature);
        const data = { certificate, algorithm: tbsSignature.algorithm, outer: algorithm };
        if (inner === 'weak') yield { messageId: judged.issuer ? 'caInnerWeak' : 'innerWeak', data: { ...data, hash: tbsSignature.hash! }, ...where };
        else if (inner !== undefined) yield { messageId: judged.issuer ? 'caInnerUnsupported' : 'innerUnsupported', data, ...where };
      }
    }
  },
});
