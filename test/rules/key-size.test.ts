import rule from '../../src/rules/key-size.js';
import { deployment, frontEndPool, ruleTester, thumbprint } from './harness.js';

// Certificate infrastructure requirements for Lync Server 2013: "Key lengths of 2048 and greater are
// recommended" (the project's default minimum); "The ECDH_P256, ECDH_P384, and ECDH_P521 algorithms are
// also supported" (and RSA): any other curve or algorithm is not. JJ205253: the OAuthTokenIssuer
// certificate "must be at least 2048 bits", one of its two primary requirements, so lowering the general
// floor to 1024 (which the wizard accepts) leaves OAuth at 2048.
const fe = (cert: string, n = 1, intermediate?: string[]) => deployment({ pools: [frontEndPool({ Default: cert }, n, intermediate ? { all: { intermediate } } : {})] });

ruleTester(rule, {
  valid: [
    { name: '2048-bit RSA leaf and chain', deployment: fe('good') },
    { name: 'EC P-256 leaf', deployment: fe('ec-p256') },
    { name: 'a 1024-bit key when the minimum is lowered to 1024', deployment: fe('rsa-1024'), options: { minRsaBits: 1024 } },
    {
      name: 'a 1024-bit OAuth key when the OAuth floor is lowered too, as a configuration may',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'rsa-1024' }, 1)] }),
      options: { minRsaBits: 1024, minRsaBitsByUsage: { OAuthTokenIssuer: 1024 } },
    },
  ],
  invalid: [
    {
      name: 'a 1024-bit OAuth certificate with the general floor lowered to 1024: OAuth stays at 2048',
      deployment: deployment({ pools: [frontEndPool({ Default: 'rsa-1024', OAuthTokenIssuer: 'rsa-1024' }, 2, { per: { 1: { assignments: { Default: 'rsa-1024' } } } })] }),
      options: { minRsaBits: 1024 },
      findings: [{ messageId: 'usageTooShort', severity: 'error', places: ['fe01.contoso.com'], message: 'has a 1024-bit RSA key; as the OAuthTokenIssuer certificate it needs at least 2048 bits' }],
    },
    {
      name: 'a per-usage floor above the general one, set by configuration',
      deployment: fe('good'),
      options: { minRsaBitsByUsage: { Default: 3072 } },
      findings: [{ messageId: 'usageTooShort', thumbprint: thumbprint('good'), message: 'as the Default certificate it needs at least 3072 bits' }],
    },
    {
      name: 'a general floor above the OAuth one applies to OAuth too',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'good' }, 1)] }),
      options: { minRsaBits: 3072 },
      findings: [
        { messageId: 'tooShort', thumbprint: thumbprint('good'), message: 'a key of 3072 bits or more' },
        { messageId: 'caTooShort', thumbprint: thumbprint('issuing') },
        { messageId: 'caTooShort', thumbprint: thumbprint('root') },
      ],
    },
    {
      name: '1024-bit leaf',
      deployment: fe('rsa-1024'),
      findings: [{ messageId: 'tooShort', server: 'fe01.contoso.com', usage: 'Default', thumbprint: thumbprint('rsa-1024'), places: ['fe01.contoso.com'], message: 'has a 1024-bit RSA key; at least 2048 bits' }],
    },
    {
      name: 'the same short key on three usages of two servers is one finding, listing both servers',
      deployment: deployment({ pools: [frontEndPool({ Default: 'rsa-1024', WebServicesInternal: 'rsa-1024', WebServicesExternal: 'rsa-1024' }, 2)] }),
      findings: [{ messageId: 'tooShort', server: 'fe01.contoso.com', usage: 'Default', places: ['fe01.contoso.com', 'fe02.contoso.com'] }],
    },
    {
      name: 'a 1024-bit issuing CA is one finding, listing every server whose path it is in',
      deployment: fe('under-weak-ca', 3, ['weak-ca']),
      findings: [{ messageId: 'caTooShort', thumbprint: thumbprint('weak-ca'), places: ['fe01.contoso.com', 'fe02.contoso.com', 'fe03.contoso.com'], message: '(CN=Contoso Weak CA) has a 1024-bit' }],
    },
    {
      name: 'a 2048-bit key when 3072 bits are required: the leaf, its issuing CA and the root',
      deployment: fe('good'),
      options: { minRsaBits: 3072 },
      findings: [
        { messageId: 'tooShort', thumbprint: thumbprint('good'), message: 'a key of 3072 bits or more' },
        { messageId: 'caTooShort', thumbprint: thumbprint('issuing') },
        { messageId: 'caTooShort', thumbprint: thumbprint('root') },
      ],
    },
    {
      name: 'a certificate is named with the friendly name its servers give it',
      deployment: deployment({ pools: [frontEndPool({ Default: 'rsa-1024' }, 2, { all: { personal: { 'rsa-1024': { friendlyName: 'Lync Default 2026' } } } })] }),
      findings: [{ messageId: 'tooShort', places: ['fe01.contoso.com', 'fe02.contoso.com'], message: '(CN=pool01.contoso.com, "Lync Default 2026") has a 1024-bit' }],
    },
    {
      name: 'servers that name it differently: no friendly name, one finding still',
      deployment: deployment({
        pools: [frontEndPool({ Default: 'rsa-1024' }, 2, { per: { 0: { personal: { 'rsa-1024': { friendlyName: 'A' } } }, 1: { personal: { 'rsa-1024': { friendlyName: 'B' } } } } })],
      }),
      findings: [{ messageId: 'tooShort', places: ['fe01.contoso.com', 'fe02.contoso.com'], message: '(CN=pool01.contoso.com) has a 1024-bit' }],
    },
    { name: 'an Ed25519 key, which Lync/SfB do not support', deployment: fe('ed25519'), findings: [{ messageId: 'algorithm', message: 'has a Ed25519 key' }] },
    { name: 'an EC key on brainpoolP256r1, a curve Lync/SfB do not support', deployment: fe('brainpool'), findings: [{ messageId: 'curve', message: 'the curve brainpoolP256r1' }] },
    {
      name: 'P-256 when only P-384 is allowed',
      deployment: fe('ec-p256'),
      options: { allowedCurves: ['P-384'] },
      findings: [{ messageId: 'curve', thumbprint: thumbprint('ec-p256'), message: 'the curve P-256, which Lync/SfB do not support (use P-384)' }],
    },
    {
      name: 'an issuing CA with an Ed25519 key',
      deployment: fe('under-ed25519-ca', 1, ['ed25519-ca']),
      findings: [{ messageId: 'caAlgorithm', thumbprint: thumbprint('ed25519-ca'), message: 'has a Ed25519 key' }],
    },
  ],
});
