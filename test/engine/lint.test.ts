import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCode, lint } from '../../src/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ENV = { CONTOSO_PFX_PASSWORD: 'contoso' };
const NOW = new Date('2026-01-31T00:00:00Z');

describe('lint() without the CLI', () => {
  it('lints the clean example to no findings and exit 0', async () => {
    const report = await lint({ targets: ['examples/contoso-clean'], cwd: ROOT, env: ENV, now: NOW });
    expect(report.inputErrors).toEqual([]);
    expect(report.inputs.map((i) => i.snapshot)).toEqual(['examples/contoso-clean/snapshot.yaml']);
    expect(report.findings).toEqual([]);
    expect(report.evaluatedAt).toBe('2026-01-31T00:00:00Z');
    expect(exitCode(report)).toBe(0);
  });

  it('reports the faulty example with exit 1, and only errors when quiet', async () => {
    const report = await lint({ targets: ['examples/contoso'], cwd: ROOT, env: ENV, now: NOW, quiet: true });
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((f) => f.severity === 'error')).toBe(true);
    expect(exitCode(report)).toBe(1);
  });

  it('turns an unreadable snapshot into an input error, exit 2, and still lints the others', async () => {
    const report = await lint({ targets: ['examples/contoso-clean', 'no-such-folder'], cwd: ROOT, env: ENV, now: NOW });
    expect(report.inputs).toHaveLength(1);
    expect(report.inputErrors).toHaveLength(1);
    expect(exitCode(report)).toBe(2);
  });

  it("applies command-line severities over the rules' defaults", async () => {
    const report = await lint({ targets: ['examples/contoso'], cwd: ROOT, env: ENV, now: NOW, ruleSettings: { 'key-size': 'off' } });
    expect(report.rules.map((r) => r.id)).not.toContain('key-size');
    expect(report.findings.map((f) => f.ruleId)).not.toContain('key-size');
  });
});

describe('one configuration for lint and probe', () => {
  it("accepts probe's rules in settings and suppressions, applies none of them, and still refuses an unknown id", async () => {
    const { mkdtempSync, mkdirSync, cpSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const repo = mkdtempSync(join(tmpdir(), 'sfb-shared-config-'));
    mkdirSync(join(repo, '.git'));
    cpSync(join(ROOT, 'examples/contoso-clean'), join(repo, 'prod'), { recursive: true });
    const config = (text: string) => writeFileSync(join(repo, 'prod', 'sfb-certlint.config.yaml'), `publicRoots:\n  add: [public-roots/northwind-trust-root-ca.cer]\n${text}`);
    config('rules:\n  probe-unreachable: error\nsuppressions:\n  - rule: probe-chain-incomplete\n    server: sip.contoso.com:5061\n    reason: partner fetches the intermediate\n');
    const report = await lint({ targets: ['prod'], cwd: repo, env: ENV, now: NOW });
    expect(report.rules.map((r) => r.id)).not.toContain('probe-unreachable');
    expect(report.findings).toEqual([]);
    // Not stale for lint: the probe judges it.
    expect(report.unusedSuppressions).toEqual([]);
    config('rules:\n  probe-unreachabel: error\n');
    await expect(lint({ targets: ['prod'], cwd: repo, env: ENV, now: NOW })).rejects.toThrow(/unknown rule 'probe-unreachabel' in the configuration; did you mean 'probe-unreachable'\?/);
  });
});
