#!/usr/bin/env node
// The CLI is built into dist/bundle/ (npm ci runs the build): from a fresh clone before that, say what to do.
let main;
try {
  ({ main } = await import('../dist/bundle/main.js'));
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !/dist[\\/]bundle[\\/]main\.js/.test(String(e.message))) throw e;
  process.stderr.write('sfb-certlint: the command is not built yet: run npm ci (or npm run build) first\n');
  process.exitCode = 2;
}
if (main) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
