import rule from '../../src/rules/certificate-well-formed.js';
import { deployment, frontEndPool, ruleTester, thumbprint } from './harness.js';

// RFC 5280 §4.1.1.2: signatureAlgorithm "MUST contain the same algorithm identifier as the signature field
// in the sequence tbsCertificate". tbs-mismatch and tbs-mismatch-ca name sha1WithRSAEncryption inside and
// sha256WithRSAEncryption outside (openssl x509 -text prints both). §4.2.1.12: an Extended Key Usage
// extension lists one or more purposes; an empty one on an assigned certificate is server-auth-eku's.
const fe = (cert: string, intermediate?: string[], n = 1) => deployment({ pools: [frontEndPool({ Default: cert }, n, intermediate ? { all: { intermediate } } : {})] });

ruleTester(rule, {
  valid: [
    { name: 'a certificate and chain the reader found nothing wrong in', deployment: fe('good') },
    { name: 'an empty Extended Key Usage on an assigned certificate is server-auth-eku\'s finding', deployment: fe('empty-eku') },
  ],
  invalid: [
    {
      name: 'differing inner and outer signature algorithms: one finding for the certificate',
      deployment: fe('tbs-mismatch', undefined, 2),
      findings: [
        {
          messageId: 'malformed',
          severity: 'error',
          thumbprint: thumbprint('tbs-mismatch'),
          places: ['fe01.contoso.com', 'fe02.contoso.com'],
          message: 'the signature algorithm inside tbsCertificate (sha1WithRSAEncryption) differs from the outer one (sha256WithRSAEncryption)',
        },
      ],
    },
    {
      name: 'an issuing CA with differing algorithms',
      deployment: fe('under-tbs-mismatch-ca', ['issuing', 'tbs-mismatch-ca']),
      findings: [{ messageId: 'caMalformed', thumbprint: thumbprint('tbs-mismatch-ca'), message: '(CN=Contoso Mismatched CA) is malformed: the signature algorithm inside tbsCertificate' }],
    },
  ],
});
