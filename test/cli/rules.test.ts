import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROBE_RULES } from '../../src/probe/rules/index.js';
import { BUILT_IN_RULES } from '../../src/rules/index.js';

const ALL_RULES = [...BUILT_IN_RULES, ...PROBE_RULES];

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const rules = (args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/sfb-certlint.js'), 'rules', ...args], { cwd: ROOT, encoding: 'utf8' });

describe('sfb-certlint rules', () => {
  it('--format json: every rule with id, description, severity and the citation it enforces', () => {
    const result = rules(['--format', 'json']);
    expect(result.status).toBe(0);
    const listed = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    // lint's rules, then probe's.
    expect(listed.map((r) => r.id)).toEqual(ALL_RULES.map((r) => r.meta.id));
    expect(listed.slice(BUILT_IN_RULES.length).every((r) => String(r.id).startsWith('probe-'))).toBe(true);
    for (const rule of listed) {
      expect(rule).toMatchObject({ id: expect.stringMatching(/^[a-z0-9-]+$/), description: expect.any(String), severity: expect.stringMatching(/^(error|warning|info)$/) });
      expect(rule.citation).toEqual({ title: expect.any(String), url: expect.stringMatching(/^https:\/\//) });
    }
    // The six of the mission are there, each with the documented id.
    for (const id of ['key-size', 'signature-sha2', 'sip-domain-in-subject', 'oauth-same-certificate', 'trusted-root-present', 'private-key-exportable']) {
      expect(listed.some((r) => r.id === id)).toBe(true);
    }
  });

  it('text: each rule with its severity, citation and options with their defaults', () => {
    const { stdout, status } = rules([]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^key-size {2}\(error\)$/m);
    expect(stdout).toMatch(/option minRsaBits = 2048:/);
    expect(stdout).toMatch(new RegExp(`${ALL_RULES.length} rules\\.`));
  });

  it('--config lists a configuration\'s plug-in rules too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfb-rules-'));
    const config = join(dir, 'sfb-certlint.config.yaml');
    writeFileSync(config, `plugins: [${JSON.stringify(join(ROOT, 'examples/plugin/internal-ca-only.mjs'))}]\n`);
    const listed = JSON.parse(rules(['--format', 'json', '--config', config]).stdout) as Array<{ id: string }>;
    expect(listed.at(-1)!.id).toBe('contoso/internal-ca-only');
  });

  it('every rule has its documentation page, which cites the same Microsoft page', () => {
    for (const rule of BUILT_IN_RULES) {
      const page = join(ROOT, 'docs/rules', `${rule.meta.id}.md`);
      expect(existsSync(page), page).toBe(true);
      expect(readFileSync(page, 'utf8')).toContain(rule.meta.citation.url);
    }
  });
});

describe('sfb-certlint rules ID', () => {
  it('shows one rule in full, as text or JSON with its messages; text and stylish are one format', () => {
    const text = rules(['signature-sha2', '--format', 'Stylish']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^signature-sha2 {2}\(default severity: error\)$/m);
    expect(text.stdout).toMatch(/^ {2}Options:\n {4}allowSha1 \(boolean, default false\): /m);
    const json = JSON.parse(rules(['oauth-same-certificate', '-f', 'json']).stdout);
    expect(json).toMatchObject({ id: 'oauth-same-certificate', roles: ['FrontEnd', 'StandardEdition', 'Director'], usages: ['OAuthTokenIssuer'], docsUrl: expect.stringMatching(/docs\/rules\/oauth-same-certificate\.md$/) });
    expect(Object.keys(json.messages).length).toBeGreaterThan(0);
  });

  it('names the rule meant for an unknown id', () => {
    const result = rules(['signature-sha1']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("sfb-certlint: unknown rule 'signature-sha1'; did you mean 'signature-sha2'?\n'sfb-certlint rules' lists every rule.\n");
  });
});
