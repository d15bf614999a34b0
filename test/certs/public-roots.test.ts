import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { bundledPublicRoots, loadPublicRoots } from '../../src/certs/public-roots.js';
import { InputError } from '../../src/errors.js';

const FILES = join(import.meta.dirname, '..', '..', 'fixtures', 'certs', 'files');
const sha1 = (pem: string) => new X509Certificate(pem).fingerprint.replaceAll(':', '');

describe('public roots', () => {
  it("are Node's bundled roots by default, one for one (node:crypto as the oracle)", () => {
    const roots = bundledPublicRoots();
    expect(roots.map((r) => r.facts.thumbprint).sort()).toEqual(rootCertificates.map(sha1).sort());
    expect(loadPublicRoots(undefined)).toBe(roots);
  });

  it('adds the files a configuration names, or replaces the set with them', () => {
    const root = join(FILES, 'root-ca.pem');
    const added = loadPublicRoots({ add: [root] });
    expect(added).toHaveLength(rootCertificates.length + 1);
    expect(added.at(-1)!.facts.subject).toMatch(/Root/);
    const replaced = loadPublicRoots({ replace: [root, join(FILES, 'issuing-ca.pem')] });
    expect(replaced.map((c) => c.facts.subject)).toHaveLength(2);
  });

  it('refuses a file that cannot be read or holds no certificate, naming it', () => {
    expect(() => loadPublicRoots({ add: [join(FILES, 'no-such.pem')] })).toThrow(InputError);
    expect(() => loadPublicRoots({ replace: [join(FILES, 'key-pkcs8.pem')] })).toThrow(/key-pkcs8\.pem|private key/);
  });
});
