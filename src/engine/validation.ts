import { PathValidator } from '../pki/validate.js';
import type { PathValidation } from './context.js';

/**
 * Path validation for a lint run: RFC 5280 (not the Web PKI profile: internal Lync certificates are
 * judged by Windows' chain engine, not a browser), no purpose (server-auth-eku judges EKUs), one
 * validator so signature checks are shared across every server and rule of the run.
 */
export function createChainValidation(): PathValidation {
  const validator = new PathValidator();
  return (leaf, trusted, untrusted, time) => validator.validate(leaf, { trusted, untrusted, time, profile: 'rfc5280' });
}
