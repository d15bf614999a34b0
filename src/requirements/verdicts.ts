/**
 * How a certificate's or a request's facts measure against a requirement (model.ts): which names are
 * missing, whether the Subject and the key are what Microsoft asks. Pure functions of facts, shared by
 * `check` and, as they switch to the model, the rules.
 */
import type { PublicKeyFacts, SubjectAltNames } from '../certs/facts.js';
import type { Name } from '../certs/x509.js';
import { dnsName } from '../rules/support.js';
import type { KeyRequirement, NameRequirement, SubjectRequirement } from './model.js';

const OID_CN = '2.5.4.3';
const OID_DC = '0.9.2342.19200300.100.1.25';

/**
 * The DNS names a certificate presents to TLS clients: its SAN dNSNames, or its Subject CN when it has
 * no SAN (clients ignore the CN when a SAN is there; an Edge internal certificate may have the CN alone).
 */
export function presentedNames(facts: { subjectCommonName: string | null; subjectAltNames: SubjectAltNames }): string[] {
  if (facts.subjectAltNames.dns.length > 0) return facts.subjectAltNames.dns.map(dnsName);
  return facts.subjectCommonName ? [dnsName(facts.subjectCommonName)] : [];
}

export interface NameVerdict {
  /** Names neither written out nor served by an accepted wildcard. */
  missing: NameRequirement[];
  /** Names served only by a wildcard that Microsoft does not support for them. */
  wildcardOnly: Array<{ requirement: NameRequirement; wildcard: string }>;
}

/** Which of the required and recommended names `presented` (presentedNames) lacks. */
export function checkNames(names: readonly NameRequirement[], presented: readonly string[]): NameVerdict {
  const exact = new Set(presented.map(dnsName));
  const verdict: NameVerdict = { missing: [], wildcardOnly: [] };
  for (const requirement of names) {
    if (exact.has(requirement.name)) continue;
    const dot = requirement.name.indexOf('.');
    const wildcard = dot > 0 ? `*.${requirement.name.slice(dot + 1)}` : undefined;
    if (wildcard && exact.has(wildcard)) {
      if (!requirement.wildcard) verdict.wildcardOnly.push({ requirement, wildcard });
      continue;
    }
    verdict.missing.push(requirement);
  }
  return verdict;
}

/** The domain names a Subject carries: each CN, and the DC components read as one name (DC=contoso, DC=com). */
export function subjectNames(subject: Name): string[] {
  const attributes = subject.rdns.flat();
  const names = attributes.filter((a) => a.oid === OID_CN).map((a) => dnsName(a.value));
  const dc = attributes.filter((a) => a.oid === OID_DC).map((a) => a.value);
  if (dc.length > 0) names.push(dnsName([...dc].reverse().join('.')));
  return names;
}

/** Whether a Subject satisfies a subject requirement (a wildcard Common Name never does: no role supports one). */
export function subjectSatisfies(requirement: SubjectRequirement, subject: Name, allowSubdomains = true): boolean {
  const names = subjectNames(subject).filter((n) => !n.startsWith('*'));
  if (requirement.kind === 'fqdn') return names.includes(requirement.name);
  return names.some((n) => requirement.domains.some((d) => n === d || (allowSubdomains && n.endsWith(`.${d}`))));
}

/** The Common Name to request for a certificate: its required FQDN Subject, else the first SIP domain. */
export function requestedCommonName(subject: readonly SubjectRequirement[]): string | undefined {
  const fqdn = subject.find((s) => s.kind === 'fqdn' && s.necessity === 'required') ?? subject.find((s) => s.kind === 'fqdn');
  if (fqdn?.kind === 'fqdn') return fqdn.name;
  const domain = subject.find((s) => s.kind === 'sipDomain');
  return domain?.kind === 'sipDomain' ? domain.domains[0] : undefined;
}

export type KeyVerdict = { ok: true } | { ok: false; fault: 'tooShort' | 'curve' | 'algorithm' | 'cngOnly'; minBits: number };

/**
 * Whether a key meets the requirement. `configuredFloor` is a configuration's RSA floor: it replaces the
 * recommended 2048 where the requirement allows, never below a fixed floor (OAuthTokenIssuer).
 * `needsCsp`: an EC key is then a fault, as ECDH keys live only in CNG providers, which Lync Server 2013 cannot use.
 */
export function checkKey(requirement: KeyRequirement, key: PublicKeyFacts, options: { configuredFloor?: number; needsCsp?: boolean } = {}): KeyVerdict {
  const floor = options.configuredFloor === undefined ? requirement.minRsaBits : requirement.fixed ? Math.max(options.configuredFloor, requirement.minRsaBits) : options.configuredFloor;
  if (key.algorithm === 'RSA') return key.bits !== null && key.bits < floor ? { ok: false, fault: 'tooShort', minBits: floor } : { ok: true };
  if (key.algorithm === 'EC' && requirement.algorithms.includes('EC')) {
    if (!requirement.curves.includes(key.curve ?? '')) return { ok: false, fault: 'curve', minBits: floor };
    return options.needsCsp ? { ok: false, fault: 'cngOnly', minBits: floor } : { ok: true };
  }
  return { ok: false, fault: 'algorithm', minBits: floor };
}

/** Whether a provider name is a CNG Key Storage Provider (which Lync Server 2010/2013 cannot use) rather than a CryptoAPI CSP. */
export const isCngProvider = (name: string): boolean => /key storage provider|\bksp\b|platform crypto provider|smart card key storage/i.test(name);
