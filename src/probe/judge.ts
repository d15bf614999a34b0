/**
 * What was served at an endpoint, set against what the snapshot says of it: the assigned certificate,
 * the trust anchors a client there has, and the served chain validated alone (the `verify` validator:
 * RFC 5280 inside, the Web PKI profile outside). The probe rules (src/probe/rules) turn this into findings.
 */
import { EXT } from '../certs/oids.js';
import { readCertificateBytes } from '../certs/read.js';
import type { Certificate } from '../certs/x509.js';
import { bytesEqual } from '../certs/x509.js';
import { dnsNameMatches, isDnsName, parseIPv4, parseIPv6, parseReferenceId } from '../pki/names.js';
import { PathValidator, type ValidationResult } from '../pki/validate.js';
import type { Deployment, Usage } from '../snapshot/model.js';
import type { Handshake } from './connect.js';
import type { Endpoint } from './endpoints.js';

export interface ProbedEndpoint {
  endpoint: Endpoint;
  /** Where the probe connected instead of the endpoint's own host and port (--connect-to). */
  connectTo?: { host: string; port: number };
  handshake: Handshake;
  /** The served certificates that could be read, in the order served. */
  served: Certificate[];
  /** The first certificate served, the server's own, when it could be read. */
  leaf?: Certificate;
  /** Served certificates that could not be read, by their position. */
  unreadable: Array<{ index: number; message: string }>;
  /** The usage findings name: the first of the endpoint's usages the snapshot assigns there. */
  usage: Usage;
  /** The thumbprints the snapshot assigns there (any is right: a load-balanced pool's servers may each have their own); null when it does not say. */
  expected: string[] | null;
  /** The trust anchors a client of the endpoint has, and what they are, for messages. */
  anchors: Certificate[];
  trust: string;
  /** The served chain validated alone, without the name; absent when no leaf was served or there is nothing to trust. */
  chain?: ValidationResult;
  /**
   * An intermediate CA the server should have sent: the served chain stops for want of it, and with the
   * certificates the snapshot holds the path goes on through it.
   */
  missingIntermediate?: Certificate;
  /** The chain's verdict: the served chain's, or, when an intermediate is missing, the path completed with it. */
  validation?: ValidationResult;
  /** Whether the leaf covers the endpoint's name; absent when no leaf was served. */
  nameCovered?: boolean;
}

export interface JudgeOptions {
  deployment?: Deployment;
  now: Date;
  /** The public roots, loaded when an external endpoint first needs them. */
  publicRoots: () => Certificate[];
}

/** One per probe run: the validator remembers signatures across endpoints, which often share a chain. */
export class Judge {
  private readonly validator = new PathValidator();
  private known: Certificate[] | undefined;

  constructor(private readonly options: JudgeOptions) {}

  /** `savedAs`: the file the served chain was saved to, which findings then point at. */
  judge(endpoint: Endpoint, handshake: Handshake, savedAs = ''): ProbedEndpoint {
    const served: Certificate[] = [];
    const unreadable: ProbedEndpoint['unreadable'] = [];
    handshake.certificates.forEach((der, index) => {
      const result = readCertificateBytes(der, savedAs);
      const certificate = result.certificates[0];
      if (certificate && result.errors.length === 0) served.push(certificate);
      else unreadable.push({ index, message: result.errors[0]?.message ?? 'not a certificate' });
    });
    const { usage, expected } = this.assigned(endpoint);
    const { anchors, trust } = this.trustOf(endpoint);
    const probed: ProbedEndpoint = { endpoint, handshake, served, unreadable, usage, expected, anchors, trust };
    const leaf = handshake.certificates.length > 0 && unreadable[0]?.index !== 0 ? served[0] : undefined;
    if (!leaf) return probed;
    probed.leaf = leaf;
    probed.nameCovered = covers(leaf, endpoint.name, endpoint.exposure === 'internal');
    if (anchors.length === 0) return probed;
    const profile = endpoint.exposure === 'external' ? 'webpki' : 'rfc5280';
    const validate = (untrusted: Certificate[]) => this.validator.validate(leaf, { trusted: anchors, untrusted, time: this.options.now, profile });
    probed.chain = probed.validation = validate(served.slice(1));
    if (probed.chain.failure?.code === 'issuer-not-found') {
      const completed = validate([...served.slice(1), ...this.knownCertificates()]);
      const sent = new Set(served.map((c) => c.facts.thumbprint));
      // A root is never the server's to send: one missing from the path is an untrusted root, not an omission.
      const missing = completed.path.find((c, i) => i > 0 && c !== completed.trustAnchor && !c.facts.selfIssued && !sent.has(c.facts.thumbprint));
      if (missing) {
        probed.missingIntermediate = missing;
        probed.validation = completed;
      }
    }
    return probed;
  }

  /** What the snapshot assigns at the endpoint: per server, the first of its usages assigned there. */
  private assigned(endpoint: Endpoint): { usage: Usage; expected: string[] | null } {
    const thumbprints = new Set<string>();
    let usage: Usage | undefined;
    for (const server of endpoint.servers) {
      const assignment = endpoint.usages.map((u) => server.assignments.find((a) => a.usage === u)).find((a) => a !== undefined);
      if (!assignment) continue;
      usage ??= assignment.usage;
      thumbprints.add(assignment.thumbprint);
    }
    return { usage: usage ?? endpoint.usages[0], expected: thumbprints.size > 0 ? [...thumbprints] : null };
  }

  /**
   * Inside, a client trusts what the servers trust: the Trusted Root stores of the servers behind the
   * endpoint, together. Outside, the public roots.
   */
  private trustOf(endpoint: Endpoint): { anchors: Certificate[]; trust: string } {
    if (endpoint.exposure === 'external') return { anchors: this.options.publicRoots(), trust: 'the public roots' };
    const anchors = new Map<string, Certificate>();
    for (const server of endpoint.servers) {
      for (const entry of server.stores.root ?? []) {
        const certificate = this.options.deployment?.certificates.get(entry.thumbprint);
        if (certificate) anchors.set(certificate.facts.thumbprint, certificate);
      }
    }
    const names = endpoint.servers.map((s) => s.fqdn);
    const whose = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
    return { anchors: [...anchors.values()], trust: `the Trusted Root stores of ${whose}` };
  }

  /** Every certificate the snapshot holds: the intermediates a complete chain could have been built from. */
  private knownCertificates(): Certificate[] {
    this.known ??= this.options.deployment?.certificates.all() ?? [];
    return this.known;
  }
}

/**
 * Whether the certificate covers `name` as a TLS client checks it (RFC 6125 / RFC 9525): a DNS name
 * or IP address in the subjectAltName; without any subjectAltName, inside only, the subject CN (the
 * Edge internal certificate needs no SAN, Microsoft says, and Windows accepts it by its CN).
 */
export function covers(certificate: Certificate, name: string, commonNameFallback: boolean): boolean {
  const reference = parseReferenceId(name);
  if (!reference) return false;
  const { dns, ip } = certificate.facts.subjectAltNames;
  const hasSan = certificate.extensions.some((e) => e.oid === EXT.subjectAltName);
  if (reference.kind === 'ip') {
    return ip.some((address) => {
      const bytes = parseIPv4(address) ?? parseIPv6(address);
      return bytes !== null && bytesEqual(bytes, reference.bytes);
    });
  }
  if (dns.some((presented) => dnsNameMatches(presented, reference.name))) return true;
  const cn = certificate.facts.subjectCommonName;
  return !hasSan && commonNameFallback && cn !== null && isDnsName(cn) && dnsNameMatches(cn, reference.name);
}
