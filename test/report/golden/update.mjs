#!/usr/bin/env node
// The golden outputs of the bundled example: what `sfb-certlint lint examples/contoso` writes in each
// format, committed so that a change of any output shows as a diff in review (as pkilint's .crttest
// files do). `node test/report/golden/update.mjs` writes them again from the built CLI (`npm run build`
// first); `--check` compares instead, printing the first difference and exiting 1 (test/report/golden.test.ts).
// What depends on the machine or the release is replaced: the repository's path, the tool's version.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const HERE = new URL('./', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('package.json', `file://${ROOT}`), 'utf8'));
const NOW = '2026-06-01T00:00:00Z';
const FORMATS = { stylish: 'contoso.txt', json: 'contoso.json', sarif: 'contoso.sarif' };

function lint(format) {
  const result = spawnSync(process.execPath, [`${ROOT}bin/sfb-certlint.js`, 'lint', 'examples/contoso', '--now', NOW, '--format', format, '--no-color'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, CONTOSO_PFX_PASSWORD: 'contoso' },
  });
  // 1: the example has error findings, as it should.
  if (result.status !== 1) throw new Error(`lint --format ${format} exited ${result.status}: ${result.stderr}`);
  return result.stdout.replaceAll(`file://${ROOT}`, 'file:///REPOSITORY/').replaceAll(`"${version}"`, '"VERSION"');
}

const check = process.argv.includes('--check');
let differences = 0;
for (const [format, file] of Object.entries(FORMATS)) {
  const actual = lint(format);
  const path = new URL(file, HERE);
  if (!check) {
    writeFileSync(path, actual);
    console.log(`wrote test/report/golden/${file}`);
    continue;
  }
  const expected = readFileSync(path, 'utf8');
  if (actual === expected) continue;
  differences++;
  const [a, e] = [actual.split('\n'), expected.split('\n')];
  const line = a.findIndex((l, i) => l !== e[i]);
  console.log(`test/report/golden/${file} differs at line ${line + 1}:\n  golden: ${e[line]}\n  now:    ${a[line]}`);
}
if (differences > 0) {
  console.log('If the change is meant, run `node test/report/golden/update.mjs` and review the diff.');
  process.exitCode = 1;
}
