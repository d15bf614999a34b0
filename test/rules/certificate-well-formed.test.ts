import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/certificate-well-formed.js';
import { deployment, frontEndPool, ruleTester, runRule, thumbprint } from './harness.js';

// RFC 5280 §4.1.1.2: signatureAlgorithm "MUST contain the same algorithm identifier as the signature field
// in the sequence tbsCertificate". tbs-mismatch and tbs-mismatch-ca name sha1WithRSAEncryption inside and
// sha256WithRSAEncryption outside (openssl x509 -text prints both). §4.2.1.12: an Extended Key Usage
// extension lists one or more purposes; an empty one on an assigned certificate is server-auth-eku's.
const fe = (cert: string, intermediate?: string[], n = 1) => deployment({ pools: [frontEndPool({ Default: cert }, n, intermediate ? { all: { intermediate } } : {})] });
// Below unusual-root (fixtures/rules/make-unusual.mjs): empty-eku-mismatch (a server certificate) and
// empty-eku-ca each have two defects, an Extended Key Usage that `openssl x509 -text` prints as the empty
// sequence ("0.") and sha1WithRSAEncryption inside tbsCertificate with sha256WithRSAEncryption outside.
const unusual = (cert: string, intermediate: string[] = []) => deployment({ pools: [frontEndPool({ Default: cert }, 1, { all: { intermediate, root: ['unusual-root'] } })] });

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
    {
      name: 'a server certificate with an empty Extended Key Usage and another defect: the other is still reported',
      deployment: unusual('empty-eku-mismatch'),
      findings: [{ messageId: 'malformed', thumbprint: thumbprint('empty-eku-mismatch'), message: 'inside tbsCertificate (sha1WithRSAEncryption) differs from the outer one (sha256WithRSAEncryption)' }],
    },
    {
      // `openssl x509 -noout -pubkey` says "Error getting public key" (decode error): its RSAPublicKey is no SEQUENCE.
      name: 'a server certificate whose RSA public key cannot be decoded',
      deployment: unusual('rsa-unreadable'),
      findings: [{ messageId: 'malformed', thumbprint: thumbprint('rsa-unreadable'), message: 'the RSA public key cannot be decoded' }],
    },
    {
      // server-auth-eku judges only the assigned certificate: a CA's empty Extended Key Usage is this rule's.
      name: 'a CA with an empty Extended Key Usage and differing algorithms: both defects, one finding',
      deployment: unusual('under-empty-eku-ca', ['empty-eku-ca']),
      findings: [{ messageId: 'caMalformed', thumbprint: thumbprint('empty-eku-ca'), message: 'requires them identical; extendedKeyUsage is an empty sequence' }],
    },
  ],
});

describe('certificate-well-formed leaves an assigned certificate\'s empty Extended Key Usage to server-auth-eku', () => {
  it('reports the certificate\'s other defect without it', () => {
    const findings = runRule(rule, { deployment: unusual('empty-eku-mismatch') });
    expect(findings.map((f) => f.messageId)).toEqual(['malformed']);
    expect(findings[0]!.message).not.toContain('extendedKeyUsage');
  });
});
