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
      name: 'assignments without the stores: an info',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1, { all: { root: null, intermediate: null } })] }),
      findings: [{ messageId: 'storesMissing', severity: 'info', message: 'root, intermediate' }],
    },
  ],
});
