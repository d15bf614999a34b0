import { defineRule } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { atJudged, certificateLabel, certificatesAndIssuers } from './support.js';

export default defineRule({
  meta: {
    id: 'key-size',
    description: 'RSA keys of assigned certificates and their issuing CAs have at least 2048 bits; EC keys use P-256, P-384 or P-521.',
    severity: 'error',
    citation: CITATIONS.infrastructure,
    options: {
      minRsaBits: { type: 'integer', default: 2048, minimum: 512, description: 'Smallest RSA modulus accepted, in bits.' },
      allowedCurves: { type: 'string[]', default: ['P-256', 'P-384', 'P-521'], description: 'EC curves Lync/SfB accept (ECDH_P256, ECDH_P384, ECDH_P521).' },
    },
    messages: {
      tooShort: {
        text: 'The certificate {{certificate}} has a {{bits}}-bit RSA key; at least {{min}} bits are required. Reissue it with a key of {{min}} bits or more.',
        scope: 'certificate',
      },
      curve: { text: 'The certificate {{certificate}} has an EC key on the curve {{curve}}, which Lync/SfB do not support (use {{allowed}}). Reissue it with an RSA key or one of those curves.', scope: 'certificate' },
      algorithm: { text: 'The certificate {{certificate}} has a {{algorithm}} key; Lync/SfB support RSA and ECDH P-256/P-384/P-521 keys only. Reissue it with an RSA key.', scope: 'certificate' },
      caTooShort: {
        text: 'The CA certificate {{certificate}} has a {{bits}}-bit RSA key; at least {{min}} bits are required. Renew the CA with a new key of {{min}} bits or more, and reissue the certificates it signed.',
        scope: 'certificate',
      },
      caCurve: { text: 'The CA certificate {{certificate}} has an EC key on the curve {{curve}}, which Lync/SfB do not support (use {{allowed}}). Renew the CA with a supported key, and reissue the certificates it signed.', scope: 'certificate' },
      caAlgorithm: { text: 'The CA certificate {{certificate}} has a {{algorithm}} key; Lync/SfB support RSA and ECDH P-256/P-384/P-521 keys only. Renew the CA with an RSA key, and reissue the certificates it signed.', scope: 'certificate' },
    },
  },
  *check(context) {
    const { minRsaBits, allowedCurves } = context.options;
    for (const judged of certificatesAndIssuers(context)) {
      const key = judged.certificate.facts.publicKey;
      const where = atJudged(judged);
      const certificate = certificateLabel(judged.certificate);
      if (key.algorithm === 'RSA') {
        if (key.bits !== null && key.bits < minRsaBits) yield { messageId: judged.issuer ? 'caTooShort' : 'tooShort', data: { certificate, bits: key.bits, min: minRsaBits }, ...where };
      } else if (key.algorithm === 'EC') {
        // A key on explicit parameters has no name: RFC 5480 calls that choice specifiedCurve.
        const curve = key.curve ?? 'specifiedCurve';
        if (!allowedCurves.includes(curve)) yield { messageId: judged.issuer ? 'caCurve' : 'curve', data: { certificate, curve, allowed: allowedCurves.join(', ') }, ...where };
      } else {
        const algorithm = key.algorithm === 'unknown' ? (key.oid ?? 'unknown') : key.algorithm;
        yield { messageId: judged.issuer ? 'caAlgorithm' : 'algorithm', data: { certificate, algorithm }, ...where };
      }
    }
  },
});
