import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCertificateRequestFile, type CertificateRequest } from '../../src/certs/csr.js';
import { readTlv } from '../../src/certs/der.js';
import { parseName } from '../../src/certs/x509.js';
import { checkRequest, pendingChecks } from '../../src/requirements/check-request.js';
import { requirementsOf } from '../../src/requirements/derive.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import type { Usage } from '../../src/snapshot/model.js';
import { PASSWORD, PREDEPLOY, ROOT } from './helpers.js';

const contoso = loadSnapshot(join(ROOT, 'examples/contoso'), { env: PASSWORD });
const requirement = (serverFqdn: string, ...usages: Usage[]) => {
  const pool = contoso.pools.find((p) => p.servers.some((s) => s.fqdn === serverFqdn))!;
  return requirementsOf(contoso).forCertificate(pool, pool.servers.find((s) => s.fqdn === serverFqdn)!, usages)!;
};
const request = (name: string) => readCertificateRequestFile(join(PREDEPLOY, 'requests', name)).requests[0]!;
const withFacts = (r: CertificateRequest, facts: Partial<CertificateRequest['facts']>): CertificateRequest => ({ ...r, facts: { ...r.facts, ...facts } });
/** Findings other than information, as `check` judges them. */
const faults = (r: CertificateRequest, usages: [string, ...Usage[]], floor?: number) =>
  checkRequest(r, requirement(...usages), floor === undefined ? {} : { configuredFloor: floor }).map((f) => ({ check: f.check, severity: f.severity, message: f.message }));

/** A Subject of one CN, encoded as a request carries it. */
function subjectCn(cn: string) {
  const value = new TextEncoder().encode(cn);
  const atv = [0x30, value.length + 7, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, value.length, ...value];
  const der = Uint8Array.of(0x30, atv.length + 2, 0x31, atv.length, ...atv);
  return parseName(der, readTlv(der, 0));
}

describe("a Front End's Default request (Certificate requirements for internal servers)", () => {
  it('the pool FQDN as Subject and the pool and server FQDNs as SANs: nothing to change', () => {
    expect(faults(request('fe01-default-good.csr'), ['fe01.contoso.com', 'Default'])).toEqual([]);
  });

  it("without the server's FQDN: add it", () => {
    expect(faults(request('fe01-default-bad.csr'), ['fe01.contoso.com', 'Default'])).toEqual([
      { check: 'request/names', severity: 'error', message: "Add SAN fe01.contoso.com; it is this server's FQDN, which other servers connect to." },
    ]);
  });

  it('the recommended sip.<domain> missing is a warning that says when it is needed', () => {
    const r = withFacts(request('fe01-default-good.csr'), { subjectAltNames: { dns: ['pool01.contoso.com', 'fe01.contoso.com', 'sip.contoso.com'], ip: [], uri: [], email: [] } });
    expect(faults(r, ['fe01.contoso.com', 'Default'])).toEqual([
      {
        check: 'request/names',
        severity: 'warning',
        message: 'Add SAN sip.fabrikam.com; fabrikam.com is a SIP domain of this deployment, and clients signing in automatically look up sip.fabrikam.com. Recommended: needed when clients sign in automatically with strict DNS name matching, the SRV record of the domain pointing at this pool.',
      },
    ]);
  });

  it('another Subject: set it to the pool FQDN; a wildcard Subject: no role supports one', () => {
    expect(faults(withFacts(request('fe01-default-good.csr'), {}), ['fe01.contoso.com', 'Default'])).toEqual([]);
    const wrong = { ...request('fe01-default-good.csr'), subjectName: subjectCn('fe01.contoso.com') };
    expect(faults(withFacts(wrong, { subject: 'CN=fe01.contoso.com' }), ['fe01.contoso.com', 'Default'])).toEqual([
      { check: 'request/subject', severity: 'error', message: "Set the Subject to CN=pool01.contoso.com (it is CN=fe01.contoso.com): the Default certificate's Subject is the pool FQDN." },
    ]);
    const wildcard = withFacts({ ...request('fe01-default-good.csr'), subjectName: subjectCn('*.contoso.com') }, { subjectCommonName: '*.contoso.com', subject: 'CN=*.contoso.com' });
    expect(faults(wildcard, ['fe01.contoso.com', 'Default']).map((f) => f.message)).toContain(
      'Set the Subject to a name, not the wildcard CN=*.contoso.com: no Lync or Skype for Business role supports a wildcard Subject.',
    );
  });

  it('a wildcard SAN serves the simple URLs and lyncdiscover, not the admin URL or the pool', () => {
    const dns = ['pool01.contoso.com', 'fe01.contoso.com', '*.contoso.com', 'meet.fabrikam.com', 'lyncdiscoverinternal.fabrikam.com'];
    const r = withFacts(request('fe01-default-good.csr'), { subjectAltNames: { dns, ip: [], uri: [], email: [] } });
    expect(faults(r, ['fe01.contoso.com', 'WebServicesInternal'])).toEqual([
      {
        check: 'request/names',
        severity: 'error',
        message: 'Add SAN admin.contoso.com itself: the wildcard *.contoso.com does not serve it (Microsoft supports wildcard SANs only for the simple URLs and lyncdiscover); it is the host of the administrative simple URL.',
      },
    ]);
  });

  it('a 1024-bit key: an error at the recommended floor, accepted where a configuration lowers it', () => {
    const short = withFacts(request('fe01-default-good.csr'), { publicKey: { algorithm: 'RSA', bits: 1024, curve: null } });
    expect(faults(short, ['fe01.contoso.com', 'Default'])).toMatchObject([{ check: 'request/key', severity: 'error' }]);
    expect(faults(short, ['fe01.contoso.com', 'Default'], 1024)).toEqual([]);
  });

  it('an ECDH key: an error, as requirements asks a CSP and an ECDH key exists only in CNG, which Lync Server 2013 cannot use', () => {
    const ec = withFacts(request('fe01-default-good.csr'), { publicKey: { algorithm: 'EC', bits: 256, curve: 'P-256' } });
    expect(faults(ec, ['fe01.contoso.com', 'Default'])).toMatchObject([{ check: 'request/key', severity: 'error', message: expect.stringMatching(/CNG Key Storage Provider, which Lync Server 2013 cannot use: make the request again with an RSA key of 2048 bits/) }]);
    // The requirement this agrees with: a CryptoAPI CSP, not CNG.
    expect(requirement('fe01.contoso.com', 'Default').provider).toMatchObject({ kind: 'CSP', type: 12 });
  });

  it('an EKU without Server Authentication: ask for it', () => {
    const client = withFacts(request('fe01-default-good.csr'), { extendedKeyUsage: ['clientAuth'] });
    expect(faults(client, ['fe01.contoso.com', 'Default'])).toMatchObject([{ check: 'request/eku', severity: 'error', message: expect.stringContaining('without Server Authentication (1.3.6.1.5.5.7.3.1)') }]);
    // None asked: the Web Server template gives it; said among what only the certificate will tell.
    const none = withFacts(request('fe01-default-good.csr'), { extendedKeyUsage: null });
    expect(faults(none, ['fe01.contoso.com', 'Default'])).toEqual([]);
    expect(pendingChecks(none, requirement('fe01.contoso.com', 'Default'))).toContain("its EKU (the request asks for none: the CA's template gives it)");
  });

  it("certreq's request: a CSP passes, a CNG Key Storage Provider does not", () => {
    expect(faults(request('fe01-default-certreq.req'), ['fe01.contoso.com', 'Default'])).toEqual([]);
    expect(faults(request('fe01-default-certreq-cng.req'), ['fe01.contoso.com', 'Default'])).toMatchObject([
      { check: 'request/provider', severity: 'error', message: expect.stringContaining('make it again with ProviderName = "Microsoft RSA SChannel Cryptographic Provider" and ProviderType = 12') },
    ]);
  });
});

describe("the Edge pool's external request (Plan for Edge Server certificates)", () => {
  const usages: [string, ...Usage[]] = ['edge01.contoso.com', 'AccessEdgeExternal', 'DataEdgeExternal', 'AudioVideoAuthentication'];

  it('the Access Edge FQDN, sip.<domain> for each SIP domain and the Web Conferencing Edge FQDN: nothing to change', () => {
    expect(faults(request('edge-external-good.csr'), usages)).toEqual([]);
  });

  it('without sip.fabrikam.com: an error, as fabrikam.com is a SIP domain (a SAN for each, unconditionally)', () => {
    expect(faults(request('edge-external-bad.csr'), usages)).toEqual([
      { check: 'request/names', severity: 'error', message: 'Add SAN sip.fabrikam.com; fabrikam.com is a SIP domain of this deployment, and remote clients and federated partners connect to sip.fabrikam.com.' },
    ]);
  });

  it('where the snapshot gives no Access Edge FQDN: the Subject cannot be checked, a warning says so, never "nothing to change"', () => {
    const edge = contoso.pools.find((p) => p.role === 'Edge')!;
    const { accessEdgeFqdn: _, ...rest } = edge.edge!;
    const unnamed = { ...contoso, pools: contoso.pools.map((p) => (p === edge ? { ...edge, edge: rest } : p)) };
    const pool = unnamed.pools.find((p) => p.role === 'Edge')!;
    const found = checkRequest(request('edge-external-good.csr'), requirementsOf(unnamed).forCertificate(pool, pool.servers[0]!, usages.slice(1) as Usage[])!);
    expect(found).toEqual([
      {
        check: 'request/subject',
        severity: 'warning',
        message: `Whether the request names the Access Edge external FQDN cannot be checked: the snapshot gives no edge.accessEdgeFqdn for ${pool.fqdn}, so the Access Edge external FQDN cannot be named: add edge.accessEdgeFqdn to that pool in the snapshot.`,
      },
    ]);
  });

  it('what only the issued certificate will tell: a public CA, an exportable key, the chain', () => {
    const pending = pendingChecks(request('edge-external-good.csr'), requirement(...usages));
    expect(pending).toContain('that a public CA issued it');
    expect(pending).toContain('that its key is exportable');
    expect(pending).toContain("the CA's signature digest (SHA-256 or stronger, not SHA-1)");
  });
});

describe('the OAuthTokenIssuer request (JJ205253)', () => {
  it('CN=<SIP domain> and 2048 bits: nothing to change', () => {
    expect(faults(request('oauth-good.csr'), ['fe01.contoso.com', 'OAuthTokenIssuer'])).toEqual([]);
  });

  it('a 1024-bit key: an error, even where a configuration lowers the general floor to 1024', () => {
    for (const floor of [undefined, 1024]) {
      expect(faults(request('oauth-bad.csr'), ['fe01.contoso.com', 'OAuthTokenIssuer'], floor)).toEqual([
        {
          check: 'request/key',
          severity: 'error',
          message: 'The request has a 1024-bit RSA key; the OAuthTokenIssuer certificate needs at least 2048 bits (the OAuthTokenIssuer key must be at least 2048 bits, whatever the general floor): make the request again with an RSA key of 2048 bits (certreq: KeyLength = 2048).',
        },
      ]);
    }
  });

  it('a Subject naming no SIP domain: name one', () => {
    const r = withFacts({ ...request('oauth-good.csr'), subjectName: subjectCn('Lync Server OAuth') }, { subject: 'CN=Lync Server OAuth' });
    expect(faults(r, ['fe01.contoso.com', 'OAuthTokenIssuer'])).toEqual([
      {
        check: 'request/subject',
        severity: 'error',
        message: "Set the Subject to CN=contoso.com (it is CN=Lync Server OAuth): the OAuthTokenIssuer certificate's Subject must name a SIP domain of this deployment (contoso.com, fabrikam.com).",
      },
    ]);
  });
});

describe('the signature', () => {
  it('a request whose signature does not verify: make it again', () => {
    const r = withFacts(request('fe01-default-good.csr'), { signatureValid: false });
    expect(faults(r, ['fe01.contoso.com', 'Default'])).toMatchObject([{ check: 'request/signature', severity: 'error' }]);
  });

  it('strings from the request are escaped in messages', () => {
    const r = withFacts({ ...request('fe01-default-good.csr'), subjectName: subjectCn('evil\u001b[31m') }, { subject: 'CN=evil\u001b[31m' });
    const [finding] = faults(r, ['fe01.contoso.com', 'Default']);
    expect(finding!.message).toContain('CN=evil\\1B[31m');
    expect(finding!.message).not.toContain('\u001b');
  });
});
