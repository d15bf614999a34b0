import type { Crl } from '../certs/crl.js';
import { PathValidator } from '../pki/validate.js';
import type { PathValidation } from './context.js';

/**
 * Path validation for a lint run: RFC 5280 (not the Web PKI profile: internal Lync certificates are
 * judged by Windows' chain engine, not a browser), no purpose (server-auth-eku judges EKUs), one
 * validator so signature checks are shared across every server and rule of the run. With `crls` (those
 * a snapshot lists, read with src/certs/crl.ts), every certificate of a path below its trust anchor is
 * checked against them, as Windows checks the whole chain: a revoked one fails the path with the code
 * `revoked`; one no CRL speaks for is not a failure (nothing is fetched, so absence proves nothing).
 */
export function createChainValidation(crls: readonly Crl[] = []): PathValidation {
  const validator = new PathValidator();
  const revocation = crls.length > 0 ? { crls: [...crls], scope: 'all' as const } : undefined;
  return (leaf, trusted, untrusted, time) => validator.validate(leaf, { trusted, untrusted, time, profile: 'rfc5280', ...(revocation && { revocation }) });
}
