import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/snapshot/load.js';
import type { Deployment, Server } from '../../src/snapshot/model.js';
import { inputErrors } from './helpers.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const ENV = { CONTOSO_PFX_PASSWORD: 'contoso' };

/** The facts each deliberate fault of examples/contoso is made of, read from the model. */
function faults(d: Deployment) {
  const server = (fqdn: string): Server => d.pools.flatMap((p) => p.servers).find((s) => s.fqdn === fqdn)!;
  const assigned = (fqdn: string, usage: string) => d.certificates.get(server(fqdn).assignments.find((a) => a.usage === usage)!.thumbprint)!;
  const contosoRoot = d.certificates.all().find((c) => c.facts.subjectCommonName === 'Contoso Root CA')!;
  const oauth = ['fe01', 'fe02', 'fe03', 'dir01'].map((s) => assigned(`${s}.contoso.com`, 'OAuthTokenIssuer').facts);
  return {
    mediationKeyBits: assigned('med01.contoso.com', 'Default').facts.publicKey.bits,
    directorDigest: assigned('dir01.contoso.com', 'Default').facts.signature.hash,
    oauthSubjects: [...new Set(oauth.map((f) => f.subject))],
    oauthThumbprints: new Set(oauth.map((f) => f.thumbprint)).size,
    edge02TrustsContosoRoot: server('edge02.contoso.com').stores.root!.some((e) => e.thumbprint === contosoRoot.facts.thumbprint),
    edge01AvExportable: server('edge01.contoso.com').stores.personal!.find((e) => e.thumbprint === assigned('edge01.contoso.com', 'AudioVideoAuthentication').facts.thumbprint)!.exportable,
  };
}

describe('the example deployments', () => {
  it.each(['contoso', 'contoso-clean'])('%s loads, with every pool, server and certificate', (name) => {
    const d = loadSnapshot(`${EXAMPLES}${name}`, { env: ENV });
    expect(d.sipDomains).toEqual([
      { name: 'contoso.com', isDefault: true },
      { name: 'fabrikam.com', isDefault: false },
    ]);
    expect(d.pools.map((p) => [p.fqdn, p.role, p.servers.map((s) => s.fqdn.split('.')[0])])).toEqual([
      ['pool01.contoso.com', 'FrontEnd', ['fe01', 'fe02', 'fe03']],
      ['dirpool.contoso.com', 'Director', ['dir01']],
      ['edgepool.contoso.com', 'Edge', ['edge01', 'edge02']],
      ['med.contoso.com', 'Mediation', ['med01']],
    ]);
    expect(d.pools[2]!.edge).toEqual({
      internalFqdn: 'edgepool-int.contoso.com',
      accessEdgeFqdn: 'sip.contoso.com',
      webConferencingEdgeFqdn: 'webconf.contoso.com',
      avEdgeFqdn: 'av.contoso.com',
    });
    // The Edge certificates come from PFX files, with their keys and chains.
    const edgeInternal = d.certificates.get(d.pools[2]!.servers[0]!.assignments[0]!.thumbprint)!;
    expect(edgeInternal.facts).toMatchObject({ subjectCommonName: 'edgepool-int.contoso.com', source: { format: 'pkcs12' }, privateKey: { present: true, matchesCertificate: true } });
    expect(d.certificates.companions(edgeInternal.facts.thumbprint).map((c) => c.facts.subjectCommonName)).toEqual(['Contoso Issuing CA 01', 'Contoso Root CA']);
    for (const cert of d.certificates.all()) expect([cert.facts.notBefore, cert.facts.notAfter]).toEqual(['2024-01-01T00:00:00Z', '2049-12-31T23:59:59Z']);
  });

  it('contoso has each deliberate fault', () => {
    expect(faults(loadSnapshot(`${EXAMPLES}contoso`, { env: ENV }))).toEqual({
      mediationKeyBits: 1024,
      directorDigest: 'SHA-1',
      oauthSubjects: ['CN=Lync Server OAuth, O=Contoso, C=US', 'CN=contoso.com, O=Contoso, C=US'],
      oauthThumbprints: 2,
      edge02TrustsContosoRoot: false,
      edge01AvExportable: false,
    });
  });

  it('contoso-clean has them fixed', () => {
    expect(faults(loadSnapshot(`${EXAMPLES}contoso-clean`, { env: ENV }))).toEqual({
      mediationKeyBits: 2048,
      directorDigest: 'SHA-256',
      oauthSubjects: ['CN=contoso.com, O=Contoso, C=US'],
      oauthThumbprints: 1,
      edge02TrustsContosoRoot: true,
      edge01AvExportable: true,
    });
  });

  it('needs the PFX password variable, and says which', () => {
    const [e] = inputErrors(() => loadSnapshot(`${EXAMPLES}contoso`, { env: {} }));
    expect(e!.message).toBe('passwordEnv: the environment variable CONTOSO_PFX_PASSWORD is not set');
  });
});
