import { describe, expect, it } from 'vitest';
import type { Name } from '../../src/certs/x509.js';
import { checkNameConstraints, ComparisonBudget, constraintDefect } from '../../src/pki/constraints.js';
import type { GeneralName, NameConstraints } from '../../src/pki/extensions.js';

const dns = (value: string): GeneralName => ({ type: 'dns', value });
const email = (value: string): GeneralName => ({ type: 'email', value });
const uri = (value: string): GeneralName => ({ type: 'uri', value });
const ip = (...bytes: number[]): GeneralName => ({ type: 'ip', bytes: new Uint8Array(bytes) });
const dn = (...rdns: Array<[string, string]>): GeneralName => ({
  type: 'dn',
  name: { der: new Uint8Array(), key: '', rdns: rdns.map(([oid, value]) => [{ oid, tag: 0x0c, value }]) } satisfies Name,
});
const O = '2.5.4.10';
const CN = '2.5.4.3';
const permit = (...permitted: GeneralName[]): NameConstraints => ({ permitted, excluded: null });
const exclude = (...excluded: GeneralName[]): NameConstraints => ({ permitted: null, excluded });
const verdict = (nc: NameConstraints, names: GeneralName[], budget = new ComparisonBudget()) => checkNameConstraints(nc, names, budget);
const ok = (nc: NameConstraints, ...names: GeneralName[]) => verdict(nc, names).ok;
const message = (nc: NameConstraints, ...names: GeneralName[]) => {
  const v = verdict(nc, names);
  return !v.ok && !v.exhausted ? v.message : null;
};

describe('DNS name constraints', () => {
  it('permit the name and any name with more labels on the left', () => {
    expect(ok(permit(dns('contoso.com')), dns('contoso.com'), dns('Pool.CONTOSO.com'))).toBe(true);
    expect(ok(permit(dns('contoso.com')), dns('notcontoso.com'))).toBe(false);
    expect(ok(permit(dns('')), dns('anything.example'))).toBe(true);
  });
  it('let a wildcard through a permitted subtree only if all it stands for is inside', () => {
    expect(ok(permit(dns('contoso.com')), dns('*.contoso.com'))).toBe(true);
    expect(ok(permit(dns('sip.contoso.com')), dns('*.contoso.com'))).toBe(false);
  });
  it('refuse a wildcard that could stand for an excluded name', () => {
    expect(ok(exclude(dns('bar.contoso.com')), dns('*.contoso.com'))).toBe(false);
    expect(ok(exclude(dns('a.bar.contoso.com')), dns('*.contoso.com'))).toBe(true);
    expect(ok(exclude(dns('contoso.com')), dns('*.contoso.com'))).toBe(false);
  });
  it('refuse a malformed name of a constrained form', () => {
    expect(message(permit(dns('contoso.com')), dns('.contoso.com'))).toMatch(/malformed/);
  });
  it('leave other name forms alone', () => {
    expect(ok(permit(dns('contoso.com')), ip(192, 0, 2, 1), email('a@b.example'))).toBe(true);
  });
});

describe('IP address constraints', () => {
  const v4 = permit(ip(192, 0, 2, 0, 255, 255, 255, 0));
  it('compare under the mask, within one address family', () => {
    expect(ok(v4, ip(192, 0, 2, 77))).toBe(true);
    expect(ok(v4, ip(192, 0, 3, 1))).toBe(false);
    expect(ok(v4, ip(...new Array(16).fill(0)))).toBe(false);
    expect(ok(exclude(ip(10, 0, 0, 0, 255, 0, 0, 0)), ip(10, 9, 8, 7))).toBe(false);
  });
  it('refuse an address that is not 4 or 16 bytes', () => {
    expect(ok(v4, ip(192, 0, 2, 0, 255, 255, 255, 0))).toBe(false);
  });
});

describe('directory name constraints', () => {
  it('permit names that start with the constraint, comparing RDNs case-insensitively', () => {
    const nc = permit(dn([O, 'Contoso']));
    expect(ok(nc, dn([O, 'contoso '], [CN, 'pool']))).toBe(true);
    expect(ok(nc, dn([O, 'Fabrikam'], [CN, 'pool']))).toBe(false);
    expect(ok(exclude(dn([O, 'Contoso'], [CN, 'pool'])), dn([O, 'Contoso']))).toBe(true);
  });
});

describe('rfc822Name and URI constraints', () => {
  it('match a mailbox, a host, or a domain', () => {
    expect(ok(permit(email('admin@contoso.com')), email('admin@CONTOSO.com'))).toBe(true);
    expect(ok(permit(email('admin@contoso.com')), email('Admin@contoso.com'))).toBe(false);
    expect(ok(permit(email('contoso.com')), email('x@contoso.com'))).toBe(true);
    expect(ok(permit(email('contoso.com')), email('x@mail.contoso.com'))).toBe(false);
    expect(ok(permit(email('.contoso.com')), email('x@mail.contoso.com'))).toBe(true);
  });
  it('match a URI by its host', () => {
    expect(ok(permit(uri('.contoso.com')), uri('https://user@meet.contoso.com:443/x'))).toBe(true);
    expect(ok(permit(uri('contoso.com')), uri('https://meet.contoso.com/'))).toBe(false);
    expect(ok(permit(uri('contoso.com')), uri('urn:contoso.com'))).toBe(false);
  });
});

describe('forms this validator does not compare', () => {
  it('fail when the certificate has a name of a constrained form, and pass otherwise', () => {
    const nc = exclude({ type: 'other', form: 'otherName' });
    expect(message(nc, { type: 'other', form: 'otherName' })).toMatch(/cannot compare/);
    expect(ok(nc, dns('contoso.com'), { type: 'other', form: 'registeredID' })).toBe(true);
  });
});

describe('the comparison budget', () => {
  const many = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => dns(`${prefix}${i}.test`));
  it('spends one comparison per subtree tried, permitted ones until the first that covers', () => {
    const budget = new ComparisonBudget(100);
    expect(verdict({ permitted: many('t', 3), excluded: many('x', 4) }, [dns('t2.test')], budget).ok).toBe(true);
    // Three permitted subtrees to reach t2, then all four excluded ones.
    expect(budget.remaining).toBe(93);
  });
  it('reports exhaustion, not a verdict, when the budget runs out (the x509-limbo nc-dos shape)', () => {
    const nc = { permitted: [...many('t', 2048), dns('test')], excluded: many('x', 2048) };
    const budget = new ComparisonBudget();
    expect(verdict(nc, many('t', 2048), budget)).toEqual({ ok: false, exhausted: true });
    expect(budget.remaining).toBeLessThan(0);
  });
  it('allows exactly its size', () => {
    expect(verdict(exclude(dns('a.test'), dns('b.test')), [dns('c.test')], new ComparisonBudget(2)).ok).toBe(true);
    expect(verdict(exclude(dns('a.test'), dns('b.test')), [dns('c.test')], new ComparisonBudget(1))).toEqual({ ok: false, exhausted: true });
  });
});

describe('constraintDefect', () => {
  it('accepts the forms RFC 5280 defines and refuses the rest', () => {
    expect([dns('contoso.com'), dns(''), ip(10, 0, 0, 0, 255, 0, 0, 0), email('.contoso.com'), email('a@contoso.com'), uri('.contoso.com')].map(constraintDefect)).toEqual([null, null, null, null, null, null]);
    for (const bad of [dns('*.contoso.com'), dns('.contoso.com'), ip(10, 0, 0, 1), ip(10, 0, 0, 0, 255, 0, 255, 0), email('a@b@contoso.com'), uri('https://contoso.com/')]) {
      expect(constraintDefect(bad)).not.toBeNull();
    }
  });
});
