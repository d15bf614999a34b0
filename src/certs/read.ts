import type { Certificate } from './x509.js';
import { InputError } from '../errors.js';

export interface ReadOptions {
  /** Password for PKCS #12 files; undefined tries the empty password. */
  password?: string;
  /** Largest file accepted, in bytes. */
  maxBytes?: number;
}

/** What one file yielded: its certificates, and an error for each part that could not be read. */
export interface CertificateFileResult {
  path: string;
  certificates: Certificate[];
  errors: InputError[];
}

/** Reads every certificate in a file, detecting PEM, DER, PKCS #7 and PKCS #12 from its content. */
export function readCertificateFile(path: string, _options: ReadOptions = {}): CertificateFileResult {
  return { path, certificates: [], errors: [new InputError('not implemented yet', { path })] };
}
