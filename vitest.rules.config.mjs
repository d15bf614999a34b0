// The rule tests alone (test/rules), for stryker.rules.config.mjs: a quick mutation run on src/rules.
import base from './vitest.config.ts';

export default { ...base, test: { ...base.test, include: ['test/rules/**/*.test.ts'] } };
