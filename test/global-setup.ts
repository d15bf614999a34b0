import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * CLI tests run the real command (`node bin/sfb-certlint.js`, which runs dist/): build it once, before
 * any test file, so that `npx vitest run <file>` tests the current source and no two files build at once.
 */
export default function setup(): void {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit' });
}
