#!/usr/bin/env node
// Bundles the CLI (compiled by tsc into dist/) into dist/bundle/: one entry and a chunk per lazily
// loaded command and format. Start-up is paid on every CI run, and Node 20 spends a third of a small
// lint resolving and linking some sixty modules one by one (docs/performance.md). dist/ itself stays
// the library that plug-ins import (`sfb-certlint`'s exports).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry a hash: clear the old ones.
rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: { main: 'dist/cli/main.js' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  outdir: 'dist/bundle',
  chunkNames: '[name]-[hash]',
  sourcemap: true,
  // Bundled CommonJS dependencies (yaml) call require(); an ES module has none unless given one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
