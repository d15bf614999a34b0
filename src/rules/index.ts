import type { Rule } from '../engine/types.js';
import certificateExpiry from './certificate-expiry.js';
import certificateWellFormed from './certificate-well-formed.js';
import cngKeyProvider from './cng-key-provider.js';
import crlDistributionPoint from './crl-distribution-point.js';
import edgePoolSameCertificate from './edge-pool-same-certificate.js';
import externalCertificatePublicCa from './external-certificate-public-ca.js';
import friendlyNameUnique from './friendly-name-unique.js';
import inventoryPresent from './inventory-present.js';
import keySize from './key-size.js';
import noWildcardSubject from './no-wildcard-subject.js';
import notYetValid from './not-yet-valid.js';
import oauthCertificatePresent from './oauth-certificate-present.js';
import oauthSameCertificate from './oauth-same-certificate.js';
import pfxImportCompatible from './pfx-import-compatible.js';
import privateKeyExportable from './private-key-exportable.js';
import requiredUsagesAssigned from './required-usages-assigned.js';
import sanCoverage from './san-coverage.js';
import serverAuthEku from './server-auth-eku.js';
import signatureSha2 from './signature-sha2.js';
import sipDomainInSubject from './sip-domain-in-subject.js';
import trustedRootPresent from './trusted-root-present.js';
import trustedRootStoreHygiene from './trusted-root-store-hygiene.js';

/** The built-in rules: the six of the mission first, then their companions. */
export const BUILT_IN_RULES: Rule[] = [
  keySize,
  signatureSha2,
  sipDomainInSubject,
  oauthSameCertificate,
  trustedRootPresent,
  privateKeyExportable,
  edgePoolSameCertificate,
  certificateExpiry,
  notYetValid,
  serverAuthEku,
  crlDistributionPoint,
  certificateWellFormed,
  sanCoverage,
  externalCertificatePublicCa,
  noWildcardSubject,
  cngKeyProvider,
  trustedRootStoreHygiene,
  requiredUsagesAssigned,
  oauthCertificatePresent,
  pfxImportCompatible,
  friendlyNameUnique,
  inventoryPresent,
];
