import { fileURLToPath } from 'node:url';
import { readCertificateFile } from '../../src/certs/read.js';
import rule from '../../src/rules/signature-sha2.js';
import { certs, deployment, frontEndPool, ruleTester, thumbprint } from './harness.js';

// Leaves of fixtures/certs (fixtures/certs/make.sh), one per digest, their issuer in no store here: each
// is judged alone. Their algorithms as `openssl x509 -text` prints them: md5WithRSAEncryption,
// ecdsa-with-SHA1, rsassaPss (SHA-256), sha224/384/512WithRSAEncryption, ecdsa-with-SHA256; sig-mismatch
// names sha384WithRSAEncryption inside tbsCertificate and sha256WithRSAEncryption outside.
for (const name of ['sig-rsa-md5', 'sig-ecdsa-sha1', 'sig-rsapss-sha256', 'sig-rsa-sha224', 'sig-rsa-sha384', 'sig-rsa-sha512', 'sig-ecdsa-sha256', 'sig-mismatch']) {
  certs[name] = readCertificateFile(fileURLToPath(new URL(`../../fixtures/certs/files/${name}.pem`, import.meta.url))).certificates[0]!;
}

// Certificate infrastructure requirements for Lync Server 2013: digests of the SHA-2 family (224, 256,
// 384, 512) and SHA-1 are supported; RSASSA-PSS is not. This project requires SHA-2 by default. A trust
// anchor's own signature is checked by no one, so a SHA-1 self-signed root is exempt. Where the algorithm
// inside tbsCertificate differs from the outer one (RFC 5280 §4.1.1.2 forbids it), the digest is judged by
// the stricter: tbs-mismatch names SHA-1 inside, SHA-256 outside (as openssl x509 -text prints them).
const fe = (cert: string, stores: { intermediate?: string[]; root?: string[] } = {}) => deployment({ pools: [frontEndPool({ Default: cert }, 2, { all: stores })] });
// Below unusual-root (fixtures/rules/make-unusual.mjs), as `openssl x509 -text` prints them: pss-ca is signed
// with rsassaPss (sha256); ed25519-signed-ca with ED25519 (by ed25519-key-ca, whose Ed25519 key names no
// digest); pss-inner names rsassaPss and ed25519-inner-ca ED25519 inside tbsCertificate, both
// sha256WithRSAEncryption outside. `openssl verify` accepts the first two chains and refuses the last.
const unusual = (cert: string, intermediate: string[] = []) => fe(cert, { intermediate, root: ['unusual-root'] });

ruleTester(rule, {
  valid: [
    { name: 'SHA-1 inside tbsCertificate when SHA-1 is allowed (the mismatch itself is certificate-well-formed\'s)', deployment: fe('tbs-mismatch'), options: { allowSha1: true } },
    { name: 'SHA-256 leaf and issuing CA (the root\'s own signature is not judged)', deployment: fe('good') },
    { name: 'SHA-1 when allowSha1 is set', deployment: fe('sha1'), options: { allowSha1: true } },
    { name: 'a SHA-1 self-signed root as trust anchor: its own signature is exempt', deployment: fe('under-sha1-root', { intermediate: [], root: ['sha1-root'] }) },
    {
      name: 'a SHA-1 signed CA that a server trusts as its anchor (in its Trusted Root store) is exempt: no one checks an anchor\'s signature',
      deployment: deployment({ pools: [frontEndPool({ Default: 'under-sha1-ca' }, 1, { all: { root: ['sha1-ca'], intermediate: [] } })] }),
    },
    {
      name: 'a SHA-1 self-signed root that is no trust anchor here is exempt too',
      deployment: deployment({ pools: [frontEndPool({ Default: 'under-sha1-root' }, 1, { all: { intermediate: ['sha1-root'] } })] }),
    },
    ...['sig-rsa-sha224', 'sig-rsa-sha384', 'sig-rsa-sha512', 'sig-ecdsa-sha256'].map((name) => ({ name: `every SHA-2 digest passes: ${name}`, deployment: fe(name) })),
    { name: 'SHA-384 inside tbsCertificate, SHA-256 outside: both SHA-2 (the mismatch itself is certificate-well-formed\'s)', deployment: fe('sig-mismatch') },
  ],
  invalid: [
    {
      name: 'SHA-256 outside, SHA-1 inside tbsCertificate: judged by the stricter',
      deployment: fe('tbs-mismatch'),
      findings: [{ messageId: 'innerWeak', thumbprint: thumbprint('tbs-mismatch'), message: 'names sha1WithRSAEncryption (SHA-1) inside its tbsCertificate, while its outer signature says sha256WithRSAEncryption' }],
    },
    {
      name: 'an issuing CA with SHA-1 inside tbsCertificate',
      deployment: fe('under-tbs-mismatch-ca', { intermediate: ['issuing', 'tbs-mismatch-ca'] }),
      findings: [{ messageId: 'caInnerWeak', thumbprint: thumbprint('tbs-mismatch-ca'), message: '(CN=Contoso Mismatched CA) names sha1WithRSAEncryption (SHA-1)' }],
    },
    {
      name: 'SHA-1 signed leaf on two servers: one finding',
      deployment: fe('sha1'),
      findings: [{ messageId: 'weak', usage: 'Default', thumbprint: thumbprint('sha1'), places: ['fe01.contoso.com', 'fe02.contoso.com'], message: 'is signed with sha1WithRSAEncryption (SHA-1)' }],
    },
    { name: 'RSASSA-PSS signed leaf', deployment: fe('pss'), findings: [{ messageId: 'pss', thumbprint: thumbprint('pss') }] },
    {
      name: 'SHA-1 signed issuing CA under a SHA-256 root',
      deployment: fe('under-sha1-ca', { intermediate: ['sha1-ca'] }),
      findings: [{ messageId: 'caWeak', thumbprint: thumbprint('sha1-ca'), places: ['fe01.contoso.com', 'fe02.contoso.com'], message: '(CN=Contoso SHA1 CA) is signed with sha1WithRSAEncryption' }],
    },
    {
      name: 'a signature whose algorithm names no digest (Ed25519), which Lync/SfB do not support',
      deployment: fe('under-ed25519-ca', { intermediate: ['ed25519-ca'] }),
      findings: [{ messageId: 'unknown', thumbprint: thumbprint('under-ed25519-ca'), message: 'is signed with ED25519' }],
    },
    {
      name: 'MD5 is refused even where SHA-1 is allowed',
      deployment: fe('sig-rsa-md5'),
      options: { allowSha1: true },
      findings: [{ messageId: 'weak', thumbprint: thumbprint('sig-rsa-md5'), message: 'is signed with md5WithRSAEncryption (MD5)' }],
    },
    { name: 'ECDSA with SHA-1 by default', deployment: fe('sig-ecdsa-sha1'), findings: [{ messageId: 'weak', thumbprint: thumbprint('sig-ecdsa-sha1'), message: 'ecdsa-with-SHA1 (SHA-1)' }] },
    {
      name: 'an issuing CA signed with RSASSA-PSS: a CA finding, the advice to renew it at its parent',
      deployment: unusual('under-pss-ca', ['pss-ca']),
      findings: [{ messageId: 'caPss', thumbprint: thumbprint('pss-ca'), places: ['fe01.contoso.com', 'fe02.contoso.com'], message: '(CN=Contoso PSS CA) is signed with RSASSA-PSS' }],
    },
    {
      name: 'an issuing CA signed by an Ed25519 CA: an algorithm without a digest (the Ed25519 CA itself is signed with SHA-256)',
      deployment: unusual('under-ed25519-signed-ca', ['ed25519-signed-ca', 'ed25519-key-ca']),
      findings: [{ messageId: 'caUnknown', thumbprint: thumbprint('ed25519-signed-ca'), message: '(CN=Contoso Ed25519 Signed CA) is signed with ED25519' }],
    },
    {
      name: 'SHA-256 outside, RSASSA-PSS inside tbsCertificate: unsupported, whatever its digest',
      deployment: unusual('pss-inner'),
      options: { allowSha1: true },
      findings: [{ messageId: 'innerUnsupported', thumbprint: thumbprint('pss-inner'), message: 'names RSASSA-PSS inside its tbsCertificate, while its outer signature says sha256WithRSAEncryption' }],
    },
    {
      name: 'an issuing CA with Ed25519 (no digest) inside tbsCertificate and SHA-256 outside',
      deployment: unusual('under-ed25519-inner-ca', ['ed25519-inner-ca']),
      findings: [{ messageId: 'caInnerUnsupported', thumbprint: thumbprint('ed25519-inner-ca'), message: '(CN=Contoso Ed25519 Inner CA) names ED25519 inside its tbsCertificate, while its outer signature says sha256WithRSAEncryption' }],
    },
    { name: 'RSASSA-PSS even with a SHA-256 digest, and even where SHA-1 is allowed', deployment: fe('sig-rsapss-sha256'), options: { allowSha1: true }, findings: [{ messageId: 'pss', thumbprint: thumbprint('sig-rsapss-sha256') }] },
  ],
});
