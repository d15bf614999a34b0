/**
 * What a certificate must be, by usage, role and deployment: the one source of truth for "what this
 * pool, server or usage needs", derived from the deployment model (src/snapshot/model.ts) by
 * derive.ts. Plain data (FQDNs, not model objects), so it serialises as it is for `requirements
 * --format json`. Every item says why, and names the Microsoft page it comes from.
 */
import type { Citation } from '../engine/types.js';
import type { Role, Usage } from '../snapshot/model.js';

/** Required: without it something fails. Recommended: Microsoft's tables list it, conditionally (see `condition`). */
export type Necessity = 'required' | 'recommended';

/** Why an item is asked for, and the Microsoft page that asks for it. */
export interface Reason {
  why: string;
  citation: Citation;
}

/** A usage a role needs assigned (Get-CsCertificate's Use, Set-CsCertificate's -Type). */
export interface UsageNeed extends Reason {
  usage: Usage;
  /** `conditional`: needed only where `condition` holds, and the snapshot does not say whether it does. */
  necessity: 'required' | 'conditional';
  condition?: string;
  /** Usages that serve in its place (External for AccessEdgeExternal and DataEdgeExternal). */
  alternatives: Usage[];
}

/** A DNS name the certificate must present (in the SAN; TLS clients ignore the Subject when a SAN is there). */
export interface NameRequirement extends Reason {
  /** Lower case, no trailing dot. */
  name: string;
  necessity: Necessity;
  /** When a recommended name becomes necessary. */
  condition?: string;
  /**
   * Whether a wildcard SAN (`*.contoso.com`) serves for it. "Wildcard certificate support" allows
   * wildcards only for the simple URLs (meet, dial-in) and lyncdiscover(internal) on Front End and
   * Director web services, and SfB's XMPP gateway names; every other name must be written out.
   */
  wildcard: boolean;
  /** The usages that ask for it. */
  usages: Usage[];
}

/** What the Subject must be: a Common Name, or (OAuthTokenIssuer) a SIP domain of the deployment. */
export type SubjectRequirement = Reason & { necessity: Necessity; usages: Usage[] } & (
    | { kind: 'fqdn'; name: string }
    | {
        kind: 'sipDomain';
        /** The SIP domains, lower case; a Subject naming one, or a name under one, satisfies it. */
        domains: string[];
      }
  );

export interface KeyRequirement extends Reason {
  algorithms: Array<'RSA' | 'EC'>;
  /** EC curves Lync/SfB accept (ECDH_P256, ECDH_P384, ECDH_P521). */
  curves: string[];
  minRsaBits: number;
  /**
   * True where Microsoft fixes the floor whatever a configuration says (OAuthTokenIssuer: 2048); false
   * where minRsaBits is the recommendation a configuration may lower (to 1024, which the pages accept).
   */
  fixed: boolean;
  /** The length to request (certreq's KeyLength). */
  requestBits: number;
}

export interface ProviderRequirement extends Reason {
  kind: 'CSP';
  /** The provider certreq asks for (ProviderName). */
  name: string;
  /** Its CryptoAPI provider type (ProviderType): 12, PROV_RSA_SCHANNEL. */
  type: number;
}

export interface ExportRequirement extends Reason {
  /** Whether the private key must be exportable; false: it stays on its server (the default). */
  exportable: boolean;
  necessity: Necessity;
}

export interface IssuerRequirement extends Reason {
  /** public: a publicly trusted CA; enterprise: the organisation's own CA; either: whichever fits. */
  kind: 'public' | 'enterprise' | 'either';
  necessity: Necessity;
}

export interface TrustRequirement extends Reason {
  /** The servers of the deployment whose Trusted Root store must hold the root the certificate chains to. */
  servers: string[];
  /** Who else must trust it, outside the deployment (federation partners, remote clients, partner applications). */
  outside?: string;
}

export interface EkuRequirement extends Reason {
  /** Dotted OIDs that must be in the Extended Key Usage, with their names. */
  required: Array<{ oid: string; name: string }>;
}

/**
 * Who holds one certificate: a server alone (Front End, Director, Mediation: Subject the pool FQDN,
 * SAN the pool and that server), the whole pool (Edge: requested once, exported with its key, imported
 * on every member), or the whole deployment (OAuthTokenIssuer, global).
 */
export interface Sharing extends Reason {
  scope: 'server' | 'pool' | 'global';
  /** The servers that hold the same certificate. */
  holders: string[];
}

/** A staged roll (Set-CsCertificate -Roll -EffectiveDate) must take effect this long before the current certificate expires. */
export interface RollRequirement extends Reason {
  leadHours: number;
}

/** Everything one certificate must be, for the usages it serves on a server. */
export interface CertificateRequirement {
  usages: Usage[];
  role: Role;
  pool: string;
  /** The server it is for; for a pool-shared or global certificate, one server that holds it. */
  server: string;
  sharing: Sharing;
  /** Each must hold (a Default certificate reused for OAuth: the pool FQDN, which is under a SIP domain). */
  subject: SubjectRequirement[];
  names: NameRequirement[];
  eku: EkuRequirement;
  key: KeyRequirement;
  provider: ProviderRequirement;
  exportable: ExportRequirement;
  issuer: IssuerRequirement;
  trust: TrustRequirement;
  roll?: RollRequirement;
  /** What the snapshot lacks to name the Subject or SANs (an Edge pool without accessEdgeFqdn), each with what to add. */
  gaps: Gap[];
}

/**
 * A fact Microsoft's tables need that the snapshot lacks (an Edge pool without `edge.accessEdgeFqdn`):
 * what it leaves unnamed, never guessed, and the snapshot field that would say it.
 */
export interface Gap {
  /** The snapshot field to add: `edge.accessEdgeFqdn` (of the pool), `sipDomains`. */
  field: string;
  /** What it would name: `the Access Edge external FQDN`. */
  what: string;
  /** Set when the certificate's Subject cannot be named without it: how necessary that Subject is. */
  subject?: Necessity;
  /** Whether subject alternative names the certificate needs cannot be named without it. */
  names: boolean;
  /** What is unknown and what to add, in words. */
  message: string;
}

/** One certificate to request: the requirement, who holds it, and a label for file names. */
export interface PlannedCertificate {
  /** `default-web`, `default`, `oauth`, `edge-internal`, `edge-external`. */
  label: string;
  /** A server FQDN, the pool FQDN (Edge) or `global` (OAuthTokenIssuer). */
  holder: string;
  requirement: CertificateRequirement;
}
