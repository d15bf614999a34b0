import { defineRule } from '../engine/types.js';
import { FIXED_KEY_FLOORS, GENERAL_KEY, keyRequirementOf } from '../requirements/derive.js';
import type { Usage } from '../snapshot/model.js';
import { CITATIONS } from './citations.js';
import { atJudged, labelOf, certificatesAndIssuers } from './support.js';

export default defineRule({
  meta: {
    id: 'key-size',
    description:
      'RSA keys of assigned certificates and their issuing CAs have at least 2048 bits (the OAuthTokenIssuer certificate\'s at least 2048 whatever the general floor, and RSA); EC keys use P-256, P-384 or P-521, and are flagged as CNG keys Lync Server 2013 cannot use.',
    severity: 'error',
    citation: CITATIONS.infrastructure,
    options: {
      minRsaBits: { type: 'integer', default: GENERAL_KEY.minRsaBits, minimum: 512, description: 'Smallest RSA modulus accepted, in bits (the wizard accepts 1024; 2048 is recommended).' },
      minRsaBitsByUsage: {
        type: 'usage-integers',
        default: FIXED_KEY_FLOORS,
        minimum: 512,
        description:
          'Floors per usage that hold whatever minRsaBits says (the higher of the two applies): OAuthTokenIssuer at least 2048 bits, one of the two primary requirements of JJ205253. A usage the map leaves out keeps its default floor.',
      },
      allowedCurves: { type: 'string[]', default: GENERAL_KEY.curves, description: 'EC curves Lync/SfB accept (ECDH_P256, ECDH_P384, ECDH_P521).' },
    },
    messages: {
      tooShort: {
        text: 'The certificate {{certificate}} has a {{bits}}-bit RSA key; at least {{min}} bits are required. Reissue it with a key of {{min}} bits or more.',
        scope: 'certificate',
      },
      usageTooShort: {
        text: 'The certificate {{certificate}} has a {{bits}}-bit RSA key; as the {{usages}} certificate it needs at least {{min}} bits, whatever the general floor. Reissue it with a key of {{min}} bits or more.',
        scope: 'certificate',
      },
      curve: { text: 'The certificate {{certificate}} has an EC key on the curve {{curve}}, which Lync/SfB do not support (use {{allowed}}). Reissue it with an RSA key (on Skype for Business Server, one of those curves serves too).', scope: 'certificate' },
      usageAlgorithm: {
        text: 'The certificate {{certificate}} has an EC {{curve}} key; as the {{usages}} certificate it needs an RSA key of at least {{min}} bits (JJ205253). Reissue it with an RSA key of {{min}} bits or more, in a CSP (Microsoft RSA SChannel Cryptographic Provider).',
        scope: 'certificate',
      },
      ecNeedsCng: {
        text: 'The certificate {{certificate}} has an EC {{curve}} key, which Windows keeps only in a CNG Key Storage Provider: Lync Server 2013 cannot use CNG keys (assigning the certificate fails), Skype for Business Server can. On Lync Server 2013, reissue it with an RSA key of {{min}} bits or more, in a CSP (Microsoft RSA SChannel Cryptographic Provider).',
        severity: 'warning',
        scope: 'certificate',
      },
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
    // A map given in the configuration adds to the fixed floors: naming Default does not drop OAuth's 2048.
    const minRsaBitsByUsage = { ...FIXED_KEY_FLOORS, ...context.options.minRsaBitsByUsage };
    /** The floor of a certificate serving `usages`, and the usages that raise it above minRsaBits. */
    const floorOf = (usages: readonly Usage[]) => {
      const min = Math.max(minRsaBits, ...usages.map((u) => minRsaBitsByUsage[u] ?? 0));
      return { min, raisedBy: min > minRsaBits ? usages.filter((u) => minRsaBitsByUsage[u] === min) : [] };
    };
    for (const judged of certificatesAndIssuers(context)) {
      const key = judged.certificate.facts.publicKey;
      const where = atJudged(judged);
      const certificate = labelOf(context, judged.certificate);
      if (key.algorithm === 'RSA') {
        // A CA is held to the general floor: the per-usage floors are for the certificate serving the usage.
        const { min, raisedBy } = judged.issuer ? { min: minRsaBits, raisedBy: [] } : floorOf(judged.group.usages);
        if (key.bits === null || key.bits >= min) continue;
        if (raisedBy.length > 0) yield { messageId: 'usageTooShort', data: { certificate, bits: key.bits, min, usages: raisedBy.join(', ') }, ...where };
        else yield { messageId: judged.issuer ? 'caTooShort' : 'tooShort', data: { certificate, bits: key.bits, min }, ...where };
      } else if (key.algorithm === 'EC') {
        // A key on explicit parameters has no name: RFC 5480 calls that choice specifiedCurve.
        const curve = key.curve ?? 'specifiedCurve';
        // The usages whose key the requirements model asks to be RSA (OAuthTokenIssuer).
        const rsaOnly = judged.issuer ? [] : judged.group.usages.filter((u) => !keyRequirementOf(u).algorithms.includes('EC'));
        if (rsaOnly.length > 0) yield { messageId: 'usageAlgorithm', data: { certificate, curve, usages: rsaOnly.join(', '), min: floorOf(rsaOnly).min }, ...where };
        else if (!allowedCurves.includes(curve)) yield { messageId: judged.issuer ? 'caCurve' : 'curve', data: { certificate, curve, allowed: allowedCurves.join(', ') }, ...where };
        // A CA's key signs: only a server's own key must be in a provider Lync can use. Where the collector
        // saw the key in a CNG provider, cng-key-provider reports that (one cause, one finding).
        else if (!judged.issuer && context.personalEntry(judged.group.server, judged.certificate.facts.thumbprint)?.keyProvider !== 'CNG') {
          yield { messageId: 'ecNeedsCng', data: { certificate, curve, min: floorOf(judged.group.usages).min }, ...where };
        }
      } else {
        const algorithm = key.algorithm === 'unknown' ? (key.oid ?? 'unknown') : key.algorithm;
        yield { messageId: judged.issuer ? 'caAlgorithm' : 'algorithm', data: { certificate, algorithm }, ...where };
      }
    }
  },
});
