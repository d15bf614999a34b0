/**
 * The extensions path validation reads beyond CertificateFacts: nameConstraints and policyMappings.
 * subjectAltName and authorityKeyIdentifier have one parser each, in src/certs/extensions.ts, which the
 * facts derive from too; they are re-exported here. Each parser throws DerError on malformed content;
 * the validator refuses such a certificate.
 */
import { children, contextTag, DerError, decodeOid, TAG } from '../certs/der.js';
import { outer, parseGeneralName, type GeneralName } from '../certs/extensions.js';

export { parseAuthorityKeyId, parseGeneralNames, type AuthorityKeyId, type GeneralName } from '../certs/extensions.js';

export interface NameConstraints {
  /** null when permittedSubtrees is absent; never an empty list. */
  permitted: GeneralName[] | null;
  excluded: GeneralName[] | null;
}

/** RFC 5280 §4.2.1.10. minimum must be 0 and maximum absent, as the profile requires. */
export function parseNameConstraints(value: Uint8Array): NameConstraints {
  const result: NameConstraints = { permitted: null, excluded: null };
  for (const field of children(value, outer(value, TAG.SEQUENCE, 'NameConstraints'))) {
    const which = field.tag === contextTag(0, true) ? 'permitted' : field.tag === contextTag(1, true) ? 'excluded' : null;
    if (!which || result[which]) throw new DerError('unexpected field in NameConstraints', field.start);
    const subtrees = children(value, field).map((subtree) => {
      const [base, ...rest] = children(value, subtree);
      if (subtree.tag !== TAG.SEQUENCE || !base) throw new DerError('malformed GeneralSubtree', subtree.start);
      for (const r of rest) {
        const isMinimumZero = r.tag === contextTag(0, false) && r.end - r.contentStart === 1 && value[r.contentStart] === 0;
        if (!isMinimumZero) throw new DerError('GeneralSubtree minimum/maximum must be absent (RFC 5280 §4.2.1.10)', r.start);
      }
      return parseGeneralName(value, base);
    });
    if (subtrees.length === 0) throw new DerError(`empty ${which}Subtrees`, field.start);
    result[which] = subtrees;
  }
  if (!result.permitted && !result.excluded) throw new DerError('neither permittedSubtrees nor excludedSubtrees is present', 0);
  return result;
}

/** policyMappings (RFC 5280 §4.2.1.5): whether anyPolicy appears on either side, which §6.1.4 (a) forbids. */
export function mapsAnyPolicy(value: Uint8Array): boolean {
  const ANY_POLICY = '2.5.29.32.0';
  for (const mapping of children(value, outer(value, TAG.SEQUENCE, 'PolicyMappings'))) {
    const oids = children(value, mapping);
    if (oids.length !== 2 || oids.some((o) => o.tag !== TAG.OID)) throw new DerError('malformed PolicyMapping', mapping.start);
    if (oids.some((o) => decodeOid(value, o) === ANY_POLICY)) return true;
  }
  return false;
}
