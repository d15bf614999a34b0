import { describe, expect, it } from 'vitest';
import { messageSpec } from '../../src/engine/types.js';
import rule, { predatesAesPfx } from '../../src/rules/pfx-import-compatible.js';
import { deployment, edgePool, ruleTester, thumbprint } from './harness.js';

// The reference digest ("PFX files as Windows makes them") and Export-PfxCertificate's page: Windows
// Server 2016 and older import PKCS #12 files protected with 3DES ("TripleDES-SHA1") and report an AES-256
// file, OpenSSL 3's default, as a wrong password; Windows Server 2019 (10.0.17763) reads both.
// edge-aes.pfx: AES-256-CBC (PBES2), SHA-256 MAC; edge-3des.pfx: 3DES, SHA-1 MAC (fixtures/rules/make.mjs,
// as `openssl pkcs12 -info` prints them).
const WS2016 = { caption: 'Microsoft Windows Server 2016 Datacenter', version: '10.0.14393' };
const WS2019 = { caption: 'Microsoft Windows Server 2019 Datacenter', version: '10.0.17763' };
const WS2012R2 = { version: '6.3.9600' };
const edges = (cert: string, ...os: Array<typeof WS2016 | typeof WS2012R2 | undefined>) =>
  deployment({ pools: [edgePool({ AudioVideoAuthentication: cert }, os.length, { per: Object.fromEntries(os.map((o, i) => [i, o ? { os: o } : {}])) })] });

ruleTester(rule, {
  valid: [
    { name: 'a 3DES .pfx on Windows Server 2016', deployment: edges('edge-3des', WS2016, WS2016) },
    { name: 'a 3DES .pfx where the Windows version is not known', deployment: edges('edge-3des', undefined) },
    { name: 'an AES-256 .pfx on Windows Server 2019', deployment: edges('edge-aes', WS2019, WS2019) },
    { name: 'a certificate read from a .pem file has no container to judge', deployment: edges('good', WS2016) },
  ],
  invalid: [
    {
      name: 'an AES-256 .pfx on two Windows Server 2016 Edges: one finding for the file',
      deployment: edges('edge-aes', WS2016, WS2016),
      findings: [
        {
          messageId: 'incompatible',
          severity: 'error',
          thumbprint: thumbprint('edge-aes'),
          places: ['edge01.contoso.com', 'edge02.contoso.com'],
          message: 'The .pfx file edge-aes.pfx of the certificate',
        },
      ],
    },
    {
      name: 'it names the encryption and MAC that Windows Server 2016 cannot read',
      deployment: edges('edge-aes', WS2012R2),
      findings: [{ messageId: 'incompatible', message: 'AES-256-CBC (PBES2, PBKDF2-HMAC-SHA256) (MAC: SHA-256)' }],
    },
    {
      // edge-nomac.pfx (fixtures/rules/make-unusual.mjs, `openssl pkcs12 -export -nomac`): `openssl pkcs12 -info`
      // warns "MAC is absent!" and prints its key bag as PBES2, AES-256-CBC.
      name: 'an AES-256 .pfx without a MAC: the MAC is named as none',
      deployment: edges('edge-nomac', WS2016),
      findings: [{ messageId: 'incompatible', thumbprint: thumbprint('edge-nomac'), message: 'AES-256-CBC key (MAC: none)' }],
    },
    {
      name: 'only the older Edge of a mixed pool',
      deployment: edges('edge-aes', WS2019, WS2016),
      findings: [{ messageId: 'incompatible', places: ['edge02.contoso.com'] }],
    },
    {
      name: 'Windows not known: said once, as a warning, for every server it concerns',
      deployment: edges('edge-aes', undefined, undefined),
      findings: [{ messageId: 'osUnknown', severity: 'warning', places: ['edge01.contoso.com', 'edge02.contoso.com'], message: 'edge-aes.pfx of the certificate' }],
    },
  ],
});

describe('which Windows versions predate AES-256 PKCS #12 import', () => {
  it('reads the build, and the caption\'s year when the version is 10.0 alone or absent', () => {
    expect(predatesAesPfx({ version: '10.0.14393' })).toBe(true); // Windows Server 2016
    expect(predatesAesPfx({ version: '6.3.9600' })).toBe(true); // 2012 R2
    expect(predatesAesPfx({ version: '6.1.7601' })).toBe(true); // 2008 R2
    expect(predatesAesPfx({ version: '6.3' })).toBe(true);
    expect(predatesAesPfx({ version: '10.0.17763' })).toBe(false); // 2019
    expect(predatesAesPfx({ version: '10.0.20348' })).toBe(false); // 2022
    expect(predatesAesPfx({ version: '10.1.0' })).toBe(false);
    expect(predatesAesPfx({ version: '10.0.17762' })).toBe(true);
    expect(predatesAesPfx({ version: '10.0', caption: 'Microsoft Windows Server 2016 Standard' })).toBe(true);
    expect(predatesAesPfx({ version: '10.0', caption: 'Microsoft Windows Server 2019 Standard' })).toBe(false);
    expect(predatesAesPfx({ caption: 'Microsoft Windows Server 2012 R2 Standard' })).toBe(true);
    expect(predatesAesPfx({ version: '10.0' })).toBeUndefined();
    expect(predatesAesPfx(undefined)).toBeUndefined();
  });
});

describe('pfx-import-compatible words its advice as one sentence', () => {
  it('joins the re-export advice to the warning in lower case, and starts it with a capital on its own', () => {
    expect(messageSpec(rule.meta, 'osUnknown')?.text).toContain('or, to be safe, export it again with TripleDES-SHA1: on Windows Server 2019 or later, Export-PfxCertificate');
    expect(messageSpec(rule.meta, 'incompatible')?.text).toContain('"the password is incorrect". Export it again with TripleDES-SHA1');
  });
});
