import rule from '../../src/rules/not-yet-valid.js';
import { deployment, frontEndPool, ruleTester } from './harness.js';

const fe = deployment({ pools: [frontEndPool({ Default: 'good' }, 1)] });

ruleTester(rule, {
  valid: [{ name: 'inside the validity period', deployment: fe }],
  invalid: [
    {
      name: 'evaluated before the certificates begin (a clock set back): leaf, issuing CA and root',
      deployment: fe,
      now: new Date('2023-06-01T00:00:00Z'),
      findings: [{ messageId: 'notYetValid', message: 'Default certificate' }, { messageId: 'notYetValid', message: 'Issuing CA' }, { messageId: 'notYetValid', message: 'Test Root' }],
    },
  ],
});
