import rule from '../../src/rules/signature-sha2.js';
import { deployment, frontEndPool, ruleTester, thumbprint } from './harness.js';

const fe = (cert: string, intermediate?: string[]) => deployment({ pools: [frontEndPool({ Default: cert }, 1, intermediate ? { all: { intermediate } } : {})] });

ruleTester(rule, {
  valid: [
    { name: 'SHA-256 leaf and issuing CA (the root\'s own signature is not judged)', deployment: fe('good') },
    { name: 'SHA-1 when allowSha1 is set', deployment: fe('sha1'), options: { allowSha1: true } },
  ],
  invalid: [
    { name: 'SHA-1 signed leaf', deployment: fe('sha1'), findings: [{ messageId: 'weak', usage: 'Default', message: 'sha1WithRSAEncryption (SHA-1)' }] },
    { name: 'RSASSA-PSS signed leaf', deployment: fe('pss'), findings: [{ messageId: 'pss', thumbprint: thumbprint('pss') }] },
    {
      name: 'SHA-1 signed issuing CA under a SHA-256 root',
      deployment: fe('under-sha1-ca', ['sha1-ca']),
      findings: [{ messageId: 'weak', thumbprint: thumbprint('sha1-ca'), message: 'issuing CA "CN=Contoso SHA1 CA"' }],
    },
  ],
});
