import rule from '../../src/rules/trusted-root-store-hygiene.js';
import { deployment, frontEndPool, ruleTester, thumbprint } from './harness.js';

const roots = (root: string[]) => deployment({ pools: [frontEndPool({ Default: 'good' }, 1, { all: { root } })] });

ruleTester(rule, {
  valid: [
    { name: 'self-signed roots only', deployment: roots(['root', 'other-root']) },
    { name: 'a store not collected', deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1, { all: { root: null } })] }) },
  ],
  invalid: [
    {
      name: 'an issuing CA in the Trusted Root store: an error',
      deployment: roots(['root', 'issuing']),
      findings: [{ messageId: 'notSelfSigned', severity: 'error', thumbprint: thumbprint('issuing') }],
    },
    { name: 'a duplicate', deployment: roots(['root', 'root']), findings: [{ messageId: 'duplicate', severity: 'warning' }] },
    { name: 'more roots than allowed', deployment: roots(['root', 'other-root']), options: { maxRoots: 1 }, findings: [{ messageId: 'tooMany', message: '2 certificates' }] },
  ],
});
