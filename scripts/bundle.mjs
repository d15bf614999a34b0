#!/usr/bin/env node
// Bundles the CLI (compiled by tsc into dist/) into dist/bundle/: one entry and a chunk per lazily
// loaded command and format. Start-up is paid on every CI run, and Node 20 spends a third of a small
// lint resolving and linking some sixty modules one by one (docs/performance.md). dist/ itself stays
// the library that plug-ins import (`sfb-certlint`'s exports).
import { build } from 'esbuild';

await build({
  entryPoints: { main: 'dist/cli/main.js' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  outdir: 'dist/bundle',
  chunkNames: '[name]-[hash]',
  // main.js finds package.json at ../../package.json: the bundle keeps that depth.
  sourcemap: true,
  logLevel: 'warning',
});
