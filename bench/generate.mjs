#!/usr/bin/env node
// Synthetic inputs for the benchmarks (docs/performance.md), cached under bench/out/ by size and
// GENERATOR_VERSION, so only the first run pays for the signatures:
//
//   node bench/generate.mjs deployment 1000   a snapshot folder of 1,000 servers; prints its path
//   node bench/generate.mjs bundle 20000      one PEM file of 20,000 distinct certificates; prints its path
//
// Certificates are assembled with the chain fixtures' DER builder and really signed, so path
// validation verifies real signatures. Leaf keys come from a small pool: distinct certificates need
// distinct serials and subjects, not distinct keys, and RSA key generation would dominate the run.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { certificate, ctx, ext, gn, int, keyIdOf, name, newKey, OID, pem, seq, spkiOf, tlv, value } from '../fixtures/chains/der.mjs';

/** Raise it whenever the output changes, so stale caches are not measured. */
export const GENERATOR_VERSION = 2;
export const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');
/** The evaluation time deployments are made for: lint them with --now NOW. */
export const NOW = '2026-01-01T00:00:00Z';

const NOT_BEFORE = new Date('2025-01-01T00:00:00Z');
const NOT_AFTER = new Date('2027-12-31T23:59:59Z');
const CA_NOT_AFTER = new Date('2040-12-31T23:59:59Z');
const OID_CRL_DP = '2.5.29.31';
const OID_OCSP = '1.3.6.1.5.5.7.48.1';
const SIP_DOMAINS = ['contoso.com', 'fabrikam.com'];
const SIMPLE_URLS = { meet: ['meet.contoso.com', 'meet.fabrikam.com'], dialin: 'dialin.contoso.com', admin: 'admin.contoso.com' };
const CSP = 'Microsoft RSA SChannel Cryptographic Provider';
const CNG = 'Microsoft Software Key Storage Provider';

/** A seeded PRNG (mulberry32), so a size always yields the same layout and faults. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A key with its encodings computed once: certificate() would otherwise export the SPKI per certificate. */
function poolKey(kind) {
  const key = newKey(kind);
  return { ...key, spki: spkiOf(key), keyId: keyIdOf(key) };
}

/** Writes a cache entry under a temporary name and renames it into place, so an interrupted run leaves no half entry. */
function cached(path, make) {
  if (existsSync(path)) return path;
  mkdirSync(OUT, { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  rmSync(temp, { recursive: true, force: true });
  make(temp);
  renameSync(temp, path);
  return path;
}

const thumbprintOf = (der) => createHash('sha1').update(der).digest('hex').toUpperCase();

/** Issues certificates with distinct serials: `serial` runs across every issuer of one generation. */
class Pki {
  serial = 0x10_0000;

  /** A CA: self-signed when `parent` is absent. */
  ca(subject, key, parent) {
    const signer = parent ?? { subject, key, keyId: key.keyId };
    const der = certificate({
      serial: int(this.serial++),
      issuer: name(...signer.subject.attrs),
      subject: name(...subject.attrs),
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: CA_NOT_AFTER,
      spki: key.spki,
      signer: signer.key,
      extensions: [
        ext(OID.basicConstraints, true, value.basicConstraints(true, parent ? 0 : null)),
        ext(OID.keyUsage, true, value.keyUsage(['digitalSignature', 'keyCertSign', 'cRLSign'])),
        ext(OID.subjectKeyIdentifier, false, tlv(0x04, key.keyId)),
        ...(parent ? [ext(OID.authorityKeyIdentifier, false, value.authorityKeyId({ keyId: parent.keyId })), ...distribution(parent)] : []),
      ],
    });
    const slug = (text) => text.toLowerCase().replace(/\W+/g, '-');
    return { subject, key, keyId: key.keyId, der, thumbprint: thumbprintOf(der), url: `http://pki.${slug(subject.o)}.com/${slug(subject.cn)}` };
  }

  /** A TLS server certificate; the options introduce the faults the rules look for. */
  server(issuer, { cn, sans, key, notAfter = NOT_AFTER, sigAlg, eku = [OID.serverAuth, OID.clientAuth], crl = true, o = 'Contoso' }) {
    const der = certificate({
      serial: int(this.serial++),
      issuer: name(...issuer.subject.attrs),
      subject: name(['C', 'US'], ['O', o], ['CN', cn]),
      notBefore: NOT_BEFORE,
      notAfter,
      spki: key.spki,
      signer: issuer.key,
      sigAlg,
      extensions: [
        ext(OID.basicConstraints, true, value.basicConstraints(false)),
        ext(OID.keyUsage, true, value.keyUsage(['digitalSignature', 'keyEncipherment'])),
        ext(OID.extendedKeyUsage, false, value.eku(...eku)),
        ext(OID.subjectAltName, false, value.generalNames(...sans.map(gn.dns))),
        ext(OID.subjectKeyIdentifier, false, tlv(0x04, key.keyId)),
        ext(OID.authorityKeyIdentifier, false, value.authorityKeyId({ keyId: issuer.keyId })),
        ...distribution(issuer, crl),
      ],
    });
    return { der, thumbprint: thumbprintOf(der) };
  }
}

/** The CRL distribution point (unless `crl` is false) and AIA (OCSP and CA issuers) of certificates `issuer` signs. */
function distribution(issuer, crl = true) {
  const aia = ext(OID.authorityInfoAccess, false, value.authorityInfoAccess([OID_OCSP, gn.uri(`${issuer.url}/ocsp`)], [OID.caIssuers, gn.uri(`${issuer.url}.crt`)]));
  // CRLDistributionPoints: one DistributionPoint whose name is a fullName of one URI.
  return crl ? [ext(OID_CRL_DP, false, seq(seq(ctx(0, true, ctx(0, true, gn.uri(`${issuer.url}.crl`)))))), aia] : [aia];
}

const subject = (...attrs) => {
  const attr = (type) => attrs.find(([t]) => t === type)?.[1];
  return { attrs, cn: attr('CN'), o: attr('O') };
};

// ---------------------------------------------------------------- deployments

/**
 * Sites of two Front End pools (4 to 12 servers each), one Director pool (2 to 4), one Edge pool (2
 * to 4) and one Mediation pool (2 to 6), until there are `n` servers; the last site is cut short.
 */
function layout(n, rng) {
  const between = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));
  const sites = [];
  let total = 0;
  for (let s = 1; total < n; s++) {
    const pools = [
      { role: 'FrontEnd', size: between(4, 12), fqdn: `pool${s}a.contoso.com`, prefix: `fe${s}a-` },
      { role: 'FrontEnd', size: between(4, 12), fqdn: `pool${s}b.contoso.com`, prefix: `fe${s}b-` },
      { role: 'Director', size: between(2, 4), fqdn: `dirpool${s}.contoso.com`, prefix: `dir${s}-` },
      { role: 'Edge', size: between(2, 4), fqdn: `edgepool${s}.contoso.com`, prefix: `edge${s}-` },
      { role: 'Mediation', size: between(2, 6), fqdn: `medpool${s}.contoso.com`, prefix: `med${s}-` },
    ];
    const site = { id: s, name: `Site ${s}`, pools: [] };
    for (const pool of pools) {
      const size = Math.min(pool.size, n - total);
      if (size === 0) break;
      site.pools.push({ ...pool, size, site: s });
      total += size;
    }
    sites.push(site);
  }
  return sites;
}

/**
 * Which servers carry a fault, by their position in the deployment: roughly one server in 250 per
 * kind, so every size has some and the rules' findings grow with the deployment.
 */
const FAULTS = {
  expired: (i) => i % 211 === 3,
  expiring: (i) => i % 199 === 5,
  sha1: (i) => i % 251 === 7,
  rsa1024: (i) => i % 241 === 11,
  noCrl: (i) => i % 223 === 13,
  sanMissingServer: (i) => i % 227 === 17,
  noIntermediate: (i) => i % 229 === 19,
  cng: (i) => i % 233 === 23,
  otherOAuth: (i) => i % 239 === 29,
  notCollected: (i) => i % 257 === 31,
  caInRoot: (i) => i % 263 === 37,
  wildcard: (i) => i % 269 === 41,
  clientAuthOnly: (i) => i % 271 === 43,
  /** Edge pools, by pool number: one server holds another Internal certificate, or a non-exportable key. */
  edgeDiffers: (p) => p % 7 === 2,
  edgeNotExportable: (p) => p % 11 === 3,
};

/** The snapshot folder of a synthetic deployment of `n` servers (snapshot.yaml and certs/<THUMBPRINT>.cer, as `import` writes). */
export function deployment(n) {
  return cached(join(OUT, `deployment-v${GENERATOR_VERSION}-${n}`), (dir) => writeDeployment(dir, n));
}

function writeDeployment(dir, n) {
  const rng = random(n);
  const pki = new Pki();
  const certs = new Map();
  const keep = (cert) => (certs.set(cert.thumbprint, cert.der), cert.thumbprint);

  const internalRoot = pki.ca(subject(['O', 'Contoso'], ['CN', 'Contoso Root CA']), poolKey('rsa2048'));
  const issuing = pki.ca(subject(['O', 'Contoso'], ['CN', 'Contoso Issuing CA 01']), poolKey('rsa2048'), internalRoot);
  const publicRoot = pki.ca(subject(['C', 'US'], ['O', 'Northwind Trust'], ['CN', 'Northwind Trust Root CA']), poolKey('rsa2048'));
  const publicCa = pki.ca(subject(['C', 'US'], ['O', 'Northwind Trust'], ['CN', 'Northwind Trust TLS ECC CA 2025']), poolKey('P-256'), publicRoot);
  // Other roots a Windows Trusted Root store holds, which every path search must pass over.
  const otherRoots = ['Baltimore', 'DigiCert Global', 'ISRG', 'Microsoft'].map((org) => pki.ca(subject(['O', org], ['CN', `${org} Root`]), poolKey('P-256')));
  for (const ca of [internalRoot, issuing, publicRoot, publicCa, ...otherRoots]) keep(ca);

  // RSA, as the servers of a real deployment have (Lync Server 2013 cannot use the CNG keys EC needs).
  const keys = Array.from({ length: 16 }, () => poolKey('rsa2048'));
  const weakKey = poolKey('rsa1024');
  const sans = (...names) => [...new Set(names)];
  const web = [...SIMPLE_URLS.meet, SIMPLE_URLS.dialin, SIMPLE_URLS.admin, ...SIP_DOMAINS.flatMap((d) => [`sip.${d}`, `lyncdiscover.${d}`, `lyncdiscoverinternal.${d}`])];
  const oauth = keep(pki.server(issuing, { cn: 'contoso.com', sans: ['contoso.com'], key: keys[0] }));
  const oldOAuth = keep(pki.server(issuing, { cn: 'contoso.com', sans: ['contoso.com'], key: keys[1] }));

  const lines = [
    '# yaml-language-server: $schema=../../../schema/snapshot.schema.json',
    `# A synthetic deployment of ${n} servers for the benchmarks (bench/generate.mjs, version ${GENERATOR_VERSION}).`,
    'version: 1',
    `name: Synthetic ${n}`,
    'sipDomains:',
    ...SIP_DOMAINS.flatMap((d, i) => [`  - name: ${d}`, ...(i === 0 ? ['    default: true'] : [])]),
    'simpleUrls:',
    '  meet:',
    ...SIMPLE_URLS.meet.map((host) => `    - domain: ${host.slice(5)}\n      url: https://${host}`),
    `  dialin: [https://${SIMPLE_URLS.dialin}]`,
    `  admin: [https://${SIMPLE_URLS.admin}]`,
  ];
  const sites = layout(n, rng);
  lines.push('sites:', ...sites.map((s) => `  - id: ${s.id}\n    name: ${s.name}`));
  lines.push('certificates:', '  - path: certs/', 'pools:');

  let index = 0;
  let edgePools = 0;
  for (const site of sites) {
    for (const pool of site.pools) {
      const s = site.id;
      lines.push(`  - fqdn: ${pool.fqdn}`, `    role: ${pool.role}`, `    site: ${s}`);
      const external = `webext-${pool.fqdn.split('.')[0]}.contoso.com`;
      if (pool.role === 'FrontEnd' || pool.role === 'Director') {
        lines.push('    webServices:', `      internalFqdn: ${pool.fqdn}`, `      externalFqdn: ${external}`);
      }
      // An Edge pool's three certificates are shared by its servers, exported with their keys.
      let edge;
      if (pool.role === 'Edge') {
        const p = ++edgePools;
        const names = { internal: `edgepool${s}-int.contoso.com`, access: `sip${s}.contoso.com`, webconf: `webconf${s}.contoso.com`, av: `av${s}.contoso.com` };
        lines.push('    edge:', `      internalFqdn: ${names.internal}`, `      accessEdgeFqdn: ${names.access}`, `      webConferencingEdgeFqdn: ${names.webconf}`, `      avEdgeFqdn: ${names.av}`);
        const internal = () => keep(pki.server(issuing, { cn: names.internal, sans: [names.internal], key: keys[p % keys.length] }));
        edge = {
          p,
          internal: internal(),
          // FAULT (edge-pool-same-certificate): the first server of some pools holds another Internal certificate.
          differing: FAULTS.edgeDiffers(p) ? internal() : undefined,
          external: keep(pki.server(publicCa, { cn: names.access, sans: [names.access, names.webconf, ...SIP_DOMAINS.map((d) => `sip.${d}`)], key: keys[(p + 1) % keys.length] })),
          av: keep(pki.server(publicCa, { cn: names.av, sans: [names.av], key: keys[(p + 2) % keys.length] })),
        };
      }
      lines.push('    servers:');
      for (let k = 1; k <= pool.size; k++, index++) {
        const fqdn = `${pool.prefix}${String(k).padStart(2, '0')}.contoso.com`;
        lines.push(`      - fqdn: ${fqdn}`);
        // FAULT (inventory-present): a server whose inventory was not collected.
        if (FAULTS.notCollected(index)) continue;
        const assigned = [];
        const personal = [];
        const hold = (thumbprint, exportable, provider = 'CSP') => personal.push({ thumbprint, exportable, provider });
        if (edge) {
          const internal = k === 1 && edge.differing ? edge.differing : edge.internal;
          assigned.push(['Internal', internal], ['AccessEdgeExternal', edge.external], ['DataEdgeExternal', edge.external], ['AudioVideoAuthentication', edge.av]);
          // FAULT (private-key-exportable): the last server of some pools holds the A/V key as not exportable.
          const exportable = !(FAULTS.edgeNotExportable(edge.p) && k === pool.size);
          hold(internal, true);
          hold(edge.external, true);
          hold(edge.av, exportable);
        } else {
          const cert = keep(serverCertificate(pki, issuing, pool, fqdn, external, web, index, FAULTS.rsa1024(index) ? weakKey : keys[index % keys.length]));
          const usages = pool.role === 'Mediation' ? ['Default'] : ['Default', 'WebServicesInternal', 'WebServicesExternal'];
          for (const usage of usages) assigned.push([usage, cert]);
          hold(cert, false, FAULTS.cng(index) ? 'CNG' : 'CSP');
          if (pool.role !== 'Mediation') {
            // FAULT (oauth-same-certificate): a server still on the previous OAuthTokenIssuer certificate.
            const own = FAULTS.otherOAuth(index) ? oldOAuth : oauth;
            assigned.push(['OAuthTokenIssuer', own]);
            hold(own, true);
          }
        }
        lines.push('        assignments:', ...assigned.map(([usage, t]) => `          - usage: ${usage}\n            thumbprint: ${t}`));
        lines.push('        stores:', '          personal:');
        for (const { thumbprint, exportable, provider } of personal) {
          lines.push(
            `            - thumbprint: ${thumbprint}`,
            '              hasPrivateKey: true',
            `              exportable: ${exportable}`,
            `              keyProvider: ${provider}`,
            `              providerName: ${provider === 'CSP' ? CSP : CNG}`,
          );
        }
        // FAULT (trusted-root-store-hygiene): a CA that is not self-signed in the Trusted Root store (off the server's own paths).
        const roots = [internalRoot, publicRoot, ...otherRoots, ...(FAULTS.caInRoot(index) ? [publicCa] : [])];
        // FAULT (trusted-root-present): an Intermediate store without the internal issuing CA.
        const intermediates = FAULTS.noIntermediate(index) ? [publicCa] : [issuing, publicCa];
        lines.push('          root:', ...roots.map((c) => `            - thumbprint: ${c.thumbprint}`));
        lines.push('          intermediate:', ...intermediates.map((c) => `            - thumbprint: ${c.thumbprint}`));
      }
    }
  }
  mkdirSync(join(dir, 'certs'), { recursive: true });
  for (const [thumbprint, der] of certs) writeFileSync(join(dir, 'certs', `${thumbprint}.cer`), der);
  writeFileSync(join(dir, 'snapshot.yaml'), `${lines.join('\n')}\n`);
}

/** A Front End, Director or Mediation server's own certificate, with the faults its position calls for. */
function serverCertificate(pki, issuing, pool, fqdn, external, web, i, key) {
  const names = pool.role === 'Mediation' ? [pool.fqdn, fqdn] : [pool.fqdn, fqdn, external, ...web];
  return pki.server(issuing, {
    // FAULT (no-wildcard-subject)
    cn: FAULTS.wildcard(i) ? '*.contoso.com' : pool.fqdn,
    // FAULT (san-coverage): the server's own FQDN left out.
    sans: FAULTS.sanMissingServer(i) ? names.filter((n) => n !== fqdn) : names,
    key,
    // FAULT (certificate-expiry): expired, or expiring within the 30-day warning window.
    notAfter: FAULTS.expired(i) ? new Date('2025-10-01T00:00:00Z') : FAULTS.expiring(i) ? new Date('2026-01-20T00:00:00Z') : NOT_AFTER,
    // FAULT (signature-sha2)
    sigAlg: FAULTS.sha1(i) ? 'rsa-sha1' : undefined,
    // FAULT (server-auth-eku)
    eku: FAULTS.clientAuthOnly(i) ? [OID.clientAuth] : undefined,
    // FAULT (crl-distribution-point)
    crl: !FAULTS.noCrl(i),
  });
}

// ---------------------------------------------------------------- bundles

/**
 * One PEM file of `count` distinct server certificates, as an auditor's dump of many servers: two to
 * eight DNS names, EKU, key usage, CDP, AIA, key identifiers; RSA 2048 and EC P-256 keys alternate,
 * signed by an RSA and an ECDSA issuing CA in turn.
 */
export function bundle(count) {
  return cached(join(OUT, `bundle-v${GENERATOR_VERSION}-${count}.pem`), (path) => {
    const rng = random(count);
    const pki = new Pki();
    const root = pki.ca(subject(['C', 'US'], ['O', 'Tailspin'], ['CN', 'Tailspin Root CA']), poolKey('rsa2048'));
    const issuers = [
      pki.ca(subject(['C', 'US'], ['O', 'Tailspin'], ['CN', 'Tailspin RSA Issuing CA']), poolKey('rsa2048'), root),
      pki.ca(subject(['C', 'US'], ['O', 'Tailspin'], ['CN', 'Tailspin ECC Issuing CA']), poolKey('P-256'), root),
    ];
    const keys = [...Array.from({ length: 4 }, () => poolKey('rsa2048')), ...Array.from({ length: 8 }, () => poolKey('P-256'))];
    const blocks = [];
    for (let i = 0; i < count; i++) {
      const org = `org${i % 97}`;
      const host = `host${i}.${org}.example`;
      const sans = [host, ...Array.from({ length: 1 + Math.floor(rng() * 7) }, (_, j) => `alt${j}.${host}`)];
      const key = i % 2 === 0 ? keys[(i >> 1) % 4] : keys[4 + ((i >> 1) % 8)];
      blocks.push(pem(pki.server(issuers[(i >> 1) % 2], { cn: host, sans, key, o: `Organisation ${i % 97}` }).der));
    }
    writeFileSync(path, blocks.join(''));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [kind, size] = process.argv.slice(2);
  const make = { deployment, bundle }[kind];
  if (!make || !/^\d+$/.test(size ?? '')) {
    process.stderr.write('usage: node bench/generate.mjs deployment|bundle COUNT\n');
    process.exit(2);
  }
  process.stdout.write(`${make(Number(size))}\n`);
}
