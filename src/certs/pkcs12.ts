import type { ContainerFacts } from './facts.js';
import { InputError } from '../errors.js';

export interface Pkcs12Contents {
  /** Every certificate in the file, in file order, as DER. */
  certificates: Array<{ der: Uint8Array; localKeyId?: string; friendlyName?: string }>;
  /** Every private key, decrypted, as PKCS #8 PrivateKeyInfo DER. Never written to any output. */
  privateKeys: Array<{ pkcs8: Uint8Array; localKeyId?: string }>;
  container: ContainerFacts;
}

/** Opens a PKCS #12 file. Throws InputError (without a path; the caller adds it). */
export function readPkcs12(_data: Uint8Array, _password: string | undefined): Pkcs12Contents {
  throw new InputError('PKCS #12 is not supported yet');
}
