/**
 * The CRLs a snapshot lists (`crls:`): read from files only, inside the snapshot's confinement, so lint
 * can check revocation of every assigned certificate's path without fetching anything.
 */
import { readCrlFile, type Crl } from '../certs/crl.js';
import { readCertificateFile } from '../certs/read.js';
import type { InputError } from '../errors.js';
import type { Confinement } from '../files.js';
import { listedFiles, type ListedPath } from './certificates.js';

/** The files a listed folder contributes: a certificate file beside them is skipped, with a notice. */
export const CRL_EXTENSIONS = ['.crl', '.pem', '.der'];

export interface ResolvedCrls {
  crls: Crl[];
  /** Every CRL file read, in the order read. */
  files: string[];
  errors: InputError[];
}

export function readCrlSources(
  sources: readonly ListedPath[],
  options: { confinement: Confinement; maxBytes?: number; onNotice?: (notice: { path: string; message: string }) => void },
): ResolvedCrls {
  const result: ResolvedCrls = { crls: [], files: [], errors: [] };
  const seen = new Set<string>();
  for (const source of sources) {
    let listed: ReturnType<typeof listedFiles>;
    try {
      listed = listedFiles(source, CRL_EXTENSIONS, 'CRL', options.confinement);
    } catch (e) {
      result.errors.push(e as InputError);
      continue;
    }
    const { files: paths, inFolder } = listed;
    for (const path of paths) {
      if (seen.has(path)) continue;
      seen.add(path);
      const limit = { ...(options.maxBytes !== undefined && { maxBytes: options.maxBytes }) };
      const read = readCrlFile(path, limit);
      // A CA certificate kept beside its CRL (a .pem) is no error in a folder.
      if (inFolder && read.crls.length === 0 && readCertificateFile(path, limit).certificates.length > 0) {
        options.onNotice?.({ path, message: 'skipped: a certificate, not a CRL (list it under certificates:)' });
        continue;
      }
      result.files.push(path);
      result.errors.push(...read.errors);
      result.crls.push(...read.crls);
    }
  }
  return result;
}
