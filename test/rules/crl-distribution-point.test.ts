import rule from '../../src/rules/crl-distribution-point.js';
import { deployment, frontEndPool, ruleTester, thumbprint } from './harness.js';

const fe = (cert: string, n = 1) => deployment({ pools: [frontEndPool({ Default: cert, WebServicesInternal: cert }, n)] });

ruleTester(rule, {
  valid: [{ name: 'a CRL distribution point', deployment: fe('good') }],
  invalid: [
    {
      name: 'no CRL distribution point, on two servers: one finding',
      deployment: fe('no-cdp', 2),
      findings: [{ messageId: 'missing', usage: 'Default', thumbprint: thumbprint('no-cdp'), places: ['fe01.contoso.com', 'fe02.contoso.com'], message: '(CN=pool01.contoso.com) has no CRL' }],
    },
  ],
});
