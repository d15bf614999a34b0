import rule from '../../src/rules/inventory-present.js';
import { deployment, frontEndPool, ruleTester } from './harness.js';

ruleTester(rule, {
  valid: [{ name: 'assignments and every store collected', deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1)] }) }],
  invalid: [
    {
      name: 'a server imported from the topology alone',
      deployment: deployment({ pools: [frontEndPool({}, 1, { all: { assignmentsCollected: false, personal: null, root: null, intermediate: null } })] }),
      findings: [{ messageId: 'noAssignments', severity: 'warning' }],
    },
    { name: 'a server with its inventory collected and nothing assigned', deployment: deployment({ pools: [frontEndPool({}, 1)] }), findings: [{ messageId: 'noneAssigned', severity: 'error' }] },
    {
      name: 'assignments without the stores: one warning naming both',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1, { all: { root: null, intermediate: null } })] }),
      findings: [{ messageId: 'storesMissing', severity: 'warning', server: 'fe01.contoso.com', message: 'The root, intermediate store(s)' }],
    },
    {
      name: 'the Personal store alone not collected',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 2, { per: { 1: { personal: null } } })] }),
      findings: [{ messageId: 'storesMissing', server: 'fe02.contoso.com', message: 'The personal store(s)' }],
    },
  ],
});
