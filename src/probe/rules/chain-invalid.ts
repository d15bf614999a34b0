import { defineRule } from '../../engine/types.js';
import { printable } from '../../errors.js';
import type { FailureCode } from '../../pki/validate.js';
import { CITATIONS } from '../../rules/citations.js';
import { atEndpoint, docsUrl, endpointData, probeFacts } from './context.js';

/**
 * Validation failures a certificate rule also reports, by the rules that do: an expired leaf fails the
 * path too, and one finding of the cause is enough. Reported here when that rule is silent (turned off,
 * or with an option that lets the certificate through).
 */
const CERTIFICATE_RULE_CAUSES: Partial<Record<FailureCode, readonly string[]>> = {
  expired: ['certificate-expiry'],
  'not-yet-valid': ['not-yet-valid'],
  'weak-key': ['key-size'],
  'unsupported-algorithm': ['key-size', 'signature-sha2'],
  'eku-missing-purpose': ['server-auth-eku'],
};

const UNTRUSTED: readonly FailureCode[] = ['issuer-not-found', 'untrusted-root'];

export default defineRule({
  meta: {
    id: 'probe-chain-invalid',
    description: "The chain each endpoint serves validates against the roots its clients trust: the servers' Trusted Root stores inside, the public roots (Web PKI) outside.",
    severity: 'error',
    citation: CITATIONS.infrastructure,
    docsUrl: docsUrl('probe-chain-invalid'),
    messages: {
      untrusted: '{{endpoint}} ({{service}}) serves a chain that leads to none of {{trust}}: {{reason}}.',
      invalid: '{{endpoint}} ({{service}}) serves a chain that is not valid against {{trust}}: {{reason}} ({{code}}).',
      unreadable: '{{endpoint}} ({{service}}) serves a certificate that cannot be read (number {{position}} of the chain{{more}}): {{reason}}.',
      notValidated: { text: '{{endpoint}} ({{service}}): the served chain was not validated, as the snapshot gives no Trusted Root store for {{servers}}.', severity: 'info' },
    },
  },
  *check(context) {
    const facts = probeFacts(context);
    for (const probed of facts.endpoints) {
      const data = endpointData(probed);
      // One finding for all of them: a hostile server could send thousands.
      const [first, ...others] = probed.unreadable;
      if (first) {
        const more = others.length === 0 ? '' : `, and ${others.length} more`;
        yield { messageId: 'unreadable', data: { ...data, position: first.index + 1, reason: printable(first.message, 200), more }, ...atEndpoint(probed) };
      }
      const failure = probed.validation?.failure;
      if (probed.served.length > 0 && !probed.validation && probed.endpoint.exposure === 'internal') {
        const servers = probed.endpoint.servers.map((s) => s.fqdn).join(', ') || 'its servers';
        yield { messageId: 'notValidated', data: { ...data, servers }, ...atEndpoint(probed) };
      }
      if (!failure) continue;
      const thumbprint = failure.certificate?.facts.thumbprint;
      const alsoReported = CERTIFICATE_RULE_CAUSES[failure.code];
      if (alsoReported && thumbprint !== undefined && facts.reportedByCertificateRule(thumbprint, alsoReported)) continue;
      const messageId = UNTRUSTED.includes(failure.code) ? 'untrusted' : 'invalid';
      yield { messageId, data: { ...data, trust: probed.trust, reason: printable(failure.message, 300), code: failure.code }, ...atEndpoint(probed, thumbprint) };
    }
  },
});
