import type { Crl } from '../certs/crl.js';
/**
 * The deployment model: what `lint` knows of a Lync Server 2013 / Skype for Business Server
 * deployment. Built by the snapshot loader (src/snapshot/load.ts) from a native snapshot, which
 * `import` writes from Microsoft's own exports. Rules read it; nothing here parses files.
 */
import type { Certificate } from '../certs/x509.js';

/** Server roles as the linter distinguishes them (Topology Builder's names). */
export const ROLES = ['FrontEnd', 'StandardEdition', 'Director', 'Mediation', 'Edge', 'PersistentChat'] as const;
export type Role = (typeof ROLES)[number];

/** Certificate usages as Get-CsCertificate names them (its `Use` column, Set-CsCertificate's -Type). */
export const USAGES = [
  'Default',
  'WebServicesInternal',
  'WebServicesExternal',
  'OAuthTokenIssuer',
  'Internal',
  'External',
  'AccessEdgeExternal',
  'DataEdgeExternal',
  'AudioVideoAuthentication',
  'XmppServer',
  'WsFedTokenTransfer',
] as const;
export type Usage = (typeof USAGES)[number];

/** Where something was declared: the snapshot file and line, or an XML element path. */
export interface SourceLocation {
  path: string;
  line?: number;
  column?: number;
  element?: string;
}

export interface SipDomain {
  name: string;
  isDefault: boolean;
}

export interface SimpleUrls {
  /** Meeting URLs, one or more per SIP domain, e.g. `https://meet.contoso.com`. */
  meet: Array<{ domain?: string; url: string }>;
  dialin: string[];
  admin: string[];
}

export interface Site {
  id: string;
  name: string;
}

export interface Deployment {
  /** The snapshot file this was loaded from. */
  path: string;
  version: number;
  name?: string;
  sipDomains: SipDomain[];
  simpleUrls: SimpleUrls;
  sites: Site[];
  /** DNS names the deployment publishes (e.g. `sipinternal.contoso.com`), lower-case; empty when the snapshot lists none. */
  dnsNames: string[];
  pools: Pool[];
  certificates: CertificateIndex;
  /** Certificate files and folders the snapshot lists, resolved to absolute paths. */
  certificateFiles: string[];
  /** The CRLs of the files the snapshot lists under `crls:` (absent or empty: revocation is not checked). */
  crls?: Crl[];
  /** Those CRL files, resolved to absolute paths. */
  crlFiles?: string[];
}

export interface Pool {
  fqdn: string;
  role: Role;
  site?: string;
  webServices?: { internalFqdn?: string; externalFqdn?: string };
  /** Edge pools only. */
  edge?: {
    internalFqdn?: string;
    accessEdgeFqdn?: string;
    webConferencingEdgeFqdn?: string;
    avEdgeFqdn?: string;
    /** XMPP federation is enabled on the pool (it then needs an XmppServer certificate); undefined: not known. */
    xmppFederation?: boolean;
    /** Federation is enabled: partners connect to the Access Edge on 5061. */
    federation?: boolean;
  };
  servers: Server[];
  location: SourceLocation;
}

export interface Server {
  fqdn: string;
  /** The FQDN of the pool the server belongs to. */
  pool: string;
  /** The server's Windows version; undefined when not known. */
  os?: OperatingSystem;
  assignments: Assignment[];
  /**
   * False when the snapshot does not say what is assigned on this server (not collected): `assignments`
   * is then empty and rules report missing data, not a missing certificate. The loader always sets it;
   * absent (a model built by hand) means collected.
   */
  assignmentsCollected?: boolean;
  /** A store is `null` when it was not collected: rules then report missing data, not a fault. */
  stores: {
    personal: StoreEntry[] | null;
    root: StoreEntry[] | null;
    intermediate: StoreEntry[] | null;
  };
  location: SourceLocation;
}

/** One row of Get-CsCertificate: a certificate assigned to a usage on a server. */
export interface Assignment {
  usage: Usage;
  /** SHA-1 thumbprint, upper-case hex, no separators. */
  thumbprint: string;
  /** A staged roll (OAuthTokenIssuer, AudioVideoAuthentication): the certificate in use until `effectiveDate`. */
  previousThumbprint?: string;
  /** ISO 8601. */
  effectiveDate?: string;
  location: SourceLocation;
}

/** A server's Windows version, as Win32_OperatingSystem reports it. */
export interface OperatingSystem {
  /** e.g. `Microsoft Windows Server 2016 Datacenter`. */
  caption?: string;
  /** major.minor.build, e.g. `10.0.14393` (Windows Server 2016). */
  version?: string;
}

export type KeyProvider = 'CSP' | 'CNG';

/** A certificate in one of a server's LocalMachine stores. */
export interface StoreEntry {
  thumbprint: string;
  /** The certificate's friendly name in this store (Windows' FriendlyName); undefined when it has none. */
  friendlyName?: string;
  /** Personal store only: whether the server holds the private key, whether it can be exported, and where. */
  hasPrivateKey?: boolean;
  exportable?: boolean;
  keyProvider?: KeyProvider;
  /** e.g. `Microsoft RSA SChannel Cryptographic Provider`, `Microsoft Software Key Storage Provider`. */
  providerName?: string;
  location: SourceLocation;
}

/** The certificates the snapshot's files hold, found by thumbprint. */
export interface CertificateIndex {
  get(thumbprint: string): Certificate | undefined;
  /** Every certificate read from the same file as this one (a PFX's chain, a .p7b's), itself excluded. */
  companions(thumbprint: string): Certificate[];
  all(): Certificate[];
}
