import { defineRule, type Report } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { atJudged, certificatesAndIssuers } from './support.js';

interface Options {
  minRsaBits: number;
  allowedCurves: string[];
}

export default defineRule<Options>({
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
      tooShort: 'The {{what}} has a {{bits}}-bit {{algorithm}} key; at least {{min}} bits are required. Reissue it with a key of {{min}} bits or more.',
      curve: 'The {{what}} uses the curve {{curve}}, which Lync/SfB do not support (use {{allowed}}).',
      algorithm: 'The {{what}} has a {{algorithm}} key; Lync/SfB support RSA and ECDH P-256/P-384/P-521 keys only.',
    },
  },
  *check(context): Generator<Report> {
    const { minRsaBits, allowedCurves } = context.options;
    for (const judged of certificatesAndIssuers(context)) {
      const key = judged.certificate.facts.publicKey;
      const where = atJudged(judged);
      if (key.algorithm === 'RSA') {
        if (key.bits !== null && key.bits < minRsaBits) yield { messageId: 'tooShort', data: { what: judged.what, bits: key.bits, algorithm: key.algorithm, min: minRsaBits }, ...where };
      } else if (key.algorithm === 'EC') {
        if (!allowedCurves.includes(key.curve ?? '')) yield { messageId: 'curve', data: { what: judged.what, curve: key.curve ?? 'unnamed', allowed: allowedCurves.join(', ') }, ...where };
      } else {
        yield { messageId: 'algorithm', data: { what: judged.what, algorithm: key.algorithm === 'unknown' ? (key.oid ?? 'unknown') : key.algorithm }, ...where };
      }
    }
  },
});
