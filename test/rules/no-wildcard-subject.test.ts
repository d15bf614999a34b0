import rule from '../../src/rules/no-wildcard-subject.js';
import { deployment, frontEndPool, ruleTester } from './harness.js';

const fe = (cert: string) => deployment({ pools: [frontEndPool({ Default: cert }, 1)] });

ruleTester(rule, {
  valid: [
    { name: 'the pool FQDN as Subject', deployment: fe('good') },
    { name: 'a wildcard in the SAN only is not this rule\'s business', deployment: deployment({ pools: [frontEndPool({ WebServicesExternal: 'web-external' }, 1)] }) },
  ],
  invalid: [{ name: 'CN=*.contoso.com', deployment: fe('wildcard-subject'), findings: [{ messageId: 'wildcard', message: '(CN=*.contoso.com)' }] }],
});
