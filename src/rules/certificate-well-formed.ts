import { EXT } from '../certs/oids.js';
import { extensionName } from '../certs/x509.js';
import { defineRule } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { atJudged, certificatesAndIssuers, ekuPermitsNothing, labelOf } from './support.js';

const EKU = extensionName(EXT.extendedKeyUsage);

export default defineRule({
  meta: {
    id: 'certificate-well-formed',
    description:
      'No assigned certificate or issuing CA has a defect the reader noticed: a malformed or repeated extension, a name or time not in DER\'s form, a malformed SAN entry, differing inner and outer signature algorithms (RFC 5280).',
    severity: 'error',
    citation: CITATIONS.rfc5280,
    messages: {
      malformed: {
        text: 'The certificate {{certificate}} is malformed: {{problems}}. Path validation refuses it, and Windows or a TLS peer may refuse it too, or read it otherwise than intended. Reissue it from a CA that encodes certificates as RFC 5280 requires.',
        scope: 'certificate',
      },
      caMalformed: {
        text: 'The CA certificate {{certificate}} is malformed: {{problems}}. Path validation refuses every path through it. Renew it at its parent CA (or, a root, make it again) encoded as RFC 5280 requires, and publish it to the servers\' stores.',
        scope: 'certificate',
      },
    },
  },
  *check(context) {
    for (const judged of certificatesAndIssuers(context)) {
      const { certificate } = judged;
      // An assigned certificate whose Extended Key Usage permits nothing is server-auth-eku's finding.
      const elsewhere = !judged.issuer && ekuPermitsNothing(certificate);
      const problems = certificate.facts.problems.filter((p) => !(elsewhere && p.includes(EKU)));
      if (problems.length === 0) continue;
      yield { messageId: judged.issuer ? 'caMalformed' : 'malformed', data: { certificate: labelOf(context, certificate), problems: problems.join('; ') }, ...atJudged(judged) };
    }
  },
});
