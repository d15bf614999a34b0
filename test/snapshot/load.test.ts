import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputErrorList } from '../../src/snapshot/errors.js';
import { findSnapshots, loadSnapshot } from '../../src/snapshot/load.js';
import { FIXTURES, fixtureThumbprint, inputErrors, lineOf, workspace } from './helpers.js';
import { HANG_BUDGET_MS } from '../hang-budget.js';

const FE01 = fixtureThumbprint('fe01.pem');
const ROOT = fixtureThumbprint('root.cer');
/** FE01 as the Windows certificate dialog copies it: spaced pairs after an invisible left-to-right mark. */
const FE01_PASTED = `\u200e${FE01.toLowerCase().replace(/(..)(?!$)/g, '$1 ')}`;

const SNAPSHOT = `# yaml-language-server: $schema=../../schema/snapshot.schema.json
version: 1
name: Contoso
sipDomains:
  - name: contoso.com
    default: true
  - name: Fabrikam.com
simpleUrls:
  meet:
    - domain: contoso.com
      url: https://meet.contoso.com
  dialin: [https://dialin.contoso.com]
  admin: [https://admin.contoso.com]
sites:
  - id: 1
    name: Redmond
certificates:
  - path: certs/
pools:
  - fqdn: POOL01.contoso.com
    role: FrontEnd
    site: 1
    webServices:
      internalFqdn: pool01.contoso.com
      externalFqdn: webext.contoso.com
    servers:
      - fqdn: fe01.contoso.com
        assignments:
          - usage: Default
            thumbprint: "${FE01_PASTED}"
          - usage: OAuthTokenIssuer
            thumbprint: ${FE01}
            previousThumbprint: ${ROOT.replace(/(..)(?!$)/g, '$1:')}
            effectiveDate: 2030-07-22T06:00:00Z
        stores:
          personal:
            - thumbprint: ${FE01}
              hasPrivateKey: true
              exportable: false
              keyProvider: CSP
              providerName: Microsoft RSA SChannel Cryptographic Provider
          root:
            - thumbprint: ${ROOT}
          intermediate: []
      - fqdn: fe02.contoso.com
`;

describe('loadSnapshot', () => {
  it('builds the model from a YAML snapshot', () => {
    const dir = workspace({ 'snapshot.yaml': SNAPSHOT });
    const d = loadSnapshot(join(dir, 'snapshot.yaml'));
    expect(d.path).toBe(join(dir, 'snapshot.yaml'));
    expect(d.version).toBe(1);
    expect(d.name).toBe('Contoso');
    expect(d.sipDomains).toEqual([
      { name: 'contoso.com', isDefault: true },
      { name: 'fabrikam.com', isDefault: false },
    ]);
    expect(d.simpleUrls).toEqual({
      meet: [{ domain: 'contoso.com', url: 'https://meet.contoso.com' }],
      dialin: ['https://dialin.contoso.com'],
      admin: ['https://admin.contoso.com'],
    });
    expect(d.sites).toEqual([{ id: '1', name: 'Redmond' }]);
    expect(d.certificateFiles).toEqual(['chain.p7b', 'fe01.pem', 'root.cer'].map((f) => join(dir, 'certs', f)));

    const [pool] = d.pools;
    expect(pool).toMatchObject({
      fqdn: 'pool01.contoso.com',
      role: 'FrontEnd',
      site: '1',
      webServices: { internalFqdn: 'pool01.contoso.com', externalFqdn: 'webext.contoso.com' },
    });
    const [fe01, fe02] = pool!.servers;
    expect(fe01!.pool).toBe('pool01.contoso.com');
    expect(fe01!.assignmentsCollected).toBe(true);
    expect(fe01!.assignments.map(({ location: _, ...a }) => a)).toEqual([
      { usage: 'Default', thumbprint: FE01 },
      { usage: 'OAuthTokenIssuer', thumbprint: FE01, previousThumbprint: ROOT, effectiveDate: '2030-07-22T06:00:00Z' },
    ]);
    expect(fe01!.stores.personal).toEqual([
      {
        thumbprint: FE01,
        hasPrivateKey: true,
        exportable: false,
        keyProvider: 'CSP',
        providerName: 'Microsoft RSA SChannel Cryptographic Provider',
        location: expect.objectContaining({ line: lineOf(SNAPSHOT, `- thumbprint: ${FE01}`) }),
      },
    ]);
    expect(fe01!.stores.root!.map((e) => e.thumbprint)).toEqual([ROOT]);
    expect(fe01!.stores.intermediate).toEqual([]);
    // Nothing collected on fe02: no assignments known, every store absent.
    expect(fe02).toMatchObject({ assignments: [], assignmentsCollected: false, stores: { personal: null, root: null, intermediate: null } });
  });

  it('locates every pool, server, assignment and store entry at its line', () => {
    const dir = workspace({ 'snapshot.yaml': SNAPSHOT });
    const d = loadSnapshot(join(dir, 'snapshot.yaml'));
    const file = join(dir, 'snapshot.yaml');
    const pool = d.pools[0]!;
    const fe01 = pool.servers[0]!;
    expect(pool.location).toEqual({ path: file, line: lineOf(SNAPSHOT, '- fqdn: POOL01'), column: 5 });
    expect(fe01.location).toMatchObject({ path: file, line: lineOf(SNAPSHOT, '- fqdn: fe01') });
    expect(pool.servers[1]!.location.line).toBe(lineOf(SNAPSHOT, '- fqdn: fe02'));
    expect(fe01.assignments[0]!.location).toMatchObject({ path: file, line: lineOf(SNAPSHOT, '- usage: Default') });
    expect(fe01.assignments[1]!.location.line).toBe(lineOf(SNAPSHOT, '- usage: OAuthTokenIssuer'));
    expect(fe01.stores.root![0]!.location.line).toBe(lineOf(SNAPSHOT, `- thumbprint: ${ROOT}`));
  });

  it('reads the same structure as JSON, with lines', () => {
    const doc = {
      version: 1,
      sipDomains: [{ name: 'contoso.com' }],
      certificates: [{ path: 'certs/fe01.pem' }],
      pools: [{ fqdn: 'pool01.contoso.com', role: 'StandardEdition', servers: [{ fqdn: 'se01.contoso.com', assignments: [{ usage: 'Default', thumbprint: FE01 }] }] }],
    };
    const text = JSON.stringify(doc, null, 2);
    const dir = workspace({ 'sfb-snapshot.json': text });
    const d = loadSnapshot(dir);
    expect(d.sipDomains).toEqual([{ name: 'contoso.com', isDefault: true }]);
    const server = d.pools[0]!.servers[0]!;
    expect(server.location.line).toBe(lineOf(text, '"fqdn": "se01') - 1);
    expect(server.assignments[0]!.location.line).toBe(lineOf(text, '"usage": "Default"') - 1);
    expect(server.stores.personal).toBeNull();
  });

  it('reads the facts the collector adds: friendly names, the Windows version; and published DNS names, XMPP federation', () => {
    const text = SNAPSHOT.replace('certificates:\n', 'dnsNames: [SIPinternal.contoso.com, sipexternal.contoso.com, sipinternal.contoso.com]\ncertificates:\n')
      .replace('      - fqdn: fe01.contoso.com\n', '      - fqdn: fe01.contoso.com\n        os: { caption: Microsoft Windows Server 2016 Datacenter, version: 10.0.14393 }\n')
      .replace('              hasPrivateKey: true\n', '              friendlyName: Skype for Business Server Default 2026\n              hasPrivateKey: true\n')
      .replace(`          root:\n            - thumbprint: ${ROOT}\n`, `          root:\n            - thumbprint: ${ROOT}\n              friendlyName: Contoso Root CA\n`)
      .concat('  - fqdn: edgepool.contoso.com\n    role: Edge\n    edge: { accessEdgeFqdn: SIP.contoso.com, xmppFederation: true }\n    servers: [{ fqdn: edge01.contoso.com }]\n');
    const d = loadSnapshot(join(workspace({ 'snapshot.yaml': text }), 'snapshot.yaml'));
    // Compared without regard to case, listed once.
    expect(d.dnsNames).toEqual(['sipinternal.contoso.com', 'sipexternal.contoso.com']);
    const fe01 = d.pools[0]!.servers[0]!;
    expect(fe01.os).toEqual({ caption: 'Microsoft Windows Server 2016 Datacenter', version: '10.0.14393' });
    expect(fe01.stores.personal![0]!.friendlyName).toBe('Skype for Business Server Default 2026');
    expect(fe01.stores.root![0]!.friendlyName).toBe('Contoso Root CA');
    expect(d.pools[1]!.edge).toEqual({ accessEdgeFqdn: 'sip.contoso.com', xmppFederation: true });
  });

  it('leaves those facts unknown in a snapshot that predates them', () => {
    const d = loadSnapshot(join(workspace({ 'snapshot.yaml': SNAPSHOT }), 'snapshot.yaml'));
    expect(d.dnsNames).toEqual([]);
    const fe01 = d.pools[0]!.servers[0]!;
    expect(fe01).not.toHaveProperty('os');
    expect([...fe01.stores.personal!, ...fe01.stores.root!].filter((e) => 'friendlyName' in e)).toEqual([]);
  });

  it('keeps an all-digit thumbprint as written, not as a number', () => {
    const digits = '1234567890123456789012345678901234567890';
    const errors = inputErrors(() =>
      loadSnapshot(
        join(
          workspace({
            'snapshot.yaml': `version: 1\nsipDomains: [{name: contoso.com}]\ncertificates: [{path: certs}]\npools:\n  - fqdn: p.contoso.com\n    role: Edge\n    servers:\n      - fqdn: e.contoso.com\n        assignments:\n          - usage: Internal\n            thumbprint: ${digits}\n`,
          }),
          'snapshot.yaml',
        ),
      ),
    );
    expect(errors.map((e) => e.message)).toEqual([`Internal certificate of e.contoso.com ${digits} is in none of the certificate files the snapshot lists`]);
    expect(errors[0]!.where.line).toBe(10);
  });

  describe('the certificate index', () => {
    it('finds certificates by thumbprint, with the other certificates of their files', () => {
      const { certificates } = loadSnapshot(join(workspace({ 'snapshot.yaml': SNAPSHOT }), 'snapshot.yaml'));
      expect(certificates.get(FE01)?.facts.subject).toBe('CN=pool01.contoso.com');
      expect(certificates.get(FE01.toLowerCase())?.facts.thumbprint).toBe(FE01);
      expect(certificates.get('0'.repeat(40))).toBeUndefined();
      // chain.p7b holds fe01 and the root; fe01.pem and root.cer hold one each.
      expect(certificates.companions(FE01).map((c) => c.facts.thumbprint)).toEqual([ROOT]);
      expect(certificates.companions(ROOT).map((c) => c.facts.thumbprint)).toEqual([FE01]);
      expect(certificates.all().map((c) => c.facts.thumbprint).sort()).toEqual([FE01, ROOT].sort());
    });

    it('reads a folder without its subfolders or files of other kinds', () => {
      const dir = workspace({ 'snapshot.yaml': SNAPSHOT.replace('- path: certs/', '- path: certs') });
      writeFileSync(join(dir, 'certs', 'README.md'), 'not a certificate');
      mkdirSync(join(dir, 'certs', 'old'));
      writeFileSync(join(dir, 'certs', 'old', 'broken.cer'), 'not a certificate');
      expect(loadSnapshot(dir).certificateFiles).toHaveLength(3);
    });
  });

  describe('a folder', () => {
    it('holding one snapshot file loads it', () => {
      expect(loadSnapshot(workspace({ 'snapshot.yaml': SNAPSHOT })).name).toBe('Contoso');
    });

    it('holding none is refused, naming the names looked for', () => {
      const [e] = inputErrors(() => loadSnapshot(workspace()));
      expect(e!.message).toBe('the folder holds no snapshot file');
      expect(e!.hint).toContain('snapshot.yaml, snapshot.yml, snapshot.json, sfb-snapshot.yaml');
    });

    it('holding two is refused as ambiguous', () => {
      const [e] = inputErrors(() => loadSnapshot(workspace({ 'snapshot.yaml': SNAPSHOT, 'snapshot.json': '{}' })));
      expect(e!.message).toBe('the folder holds several snapshot files (snapshot.yaml, snapshot.json)');
    });
  });
});

describe('loadSnapshot refuses bad input with the file and line', () => {
  /** Loads SNAPSHOT edited by `edit`, returning the errors and the edited text. */
  function load(edit: (text: string) => string, env: NodeJS.ProcessEnv = {}) {
    const text = edit(SNAPSHOT);
    const dir = workspace({ 'snapshot.yaml': text });
    return { text, file: join(dir, 'snapshot.yaml'), errors: inputErrors(() => loadSnapshot(join(dir, 'snapshot.yaml'), { env })) };
  }

  it('a missing snapshot', () => {
    const [e] = inputErrors(() => loadSnapshot('/nonexistent/snapshot.yaml'));
    expect(e!.describe()).toBe('/nonexistent/snapshot.yaml: snapshot not found');
  });

  it('invalid YAML', () => {
    const { errors, file } = load((t) => t.replace('  dialin: [https://dialin.contoso.com]', '  dialin: [https://dialin.contoso.com'));
    expect(errors[0]!.where).toMatchObject({ path: file, line: expect.any(Number) });
    expect(errors[0]!.message).toMatch(/^invalid YAML: /);
  });

  it('invalid JSON', () => {
    const dir = workspace({ 'snapshot.json': '{\n  "version": 1,\n  "pools": [\n}\n' });
    const [e] = inputErrors(() => loadSnapshot(dir));
    expect(e!.message).toMatch(/^invalid JSON: /);
    expect(e!.where).toMatchObject({ path: join(dir, 'snapshot.json'), line: 4 });
  });

  it('a YAML alias bomb, without expanding it', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)];
    const dir = workspace({ 'snapshot.yaml': `${bomb.join('\n')}\n` });
    const started = Date.now();
    const [e] = inputErrors(() => loadSnapshot(dir));
    expect(e!.message).toMatch(/^invalid YAML: .*alias/i);
    expect(Date.now() - started).toBeLessThan(HANG_BUDGET_MS);
  });

  it('a duplicated key', () => {
    const { errors, text } = load((t) => t.replace('name: Contoso\n', 'name: Contoso\nname: Fabrikam\n'));
    expect(errors[0]!.where.line).toBe(lineOf(text, 'name: Fabrikam'));
  });

  it('schema violations, each at its line', () => {
    const { errors, text } = load((t) =>
      t
        .replace('    role: FrontEnd', '    role: Frontend')
        .replace('          - usage: Default\n', '          - usage: Default\n            thumbprnt: x\n')
        .replace(`thumbprint: ${ROOT}\n`, `thumbprint: ${ROOT.slice(2)}\n`)
        .replace('intermediate: []', 'intermediate:'),
    );
    expect(errors.map((e) => [e.where.line, e.message])).toEqual([
      [lineOf(text, 'role: Frontend'), 'role: "Frontend" is not one of FrontEnd, StandardEdition, Director, Mediation, Edge, PersistentChat'],
      [lineOf(text, 'thumbprnt'), 'pools[0].servers[0].assignments[0]: unknown property "thumbprnt"'],
      [lineOf(text, `thumbprint: ${ROOT.slice(2)}`), `thumbprint: "${ROOT.slice(2)}" is not a thumbprint: expected 40 hexadecimal digits (spaces, colons and invisible marks are ignored)`],
      [lineOf(text, 'intermediate:'), 'intermediate: expected array, found nothing (null)'],
    ]);
    expect(errors.at(-1)!.hint).toBe('Write [] for an empty store; leave the store out when it was not collected.');
  });

  it('malformed collector facts, each at its line', () => {
    const { errors, text } = load((t) =>
      t
        .replace('certificates:\n', 'dnsNames: [sipinternal]\ncertificates:\n')
        .replace('      - fqdn: fe01.contoso.com\n', '      - fqdn: fe01.contoso.com\n        os: { version: Windows Server 2016 }\n')
        .replace('              hasPrivateKey: true\n', '              friendlyName: ""\n              hasPrivateKey: true\n'),
    );
    expect(errors.map((e) => [e.where.line, e.message])).toEqual([
      [lineOf(text, 'dnsNames:'), 'dnsNames[0]: "sipinternal" is not a DNS name'],
      [lineOf(text, 'os: {'), 'version: "Windows Server 2016" is not a Windows version number: major.minor.build, e.g. 10.0.14393'],
      [lineOf(text, 'friendlyName: ""'), 'friendlyName: "" is not a name: leave it out when the certificate has none'],
    ]);
  });

  it('a schema violation in a snapshot over 4 MiB in block style, at its line (the general YAML reader is not needed)', () => {
    const padding = `${'# a reviewer\'s note, repeated to make the file large\n'.repeat(100_000)}`;
    const { errors, text } = load((t) => `${t.replace('    role: FrontEnd', '    role: Frontend')}${padding}`);
    expect(text.length).toBeGreaterThan(4 * 1024 * 1024);
    expect(errors.map((e) => [e.where.line, e.message])).toEqual([
      [lineOf(text, 'role: Frontend'), 'role: "Frontend" is not one of FrontEnd, StandardEdition, Director, Mediation, Edge, PersistentChat'],
    ]);
  });

  it('a missing required property and an unsupported version', () => {
    const { errors, text } = load((t) => t.replace('version: 1', 'version: 2').replace('    role: FrontEnd\n', ''));
    expect(errors.map((e) => [e.where.line, e.message])).toEqual([
      [lineOf(text, 'version: 2'), 'version: 2 is not supported: this sfb-certlint reads snapshot version 1'],
      [lineOf(text, '- fqdn: POOL01'), 'pools[0]: missing "role"'],
    ]);
  });

  it('an assignment whose thumbprint no listed file holds', () => {
    const other = 'AB'.repeat(20);
    const { errors, text, file } = load((t) => t.replace(`thumbprint: ${FE01}\n            previous`, `thumbprint: ${other}\n            previous`));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.describe()).toBe(
      `${file}:${lineOf(text, '- usage: OAuthTokenIssuer')}:13: OAuthTokenIssuer certificate of fe01.contoso.com ${other} is in none of the certificate files the snapshot lists`,
    );
    expect(errors[0]!.hint).toContain('certificates:');
  });

  it('a store entry whose thumbprint no listed file holds', () => {
    const { errors, text } = load((t) => t.replace('- path: certs/', '- path: certs/fe01.pem'));
    expect(errors.map((e) => [e.where.line, e.message])).toEqual([
      [lineOf(text, '- usage: OAuthTokenIssuer'), `previous OAuthTokenIssuer certificate of fe01.contoso.com ${ROOT} is in none of the certificate files the snapshot lists`],
      [lineOf(text, `- thumbprint: ${ROOT}`), `certificate in the root store of fe01.contoso.com ${ROOT} is in none of the certificate files the snapshot lists`],
    ]);
  });

  it('a missing certificate file', () => {
    const { errors, text, file } = load((t) => t.replace('- path: certs/', '- path: certs/\n  - path: missing.pfx'));
    expect(errors.map((e) => [e.where.line, e.message])).toEqual([[lineOf(text, 'missing.pfx'), `certificate file or folder not found: ${join(file, '..', 'missing.pfx')}`]]);
  });

  it('an unreadable certificate file, named by its own path', () => {
    const dir = workspace({ 'snapshot.yaml': SNAPSHOT });
    writeFileSync(join(dir, 'certs', 'damaged.cer'), new Uint8Array([0x30, 0x82, 0x01]));
    const errors = inputErrors(() => loadSnapshot(dir));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.where.path).toBe(join(dir, 'certs', 'damaged.cer'));
  });

  it('a password variable that is not set, by name', () => {
    const { errors, text } = load((t) => t.replace('- path: certs/', '- path: certs/\n    passwordEnv: CONTOSO_PFX_PASSWORD'));
    expect(errors.map((e) => [e.where.line, e.message])).toEqual([[lineOf(text, '- path: certs/'), 'passwordEnv: the environment variable CONTOSO_PFX_PASSWORD is not set']]);
  });

  it('references the schema cannot check: sites, duplicates, default domains', () => {
    const { errors, text } = load((t) =>
      t
        .replace('    site: 1', '    site: 2')
        .replace('  - name: Fabrikam.com', '  - name: Fabrikam.com\n    default: true')
        .replace('      - fqdn: fe02.contoso.com', '      - fqdn: FE01.contoso.com')
        .replace('          - usage: OAuthTokenIssuer', '          - usage: Default'),
    );
    expect(errors.map((e) => [e.where.line, e.message])).toEqual([
      [lineOf(text, 'sipDomains:'), 'sipDomains: more than one domain is marked default: true'],
      [lineOf(text, 'site: 2'), 'site: no site has the id "2"'],
      [lineOf(text, '- usage: Default', lineOf(text, '- usage: Default')), `usage Default appears twice (first at line ${lineOf(text, '- usage: Default')})`],
      [lineOf(text, '- fqdn: FE01'), `server fe01.contoso.com appears twice (first at line ${lineOf(text, '- fqdn: fe01')})`],
    ]);
  });

  it('collects several errors into one InputErrorList, one line each', () => {
    const dir = workspace({ 'snapshot.yaml': SNAPSHOT.replace('role: FrontEnd', 'role: Frontend').replace('version: 1', 'version: 3') });
    let error: unknown;
    try {
      loadSnapshot(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputErrorList);
    const lines = (error as InputErrorList).describe().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/snapshot\.yaml:2:\d+: version: 3 is not supported/);
    expect((error as InputErrorList).message).toBe('version: 3 is not supported: this sfb-certlint reads snapshot version 1 (and 1 more)');
  });
});

describe('loadSnapshot: files as admins keep them', () => {
  it('passes over a private key, a CSR and a CRL in a listed folder, with a one-line notice each', () => {
    const dir = workspace({ 'snapshot.yaml': SNAPSHOT });
    cpSync(join(FIXTURES, 'stray'), join(dir, 'certs'), { recursive: true });
    const notices: Array<{ path: string; message: string }> = [];
    const d = loadSnapshot(dir, { onNotice: (n) => notices.push(n) });
    expect(d.certificates.get(FE01)).toBeDefined();
    expect(d.certificateFiles.map((f) => f.slice(dir.length + 1))).toEqual(['certs/chain.p7b', 'certs/fe01.pem', 'certs/root.cer']);
    // The reader's own words for what each file is (openssl's PEM labels: PRIVATE KEY, CERTIFICATE REQUEST, X509 CRL).
    expect(notices).toEqual([
      { path: join(dir, 'certs', 'private-key.pem'), message: 'skipped: a private key alone, not a certificate' },
      { path: join(dir, 'certs', 'request.pem'), message: 'skipped: a certificate signing request (CSR), not a certificate' },
      { path: join(dir, 'certs', 'revoked.pem'), message: 'skipped: a certificate revocation list (CRL), not a certificate' },
    ]);
  });

  it('still stops at a damaged certificate file in the folder, and at a key listed by name', () => {
    const dir = workspace({ 'snapshot.yaml': SNAPSHOT.replace('- path: certs/', '- path: certs/\n  - path: stray/private-key.pem') });
    cpSync(join(FIXTURES, 'stray'), join(dir, 'stray'), { recursive: true });
    writeFileSync(join(dir, 'certs', 'damaged.cer'), new Uint8Array([0x30, 0x82, 0x01]));
    const errors = inputErrors(() => loadSnapshot(dir, { onNotice: () => {} }));
    expect(errors.map((e) => e.where.path)).toEqual([join(dir, 'certs', 'damaged.cer'), join(dir, 'stray', 'private-key.pem')]);
    expect(errors[1]!.message).toMatch(/private key/);
  });

  it('reads Windows paths (certs\\fe01.pem) on every system', () => {
    const dir = workspace({ 'snapshot.yaml': SNAPSHOT.replace('- path: certs/', '- path: certs\\fe01.pem\n  - path: .\\certs\\root.cer') });
    const d = loadSnapshot(dir);
    expect(d.certificateFiles).toEqual([join(dir, 'certs', 'fe01.pem'), join(dir, 'certs', 'root.cer')]);
  });

  it('refuses an effectiveDate that is not on the calendar', () => {
    const dir = workspace({ 'snapshot.yaml': SNAPSHOT.replace('effectiveDate: 2030-07-22T06:00:00Z', 'effectiveDate: 2030-02-30T06:00:00Z') });
    expect(inputErrors(() => loadSnapshot(dir)).map((e) => e.message)).toEqual([
      'effectiveDate: "2030-02-30T06:00:00Z" is not a date (February 2030 has 28 days); expected an ISO 8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z',
    ]);
  });
});

describe('findSnapshots: a folder walked as ESLint walks one', () => {
  it('finds each snapshot folder below, in name order, not inside node_modules, dot-folders or a snapshot folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'sfb-walk-'));
    for (const folder of ['prod', 'lab/eu', 'lab/us', 'node_modules/pkg', '.git/x', '.hidden', 'prod/nested', 'empty']) mkdirSync(join(root, folder), { recursive: true });
    for (const file of ['prod/snapshot.yaml', 'lab/eu/snapshot.json', 'lab/us/sfb-snapshot.yml', 'node_modules/pkg/snapshot.yaml', '.git/x/snapshot.yaml', '.hidden/snapshot.yaml', 'prod/nested/snapshot.yaml']) {
      writeFileSync(join(root, file), 'version: 1\n');
    }
    expect(findSnapshots(root)).toEqual([join(root, 'lab/eu'), join(root, 'lab/us'), join(root, 'prod')]);
    expect(findSnapshots(join(root, 'prod'))).toEqual([join(root, 'prod')]);
    expect(findSnapshots(join(root, 'empty'))).toEqual([]);
  });
});
