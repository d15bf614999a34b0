import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readInventory } from '../../../src/snapshot/import/inventory.js';
import { powerShellDate, readPowerShellJson } from '../../../src/snapshot/import/powershell-json.js';
import { inputErrors, workspace } from '../helpers.js';

const INVENTORY = fileURLToPath(new URL('../../../fixtures/inventory/contoso/', import.meta.url));

describe('readInventory', () => {
  const inventory = readInventory(INVENTORY);
  const server = (fqdn: string) => inventory.servers.find((s) => s.fqdn === fqdn)!;

  it('has a server per folder, named by the folder', () => {
    expect(inventory.servers.map((s) => s.fqdn)).toEqual(['dir01.contoso.com', 'edge01.contoso.com', 'fe01.contoso.com', 'sql01.contoso.com']);
  });

  it('reads Windows PowerShell 5.1 files: UTF-16LE with a BOM, /Date()/ dates, a staged roll', () => {
    const fe01 = server('fe01.contoso.com');
    expect(fe01.assignments!.map((a) => a.usage)).toEqual(['Default', 'WebServicesInternal', 'WebServicesExternal', 'OAuthTokenIssuer']);
    const oauth = fe01.assignments![3]!;
    expect(oauth.effectiveDate).toBe('2030-06-01T06:00:00Z');
    expect(oauth.previousThumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(oauth.previousThumbprint).not.toBe(oauth.thumbprint);
  });

  it('reads the personal store with the key facts, a lone object as a one-entry store', () => {
    const fe01 = server('fe01.contoso.com');
    expect(fe01.stores.personal![0]).toEqual({
      thumbprint: fe01.assignments![0]!.thumbprint,
      friendlyName: 'Skype for Business Server Default 2026',
      hasPrivateKey: true,
      exportable: false,
      keyProvider: 'CSP',
      providerName: 'Microsoft RSA SChannel Cryptographic Provider',
    });
    expect(fe01.stores.root).toHaveLength(1);
    expect(fe01.stores.intermediate).toHaveLength(1);
  });

  it('reads friendly names in every store, leaving out the empty ones Windows gives certificates without one', () => {
    const fe01 = server('fe01.contoso.com');
    expect(fe01.stores.personal!.map((e) => e.friendlyName)).toEqual(['Skype for Business Server Default 2026', 'OAuthTokenIssuer 2030', 'OAuthTokenIssuer 2025']);
    expect(fe01.stores.root![0]!.friendlyName).toBe('Contoso Root CA');
    expect(fe01.stores.intermediate![0]).not.toHaveProperty('friendlyName');
    expect(server('edge01.contoso.com').stores.personal!.map((e) => e.friendlyName)).toEqual(['Edge internal 2026', 'Edge external 2026']);
  });

  it("reads the Windows version from os.json: 5.1's lone object, and PowerShell 7's", () => {
    // Win32_OperatingSystem's Caption ends in a space on Windows Server 2012 R2.
    expect(server('fe01.contoso.com').os).toEqual({ caption: 'Microsoft Windows Server 2012 R2 Datacenter', version: '6.3.9600' });
    expect(server('edge01.contoso.com').os).toEqual({ caption: 'Microsoft Windows Server 2016 Standard', version: '10.0.14393' });
  });

  it('reads an inventory from a collector without friendly names or os.json, those facts unknown', () => {
    const dir01 = server('dir01.contoso.com');
    expect(dir01).not.toHaveProperty('os');
    expect(dir01.stores.personal).toHaveLength(1);
    expect([...dir01.stores.personal!, ...dir01.stores.root!, ...dir01.stores.intermediate!].filter((e) => 'friendlyName' in e)).toEqual([]);
  });

  it("reads raw Get-ChildItem output: RawData as bytes, in 5.1's {value, Count} wrapping", () => {
    const edge01 = server('edge01.contoso.com');
    // Raw output carries FriendlyName "" for the root; fe01's collector row names it.
    expect(edge01.stores.root).toEqual(server('fe01.contoso.com').stores.root!.map(({ thumbprint }) => ({ thumbprint })));
    expect(edge01.stores.intermediate).toEqual([]);
    expect(edge01.assignments!.map((a) => a.usage)).toEqual(['Internal', 'AccessEdgeExternal', 'DataEdgeExternal', 'AudioVideoAuthentication', 'XmppServer']);
  });

  it('leaves out what was not collected', () => {
    expect(server('dir01.contoso.com').assignments).toBeUndefined();
    expect(Object.keys(server('sql01.contoso.com').stores)).toEqual(['root']);
  });

  it('keeps every certificate once, by thumbprint, with its subject and expiry', () => {
    // root, issuing, fe Default, two OAuth, Edge internal and external, Director Default.
    expect(inventory.certificates.size).toBe(8);
    const root = inventory.certificates.get(server('fe01.contoso.com').stores.root![0]!.thumbprint)!;
    expect(root.subject).toBe('CN=Contoso Root CA, DC=contoso, DC=com');
    expect(root.notAfter).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});

describe('readInventory refuses', () => {
  /** An inventory with one server folder holding these files. */
  const inventoryWith = (files: Record<string, string>) => {
    const dir = workspace();
    mkdirSync(join(dir, 'inventory', 'fe01.contoso.com'), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'inventory', 'fe01.contoso.com', name), text);
    return join(dir, 'inventory');
  };
  const row = { Use: 'Default', Thumbprint: 'AB'.repeat(20) };

  it('a missing folder, and one without server folders', () => {
    expect(inputErrors(() => readInventory('/nonexistent'))[0]!.message).toBe('inventory folder not found');
    expect(inputErrors(() => readInventory(join(workspace(), 'certs')))[0]!.message).toBe('the inventory folder holds no server folders');
  });

  it("Use as a number (5.1's ConvertTo-Json of the enum), pointing to the collector", () => {
    const [e] = inputErrors(() => readInventory(inventoryWith({ 'cscertificate.json': JSON.stringify([{ ...row, Use: 4 }]) })));
    expect(e!.where).toMatchObject({ element: '[0].Use' });
    expect(e!.where.path).toMatch(/fe01\.contoso\.com\/cscertificate\.json$/);
    expect(e!.hint).toContain('Collect-SfbCertificates.ps1');
  });

  it('bad thumbprints and dates, each by element', () => {
    const errors = inputErrors(() =>
      readInventory(inventoryWith({ 'cscertificate.json': JSON.stringify([{ ...row, Thumbprint: 'xyz' }, { ...row, Use: 'OAuthTokenIssuer', EffectiveDate: 'soon' }]) })),
    );
    expect(errors.map((e) => [e.where.element, e.message])).toEqual([
      ['[0].Thumbprint', 'Thumbprint "xyz" is not a thumbprint'],
      ['[1].EffectiveDate', 'EffectiveDate "soon" is not a date'],
    ]);
  });

  it('two certificates for one usage, neither staged', () => {
    const [e] = inputErrors(() => readInventory(inventoryWith({ 'cscertificate.json': JSON.stringify([row, { ...row, Thumbprint: 'CD'.repeat(20) }]) })));
    expect(e!.message).toBe('2 certificates for usage Default: expected one, or a current one and one staged with an EffectiveDate');
  });

  it('a store row whose RawData is not the thumbprint it claims', () => {
    const [e] = inputErrors(() => readInventory(inventoryWith({ 'my.json': JSON.stringify([{ Thumbprint: 'AB'.repeat(20), RawData: Buffer.from('not a certificate').toString('base64') }]) })));
    expect(e!).toMatchObject({ message: `RawData is not the certificate with thumbprint ${'AB'.repeat(20)}`, where: { element: '[0].RawData' } });
  });

  it('a store row without RawData', () => {
    const [e] = inputErrors(() => readInventory(inventoryWith({ 'root.json': JSON.stringify({ Thumbprint: 'AB'.repeat(20) }) })));
    expect(e!.message).toBe('RawData (the certificate as Base64 DER) is missing or unreadable');
  });

  it('an os.json Version that is not a Windows version number', () => {
    const [e] = inputErrors(() => readInventory(inventoryWith({ 'os.json': JSON.stringify({ Caption: 'Microsoft Windows Server 2016 Standard', Version: 'Windows 2016' }) })));
    expect(e!).toMatchObject({ message: 'Version "Windows 2016" is not a Windows version number (major.minor.build)', where: { element: 'Version' } });
    expect(e!.where.path).toMatch(/fe01\.contoso\.com\/os\.json$/);
  });

  it('invalid JSON, naming the file', () => {
    const [e] = inputErrors(() => readInventory(inventoryWith({ 'ca.json': '[\n  {"Thumbprint": "AB"},\n  {"Thumbprint": ' })));
    expect(e!.message).toMatch(/^invalid JSON: /);
    expect(e!.where.path).toMatch(/fe01\.contoso\.com\/ca\.json$/);
  });
});

describe('readPowerShellJson', () => {
  const read = (text: string | Buffer) => readPowerShellJson(join(workspace({ 'x.json': text }), 'x.json'));

  it('makes a list of a single object', () => {
    expect(read('{"Thumbprint": "AB"}')).toEqual([{ Thumbprint: 'AB' }]);
  });

  it('reads an empty file (ConvertTo-Json of nothing) as no objects', () => {
    expect(read('')).toEqual([]);
    expect(read('\r\n')).toEqual([]);
  });

  it('reads UTF-16LE with a BOM and UTF-8 with a BOM', () => {
    expect(read(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('[{"a": "é"}]', 'utf16le')]))).toEqual([{ a: 'é' }]);
    expect(read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[{"a": 1}]')]))).toEqual([{ a: 1 }]);
  });

  it('refuses a list of things other than objects', () => {
    const [e] = inputErrors(() => read('["AB"]'));
    expect(e!.where.element).toBe('[0]');
  });
});

describe('powerShellDate', () => {
  it.each([
    ['Windows PowerShell 5.1', '/Date(1389000000000)/', '2014-01-06T09:20:00Z'],
    ['5.1 with the zone that displayed it', '/Date(1389000000000+0100)/', '2014-01-06T09:20:00Z'],
    ['PowerShell 7', '2014-01-06T10:20:00+01:00', '2014-01-06T09:20:00Z'],
    ['the collector', '2049-12-31T23:59:59Z', '2049-12-31T23:59:59Z'],
    ['5.1 with extra properties', { value: '/Date(1389000000000)/', DisplayHint: 2, DateTime: 'Monday, January 6, 2014 9:20:00 AM' }, '2014-01-06T09:20:00Z'],
  ])('reads %s', (_, value, iso) => {
    expect(powerShellDate(value)).toBe(iso);
  });

  it('tells absent (undefined) from unreadable (null)', () => {
    expect(powerShellDate(undefined)).toBeUndefined();
    expect(powerShellDate(null)).toBeUndefined();
    expect(powerShellDate('next Tuesday')).toBeNull();
    expect(powerShellDate(1389000000000)).toBeNull();
  });
});
