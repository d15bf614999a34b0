import rule from '../../src/rules/cng-key-provider.js';
import { deployment, frontEndPool, ruleTester } from './harness.js';

ruleTester(rule, {
  valid: [
    { name: 'a CSP key', deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1)] }) },
    { name: 'provider unknown (not collected)', deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1, { all: { personal: null } })] }) },
  ],
  invalid: [
    {
      name: 'a key in the Microsoft Software Key Storage Provider',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1, { all: { personal: { good: { keyProvider: 'CNG' } } } })] }),
      findings: [{ messageId: 'cng', server: 'fe01.contoso.com' }],
    },
  ],
});
