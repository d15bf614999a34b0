import type { Rule } from '../../engine/types.js';
import certificateExpiry from '../../rules/certificate-expiry.js';
import keySize from '../../rules/key-size.js';
import noWildcardSubject from '../../rules/no-wildcard-subject.js';
import notYetValid from '../../rules/not-yet-valid.js';
import serverAuthEku from '../../rules/server-auth-eku.js';
import signatureSha2 from '../../rules/signature-sha2.js';
import chainIncomplete from './chain-incomplete.js';
import chainInvalid from './chain-invalid.js';
import clientCertificateRequested from './client-certificate-requested.js';
import nameMismatch from './name-mismatch.js';
import unexpectedCertificate from './unexpected-certificate.js';
import unreachable from './unreachable.js';

/** The rules of what was seen at each endpoint. */
export const PROBE_RULES: Rule[] = [unexpectedCertificate, chainInvalid, chainIncomplete, nameMismatch, clientCertificateRequested, unreachable];

/** The built-in rules that judge a certificate alone, run on each served chain as on an assigned one. */
export const CERTIFICATE_RULES: Rule[] = [keySize, signatureSha2, serverAuthEku, noWildcardSubject, certificateExpiry, notYetValid];
