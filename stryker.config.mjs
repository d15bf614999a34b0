// Mutation testing (docs/testing.md): `npm run mutation`, not part of `npm test`. Stryker 9.6 is the last
// line that runs on Node 20. While working on one file, narrow the run:
//   npm run mutation -- --mutate src/pki/validate.ts --concurrency 1
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';

// The tests read ../shared beside the repository (the SARIF schema, the zlint corpus); run from Stryker's
// sandbox (.stryker-tmp/sandbox-*), that is .stryker-tmp/shared.
mkdirSync('.stryker-tmp', { recursive: true });
if (!existsSync('.stryker-tmp/shared') && existsSync('../shared')) symlinkSync(resolve('../shared'), '.stryker-tmp/shared');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: ['src/rules/**/*.ts', 'src/pki/**/*.ts', '!src/rules/index.ts'],
  coverageAnalysis: 'perTest',
  // The build (tsc) needs the mutated sources unchecked; other files keep their bytes, as the tests pin
  // the digests of some (test/engine/lint-evidence.test.ts: the example plug-in).
  disableTypeChecks: 'src/**/*.ts',
  // The machine has 2 cores shared with other work.
  concurrency: 2,
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  // The score a run must reach (docs/testing.md): below `break` the command fails.
  thresholds: { high: 90, low: 85, break: 85 },
  ignorePatterns: ['reports', 'coverage', 'bench/out', '.stryker-tmp'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
