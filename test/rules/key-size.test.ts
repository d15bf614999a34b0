import rule from '../../src/rules/key-size.js';
import { deployment, frontEndPool, ruleTester, thumbprint } from './harness.js';

ruleTester(rule, {
  valid: [
    { name: '2048-bit RSA leaf and chain', deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1)] }) },
    { name: 'EC P-256 leaf', deployment: deployment({ pools: [frontEndPool({ Default: 'ec-p256' }, 1)] }) },
    {
      name: 'a 1024-bit key when the minimum is lowered to 1024',
      deployment: deployment({ pools: [frontEndPool({ Default: 'rsa-1024' }, 1)] }),
      options: { minRsaBits: 1024 },
    },
  ],
  invalid: [
    {
      name: '1024-bit leaf',
      deployment: deployment({ pools: [frontEndPool({ Default: 'rsa-1024' }, 1)] }),
      findings: [{ messageId: 'tooShort', server: 'fe01.contoso.com', usage: 'Default', message: '1024-bit RSA key' }],
    },
    {
      name: 'the same short key assigned to three usages is one finding per server',
      deployment: deployment({ pools: [frontEndPool({ Default: 'rsa-1024', WebServicesInternal: 'rsa-1024', WebServicesExternal: 'rsa-1024' }, 2)] }),
      findings: [
        { messageId: 'tooShort', server: 'fe01.contoso.com', message: 'Default, WebServicesInternal, WebServicesExternal certificate' },
        { messageId: 'tooShort', server: 'fe02.contoso.com' },
      ],
    },
    {
      name: 'a 1024-bit issuing CA is reported once, not per server',
      deployment: deployment({ pools: [frontEndPool({ Default: 'under-weak-ca' }, 3, { all: { intermediate: ['weak-ca'] } })] }),
      findings: [{ messageId: 'tooShort', thumbprint: thumbprint('weak-ca'), message: 'issuing CA "CN=Contoso Weak CA"' }],
    },
    {
      name: 'a 2048-bit key when 3072 bits are required',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1)] }),
      options: { minRsaBits: 3072 },
      // The leaf, its issuing CA and the root all have 2048-bit keys.
      findings: [{ messageId: 'tooShort', thumbprint: thumbprint('good') }, { messageId: 'tooShort', thumbprint: thumbprint('issuing') }, { messageId: 'tooShort', thumbprint: thumbprint('root') }],
    },
    {
      name: 'an Ed25519 key, which Lync/SfB do not support',
      deployment: deployment({ pools: [frontEndPool({ Default: 'ed25519' }, 1)] }),
      findings: [{ messageId: 'algorithm', message: 'Ed25519' }],
    },
  ],
});
