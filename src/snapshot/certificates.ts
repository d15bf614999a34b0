import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { readCertificateFile } from '../certs/read.js';
import type { Certificate } from '../certs/x509.js';
import { InputError, printable, type InputLocation } from '../errors.js';
import type { CertificateSourceDocument } from './document.js';
import type { CertificateIndex } from './model.js';
import { pushTo } from '../collections.js';

/** The files a listed folder contributes: certificate files by extension, so a README or .gitkeep beside them is no error. */
export const CERTIFICATE_EXTENSIONS = ['.cer', '.crt', '.der', '.pem', '.p7b', '.p7c', '.pfx', '.p12'];

/** A `certificates:` entry of the snapshot, its path resolved against the snapshot's folder. */
export type ListedCertificates = CertificateSourceDocument & { location: InputLocation };

export interface ResolvedCertificates {
  index: CertificateIndex;
  /** Every file read, in the order read. */
  files: string[];
  errors: InputError[];
}

/**
 * Reads every listed file, and every certificate file directly inside a listed folder (not its
 * subfolders), with the password each entry names. Errors are collected, not thrown.
 */
export function readCertificateSources(sources: readonly ListedCertificates[], env: NodeJS.ProcessEnv, maxBytes?: number): ResolvedCertificates {
  const index = new FileCertificateIndex();
  const files: string[] = [];
  const errors: InputError[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    let password: string | undefined;
    if (source.passwordEnv !== undefined) {
      password = env[source.passwordEnv];
      if (password === undefined) {
        errors.push(new InputError(`passwordEnv: the environment variable ${source.passwordEnv} is not set`, source.location, `Set ${source.passwordEnv} to the password of the .pfx files at ${shownPath(source.path)}.`));
        continue;
      }
    }
    let paths: string[];
    try {
      paths = filesOf(source);
    } catch (e) {
      errors.push(e as InputError);
      continue;
    }
    for (const path of paths) {
      if (seen.has(path)) continue;
      seen.add(path);
      files.push(path);
      const result = readCertificateFile(path, { password, maxBytes });
      errors.push(...result.errors);
      index.addFile(result.certificates);
    }
  }
  return { index, files, errors };
}

function filesOf(source: ListedCertificates): string[] {
  let isFolder: boolean;
  try {
    isFolder = statSync(source.path).isDirectory();
  } catch {
    throw new InputError(`certificate file or folder not found: ${shownPath(source.path)}`, source.location, 'Paths under certificates: are relative to the snapshot file.');
  }
  if (!isFolder) return [source.path];
  const names = readdirSync(source.path, { withFileTypes: true })
    .filter((e) => e.isFile() && CERTIFICATE_EXTENSIONS.includes(extname(e.name).toLowerCase()))
    .map((e) => e.name)
    .sort();
  if (names.length === 0) {
    throw new InputError(`the folder ${shownPath(source.path)} holds no certificate files (${CERTIFICATE_EXTENSIONS.join(', ')})`, source.location);
  }
  return names.map((name) => join(source.path, name));
}

/** A path the snapshot names, as a message quotes it: it is the file's text, and may hold anything. */
const shownPath = (path: string) => printable(path, 300);

/** Certificates by thumbprint; the first file read that holds one provides it. */
class FileCertificateIndex implements CertificateIndex {
  private readonly byThumbprint = new Map<string, Certificate>();
  /** Each thumbprint's files, as the certificates each file holds. */
  private readonly filesOf = new Map<string, Certificate[][]>();

  addFile(certificates: Certificate[]): void {
    for (const cert of certificates) {
      const thumbprint = cert.facts.thumbprint;
      if (!this.byThumbprint.has(thumbprint)) this.byThumbprint.set(thumbprint, cert);
      pushTo(this.filesOf, thumbprint, certificates);
    }
  }

  get(thumbprint: string): Certificate | undefined {
    // The model's thumbprints are upper-case already: rules look up hundreds of thousands, each would copy.
    return this.byThumbprint.get(thumbprint) ?? this.byThumbprint.get(thumbprint.toUpperCase());
  }

  companions(thumbprint: string): Certificate[] {
    const key = thumbprint.toUpperCase();
    const found = new Map<string, Certificate>();
    for (const file of this.filesOf.get(key) ?? []) {
      for (const cert of file) {
        if (cert.facts.thumbprint !== key && !found.has(cert.facts.thumbprint)) found.set(cert.facts.thumbprint, this.byThumbprint.get(cert.facts.thumbprint)!);
      }
    }
    return [...found.values()];
  }

  all(): Certificate[] {
    return [...this.byThumbprint.values()];
  }
}
