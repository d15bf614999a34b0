import rule from '../../src/rules/server-auth-eku.js';
import { deployment, frontEndPool, ruleTester } from './harness.js';

const fe = (cert: string) => deployment({ pools: [frontEndPool({ Default: cert }, 1)] });

ruleTester(rule, {
  valid: [{ name: 'serverAuth and clientAuth', deployment: fe('good') }],
  invalid: [
    { name: 'clientAuth only', deployment: fe('client-auth-only'), findings: [{ messageId: 'missing', severity: 'error', message: '(clientAuth)' }] },
    { name: 'no EKU extension: a warning', deployment: fe('no-eku'), findings: [{ messageId: 'absent', severity: 'warning' }] },
  ],
});
