import rule from '../../src/rules/cng-key-provider.js';
import { deployment, frontEndPool, ruleTester } from './harness.js';

ruleTester(rule, {
  valid: [
    { name: 'a CSP key', deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1)] }) },
    { name: 'provider unknown (not collected)', deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1, { all: { personal: null } })] }) },
  ],
  invalid: [
    {
      name: 'a key in a Key Storage Provider, on one server of two',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good', WebServicesInternal: 'good' }, 2, { per: { 1: { personal: { good: { keyProvider: 'CNG' } } } } })] }),
      findings: [{ messageId: 'cng', server: 'fe02.contoso.com', message: 'The private key of the Default, WebServicesInternal certificate is in a CNG Key Storage Provider (CNG)' }],
    },
  ],
});
