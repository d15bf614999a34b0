/**
 * Host names and IP addresses: parsing what a person asks for, and matching it against what a
 * certificate presents (RFC 9525 §6.3, the CA/Browser Forum's wildcard rules).
 */
import { domainToASCII } from 'node:url';

/** What a TLS client checks a certificate for: a DNS name (A-labels, lower case) or an IP address. */
export type ReferenceId = { kind: 'dns'; name: string } | { kind: 'ip'; bytes: Uint8Array };

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A host name in the preferred name syntax (RFC 1034 §3.5 as RFC 1123 §2.1 relaxes it, which RFC 5280
 * §4.2.1.6 requires of a dNSName): letter-digit-hyphen labels, case-insensitive, at most 253 characters.
 * An underscore is not allowed: it belongs to service labels such as `_sip._tls`, never to a host.
 */
export function isDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return name.toLowerCase().split('.').every((label) => LABEL.test(label));
}

/** `*.` followed by a host name of at least two labels: the only wildcard form accepted (`*.com` is refused). */
export function isWildcardName(name: string): boolean {
  if (!name.startsWith('*.')) return false;
  const rest = name.slice(2);
  return isDnsName(rest) && rest.includes('.');
}

/** Dotted-decimal IPv4 as RFC 3986 writes it (no leading zeros, no hex, four parts). */
export function parseIPv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^(?:0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return null;
    bytes[i] = Number(p);
  }
  return bytes;
}

/** Textual IPv6 (RFC 4291 §2.2, with an optional embedded IPv4 tail) to its 16 bytes. */
export function parseIPv6(text: string): Uint8Array | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (!v4) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/**
 * A host name or IP literal as typed (`Pool.Contoso.com.`, `bücher.example`, `192.0.2.1`, `[::1]`), or null
 * when it is neither. Names become lower-case A-labels without the root dot, as they appear in certificates.
 */
export function parseReferenceId(input: string): ReferenceId | null {
  const bracketed = /^\[(.*)\]$/.exec(input);
  const v6 = input.includes(':') ? parseIPv6(bracketed ? bracketed[1]! : input) : null;
  if (v6) return { kind: 'ip', bytes: v6 };
  const v4 = parseIPv4(input);
  if (v4) return { kind: 'ip', bytes: v4 };
  const ascii = domainToASCII(input.replace(/\.$/, ''));
  return isDnsName(ascii) ? { kind: 'dns', name: ascii.toLowerCase() } : null;
}

/**
 * Whether a dNSName from a certificate matches a reference name (already lower-case A-labels).
 * Comparison ignores ASCII case; a presented name with non-ASCII characters never matches (RFC 5280
 * §7.2 requires A-labels); a wildcard matches exactly one whole leftmost label.
 */
export function dnsNameMatches(presented: string, reference: string): boolean {
  const pattern = presented.toLowerCase();
  if (isWildcardName(pattern)) {
    const dot = reference.indexOf('.');
    return dot > 0 && reference.slice(dot + 1) === pattern.slice(2);
  }
  return isDnsName(pattern) && pattern === reference;
}

/** An email address as asked for: the local part kept exactly, the domain as lower-case A-labels. */
export interface EmailReference {
  local: string;
  domain: string;
}

/** `local@domain` with a non-empty local part and a host name after the last `@`, or null. */
export function parseEmailAddress(input: string): EmailReference | null {
  const at = input.lastIndexOf('@');
  if (at <= 0) return null;
  const domain = domainToASCII(input.slice(at + 1)).toLowerCase();
  return isDnsName(domain) ? { local: input.slice(0, at), domain } : null;
}

/** An rfc822Name matches when its local part is identical and its domain equal ignoring ASCII case (RFC 5280 §4.2.1.6, §7.5). */
export function emailMatches(presented: string, reference: EmailReference): boolean {
  const at = presented.lastIndexOf('@');
  return at > 0 && presented.slice(0, at) === reference.local && presented.slice(at + 1).toLowerCase() === reference.domain;
}
