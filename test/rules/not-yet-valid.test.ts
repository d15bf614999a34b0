import rule from '../../src/rules/not-yet-valid.js';
import { deployment, frontEndPool, ruleTester, thumbprint } from './harness.js';

// The fixtures are valid from 2024-01-01T00:00:00Z (fixtures/rules/make.mjs).
const fe = deployment({ pools: [frontEndPool({ Default: 'good' }, 2)] });

ruleTester(rule, {
  valid: [
    { name: 'inside the validity period', deployment: fe },
    { name: 'at the first instant of the validity period', deployment: fe, now: new Date('2024-01-01T00:00:00Z') },
  ],
  invalid: [
    {
      name: 'evaluated before the certificates begin (a clock set back): one finding each for the leaf, issuing CA and root',
      deployment: fe,
      now: new Date('2023-06-01T00:00:00Z'),
      findings: [
        { messageId: 'notYetValid', thumbprint: thumbprint('good'), places: ['fe01.contoso.com', 'fe02.contoso.com'], message: 'is not valid until 2024-01-01T00:00:00Z' },
        { messageId: 'caNotYetValid', thumbprint: thumbprint('issuing'), places: ['fe01.contoso.com', 'fe02.contoso.com'], message: '(CN=Contoso Test Issuing CA) is not valid until' },
        { messageId: 'caNotYetValid', thumbprint: thumbprint('root'), message: '(CN=Contoso Test Root) is not valid until' },
      ],
    },
    {
      name: 'one millisecond before the validity period',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1)] }),
      now: new Date('2023-12-31T23:59:59.999Z'),
      findings: [{ messageId: 'notYetValid' }, { messageId: 'caNotYetValid' }, { messageId: 'caNotYetValid' }],
    },
  ],
});
