// A quick mutation run on rule files (docs/testing.md): only test/rules runs against each mutant, so a
// mutant only other suites kill counts as surviving (the score is a lower bound). For example:
//   npx stryker run stryker.rules.config.mjs --mutate src/rules/signature-sha2.ts --concurrency 1 --ignoreStatic
import base from './stryker.config.mjs';

export default { ...base, mutate: ['src/rules/**/*.ts', '!src/rules/index.ts'], vitest: { configFile: 'vitest.rules.config.mjs' }, thresholds: { ...base.thresholds, break: null } };
