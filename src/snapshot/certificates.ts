import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { readCertificateFile } from '../certs/read.js';
import type { Certificate } from '../certs/x509.js';
import { InputError, printable, type InputLocation } from '../errors.js';
import { Confinement } from '../files.js';
import type { CertificateSourceDocument } from './document.js';
import type { CertificateIndex } from './model.js';
import { pushTo } from '../collections.js';

/** The files a listed folder contributes: certificate files by extension, so a README or .gitkeep beside them is no error. */
export const CERTIFICATE_EXTENSIONS = ['.cer', '.crt', '.der', '.pem', '.p7b', '.p7c', '.pfx', '.p12'];

/** A `certificates:` entry of the snapshot, its path resolved against the snapshot's folder. */
export type ListedCertificates = CertificateSourceDocument & {
  location: InputLocation;
  /** The path as the snapshot writes it, for messages. */
  written: string;
};

export interface ResolvedCertificates {
  index: CertificateIndex;
  /** Every file read, in the order read. */
  files: string[];
  errors: InputError[];
}

export interface CertificateSourceOptions {
  /** Where `passwordEnv` variables are read. */
  env: NodeJS.ProcessEnv;
  maxBytes?: number;
  /** The root the listed paths must stay inside (default: none, every path is read). */
  confinement?: Confinement;
  /** Whether a snapshot may name this variable in `passwordEnv` (default: isPfxPasswordVariable). */
  passwordEnvAllowed?: (name: string) => boolean;
  /** Told of each file skipped in a listed folder, and why. */
  onNotice?: (notice: { path: string; message: string }) => void;
}

/**
 * The variables a snapshot may name in `passwordEnv` unless a trusted configuration allows more:
 * `PFX_PASSWORD` and names ending in `_PFX_PASSWORD` (CONTOSO_PFX_PASSWORD). A snapshot naming any
 * variable would make the linter an oracle for the runner's other secrets (a token tried as a password).
 */
export function isPfxPasswordVariable(name: string): boolean {
  const upper = name.toUpperCase();
  return upper === 'PFX_PASSWORD' || upper.endsWith('_PFX_PASSWORD');
}

/**
 * Reads every listed file, and every certificate file directly inside a listed folder (not its
 * subfolders), with the password each entry names. Errors are collected, not thrown.
 */
export function readCertificateSources(sources: readonly ListedCertificates[], options: CertificateSourceOptions): ResolvedCertificates {
  const { env, maxBytes, confinement = Confinement.none(), passwordEnvAllowed = isPfxPasswordVariable } = options;
  const index = new FileCertificateIndex();
  const files: string[] = [];
  const errors: InputError[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    let password: string | undefined;
    let passwordFrom: string | undefined;
    if (source.passwordEnv !== undefined) {
      // The name is checked before the variable is looked at: whether another variable is set is no one's business.
      if (!passwordEnvAllowed(source.passwordEnv)) {
        errors.push(
          new InputError(
            `passwordEnv: ${source.passwordEnv} is not read: a snapshot may name only PFX_PASSWORD or a variable ending in _PFX_PASSWORD`,
            source.location,
            `Rename the variable (e.g. ${source.passwordEnv.toUpperCase()}_PFX_PASSWORD), or list it under allowPasswordEnv in a trusted configuration (docs/security.md).`,
          ),
        );
        continue;
      }
      password = env[source.passwordEnv];
      passwordFrom = `the password in ${source.passwordEnv}`;
      if (password === undefined) {
        errors.push(new InputError(`passwordEnv: the environment variable ${source.passwordEnv} is not set`, source.location, `Set ${source.passwordEnv} to the password of the .pfx files at ${shownPath(source.path)}.`));
        continue;
      }
    }
    let listed: ReturnType<typeof listedFiles>;
    try {
      listed = listedFiles(source, CERTIFICATE_EXTENSIONS, 'certificate', confinement);
    } catch (e) {
      errors.push(e as InputError);
      continue;
    }
    const { files: paths, inFolder } = listed;
    for (const path of paths) {
      if (seen.has(path)) continue;
      seen.add(path);
      const result = readCertificateFile(path, { password, maxBytes });
      const stray = inFolder && result.certificates.length === 0 ? strayKind(result.errors) : undefined;
      if (stray) {
        options.onNotice?.({ path, message: `skipped: ${stray}, not a certificate` });
        continue;
      }
      files.push(path);
      errors.push(...result.errors.map((e) => withPasswordSource(e, passwordFrom, GIVE_PASSWORD)));
      index.addFile(result.certificates);
    }
  }
  return { index, files, errors };
}

/** A listed file or folder: its path resolved, as the snapshot writes it, and where. */
export interface ListedPath {
  path: string;
  written: string;
  location: InputLocation;
}

/**
 * The files a listed path names, inside the confinement: the file itself, or the files directly in the
 * folder (not subfolders) whose extension is one of `extensions`, sorted. `what` names them in errors
 * (`certificate`, `CRL`).
 */
export function listedFiles(source: ListedPath, extensions: readonly string[], what: string, confinement: Confinement): { files: string[]; inFolder: boolean } {
  confinement.check(source.path, source.written, source.location);
  let isFolder: boolean;
  try {
    isFolder = statSync(source.path).isDirectory();
  } catch {
    throw new InputError(`${what} file or folder not found: ${shownPath(source.path)}`, source.location, 'Paths in a snapshot are relative to the snapshot file.');
  }
  if (!isFolder) return { files: [source.path], inFolder: false };
  const entries = readdirSync(source.path, { withFileTypes: true })
    // A link is followed, if it stays inside the root; a FIFO, device or socket is no such file.
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && extensions.includes(extname(e.name).toLowerCase()))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (entries.length === 0) {
    throw new InputError(`the folder ${shownPath(source.path)} holds no ${what} files (${extensions.join(', ')})`, source.location);
  }
  // The folder is inside the root, so its files are: only a link can lead out.
  for (const e of entries.filter((e) => e.isSymbolicLink())) confinement.check(join(source.path, e.name), `${source.written.replace(/[\\/]*$/, '')}/${e.name}`, source.location);
  return { files: entries.map((e) => join(source.path, e.name)), inFolder: true };
}

/**
 * What a file that holds no certificate is, when it is something an admin keeps beside certificates (a
 * private key, a certificate request, a revocation list): such a file in a listed folder is skipped. A
 * damaged or unknown file is still an error.
 */
function strayKind(errors: readonly InputError[]): string | undefined {
  if (errors.length !== 1) return undefined;
  const m = /^(?:no certificate in the file: it holds|not a certificate: this is|the PKCS #7 file holds no certificate, only) (.*)$/.exec(errors[0]!.message);
  const what = m?.[1];
  return what && /private key|public key|signing request|revocation list/.test(what) && !/ and /.test(what) ? what.replace(/,? no certificate$/, '') : undefined;
}

/**
 * A PFX password failure says whose password it was (`the password in EDGE_PFX_PASSWORD does not open
 * edge.pfx (MAC check failed: ...)`), so the admin knows which variable or file to correct; and a file
 * opened without one says how a snapshot gives it. `passwordFrom` is `the password in X`, or undefined
 * when no password was given; `howToGive` what to do then.
 */
export function withPasswordSource(error: InputError, passwordFrom: string | undefined, howToGive?: string): InputError {
  if (passwordFrom === undefined) {
    if (howToGive === undefined || !error.message.startsWith('the file is password-protected')) return error;
    return new InputError(`the file is password-protected: ${howToGive}`, error.where, error.hint);
  }
  const m = /^((?:MAC check|decryption) failed: wrong password or damaged file)$/.exec(error.message);
  if (!m) return error;
  const name = error.where.path === undefined ? 'the file' : basename(error.where.path);
  return new InputError(`${passwordFrom} does not open ${name} (${m[1]})`, error.where, error.hint);
}

const GIVE_PASSWORD = 'name the environment variable that holds its password with passwordEnv, beside its path under certificates: (e.g. passwordEnv: CONTOSO_PFX_PASSWORD)';

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
