import { rootCertificates } from 'node:tls';
import { InputError } from '../errors.js';
import { readCertificateBytes, readCertificateFile } from './read.js';
import type { Certificate } from './x509.js';

/**
 * Which roots count as public (publicly trusted, as federation partners and remote clients trust them):
 * Node's bundled list (Mozilla's CA program, which overlaps Microsoft's), plus certificate files an
 * organisation adds, or only the files given in `replace`. Paths are absolute.
 */
export interface PublicRootsSpec {
  add?: string[];
  replace?: string[];
}

let bundled: Certificate[] | undefined;

/** Node's bundled public roots, parsed on first use (about 150 certificates). */
export function bundledPublicRoots(): Certificate[] {
  bundled ??= readCertificateBytes(Buffer.from(rootCertificates.join('\n')), 'node:tls rootCertificates').certificates;
  return bundled;
}

/** The public roots a spec gives; an unreadable or empty file is an InputError naming it. */
export function loadPublicRoots(spec: PublicRootsSpec | undefined, maxBytes?: number): Certificate[] {
  const read = (paths: string[]) =>
    paths.flatMap((path) => {
      const result = readCertificateFile(path, { ...(maxBytes !== undefined && { maxBytes }) });
      if (result.errors.length > 0) throw result.errors[0]!;
      if (result.certificates.length === 0) throw new InputError('holds no certificate, and publicRoots names it as a root', { path });
      return result.certificates;
    });
  const base = spec?.replace ? read(spec.replace) : bundledPublicRoots();
  return spec?.add ? [...base, ...read(spec.add)] : base;
}
