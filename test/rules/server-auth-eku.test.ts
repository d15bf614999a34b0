import rule from '../../src/rules/server-auth-eku.js';
import { deployment, frontEndPool, ruleTester, thumbprint } from './harness.js';

// Certificate infrastructure requirements: the Extended Key Usage must include Server Authentication
// (1.3.6.1.5.5.7.3.1). RFC 5280 §4.2.1.12: an EKU extension restricts the key to the purposes it lists,
// so one that lists none permits none; without the extension any purpose is allowed.
const fe = (cert: string, n = 1) => deployment({ pools: [frontEndPool({ Default: cert }, n)] });

ruleTester(rule, {
  valid: [{ name: 'serverAuth and clientAuth', deployment: fe('good') }],
  invalid: [
    { name: 'clientAuth only', deployment: fe('client-auth-only', 2), findings: [{ messageId: 'missing', severity: 'error', places: ['fe01.contoso.com', 'fe02.contoso.com'], message: 'Usage (clientAuth) without' }] },
    {
      // `openssl x509 -text`: "TLS Web Client Authentication, Code Signing" (fixtures/rules/make-unusual.mjs).
      name: 'two purposes, neither Server Authentication: both listed',
      deployment: fe('client-code-signing'),
      findings: [{ messageId: 'missing', thumbprint: thumbprint('client-code-signing'), message: 'Usage (clientAuth, codeSigning) without' }],
    },
    { name: 'no EKU extension: a warning', deployment: fe('no-eku'), findings: [{ messageId: 'absent', severity: 'warning', thumbprint: thumbprint('no-eku') }] },
    { name: 'an EKU extension that lists no purpose permits none: an error', deployment: fe('empty-eku'), findings: [{ messageId: 'empty', severity: 'error', thumbprint: thumbprint('empty-eku') }] },
  ],
});
