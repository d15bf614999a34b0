/**
 * The extensions path validation reads beyond CertificateFacts: every GeneralName form of
 * subjectAltName, nameConstraints, and the authorityKeyIdentifier's optional fields. Each parser
 * throws DerError on malformed content; the validator refuses such a certificate.
 */
import { children, content, contextTag, DerError, decodeOid, decodeString, readTlv, TAG, toHex, type Tlv } from '../certs/der.js';
import { GENERAL_NAME, parseName, type Name } from '../certs/x509.js';

export type GeneralName =
  | { type: 'dns'; value: string }
  | { type: 'email'; value: string }
  | { type: 'uri'; value: string }
  /** 4 or 16 bytes in a name; address then mask (8 or 32 bytes) in a constraint. Other lengths are kept to be refused. */
  | { type: 'ip'; bytes: Uint8Array }
  | { type: 'dn'; name: Name }
  /** otherName, x400Address, ediPartyName, registeredID: forms this validator does not compare. */
  | { type: 'other'; form: string };

const OTHER_FORMS: Record<number, string> = {
  [GENERAL_NAME.otherName]: 'otherName',
  [contextTag(3, true)]: 'x400Address',
  [contextTag(5, true)]: 'ediPartyName',
  [GENERAL_NAME.registeredID]: 'registeredID',
};

function parseGeneralName(bytes: Uint8Array, tlv: Tlv): GeneralName {
  switch (tlv.tag) {
    case GENERAL_NAME.dNSName:
      return { type: 'dns', value: decodeString(bytes, tlv) };
    case GENERAL_NAME.rfc822Name:
      return { type: 'email', value: decodeString(bytes, tlv) };
    case GENERAL_NAME.uniformResourceIdentifier:
      return { type: 'uri', value: decodeString(bytes, tlv) };
    case GENERAL_NAME.iPAddress:
      return { type: 'ip', bytes: content(bytes, tlv) };
    case GENERAL_NAME.directoryName: {
      const inner = children(bytes, tlv);
      if (inner.length !== 1) throw new DerError('malformed directoryName', tlv.start);
      return { type: 'dn', name: parseName(bytes, inner[0]!) };
    }
  }
  const form = OTHER_FORMS[tlv.tag];
  if (!form) throw new DerError(`unknown GeneralName tag 0x${tlv.tag.toString(16)}`, tlv.start);
  return { type: 'other', form };
}

/** The outer TLV of an extension value, which must fill it exactly. */
function outer(value: Uint8Array, tag: number, what: string): Tlv {
  const tlv = readTlv(value, 0);
  if (tlv.tag !== tag || tlv.end !== value.length) throw new DerError(`${what} is not a single ${tag === TAG.SEQUENCE ? 'SEQUENCE' : 'value'}`, 0);
  return tlv;
}

/** subjectAltName / GeneralNames: a non-empty SEQUENCE OF GeneralName. */
export function parseGeneralNames(value: Uint8Array): GeneralName[] {
  const names = children(value, outer(value, TAG.SEQUENCE, 'GeneralNames')).map((t) => parseGeneralName(value, t));
  if (names.length === 0) throw new DerError('empty GeneralNames', 0);
  return names;
}

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

export interface AuthorityKeyId {
  /** Upper-case hex, null when the keyIdentifier field is absent. */
  keyId: string | null;
  hasIssuer: boolean;
  hasSerial: boolean;
}

export function parseAuthorityKeyId(value: Uint8Array): AuthorityKeyId {
  const result: AuthorityKeyId = { keyId: null, hasIssuer: false, hasSerial: false };
  for (const field of children(value, outer(value, TAG.SEQUENCE, 'AuthorityKeyIdentifier'))) {
    if (field.tag === contextTag(0, false)) result.keyId = toHex(content(value, field));
    else if (field.tag === contextTag(1, true)) result.hasIssuer = true;
    else if (field.tag === contextTag(2, false)) result.hasSerial = true;
    else throw new DerError('unexpected field in AuthorityKeyIdentifier', field.start);
  }
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
