import { describe, expect, it } from 'vitest';
import { dnsNameMatches, emailMatches, isDnsName, isWildcardName, parseEmailAddress, parseIPv4, parseIPv6, parseReferenceId } from '../../src/pki/names.js';

describe('parseReferenceId', () => {
  it('lower-cases names, drops the root dot and converts IDNs to A-labels', () => {
    expect(parseReferenceId('Pool01.Contoso.COM.')).toEqual({ kind: 'dns', name: 'pool01.contoso.com' });
    expect(parseReferenceId('bücher.example')).toEqual({ kind: 'dns', name: 'xn--bcher-kva.example' });
  });
  it('reads IPv4 and IPv6 literals, bracketed or not', () => {
    expect(parseReferenceId('192.0.2.1')).toEqual({ kind: 'ip', bytes: new Uint8Array([192, 0, 2, 1]) });
    expect(parseReferenceId('[::1]')).toEqual({ kind: 'ip', bytes: new Uint8Array([...new Array(15).fill(0), 1]) });
  });
  it('refuses what is neither', () => {
    for (const bad of ['', 'a..b', '-leading.example', 'exa mple.com', '*.example.com']) expect(parseReferenceId(bad)).toBeNull();
  });
});

describe('IP address parsing', () => {
  it('accepts only RFC 3986 dotted decimal for IPv4', () => {
    expect(parseIPv4('10.0.0.255')).toEqual(new Uint8Array([10, 0, 0, 255]));
    for (const bad of ['010.0.0.1', '0x0a.0.0.1', '1.2.3', '1.2.3.256', '1.2.3.4.5']) expect(parseIPv4(bad)).toBeNull();
  });
  it('expands :: and an embedded IPv4 tail in IPv6', () => {
    expect(Array.from(parseIPv6('2001:db8::1')!)).toEqual([0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1]);
    expect(Array.from(parseIPv6('::ffff:192.0.2.1')!.subarray(10))).toEqual([0xff, 0xff, 192, 0, 2, 1]);
    for (const bad of ['1::2::3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', 'g::1', '1:2:3:4:5:6:7::8']) expect(parseIPv6(bad)).toBeNull();
  });
});

describe('dnsNameMatches', () => {
  it('ignores ASCII case and needs every label to match', () => {
    expect(dnsNameMatches('SIP.Contoso.com', 'sip.contoso.com')).toBe(true);
    expect(dnsNameMatches('contoso.com', 'sip.contoso.com')).toBe(false);
    expect(dnsNameMatches('sip.contoso.com', 'contoso.com')).toBe(false);
  });
  it('lets a wildcard stand for exactly one whole leftmost label', () => {
    expect(dnsNameMatches('*.contoso.com', 'sip.contoso.com')).toBe(true);
    expect(dnsNameMatches('*.contoso.com', 'a.sip.contoso.com')).toBe(false);
    expect(dnsNameMatches('*.contoso.com', 'contoso.com')).toBe(false);
    expect(dnsNameMatches('s*.contoso.com', 'sip.contoso.com')).toBe(false);
    expect(dnsNameMatches('sip.*.com', 'sip.contoso.com')).toBe(false);
    expect(dnsNameMatches('xn--*-1b3c148a.example.com', 'xn--bliss-1b3c148a.example.com')).toBe(false);
  });
  it('refuses a wildcard over a top-level domain', () => {
    expect(isWildcardName('*.com')).toBe(false);
    expect(dnsNameMatches('*.com', 'example.com')).toBe(false);
  });
  it('never matches a presented name in Unicode against its A-label', () => {
    expect(dnsNameMatches('bücher.example', 'xn--bcher-kva.example')).toBe(false);
    const reference = parseReferenceId('BÜCHER.example');
    expect(reference).toEqual({ kind: 'dns', name: 'xn--bcher-kva.example' });
    expect(dnsNameMatches('xn--bcher-kva.example', (reference as { name: string }).name)).toBe(true);
  });
  it('checks host name syntax', () => {
    expect(isDnsName('a-b.example1.com')).toBe(true);
    expect(isDnsName(`${'a'.repeat(63)}.com`)).toBe(true);
    // RFC 5280 §4.2.1.6: the preferred name syntax has no underscore (limbo rfc5280::san::underscore-dns).
    expect(isDnsName('foo_bar.example.com')).toBe(false);
    expect(isDnsName('_sip._tls.example.com')).toBe(false);
    expect(dnsNameMatches('foo_bar.example.com', 'foo_bar.example.com')).toBe(false);
    expect(parseReferenceId('foo_bar.example.com')).toBeNull();
    expect(isDnsName(`${'a'.repeat(64)}.com`)).toBe(false);
    expect(isDnsName('a.-b.com')).toBe(false);
  });
});

describe('email addresses', () => {
  it('parses local@domain, the domain as lower-case A-labels and the local part as given', () => {
    expect(parseEmailAddress('Admin@Bücher.Example')).toEqual({ local: 'Admin', domain: 'xn--bcher-kva.example' });
    expect(parseEmailAddress('a@b@example.com')).toEqual({ local: 'a@b', domain: 'example.com' });
    for (const bad of ['nobody', '@example.com', 'a@', 'a@exa mple.com']) expect(parseEmailAddress(bad)).toBeNull();
  });
  it('matches the local part exactly and the domain ignoring case (RFC 5280 §7.5)', () => {
    const ref = parseEmailAddress('admin@example.com')!;
    expect(emailMatches('admin@EXAMPLE.com', ref)).toBe(true);
    expect(emailMatches('Admin@example.com', ref)).toBe(false);
    expect(emailMatches('admin@example.org', ref)).toBe(false);
    expect(emailMatches('example.com', ref)).toBe(false);
    expect(emailMatches('*@example.com', parseEmailAddress('user@example.com')!)).toBe(false);
  });
});
