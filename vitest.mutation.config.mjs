// The tests Stryker runs against each mutant (stryker.config.mjs): those that call src/rules, src/pki and
// the lint pipeline in-process. CLI and report tests run the built dist/ in a child process, where no
// mutant is active, so they can kill nothing and would only add their minutes (and the build they need)
// to every run. Mutants only they could notice count as surviving: the score is a lower bound.
import base from './vitest.config.ts';

export default {
  ...base,
  test: {
    ...base.test,
    globalSetup: [],
    include: ['test/rules/**/*.test.ts', 'test/pki/**/*.test.ts', 'test/engine/**/*.test.ts', 'test/requirements/**/*.test.ts'],
  },
};
