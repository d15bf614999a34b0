/**
 * The fast reader (src/snapshot/yaml-subset.ts) must read every document it accepts exactly as the yaml
 * package does, data and node offsets, and leave everything else to it.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node } from 'yaml';
import { readYamlSubset } from '../../src/snapshot/yaml-subset.js';

const KEEP = new Set(['thumbprint', 'previousThumbprint']);
const MAX_DEPTH = 64;

/** What YamlSource read before the fast path: yaml's data, thumbprints as written, and each node's offset. */
function reference(text: string) {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0 || doc.warnings.length > 0) return null;
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || !KEEP.has(String(pair.key.value))) return;
      if (isScalar(pair.value) && typeof pair.value.value === 'number' && pair.value.source !== undefined) pair.value.value = pair.value.source;
    },
  });
  // Every path in the document with the offset YamlSource.where took for it: a property's key, an item's start.
  const starts: Array<[Array<string | number>, number | undefined]> = [];
  const walk = (node: unknown, path: Array<string | number>) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = (pair.key as { value: string }).value;
        starts.push([[...path, key], (pair.key as Node).range?.[0]]);
        walk(pair.value, [...path, key]);
      }
      starts.push([[...path, 'absent'], undefined], [[...path, 0], undefined]);
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        starts.push([[...path, i], (item as Node).range?.[0]], [[...path, String(i)], (item as Node).range?.[0]]);
        walk(item, [...path, i]);
      });
      starts.push([[...path, node.items.length], undefined], [[...path, 'x'], undefined]);
    } else {
      starts.push([[...path, 0], undefined]);
    }
  };
  walk(doc.contents, []);
  return { data: doc.toJS() as unknown, starts, rootStart: doc.contents!.range![0], lines };
}

/** Asserts the fast reader either declines `text` or reads it as yaml does; returns whether it read it. */
function agrees(text: string): boolean {
  const fast = readYamlSubset(text, KEEP, MAX_DEPTH);
  if (!fast) return false;
  const ref = reference(text);
  expect(ref, 'the fast reader accepted a document yaml refuses').not.toBeNull();
  expect(fast.data).toEqual(ref!.data);
  for (const [path, start] of ref!.starts) expect(fast.start(path), JSON.stringify(path)).toBe(start);
  expect(fast.rootStart).toBe(ref!.rootStart);
  for (let offset = 0; offset <= text.length; offset += Math.max(1, Math.floor(text.length / 50))) {
    expect(fast.linePos(offset)).toEqual(ref!.lines.linePos(offset));
  }
  return true;
}

describe('readYamlSubset', () => {
  it('reads the example snapshots as yaml does', () => {
    for (const name of ['contoso', 'contoso-clean']) {
      expect(agrees(readFileSync(new URL(`../../examples/${name}/snapshot.yaml`, import.meta.url), 'utf8'))).toBe(true);
    }
  });

  it.each([
    ['plain and quoted scalars', 'a: 1\nb: "two # not a comment"\nc: \'it\'\'s\'\nd: plain text  # comment\ne: ~\nf: true\ng: 0x1F\nh: 0o17\ni: -1.5e3\nj: .inf\nk: .NaN\nl: 1.\nm: +12\nn: null\no: 2030-07-22T06:00:00Z\n'],
    ['thumbprints as written', 'thumbprint: 1234567890123456789012345678901234567890\npreviousThumbprint: 0x12\nother: 0x12\n'],
    ['nesting, compact sequences, flow sequences', 'pools:\n- fqdn: a\n  servers:\n    - fqdn: b\n      stores: {}\n  list: [x, 1, https://y.example/z,  true ]\nempty: []\nnothing:\n'],
    ['comments everywhere', '# head\n\nkey:   # after a key\n  # inside\n  - a # after\n# between\n  - b\n'],
    ['CRLF line ends', 'a: 1\r\nb:\r\n  - c\r\n'],
    ['a document without a final newline', 'a:\n  b: c'],
    ['an indented root', '  a: 1\n  b: 2\n'],
    ['a sequence as the root', '- a\n- b: c\n  d: e\n'],
    ['non-ASCII text', 'name: Zürich — 東京\nquoted: "\u200e4A C7"\n'],
    ['dashes and colons inside scalars', 'a: -1\nb: -x\nc: a:b\nd: ---\ne: x#y\nf: http://h:8080/p\n'],
  ])('reads %s as yaml does', (_, text) => {
    expect(agrees(text)).toBe(true);
  });

  it.each([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['an escape', 'a: "\\u0041"\n'],
    ['a flow mapping', 'a: {b: 1}\n'],
    ['a tab', 'a:\tb\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a quoted key', '"a": 1\n'],
    ['several documents', 'a: 1\n---\nb: 2\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['an item below its dash', '-\n  a: 1\n'],
    ['a sequence in a sequence', '- - a\n'],
    ['a nested mapping on one line', 'a: b: c\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['a scalar document', 'just text\n'],
    ['an empty document', '# nothing\n'],
    ['a prototype key', '__proto__: 1\n'],
    ['a key that reads as a boolean', 'true: 1\n'],
    ['a flow sequence over two lines', 'a: [b,\n  c]\n'],
    ['a trailing comma', 'a: [b, ]\n'],
    ['a comment glued to a quoted scalar', 'a: "b"#c\n'],
    ['JSON', '{"a": 1}\n'],
    ['nesting deeper than the limit', `${Array.from({ length: 70 }, (_, i) => `${'  '.repeat(i)}k:`).join('\n')} 1\n`],
  ])('leaves %s to the yaml package', (_, text) => {
    expect(readYamlSubset(text, KEEP, MAX_DEPTH)).toBeNull();
  });

  it('never reads a document differently from yaml', () => {
    type Tree = { scalar: string } | { map: Array<[string, Tree]> } | { seq: Tree[] };
    const scalar = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('fe01.contoso.com', 'Microsoft RSA SChannel Provider', 'https://x.example/p', '4AC786A227A06996EB912FF28BF82ED641DA559B', '1234', '2030-06-01T06:00:00Z', 'CSP', '') },
      { weight: 3, arbitrary: fc.constantFrom('1', '-1', '+1', '0x1f', '0o7', '1.5', '.5', '1e3', '.inf', '-.Inf', '.nan', 'null', 'Null', '~', 'true', 'FALSE', 'yes', 'a b', 'a:b', 'a #b', 'a#b', '---', '-a', 'x ', 'é\u00a0', '[a]', '[a, 1]', '[ b ,c]', '[]', '{}', '"q"', "'q''s'", '"a" # c') },
      { weight: 1, arbitrary: fc.constantFrom('a: b', '-', '- a', ':a', '?a', '*a', '&a', '!a', '%a', '@a', '`a', '|', '>', '{a: 1}', '"q\\"', "'a'b", '#c') },
      { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
    );
    const key = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('a', 'b', 'c', 'thumbprint', 'previousThumbprint', 'k-1', '$s', 'd.e') },
      { weight: 1, arbitrary: fc.constantFrom('true', '1', 'a b', '"a"', '__proto__') },
    );
    const { tree } = fc.letrec<{ tree: Tree; map: Tree; seq: Tree }>((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, scalar.map((s) => ({ scalar: s })), tie('map'), tie('seq')),
      map: fc.uniqueArray(fc.tuple(key, tie('tree')), { minLength: 1, maxLength: 4, selector: ([k]) => k }).map((pairs) => ({ map: pairs })),
      seq: fc.array(tie('tree'), { minLength: 1, maxLength: 4 }).map((items) => ({ seq: items })),
    }));
    const style = fc.record({ width: fc.integer({ min: 1, max: 4 }), compact: fc.boolean(), comments: fc.boolean(), crlf: fc.boolean() });
    /** Block style, the way people and yaml.stringify write it, with the style's variations. */
    const render = (node: Tree, indent: number, s: { width: number; compact: boolean; comments: boolean }, lead = ''): string[] => {
      const pad = ' '.repeat(indent);
      const comment = s.comments ? ' # c' : '';
      if ('scalar' in node) return [`${pad}${lead}${node.scalar}${comment}`];
      if ('map' in node) {
        return node.map.flatMap(([k, v], i) => {
          const at = i === 0 ? `${pad}${lead}` : ' '.repeat(indent + lead.length);
          const inner = indent + lead.length;
          if ('scalar' in v) return [`${at}${k}:${v.scalar === '' ? '' : ` ${v.scalar}`}${comment}`];
          return [`${at}${k}:${comment}`, ...render(v, 'seq' in v && s.compact ? inner : inner + s.width, s)];
        });
      }
      return node.seq.flatMap((item, i) => {
        if ('seq' in item) return [`${pad}${i === 0 ? lead : ''}-`, ...render(item, indent + s.width, s)];
        return render(item, indent, s, `${i === 0 ? lead : ''}- `);
      });
    };
    const root = fc.oneof(tree.filter((t) => !('scalar' in t)));
    let read = 0;
    let runs = 0;
    fc.assert(
      fc.property(root, style, (t, s) => {
        runs++;
        if (agrees(render(t, 0, s).join(s.crlf ? '\r\n' : '\n'))) read++;
      }),
      { numRuns: 4000, seed: 7 },
    );
    // The cases must exercise the fast path, not only its refusals.
    expect(read / runs).toBeGreaterThan(0.1);
  });
});
