import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/engine/config.js';
import { describeRules } from '../../src/engine/describe-rules.js';
import { ruleProblem } from '../../src/engine/plugins.js';
import { BUILT_IN_RULES } from '../../src/rules/index.js';

describe('the rule catalogue', () => {
  it('lists every message of every rule with its severity and scope, as `rules --format json` gives them', () => {
    const described = describeRules(BUILT_IN_RULES);
    const expiry = described.find((r) => r.id === 'certificate-expiry')!;
    expect(Object.keys(expiry.messages!)).toEqual(['expired', 'expiring', 'caExpired', 'caExpiring', 'expiredOAuth', 'expiredAv', 'expiringOAuth', 'expiringAv']);
    expect(expiry.messages!.expiring).toEqual({ text: expect.stringContaining('{{days}} days'), severity: 'warning', scope: 'certificate' });
    // A message declared as a plain text has the rule's severity and server scope.
    expect(described.find((r) => r.id === 'cng-key-provider')!.messages!.cng).toEqual({ text: expect.stringContaining('{{provider}}'), severity: 'error', scope: 'server' });
    for (const rule of described) expect(Object.keys(rule.messages!).length, rule.id).toBeGreaterThan(0);
  });

  it('holds every built-in rule to what a plug-in rule must be: a description, a severity, a citation, non-empty messages, options of a known type with their default', () => {
    for (const rule of BUILT_IN_RULES) expect(ruleProblem(rule), rule.meta.id).toBeUndefined();
    const [first] = BUILT_IN_RULES;
    expect(ruleProblem({ ...first, meta: { ...first!.meta, description: ' ' } })).toBe('meta.description is missing');
    expect(ruleProblem({ ...first, meta: { ...first!.meta, severity: '' } })).toBe('meta.severity must be error, warning or info');
    expect(ruleProblem({ ...first, meta: { ...first!.meta, citation: { title: '', url: 'https://example.com' } } })).toBe('meta.citation must be { title, url }');
    expect(ruleProblem({ ...first, meta: { ...first!.meta, messages: { empty: '' } } })).toBe('meta.messages.empty must be a text or { text, severity?, scope? }');
    const option = { type: 'integer', default: 30, minimum: 0, description: 'Days.' };
    const withOption = (spec: object) => ruleProblem({ ...first, meta: { ...first!.meta, options: { days: { ...option, ...spec } } } });
    expect(withOption({})).toBeUndefined();
    expect(withOption({ type: '' })).toBe('meta.options.days: type must be one of integer, number, boolean, string, string[], usage-integers');
    expect(withOption({ description: '' })).toBe('meta.options.days: description is missing');
    expect(withOption({ default: -1 })).toBe('meta.options.days: default: must be at least 0');
  });

  it('holds the words of every message: no rule builds English outside its templates', () => {
    // Every placeholder value the built-in rules fill is a name, a number, a date, a list or a label;
    // the templates themselves hold no placeholder for a phrase (`what`, `those`, a state sentence).
    const phrases = ['what', 'those', 'it', 'them', 'state', 'kind'];
    for (const rule of describeRules(BUILT_IN_RULES)) {
      for (const [id, message] of Object.entries(rule.messages!)) {
        const placeholders = [...message.text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!);
        expect(placeholders.filter((p) => phrases.includes(p)), `${rule.id}/${id}`).toEqual([]);
      }
    }
  });
});

describe('plug-in rules', () => {
  const load = async (messages: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'sfb-plugin-check-'));
    writeFileSync(
      join(dir, 'rule.mjs'),
      `export const rules = [{ meta: { id: 'acme/x', description: 'd', severity: 'error', citation: { title: 't', url: 'https://example.com' }, messages: ${messages} }, *check() {} }];\n`,
    );
    writeFileSync(join(dir, 'c.yaml'), 'plugins: [./rule.mjs]\n');
    return loadConfig(join(dir, 'c.yaml')).plugins();
  };

  it('may declare messages as texts or as { text, severity, scope }', async () => {
    await expect(load(`{ a: 'A', b: { text: 'B', severity: 'info', scope: 'certificate' } }`)).resolves.toHaveLength(1);
  });

  it('are refused at load with a message that is neither, or an unknown severity or scope', async () => {
    await expect(load(`{ a: { severity: 'info' } }`)).rejects.toThrow(/meta\.messages\.a must be a text or \{ text, severity\?, scope\? \}/);
    await expect(load(`{ a: { text: 'A', severity: 'fatal' } }`)).rejects.toThrow(/meta\.messages\.a\.severity must be error, warning or info/);
    await expect(load(`{ a: { text: 'A', scope: 'pool' } }`)).rejects.toThrow(/meta\.messages\.a\.scope must be server or certificate/);
  });
});
