/**
 * Name constraints (RFC 5280 §4.2.1.10, §6.1.4 (g)): does a certificate's name fall inside a CA's
 * permitted subtrees and outside its excluded ones. A constrained name form this validator cannot
 * compare (otherName and the rest) fails, as the RFC requires of a form it does not process.
 */
import { rdnKey, type Name } from '../certs/x509.js';
import type { GeneralName, NameConstraints } from './extensions.js';
import { isDnsName, isWildcardName } from './names.js';

/** Why a constraint is not of the form RFC 5280 defines, or null when it is usable. */
export function constraintDefect(base: GeneralName): string | null {
  switch (base.type) {
    case 'dns':
      // RFC 5280 allows a leading period only in URI and rfc822Name constraints, never a wildcard.
      return base.value === '' || isDnsName(base.value) ? null : `dNSName constraint "${base.value}" is not a host name`;
    case 'ip':
      return isPrefixMask(base.bytes) ? null : `iPAddress constraint of ${base.bytes.length} bytes is not an address and a prefix mask`;
    case 'email': {
      const valid = base.value.includes('@') ? isMailbox(base.value) : isDomainConstraint(base.value);
      return valid ? null : `rfc822Name constraint "${base.value}" is not a mailbox, a host or a domain`;
    }
    case 'uri':
      return isDomainConstraint(base.value) ? null : `URI constraint "${base.value}" is not a host or a domain`;
    default:
      return null;
  }
}

const isDomainConstraint = (v: string) => isDnsName(v.startsWith('.') ? v.slice(1) : v);

function isPrefixMask(bytes: Uint8Array): boolean {
  if (bytes.length !== 8 && bytes.length !== 32) return false;
  let ended = false;
  for (const byte of bytes.subarray(bytes.length / 2)) {
    for (let bit = 7; bit >= 0; bit--) {
      const set = (byte >> bit) & 1;
      if (set && ended) return false;
      if (!set) ended = true;
    }
  }
  return true;
}

/**
 * Bounds the work of name-constraint checking in one validation: a crafted CA with thousands of
 * subtrees over a leaf with thousands of names costs millions of comparisons (x509-limbo's nc-dos
 * cases). 250,000 comparisons, as rustls-webpki allows; real chains use a few dozen.
 */
export class ComparisonBudget {
  static readonly DEFAULT = 250_000;
  constructor(public remaining: number = ComparisonBudget.DEFAULT) {}
  /** Spends one comparison; false once none is left. */
  spend(): boolean {
    return --this.remaining >= 0;
  }
}

export type ConstraintVerdict = { ok: true } | { ok: false; exhausted: false; message: string } | { ok: false; exhausted: true };

const PASS: ConstraintVerdict = { ok: true };
const EXHAUSTED: ConstraintVerdict = { ok: false, exhausted: true };

/** A constraint's subtrees by name form, made once per CA: each name is compared with its own form only. */
interface Grouped {
  permitted: Map<string, GeneralName[]>;
  excluded: Map<string, GeneralName[]>;
}
const groups = new WeakMap<NameConstraints, Grouped>();
const formOf = (n: GeneralName) => (n.type === 'other' ? `other:${n.form}` : n.type);

function grouped(nc: NameConstraints): Grouped {
  let g = groups.get(nc);
  if (!g) {
    const byForm = (list: GeneralName[] | null) => {
      const map = new Map<string, GeneralName[]>();
      for (const base of list ?? []) {
        const same = map.get(formOf(base));
        if (same) same.push(base);
        else map.set(formOf(base), [base]);
      }
      return map;
    };
    g = { permitted: byForm(nc.permitted), excluded: byForm(nc.excluded) };
    groups.set(nc, g);
  }
  return g;
}

/** Whether every one of `names` falls inside the permitted subtrees and outside the excluded ones, within `budget`. */
export function checkNameConstraints(nc: NameConstraints, names: GeneralName[], budget: ComparisonBudget): ConstraintVerdict {
  const { permitted: permittedByForm, excluded: excludedByForm } = grouped(nc);
  for (const name of names) {
    const permitted = permittedByForm.get(formOf(name)) ?? [];
    const excluded = excludedByForm.get(formOf(name)) ?? [];
    if (permitted.length === 0 && excluded.length === 0) continue;
    const refuse = (message: string): ConstraintVerdict => ({ ok: false, exhausted: false, message });
    const what = describeName(name);
    if (name.type === 'other') return refuse(`the CA constrains ${name.form} names, which this validator cannot compare, and the certificate has one`);
    if (!isWellFormed(name)) return refuse(`${what} is malformed, so it cannot be checked against the CA's name constraints`);
    if (permitted.length > 0) {
      let inside = false;
      for (const base of permitted) {
        if (!budget.spend()) return EXHAUSTED;
        if (covers(base, name)) {
          inside = true;
          break;
        }
      }
      if (!inside) return refuse(`${what} is outside the permitted subtrees`);
    }
    for (const base of excluded) {
      if (!budget.spend()) return EXHAUSTED;
      if (overlaps(base, name)) return refuse(`${what} is inside an excluded subtree`);
    }
  }
  return PASS;
}

function describeName(name: GeneralName): string {
  switch (name.type) {
    case 'dns':
      return `DNS name "${name.value}"`;
    case 'email':
      return `email address "${name.value}"`;
    case 'uri':
      return `URI "${name.value}"`;
    case 'ip':
      return `IP address ${Buffer.from(name.bytes).toString('hex')}`;
    case 'dn':
      return 'directory name';
    case 'other':
      return `${name.form} name`;
  }
}

function isWellFormed(name: GeneralName): boolean {
  switch (name.type) {
    case 'dns':
      return isDnsName(name.value) || isWildcardName(name.value);
    case 'ip':
      return name.bytes.length === 4 || name.bytes.length === 16;
    case 'email': {
      return isMailbox(name.value);
    }
    case 'uri':
      return uriHost(name.value) !== null;
    default:
      return true;
  }
}

/** The host of a URI with an authority (`https://user@host:443/x` → `host`), lower case; null without one. */
function uriHost(uri: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(uri);
  return m && m[1] ? m[1].toLowerCase() : null;
}

/** `local@host`: one @, something before it, a host name after it. */
function isMailbox(value: string): boolean {
  const parts = value.split('@');
  return parts.length === 2 && parts[0] !== '' && isDnsName(parts[1]!);
}

/** `name` lies in `domain` (equal, or a subdomain); `domain` empty means every name. */
const inDomain = (name: string, domain: string) => domain === '' || name === domain || name.endsWith(`.${domain}`);

/** Host-or-domain constraints of rfc822Name and URI: `.example.com` is any subdomain, `example.com` that host only. */
const hostMatches = (host: string, constraint: string) => (constraint.startsWith('.') ? host.endsWith(constraint) : host === constraint);

/** Every name `name` stands for lies in the subtree `base`. */
function covers(base: GeneralName, name: GeneralName): boolean {
  if (name.type === 'dns' && base.type === 'dns') {
    const n = name.value.toLowerCase();
    const b = base.value.toLowerCase();
    // A wildcard stands for every single-label child of its base: all are inside b only if the base is.
    return inDomain(n.startsWith('*.') ? n.slice(2) : n, b);
  }
  return sameSubtree(base, name);
}

/** Some name `name` stands for lies in the subtree `base`: for excluded subtrees, where a wildcard must not slip past. */
function overlaps(base: GeneralName, name: GeneralName): boolean {
  if (name.type === 'dns' && base.type === 'dns' && name.value.startsWith('*.')) {
    const rest = name.value.slice(2).toLowerCase();
    const b = base.value.toLowerCase();
    const oneLabelBelow = b.endsWith(`.${rest}`) && !b.slice(0, -rest.length - 1).includes('.');
    return inDomain(rest, b) || oneLabelBelow;
  }
  return covers(base, name);
}

/** Every form but dNSName, which covers handles (wildcards included). */
function sameSubtree(base: GeneralName, name: GeneralName): boolean {
  if (base.type === 'ip' && name.type === 'ip') {
    const n = name.bytes.length;
    if (base.bytes.length !== 2 * n) return false;
    for (let i = 0; i < n; i++) if ((name.bytes[i]! & base.bytes[n + i]!) !== (base.bytes[i]! & base.bytes[n + i]!)) return false;
    return true;
  }
  if (base.type === 'email' && name.type === 'email') {
    const [local, host] = name.value.split('@') as [string, string];
    const constraint = base.value.toLowerCase();
    if (constraint.includes('@')) {
      const [cLocal, cHost] = base.value.split('@') as [string, string];
      return local === cLocal && host.toLowerCase() === cHost.toLowerCase();
    }
    return hostMatches(host.toLowerCase(), constraint);
  }
  if (base.type === 'uri' && name.type === 'uri') {
    const host = uriHost(name.value);
    return host !== null && hostMatches(host, base.value.toLowerCase());
  }
  if (base.type === 'dn' && name.type === 'dn') return dnWithin(name.name, base.name);
  return false;
}

/** `name` is `base` followed by zero or more further RDNs. */
function dnWithin(name: Name, base: Name): boolean {
  if (base.rdns.length > name.rdns.length) return false;
  return base.rdns.every((rdn, i) => rdnKey(rdn) === rdnKey(name.rdns[i]!));
}
