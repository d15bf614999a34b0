import { describe, expect, it } from 'vitest';
import { lintDeployment, formatMessage } from '../../src/engine/run.js';
import { defineRule, type Report, type Rule } from '../../src/engine/types.js';
import { createChainValidation } from '../../src/engine/validation.js';
import keySize from '../../src/rules/key-size.js';
import { deployment, frontEndPool, NOW, thumbprint } from '../rules/harness.js';

const weak = deployment({ pools: [frontEndPool({ Default: 'rsa-1024' }, 2)] });
const lint = (rules: Rule[], extra: Partial<Parameters<typeof lintDeployment>[1]> = {}) =>
  lintDeployment(weak, { rules, settings: {}, suppressions: [], now: NOW, validate: createChainValidation(), ...extra });

const reporting = (reports: Report[], id = 'test/reporting') =>
  defineRule({
    meta: { id, description: 'd', severity: 'warning', citation: { title: 't', url: 'https://example.com' }, messages: { m: 'server {{server}} has {{n}}' } },
    *check() {
      yield* reports;
    },
  });

describe('lintDeployment', () => {
  it('uses the rule\'s default severity, a report\'s own severity, and lets configuration override both', () => {
    const rule = reporting([{ messageId: 'm', server: 'fe01.contoso.com', data: { server: 'a', n: 1 } }, { messageId: 'm', severity: 'info', data: { server: 'b', n: 2 } }]);
    expect(lint([rule]).findings.map((f) => f.severity).sort()).toEqual(['info', 'warning']);
    expect(lint([rule], { settings: { 'test/reporting': { severity: 'error' } } }).findings.map((f) => f.severity)).toEqual(['error', 'error']);
  });

  it('skips a rule set to off', () => {
    const result = lint([keySize], { settings: { 'key-size': { severity: 'off' } } });
    expect(result.findings).toEqual([]);
    expect(result.rulesRun).toEqual([]);
  });

  it('fills message placeholders and keeps unknown ones visible', () => {
    expect(formatMessage('{{a}} and {{ b }} and {{c}}', { a: 1, b: 'two' })).toBe('1 and two and {{c}}');
  });

  it('places a finding at the assignment, with the certificate file as a related location', () => {
    const [finding] = lint([keySize]).findings;
    const assignment = weak.pools[0]!.servers[0]!.assignments[0]!;
    expect(finding!.locations[0]).toEqual({ ...assignment.location, kind: 'snapshot' });
    expect(finding!.locations[1]).toEqual({ path: expect.stringContaining('rsa-1024.pem'), kind: 'certificate' });
  });

  it('falls back to the server\'s declaration when a report has no location', () => {
    const [finding] = lint([reporting([{ messageId: 'm', pool: 'pool01.contoso.com', server: 'fe02.contoso.com' }])]).findings;
    expect(finding!.locations[0]!.line).toBe(weak.pools[0]!.servers[1]!.location.line);
  });

  it('reports a rule that throws as a failure and still runs the others (as zlint does)', () => {
    const broken = defineRule({
      meta: { id: 'test/broken', description: 'd', severity: 'error', citation: { title: 't', url: 'https://example.com' }, messages: {} },
      *check(): Generator<Report> {
        throw new Error('boom');
      },
    });
    const result = lint([broken, keySize]);
    expect(result.failures).toEqual([{ ruleId: 'test/broken', message: 'boom' }]);
    expect(result.findings.filter((f) => f.ruleId === 'key-size')).toHaveLength(2);
  });

  it('treats an undeclared message id as the rule\'s failure', () => {
    const result = lint([reporting([{ messageId: 'nope' }])]);
    expect(result.failures[0]!.message).toContain("unknown message id 'nope'");
  });

  it('marks suppressed findings, keeps them, and returns suppressions that matched nothing', () => {
    const used = { rule: 'key-size', server: 'FE01.contoso.com', reason: 'replaced next week' };
    const stale = { rule: 'key-size', thumbprint: thumbprint('good'), reason: 'old' };
    const result = lint([keySize], { suppressions: [used, stale] });
    expect(result.findings.map((f) => [f.server, f.suppression?.reason])).toEqual([
      ['fe01.contoso.com', 'replaced next week'],
      ['fe02.contoso.com', undefined],
    ]);
    expect(result.unusedSuppressions).toEqual([stale]);
  });

  it('rejects an option the rule does not declare, or of the wrong type', () => {
    expect(() => lint([keySize], { settings: { 'key-size': { options: { minBits: 3072 } } } })).toThrow(/no option 'minBits'.*minRsaBits/);
    expect(() => lint([keySize], { settings: { 'key-size': { options: { minRsaBits: '3072' } } } })).toThrow(/expected an integer/);
  });

  it('orders findings by pool, server and line, whatever order rules yield them in', () => {
    const rule = reporting([
      { messageId: 'm', pool: 'pool01.contoso.com', server: 'fe02.contoso.com' },
      { messageId: 'm', pool: 'pool01.contoso.com', server: 'fe01.contoso.com' },
    ]);
    expect(lint([rule]).findings.map((f) => f.server)).toEqual(['fe01.contoso.com', 'fe02.contoso.com']);
  });
});
