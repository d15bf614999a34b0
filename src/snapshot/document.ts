/**
 * The native snapshot as written in YAML or JSON (schema/snapshot.schema.json, docs/snapshot.md): what
 * `import` writes and the loader reads before it becomes the model. Kept in step with the schema by hand;
 * the loader only sees documents the schema accepted.
 */
import type { KeyProvider, OperatingSystem, Pool, Role, Usage } from './model.js';

export const SNAPSHOT_VERSION = 1;

export interface SnapshotDocument {
  $schema?: string;
  version: typeof SNAPSHOT_VERSION;
  name?: string;
  sipDomains: Array<{ name: string; default?: boolean }>;
  simpleUrls?: { meet?: Array<{ domain?: string; url: string }>; dialin?: string[]; admin?: string[] };
  sites?: Array<{ id: string | number; name: string }>;
  dnsNames?: string[];
  certificates?: CertificateSourceDocument[];
  crls?: Array<{ path: string }>;
  pools: PoolDocument[];
}

export interface CertificateSourceDocument {
  path: string;
  passwordEnv?: string;
}

export interface PoolDocument {
  fqdn: string;
  role: Role;
  site?: string | number;
  webServices?: Pool['webServices'];
  edge?: Pool['edge'];
  servers: ServerDocument[];
}

export interface ServerDocument {
  fqdn: string;
  os?: OperatingSystem;
  /** Absent: not collected. */
  assignments?: AssignmentDocument[];
  /** A store absent: not collected. */
  stores?: { personal?: PersonalEntryDocument[]; root?: CaEntryDocument[]; intermediate?: CaEntryDocument[] };
}

export interface AssignmentDocument {
  usage: Usage;
  thumbprint: string;
  previousThumbprint?: string;
  effectiveDate?: string;
}

export interface CaEntryDocument {
  thumbprint: string;
  friendlyName?: string;
}

export interface PersonalEntryDocument extends CaEntryDocument {
  hasPrivateKey?: boolean;
  exportable?: boolean;
  keyProvider?: KeyProvider;
  providerName?: string;
}
