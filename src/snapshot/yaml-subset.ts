/**
 * A fast reader for the YAML that `import` writes and people write by hand: block mappings with simple
 * keys, block sequences, one-line scalars (plain, or quoted without escapes), one-line flow sequences
 * of plain scalars, `{}`, and comments.
 *
 * Why: the yaml package builds a node for every token and reads about a megabyte a second here, so
 * a snapshot of 10,000 servers (15 MB) took most of a lint's time, and loading the package is a third of
 * a small lint's start-up. For anything outside the subset (anchors, tags, block or multi-line scalars,
 * escapes, flow mappings, tabs, directives, several documents, a key written twice) this returns null
 * and the caller reads the text with the yaml package, which also reports every error. Inside the
 * subset the result equals the yaml package's: the same data (YAML 1.2 core schema) and the same offset
 * for every node (test/snapshot/yaml-subset.test.ts compares them).
 */
import type { DocumentPath } from './source.js';

/** A scalar is its offset; collections keep their children and where they start. */
type Node = number | MapNode | SeqNode;

interface MapNode {
  start: number;
  /** Key, key offset and value node, for each pair in order. */
  pairs: Array<[string, number, Node]>;
}

interface SeqNode {
  start: number;
  items: Node[];
}

export interface SubsetDocument {
  data: unknown;
  /** The offset where the node at `path` is declared (a property's key), or undefined when it is absent. */
  start(path: DocumentPath): number | undefined;
  rootStart: number;
  /** Line and column (from 1) of an offset, as yaml's LineCounter gives them. */
  linePos(offset: number): { line: number; col: number };
}

/** Thrown inside the reader when the text leaves the subset. */
class OutsideSubset extends Error {}

/**
 * The content lines (neither blank nor comment): each one's indentation, the offset where its text
 * starts and where it ends (before the line break). Numbers in one array, not an object per line: a
 * large snapshot has half a million lines.
 */
class Lines {
  private readonly fields: number[] = [];

  get count(): number {
    return this.fields.length / 3;
  }

  set(i: number, indent: number, offset: number, end: number): void {
    this.fields[3 * i] = indent;
    this.fields[3 * i + 1] = offset;
    this.fields[3 * i + 2] = end;
  }

  indent = (i: number): number => this.fields[3 * i]!;
  offset = (i: number): number => this.fields[3 * i + 1]!;
  end = (i: number): number => this.fields[3 * i + 2]!;
}

/** Characters the subset leaves to the full parser: tabs, control characters, a BOM, line separators, a lone CR. */
const UNSUPPORTED_CHARACTERS = /[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]|\r(?!\n)/;
const KEY = /^[A-Za-z_$][\w$.-]*$/;
/** Keys the core schema reads as null or a boolean, which yaml then turns into another string. */
const SPECIAL_KEY = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
/** Characters that cannot start a plain scalar, or start a construct outside the subset. */
const INDICATORS = new Set(['&', '*', '!', '|', '>', '%', '@', '`', ',', '[', ']', '{', '}', '?', ':', '#', '"', "'"]);

/**
 * Reads `text` if it is in the subset, else returns null. Plain scalars under the keys in
 * `keepAsWritten` stay the string written when the core schema would read a number.
 */
export function readYamlSubset(text: string, keepAsWritten: ReadonlySet<string>, maxDepth: number): SubsetDocument | null {
  if (UNSUPPORTED_CHARACTERS.test(text)) return null;
  const lineStarts = [0];
  const lines = new Lines();
  for (let start = 0; start <= text.length; ) {
    let next = text.indexOf('\n', start);
    if (next < 0) next = text.length;
    const end = text[next - 1] === '\r' ? next - 1 : next;
    let offset = start;
    while (offset < end && text[offset] === ' ') offset++;
    if (offset < end && text[offset] !== '#') lines.set(lines.count, offset - start, offset, end);
    if (next === text.length) break;
    start = next + 1;
    lineStarts.push(start);
  }
  if (lines.count === 0) return null;
  const reader = new Reader(text, lines, keepAsWritten, maxDepth);
  let root: { node: Node; data: unknown };
  try {
    root = reader.block(lines.indent(0), 0);
    if (reader.i < lines.count) return null;
  } catch (e) {
    if (e instanceof OutsideSubset) return null;
    throw e;
  }
  const locator = new Locator(root.node);
  return {
    data: root.data,
    start: (path) => locator.start(path),
    rootStart: nodeStart(root.node),
    linePos: (offset) => linePos(lineStarts, offset),
  };
}

class Reader {
  i = 0;

  constructor(
    private readonly text: string,
    private readonly lines: Lines,
    private readonly keepAsWritten: ReadonlySet<string>,
    private readonly maxDepth: number,
  ) {}

  /** The mapping or sequence whose first line is the current one, at `indent`. */
  block(indent: number, depth: number): { node: Node; data: unknown } {
    return this.isSeqItem(this.i) ? this.seq(indent, depth) : this.map(indent, depth);
  }

  /** Whether line `i` starts a sequence item: a dash, then a space or the end of the line. */
  private isSeqItem(i: number): boolean {
    const offset = this.lines.offset(i);
    return this.text[offset] === '-' && (offset + 1 === this.lines.end(i) || this.text[offset + 1] === ' ');
  }

  /** Whether line `i` exists and is indented `indent`. */
  private at(i: number, indent: number): boolean {
    return i < this.lines.count && this.lines.indent(i) === indent;
  }

  /**
   * Collections at `depth` (the root at 0, as yaml counts). A flow sequence may sit one level below a
   * block collection, and yaml refuses maxDepth: deeper documents are left to it.
   */
  private checkDepth(depth: number): void {
    if (depth > this.maxDepth - 2) throw new OutsideSubset();
  }

  private map(indent: number, depth: number): { node: MapNode; data: Record<string, unknown> } {
    this.checkDepth(depth);
    const { text, lines } = this;
    const node: MapNode = { start: lines.offset(this.i), pairs: [] };
    const data: Record<string, unknown> = {};
    while (this.at(this.i, indent) && !this.isSeqItem(this.i)) {
      const offset = lines.offset(this.i);
      const end = lines.end(this.i++);
      const colon = indexIn(text, ':', offset, end);
      if (colon < 0 || (colon + 1 < end && text[colon + 1] !== ' ')) throw new OutsideSubset();
      const key = text.slice(offset, colon);
      // A key written twice is an error the full parser reports; __proto__ it stores specially.
      if (!KEY.test(key) || SPECIAL_KEY.test(key) || key === '__proto__' || Object.hasOwn(data, key)) throw new OutsideSubset();
      let p = colon + 1;
      while (p < end && text[p] === ' ') p++;
      let value: { node: Node; data: unknown };
      if (p < end && text[p] !== '#') {
        value = this.inline(p, end, key);
        this.endOfValue(indent);
      } else if (this.i < lines.count && lines.indent(this.i) > indent) {
        value = this.block(lines.indent(this.i), depth + 1);
      } else if (this.at(this.i, indent) && this.isSeqItem(this.i)) {
        // A sequence may sit at its key's indentation: `key:` then `- item`.
        value = this.seq(indent, depth + 1);
      } else {
        value = { node: p, data: null };
      }
      node.pairs.push([key, offset, value.node]);
      data[key] = value.data;
    }
    this.endOfValue(indent);
    return { node, data };
  }

  private seq(indent: number, depth: number): { node: SeqNode; data: unknown[] } {
    this.checkDepth(depth);
    const { text, lines } = this;
    const node: SeqNode = { start: lines.offset(this.i), items: [] };
    const data: unknown[] = [];
    while (this.at(this.i, indent) && this.isSeqItem(this.i)) {
      const end = lines.end(this.i);
      let p = lines.offset(this.i) + 1;
      while (p < end && text[p] === ' ') p++;
      // An item on the lines below its `-`, or a sequence in a sequence, is left to the full parser.
      if (p === end || text[p] === '#' || (text[p] === '-' && (p + 1 === end || text[p + 1] === ' '))) throw new OutsideSubset();
      let item: { node: Node; data: unknown };
      if (this.startsPair(p, end)) {
        // `- key: value`: a mapping whose first line starts after the dash.
        const column = indent + p - lines.offset(this.i);
        lines.set(this.i, column, p, end);
        item = this.map(column, depth + 1);
      } else {
        this.i++;
        item = this.inline(p, end, undefined);
        this.endOfValue(indent);
      }
      node.items.push(item.node);
      data.push(item.data);
    }
    this.endOfValue(indent);
    return { node, data };
  }

  /** Whether the text at `p` is `key:` followed by a space or the end of the line. */
  private startsPair(p: number, end: number): boolean {
    const colon = indexIn(this.text, ':', p, end);
    return colon > p && (colon + 1 === end || this.text[colon + 1] === ' ') && KEY.test(this.text.slice(p, colon));
  }

  /** A line indented deeper after a value continues it (a multi-line scalar) or is an error: both for the full parser. */
  private endOfValue(indent: number): void {
    if (this.i < this.lines.count && this.lines.indent(this.i) > indent) throw new OutsideSubset();
  }

  /** A value written on its key's (or dash's) line, from `p` to the line's `end`. */
  private inline(p: number, end: number, key: string | undefined): { node: Node; data: unknown } {
    const { text } = this;
    const c = text[p]!;
    if (c === '"' || c === "'") {
      const { value, next } = c === '"' ? this.doubleQuoted(p, end) : this.singleQuoted(p, end);
      this.restOfLine(next, end);
      return { node: p, data: value };
    }
    if (c === '[') return this.flowSeq(p, end);
    if (c === '{') {
      if (text[p + 1] !== '}') throw new OutsideSubset();
      this.restOfLine(p + 2, end);
      return { node: { start: p, pairs: [] }, data: {} };
    }
    let stop = indexIn(text, ' #', p, end);
    if (stop < 0) stop = end;
    return { node: p, data: this.plain(trimSpaces(text.slice(p, stop)), key, false) };
  }

  private doubleQuoted(p: number, end: number): { value: string; next: number } {
    const close = indexIn(this.text, '"', p + 1, end);
    if (close < 0) throw new OutsideSubset();
    const value = this.text.slice(p + 1, close);
    if (value.includes('\\')) throw new OutsideSubset();
    return { value, next: close + 1 };
  }

  private singleQuoted(p: number, end: number): { value: string; next: number } {
    for (let q = p + 1; ; q += 2) {
      q = indexIn(this.text, "'", q, end);
      if (q < 0) throw new OutsideSubset();
      if (this.text[q + 1] !== "'") return { value: this.text.slice(p + 1, q).replaceAll("''", "'"), next: q + 1 };
    }
  }

  /** After a quoted scalar or a flow collection: nothing, or a comment after a space. */
  private restOfLine(p: number, end: number): void {
    let q = p;
    while (q < end && this.text[q] === ' ') q++;
    if (q < end && !(this.text[q] === '#' && q > p)) throw new OutsideSubset();
  }

  /** `[a, b]` on one line, of plain scalars. */
  private flowSeq(p: number, end: number): { node: SeqNode; data: unknown[] } {
    const close = indexIn(this.text, ']', p, end);
    if (close < 0) throw new OutsideSubset();
    const node: SeqNode = { start: p, items: [] };
    const data: unknown[] = [];
    const inner = this.text.slice(p + 1, close);
    if (trimSpaces(inner) !== '') {
      let from = p + 1;
      for (const part of inner.split(',')) {
        const value = trimSpaces(part);
        node.items.push(from + part.indexOf(value));
        data.push(this.plain(value, undefined, true));
        from += part.length + 1;
      }
    }
    this.restOfLine(close + 1, end);
    return { node, data };
  }

  /** A plain scalar's value by the YAML 1.2 core schema, as yaml resolves it. */
  private plain(raw: string, key: string | undefined, inFlow: boolean): unknown {
    const first = raw[0];
    if (
      first === undefined ||
      INDICATORS.has(first) ||
      (first === '-' && (raw.length === 1 || raw[1] === ' ')) ||
      raw.includes(': ') ||
      raw.endsWith(':') ||
      (inFlow && /[#[\]{}"']/.test(raw))
    ) {
      throw new OutsideSubset();
    }
    const value = coreScalar(raw);
    return typeof value === 'number' && key !== undefined && this.keepAsWritten.has(key) ? raw : value;
  }
}

/** yaml's core schema tags (yaml/dist/schema/core), in the order it tries them. */
function coreScalar(raw: string): unknown {
  if (/^(?:~|[Nn]ull|NULL)$/.test(raw)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(raw)) return raw[0] === 't' || raw[0] === 'T';
  if (/^0o[0-7]+$/.test(raw)) return parseInt(raw.slice(2), 8);
  if (/^[-+]?[0-9]+$/.test(raw)) return parseInt(raw, 10);
  if (/^0x[0-9a-fA-F]+$/.test(raw)) return parseInt(raw.slice(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(raw)) {
    return raw.slice(-3).toLowerCase() === 'nan' ? NaN : raw[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(raw) || /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(raw)) return parseFloat(raw);
  return raw;
}

/** `search` within [from, end) of the text, or -1: indexOf alone would scan the rest of a large document. */
function indexIn(text: string, search: string, from: number, end: number): number {
  const at = text.slice(from, end).indexOf(search);
  return at < 0 ? -1 : from + at;
}

/** Spaces only: String.trim would also take the other whitespace yaml keeps in a scalar. */
const trimSpaces = (s: string): string => s.replace(/^ +| +$/g, '');

const nodeStart = (node: Node): number => (typeof node === 'number' ? node : node.start);

/** As yaml's Collection.getIn: a mapping by key, a sequence by index (a number, or digits). */
function child(node: Node | undefined, step: string | number): { node: Node; start: number } | undefined {
  if (node === undefined || typeof node === 'number') return undefined;
  if ('pairs' in node) {
    const pair = node.pairs.find(([key]) => key === step);
    return pair && { node: pair[2], start: pair[1] };
  }
  const index = typeof step === 'string' && step !== '' ? Number(step) : step;
  const item = typeof index === 'number' && Number.isInteger(index) && index >= 0 ? node.items[index] : undefined;
  return item === undefined ? undefined : { node: item, start: nodeStart(item) };
}

/**
 * Finds nodes by path. The loader asks for every pool, server and store entry in document order, so a
 * walk resumes from the longest prefix it shares with the previous one instead of from the root.
 */
class Locator {
  private path: Array<string | number> = [];
  /** The node and offset at each step of `path`. */
  private readonly found: Array<{ node: Node; start: number }> = [];

  constructor(private readonly root: Node) {}

  start(path: DocumentPath): number | undefined {
    let shared = 0;
    while (shared < path.length && shared < this.path.length && path[shared] === this.path[shared]) shared++;
    this.path.length = shared;
    this.found.length = shared;
    for (let i = shared; i < path.length; i++) {
      const next = child(i === 0 ? this.root : this.found[i - 1]!.node, path[i]!);
      if (!next) return undefined;
      this.path.push(path[i]!);
      this.found.push(next);
    }
    return path.length === 0 ? nodeStart(this.root) : this.found[path.length - 1]!.start;
  }
}

/** yaml's LineCounter.linePos, over the same line starts. */
function linePos(lineStarts: number[], offset: number): { line: number; col: number } {
  let low = 0;
  let high = lineStarts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (lineStarts[mid]! < offset) low = mid + 1;
    else high = mid;
  }
  if (lineStarts[low] === offset) return { line: low + 1, col: 1 };
  if (low === 0) return { line: 0, col: offset };
  return { line: low, col: offset - lineStarts[low - 1]! + 1 };
}
