import { describe, expect, it } from 'vitest';
import { formatMessage, lintDeployment } from '../../src/engine/run.js';
import { defineRule, type Report, type Rule, type RuleContext } from '../../src/engine/types.js';
import { createChainValidation } from '../../src/engine/validation.js';
import { fingerprints } from '../../src/report/fingerprint.js';
import keySize from '../../src/rules/key-size.js';
import { deployment, edgePool, frontEndPool, NOW, thumbprint } from '../rules/harness.js';

const weak = deployment({ pools: [frontEndPool({ Default: 'rsa-1024' }, 2)] });
const lint = (rules: Rule[], extra: Partial<Parameters<typeof lintDeployment>[1]> = {}, on = weak) =>
  lintDeployment(on, { rules, settings: {}, suppressions: [], now: NOW, validate: createChainValidation(), ...extra });

const CITATION = { title: 't', url: 'https://example.com' };

/** A rule that yields the given reports, with a message at its own severity and one declared at info. */
const reporting = (reports: Array<Report<'m' | 'quiet'>>, id = 'test/reporting') =>
  defineRule({
    meta: { id, description: 'd', severity: 'warning', citation: CITATION, messages: { m: 'server {{server}} has {{n}}', quiet: { text: 'quiet {{n}}', severity: 'info' } } },
    *check() {
      yield* reports;
    },
  });

/** A rule whose message judges a certificate alone: the engine merges its reports by cause. */
const perCertificate = (reports: (context: RuleContext) => Iterable<Report<'weak'>>) =>
  defineRule({
    meta: { id: 'test/per-certificate', description: 'd', severity: 'error', citation: CITATION, messages: { weak: { text: 'weak {{what}}', scope: 'certificate' } } },
    check: reports,
  });

describe('lintDeployment', () => {
  it('gives a finding its message\'s declared severity, else the rule\'s, and lets configuration override both', () => {
    const rule = reporting([
      { messageId: 'm', server: 'fe01.contoso.com', data: { server: 'a', n: 1 } },
      { messageId: 'quiet', data: { n: 2 } },
    ]);
    expect(lint([rule]).findings.map((f) => [f.messageId, f.severity])).toEqual([
      ['quiet', 'info'],
      ['m', 'warning'],
    ]);
    expect(lint([rule], { settings: { 'test/reporting': { severity: 'error' } } }).findings.map((f) => f.severity)).toEqual(['error', 'error']);
  });

  it('skips a rule set to off', () => {
    const result = lint([keySize], { settings: { 'key-size': { severity: 'off' } } });
    expect(result.findings).toEqual([]);
    expect(result.rulesRun).toEqual([]);
  });

  it('fills message placeholders and keeps unknown or undefined ones visible', () => {
    expect(formatMessage('{{a}} and {{ b }} and {{c}} and {{d}}', { a: 1, b: 'two', d: undefined })).toBe('1 and two and {{c}} and {{d}}');
    // An inherited property is no value of the report's.
    expect(formatMessage('{{constructor}}', {})).toBe('{{constructor}}');
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

  it('reports a rule that throws as a failure, keeps what it found before, and still runs the others (as zlint does)', () => {
    const broken = defineRule({
      meta: { id: 'test/broken', description: 'd', severity: 'error', citation: CITATION, messages: { m: { text: 'm', scope: 'certificate' } } },
      *check() {
        yield { messageId: 'm', thumbprint: thumbprint('rsa-1024') };
        throw new Error('boom');
      },
    });
    const result = lint([broken, keySize]);
    expect(result.failures).toEqual([{ ruleId: 'test/broken', message: 'boom' }]);
    expect(result.findings.filter((f) => f.ruleId === 'test/broken')).toHaveLength(1);
    expect(result.findings.filter((f) => f.ruleId === 'key-size')).toHaveLength(1);
  });

  it('treats an undeclared message id as the rule\'s failure', () => {
    // Only a rule built without defineRule's types can do this: with them, it does not compile.
    const untyped: Rule = { meta: { id: 'test/untyped', description: 'd', severity: 'error', citation: CITATION, messages: { m: 'm' } }, *check() { yield { messageId: 'nope' }; } };
    const result = lint([untyped]);
    expect(result.failures[0]!.message).toContain("unknown message id 'nope'");
  });

  it('marks suppressed findings, keeps them, and returns suppressions that matched nothing', () => {
    const rule = reporting([
      { messageId: 'm', pool: 'pool01.contoso.com', server: 'fe01.contoso.com' },
      { messageId: 'm', pool: 'pool01.contoso.com', server: 'fe02.contoso.com' },
    ]);
    const used = { rule: 'test/reporting', server: 'FE01.contoso.com', reason: 'replaced next week' };
    const stale = { rule: 'test/reporting', thumbprint: thumbprint('good'), reason: 'old' };
    const result = lint([rule], { suppressions: [used, stale] });
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

describe('one finding per cause', () => {
  const mixed = deployment({ pools: [frontEndPool({ Default: 'rsa-1024', WebServicesInternal: 'rsa-1024', OAuthTokenIssuer: 'good' }, 3), edgePool({ Internal: 'rsa-1024' }, 1)] });
  const atEveryAssignment = (context: RuleContext) =>
    [...context.assignments()]
      .filter((a) => a.assignment.thumbprint === thumbprint('rsa-1024'))
      .map((a): Report<'weak'> => ({ messageId: 'weak', data: { what: 'key' }, pool: a.pool.fqdn, server: a.server.fqdn, usage: a.assignment.usage, thumbprint: a.assignment.thumbprint, location: a.assignment.location }));

  it('merges the reports of a certificate-scope message about one certificate into one finding with a place per server', () => {
    const findings = lint([perCertificate(atEveryAssignment)], {}, mixed).findings;
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding!.places!.map((p) => [p.pool, p.server, p.usages])).toEqual([
      ['edgepool.contoso.com', 'edge01.contoso.com', ['Internal']],
      ['pool01.contoso.com', 'fe01.contoso.com', ['Default', 'WebServicesInternal']],
      ['pool01.contoso.com', 'fe02.contoso.com', ['Default', 'WebServicesInternal']],
      ['pool01.contoso.com', 'fe03.contoso.com', ['Default', 'WebServicesInternal']],
    ]);
    // The finding's own place is the first, and its snapshot location that place's first assignment.
    expect(finding).toMatchObject({ pool: 'edgepool.contoso.com', server: 'edge01.contoso.com', usage: 'Internal', thumbprint: thumbprint('rsa-1024') });
    const edge01 = mixed.pools[1]!.servers[0]!;
    expect(finding!.locations).toEqual([
      { ...edge01.assignments[0]!.location, kind: 'snapshot' },
      { path: expect.stringContaining('rsa-1024.pem'), kind: 'certificate' },
    ]);
    expect(finding!.places![1]!.location).toEqual(mixed.pools[0]!.servers[0]!.assignments[0]!.location);
  });

  it('keeps the same finding, and the same fingerprint, whatever order the rule reports in', () => {
    const forward = lint([perCertificate(atEveryAssignment)], {}, mixed).findings;
    const backward = lint([perCertificate((c) => atEveryAssignment(c).reverse())], {}, mixed).findings;
    expect(backward).toEqual(forward);
    expect(fingerprints(backward)).toEqual(fingerprints(forward));
  });

  it('keeps the fingerprint when servers come to hold the certificate or stop holding it', () => {
    const fewer = deployment({ pools: [frontEndPool({ Default: 'rsa-1024' }, 1)] });
    expect(fingerprints(lint([perCertificate(atEveryAssignment)], {}, fewer).findings)).toEqual(fingerprints(lint([perCertificate(atEveryAssignment)], {}, mixed).findings));
  });

  it('keeps reports with another text, or about another certificate, apart', () => {
    const two = perCertificate((context) => [
      ...atEveryAssignment(context),
      ...atEveryAssignment(context).map((r) => ({ ...r, data: { what: 'digest' } })),
      ...atEveryAssignment(context).slice(0, 1).map((r) => ({ ...r, thumbprint: thumbprint('good') })),
    ]);
    expect(lint([two], {}, mixed).findings.map((f) => [f.message, f.places!.length])).toEqual([
      ['weak digest', 4],
      ['weak key', 4],
      ['weak key', 1],
    ]);
  });

  it('keeps every report of a server-scope message a finding of its own', () => {
    const rule = reporting([
      { messageId: 'm', pool: 'pool01.contoso.com', server: 'fe01.contoso.com', thumbprint: thumbprint('good') },
      { messageId: 'm', pool: 'pool01.contoso.com', server: 'fe02.contoso.com', thumbprint: thumbprint('good') },
    ]);
    const findings = lint([rule]).findings;
    expect(findings).toHaveLength(2);
    expect(findings.every((f) => f.places === undefined)).toBe(true);
  });

  it('suppresses a finding found in several places when any place has the server or pool named', () => {
    const suppression = { rule: 'test/per-certificate', server: 'fe02.contoso.com', reason: 'accepted' };
    const [finding] = lint([perCertificate(atEveryAssignment)], { suppressions: [suppression] }, mixed).findings;
    expect(finding!.suppression).toEqual({ reason: 'accepted' });
    const elsewhere = { rule: 'test/per-certificate', server: 'fe09.contoso.com', reason: 'accepted' };
    expect(lint([perCertificate(atEveryAssignment)], { suppressions: [elsewhere] }, mixed).unusedSuppressions).toEqual([elsewhere]);
    // Pool and server must match the same place.
    const crossed = { rule: 'test/per-certificate', pool: 'edgepool.contoso.com', server: 'fe01.contoso.com', reason: 'accepted' };
    expect(lint([perCertificate(atEveryAssignment)], { suppressions: [crossed] }, mixed).unusedSuppressions).toEqual([crossed]);
  });
});

describe('the roles and usages a rule declares', () => {
  const mixed = deployment({ pools: [frontEndPool({ Default: 'good', OAuthTokenIssuer: 'second' }, 2), edgePool({ Internal: 'good', AudioVideoAuthentication: 'second' }, 2)] });
  const seen = (meta: { roles?: Array<'FrontEnd' | 'Edge'>; usages?: Array<'OAuthTokenIssuer' | 'Internal' | 'Default'> }) => {
    const result: { servers: string[]; assignments: string[]; groups: string[] } = { servers: [], assignments: [], groups: [] };
    const rule = defineRule({
      meta: { id: 'test/scope', description: 'd', severity: 'error', citation: CITATION, messages: { m: 'm' }, ...meta },
      *check(context) {
        result.servers = [...context.servers()].map((s) => s.server.fqdn);
        result.assignments = [...context.assignments()].map((a) => `${a.server.fqdn} ${a.assignment.usage}`);
        result.groups = context.serverCertificates().map((g) => `${g.server.fqdn} ${g.usages.join('+')}`);
        yield* [];
      },
    });
    lint([rule], {}, mixed);
    return result;
  };

  it('are enforced by the engine: a rule sees only servers of its roles and assignments of its usages', () => {
    expect(seen({ roles: ['Edge'] })).toEqual({
      servers: ['edge01.contoso.com', 'edge02.contoso.com'],
      assignments: ['edge01.contoso.com Internal', 'edge01.contoso.com AudioVideoAuthentication', 'edge02.contoso.com Internal', 'edge02.contoso.com AudioVideoAuthentication'],
      groups: ['edge01.contoso.com Internal', 'edge01.contoso.com AudioVideoAuthentication', 'edge02.contoso.com Internal', 'edge02.contoso.com AudioVideoAuthentication'],
    });
    expect(seen({ usages: ['OAuthTokenIssuer'] }).assignments).toEqual(['fe01.contoso.com OAuthTokenIssuer', 'fe02.contoso.com OAuthTokenIssuer']);
    expect(seen({ roles: ['FrontEnd'], usages: ['Default', 'Internal'] }).groups).toEqual(['fe01.contoso.com Default', 'fe02.contoso.com Default']);
    expect(seen({}).servers).toHaveLength(4);
  });

  it('share one grouping between the rules of the same scope, each given its own copy of the list', () => {
    const lists: Array<ReturnType<RuleContext['serverCertificates']>> = [];
    const grouping = (id: string) =>
      defineRule({
        meta: { id, description: 'd', severity: 'error', citation: CITATION, messages: { m: 'm' } },
        *check(context) {
          lists.push(context.serverCertificates());
          yield* [];
        },
      });
    lint([grouping('test/a'), grouping('test/b')], {}, mixed);
    expect(lists[0]).not.toBe(lists[1]);
    expect(lists[0]!.every((group, i) => group === lists[1]![i])).toBe(true);
  });
});
