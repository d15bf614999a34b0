import rule from '../../src/rules/crl-distribution-point.js';
import { deployment, frontEndPool, ruleTester } from './harness.js';

const fe = (cert: string) => deployment({ pools: [frontEndPool({ Default: cert }, 1)] });

ruleTester(rule, {
  valid: [{ name: 'a CRL distribution point', deployment: fe('good') }],
  invalid: [{ name: 'no CRL distribution point', deployment: fe('no-cdp'), findings: [{ messageId: 'missing', usage: 'Default' }] }],
});
