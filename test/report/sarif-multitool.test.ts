/**
 * Checks the SARIF output with Microsoft's SARIF multitool and GitHub's ingestion rules (`Gh`), as
 * GitHub's documentation advises before uploading. The multitool is a devDependency: a .NET binary
 * shipped in an npm package per platform. Where it is missing or cannot run, these tests are skipped
 * and say why.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { format } from '../../src/report/sarif.js';
import type { LintReport } from '../../src/report/types.js';
import { cleanReport, contosoReport } from './helpers.js';

// Without ICU the binary still runs; the validator needs no culture data.
const env = { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' };

/** The multitool's path, or why it cannot be used here. */
function multitool(): { path: string } | { unavailable: string } {
  let path: string;
  try {
    path = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
  } catch {
    return { unavailable: `@microsoft/sarif-multitool has no binary installed for ${process.platform}-${process.arch}` };
  }
  try {
    accessSync(path, constants.X_OK);
  } catch {
    // Its package makes it executable in a postinstall script, which npm may have been told not to run.
    return { unavailable: `${path} is not executable (chmod u+x it)` };
  }
  const probe = spawnSync(path, ['--version'], { env, encoding: 'utf8', timeout: 60_000 });
  if (probe.error || probe.status !== 0) return { unavailable: `the SARIF multitool does not run here: ${probe.error?.message ?? probe.stderr.trim()}` };
  return { path };
}

const tool = multitool();
const reason = 'unavailable' in tool ? tool.unavailable : undefined;
if (reason) console.warn(`Skipping the SARIF multitool checks: ${reason}`);

interface Problem {
  rule: string;
  level: string;
  where: string;
}

/** Validates a SARIF text with the Sarif and Gh rule kinds and returns what the output log reports. */
function validate(text: string): Problem[] {
  const dir = mkdtempSync(join(tmpdir(), 'sfb-certlint-sarif-'));
  const input = join(dir, 'sfb-certlint.sarif');
  const output = join(dir, 'validation.sarif');
  writeFileSync(input, text);
  // It exits 0 whatever it finds: its output log, not its exit code, says what is wrong.
  const run = spawnSync((tool as { path: string }).path, ['validate', '--rule-kind', 'Sarif;Gh', '--level', 'Error;Warning;Note', '--output', output, input], {
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(run.error).toBeUndefined();
  expect(run.status, run.stdout + run.stderr).toBe(0);
  const log = JSON.parse(readFileSync(output, 'utf8'));
  const [validation] = log.runs;
  const rules: Array<{ id: string; defaultConfiguration?: { level?: string } }> = validation.tool.driver.rules ?? [];
  return (validation.results ?? []).map((r: { ruleId: string; ruleIndex?: number; level?: string; message: { arguments?: string[] } }) => ({
    rule: r.ruleId,
    // SARIF's defaults: the rule's configured level, else warning.
    level: r.level ?? rules[r.ruleIndex ?? -1]?.defaultConfiguration?.level ?? 'warning',
    where: r.message.arguments?.[0] ?? '',
  }));
}

const serious = (problems: Problem[]) => problems.filter((p) => p.level === 'error' || p.level === 'warning');

describe.skipIf(reason !== undefined)(`SARIF multitool validation (Sarif and GitHub rules)${reason ? `: skipped, ${reason}` : ''}`, () => {
  it.each<[string, () => LintReport]>([
    ['a run with findings, a suppression, input errors and a rule failure', contosoReport],
    ['a clean run', cleanReport],
  ])('finds no error and no warning in %s', (_, report) => {
    expect(serious(validate(format(report(), { color: false })))).toEqual([]);
  });

  it('would catch what GitHub rejects: a driver without rules', () => {
    const broken = JSON.parse(format(cleanReport(), { color: false }));
    delete broken.runs[0].tool.driver.rules;
    expect(serious(validate(JSON.stringify(broken)))).toContainEqual({ rule: 'GH1018', level: 'error', where: 'runs[0].tool.driver' });
  });
});
