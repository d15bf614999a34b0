import { PathValidator, type RevocationOptions } from '../pki/validate.js';
import type { PathValidation } from './context.js';

/**
 * Path validation for a lint run: RFC 5280 (not the Web PKI profile: internal Lync certificates are
 * judged by Windows' chain engine, not a browser), no purpose (server-auth-eku judges EKUs), one
 * validator so signature checks are shared across every server and rule of the run. With `revocation`
 * (CRLs a snapshot lists, read with src/certs/crl.ts), a revoked certificate fails its path with the
 * code `revoked`, and the result's `revocation` holds each certificate's status.
 */
export function createChainValidation(options: { revocation?: RevocationOptions } = {}): PathValidation {
  const validator = new PathValidator();
  const revocation = options.revocation;
  return (leaf, trusted, untrusted, time) => validator.validate(leaf, { trusted, untrusted, time, profile: 'rfc5280', ...(revocation && { revocation }) });
}
