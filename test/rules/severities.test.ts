/**
 * What `sfb-certlint rules` lists as a rule's default severity is what a default run of it can report
 * at worst: a rule listed as a warning never gives an error (a CI gate reading the catalogue would be
 * misled), and a rule listed as an error gives one.
 */
import { describe, expect, it } from 'vitest';
import { messageSpec, type Severity } from '../../src/engine/types.js';
import { BUILT_IN_RULES } from '../../src/rules/index.js';

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

describe('each rule\'s default severity', () => {
  it.each(BUILT_IN_RULES.map((r) => [r.meta.id, r] as const))('%s: the severity of its most severe message', (_id, rule) => {
    const worst = Object.keys(rule.meta.messages)
      .map((id) => messageSpec(rule.meta, id)!.severity)
      .sort((a, b) => RANK[a] - RANK[b])[0];
    expect(rule.meta.severity).toBe(worst);
  });
});
