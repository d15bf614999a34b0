/**
 * What a certificate request (PKCS #10) can show against the requirements, before a CA sees it: its
 * Subject, the names it asks for, its key, the EKU and provider it asks for, its own signature; and what
 * only the issued certificate will tell. Each message says what to change in the request.
 */
import type { CertificateRequest } from '../certs/csr.js';
import type { Citation, Severity } from '../engine/types.js';
import { printable } from '../errors.js';
import { plural } from '../report/audit.js';
import { CITATIONS } from '../rules/citations.js';
import type { CertificateRequirement } from './model.js';
import { checkKey, checkNames, isCngProvider, presentedNames, requestedCommonName, subjectSatisfies } from './verdicts.js';

/** The checks a request gets, described as rules are, so reports list them with a citation. */
export const REQUEST_CHECKS = {
  'request/signature': {
    description: "The request's signature verifies with its own key (it was not damaged or altered).",
    severity: 'error',
    citation: { title: 'RFC 2986: PKCS #10, Certification Request Syntax', url: 'https://www.rfc-editor.org/rfc/rfc2986' },
  },
  'request/subject': {
    description: "The request's Subject is what Microsoft's tables give for the usage (the pool FQDN, the Access Edge FQDN, a SIP domain for OAuth), never a wildcard.",
    severity: 'error',
    citation: CITATIONS.internalServers,
  },
  'request/names': {
    description: 'The request asks for every name the usage serves in its subject alternative names.',
    severity: 'error',
    citation: CITATIONS.internalServers,
  },
  'request/key': {
    description: 'The request has an RSA key of at least 2048 bits (2048 whatever the floor for OAuthTokenIssuer) in a CSP.',
    severity: 'error',
    citation: CITATIONS.infrastructure,
  },
  'request/eku': {
    description: 'The Extended Key Usage the request asks for includes Server Authentication.',
    severity: 'error',
    citation: CITATIONS.infrastructure,
  },
  'request/provider': {
    description: "The request's key is in a CryptoAPI CSP, not a CNG Key Storage Provider.",
    severity: 'error',
    citation: CITATIONS.infrastructure,
  },
} satisfies Record<string, { description: string; severity: Severity; citation: Citation }>;

export type RequestCheckId = keyof typeof REQUEST_CHECKS;

export interface RequestFinding {
  check: RequestCheckId;
  severity: Severity;
  message: string;
}

/** Text from the request quoted in a message: it is the request's, and may hold anything. */
const quoted = (s: string) => printable(s, 200);

export function checkRequest(request: CertificateRequest, requirement: CertificateRequirement, options: { configuredFloor?: number } = {}): RequestFinding[] {
  const facts = request.facts;
  const out: RequestFinding[] = [];
  const usages = requirement.usages.join(', ');
  const add = (check: RequestCheckId, severity: Severity, message: string) => out.push({ check, severity, message });

  if (facts.signatureValid === false) add('request/signature', 'error', "The request's signature does not verify with its own key: the file was damaged or altered. Make the request again.");
  else if (facts.signatureValid === null) add('request/signature', 'warning', `The request's signature could not be checked: ${facts.signatureProblem ?? 'unknown algorithm'}.`);
  for (const problem of facts.problems) add('request/names', 'warning', `The request is malformed: ${quoted(problem)}.`);

  const cn = facts.subjectCommonName;
  if (cn !== null && cn.trim().startsWith('*')) {
    add('request/subject', 'error', `Set the Subject to a name, not the wildcard CN=${quoted(cn)}: no Lync or Skype for Business role supports a wildcard Subject.`);
  }
  for (const subject of requirement.subject) {
    if (subjectSatisfies(subject, request.subjectName)) continue;
    const now = facts.subject ? ` (it is ${quoted(facts.subject)})` : ' (it is empty)';
    const severity: Severity = subject.necessity === 'required' ? 'error' : 'warning';
    if (subject.kind === 'fqdn') add('request/subject', severity, `Set the Subject to CN=${subject.name}${now}: the ${subject.usages.join(', ')} certificate's Subject is ${subject.why}.`);
    else add('request/subject', severity, `Set the Subject to CN=${requestedCommonName([subject]) ?? 'a SIP domain'}${now}: the OAuthTokenIssuer certificate's Subject must name a SIP domain of this deployment (${subject.domains.join(', ')}).`);
  }

  // What the snapshot does not name cannot be measured: said, so that a request is not passed on it.
  for (const g of requirement.gaps) add(g.subject ? 'request/subject' : 'request/names', 'warning', `Whether the request names ${g.what} cannot be checked: ${g.message}.`);

  const names = checkNames(requirement.names, presentedNames(facts));
  for (const n of names.missing) {
    const severity: Severity = n.necessity === 'required' ? 'error' : 'warning';
    const condition = n.necessity === 'recommended' && n.condition ? ` Recommended: ${n.condition}.` : '';
    add('request/names', severity, `Add SAN ${n.name}; ${n.why}.${condition}`);
  }
  for (const { requirement: n, wildcard } of names.wildcardOnly) {
    add('request/names', n.necessity === 'required' ? 'error' : 'warning', `Add SAN ${n.name} itself: the wildcard ${wildcard} does not serve it (Microsoft supports wildcard SANs only for the simple URLs and lyncdiscover); ${n.why}.`);
  }

  const key = facts.publicKey;
  const verdict = checkKey(requirement.key, key, { needsCsp: true, ...(options.configuredFloor !== undefined && { configuredFloor: options.configuredFloor }) });
  if (!verdict.ok) {
    const have = `${key.bits !== null ? `${key.bits}-bit ` : ''}${key.algorithm === 'unknown' ? (key.oid ?? 'unknown') : key.algorithm}${key.curve ? ` ${key.curve}` : ''}`;
    const fix = `make the request again with an RSA key of ${Math.max(verdict.minBits, requirement.key.requestBits)} bits (certreq: KeyLength = ${Math.max(verdict.minBits, requirement.key.requestBits)})`;
    const message: Record<typeof verdict.fault, string> = {
      tooShort: `The request has a ${have} key; the ${usages} certificate needs at least ${verdict.minBits} bits (${requirement.key.why}): ${fix}.`,
      curve: `The request has a ${have} key, a curve Lync and Skype for Business do not support (P-256, P-384, P-521): ${fix}.`,
      algorithm: requirement.key.algorithms.includes('EC')
        ? `The request has a ${have} key; Lync and Skype for Business support RSA (and ECDH P-256/P-384/P-521) keys only: ${fix}.`
        : `The request has a ${have} key; the ${usages} certificate needs an RSA key of at least ${verdict.minBits} bits (${requirement.key.why}): ${fix}.`,
      cngOnly: `The request has an ECDH ${key.curve ?? ''} key, which exists only in a CNG Key Storage Provider, which Lync Server 2013 cannot use: ${fix} in ${requirement.provider.name}.`,
    };
    add('request/key', 'error', message[verdict.fault]);
  }

  const ekus = facts.extendedKeyUsage;
  if (ekus !== null && !ekus.includes('serverAuth')) {
    add('request/eku', 'error', `The request asks for the Extended Key Usage ${ekus.length ? ekus.map(quoted).join(', ') : '(none)'} without Server Authentication (1.3.6.1.5.5.7.3.1): ask for Server Authentication (certreq: [EnhancedKeyUsageExtension] OID = 1.3.6.1.5.5.7.3.1), or none and let the Web Server template give it.`);
  }
  if (facts.keyProvider !== null && isCngProvider(facts.keyProvider)) {
    add('request/provider', 'error', `The request's key is in ${quoted(facts.keyProvider)}, a CNG Key Storage Provider, which Lync Server 2013 cannot use (assignment fails): make it again with ProviderName = "${requirement.provider.name}" and ProviderType = ${requirement.provider.type}.`);
  }

  return out;
}

/** What a request cannot show, for this certificate: said once per request, as advice for the certificate to come. */
export function pendingChecks(request: CertificateRequest, requirement: CertificateRequirement): string {
  const facts = request.facts;
  const items = [
    "the CA's signature digest (SHA-256 or stronger, not SHA-1)",
    `its chain to a root in the Trusted Root store of ${plural(requirement.trust.servers.length, 'server')}${requirement.trust.outside ? ` and of ${requirement.trust.outside}` : ''}`,
    'its validity dates and CRL distribution point',
  ];
  if (requirement.issuer.kind === 'public') items.push('that a public CA issued it');
  if (facts.extendedKeyUsage === null) items.push("its EKU (the request asks for none: the CA's template gives it)");
  if (requirement.exportable.exportable) items.push("that its key is exportable (certreq's Exportable = TRUE; the request cannot say)");
  if (facts.keyProvider === null) items.push(`the key's provider (the request does not say; import the key into ${requirement.provider.name})`);
  return `Only the issued certificate will tell ${items.join('; ')}. Run check on it when the CA returns it.`;
}
