// Mutation testing (docs/testing.md): `npm run mutation`, not part of `npm test`. Stryker 9.6 is the last
// line that runs on Node 20. While working on one file, narrow the run:
//   npm run mutation -- --mutate src/rules/key-size.ts --concurrency 1
import { mkdirSync, symlinkSync } from 'node:fs';

// Some tests read ../shared beside the repository (the SARIF schema, the zlint corpus); from a sandbox
// under .stryker-tmp that is .stryker-tmp/shared, so it points there.
mkdirSync('.stryker-tmp', { recursive: true });
try {
  symlinkSync('../../shared', '.stryker-tmp/shared');
} catch {
  // Already there from an earlier run.
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: ['src/rules/**/*.ts', 'src/pki/**/*.ts', '!src/rules/index.ts'],
  vitest: { configFile: 'vitest.mutation.config.mjs' },
  coverageAnalysis: 'perTest',
  // Static mutants (of `meta`, message texts, module constants) run when a module loads, so each needs a
  // fresh run of every test: left out, and the score counts the others (docs/testing.md).
  // MUTATION_STATIC=1 includes them (Stryker's CLI has no flag to turn ignoreStatic off).
  ignoreStatic: process.env.MUTATION_STATIC !== '1',
  // Only the mutated sources get `// @ts-nocheck`: by default every .js/.mjs file does, which changes
  // examples/plugin/internal-ca-only.mjs and the digest a test pins for it.
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
