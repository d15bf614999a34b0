/**
 * Generated inputs: real files mutated (bit flips, truncation, insertions from a dictionary of hostile
 * fragments, splices of two files), DER built from scratch (lengths that overflow or point past the
 * end, indefinite lengths, deep nesting), and the encodings text files come in (BOMs, CRLF, UTF-16).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

export const ROOT = new URL('../../', import.meta.url).pathname;

/** Every file under `dir` (relative to the repository) whose name matches, sorted; none when `dir` is absent. */
export function filesIn(dir: string, name: RegExp): string[] {
  let names: string[];
  try {
    names = readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return names
    .map((n) => join(ROOT, dir, n))
    .filter((p) => name.test(p) && statSync(p).isFile())
    .sort();
}

export const bytesOf = (path: string): Uint8Array => new Uint8Array(readFileSync(path));

type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; byte: number }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; length: number }
  | { op: 'repeat'; at: number; length: number; times: number }
  | { op: 'splice'; at: number; from: number; seed: number; length: number };

const mutation = (dictionary: Uint8Array[]): fc.Arbitrary<Mutation> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.constantFrom(0x00, 0x01, 0x30, 0x80, 0x7f, 0xff, 0x84, 0x0a, 0x0d) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }) },
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant('insert' as const),
        at: fc.nat(),
        bytes: dictionary.length > 0 ? fc.oneof(fc.constantFrom(...dictionary), fc.uint8Array({ maxLength: 16 })) : fc.uint8Array({ maxLength: 16 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 32 }), times: fc.integer({ min: 2, max: 200 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('splice' as const), at: fc.nat(), from: fc.nat(), seed: fc.nat(), length: fc.integer({ min: 1, max: 512 }) }) },
  );

function apply(data: Uint8Array, m: Mutation, seeds: Uint8Array[]): Uint8Array {
  const at = data.length === 0 ? 0 : m.at % (data.length + 1);
  const join = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
  switch (m.op) {
    case 'flip': {
      if (data.length === 0) return data;
      const copy = Uint8Array.from(data);
      copy[m.at % data.length]! ^= 1 << m.bit;
      return copy;
    }
    case 'set': {
      if (data.length === 0) return data;
      const copy = Uint8Array.from(data);
      copy[m.at % data.length] = m.byte;
      return copy;
    }
    case 'truncate':
      return data.subarray(0, at);
    case 'insert':
      return join(data.subarray(0, at), m.bytes, data.subarray(at));
    case 'delete':
      return join(data.subarray(0, at), data.subarray(at + m.length));
    case 'repeat': {
      const piece = data.subarray(at, at + m.length);
      return join(data.subarray(0, at), ...Array<Uint8Array>(m.times).fill(piece), data.subarray(at));
    }
    case 'splice': {
      const other = seeds[m.seed % seeds.length]!;
      const from = other.length === 0 ? 0 : m.from % other.length;
      return join(data.subarray(0, at), other.subarray(from, from + m.length), data.subarray(at));
    }
  }
}

/** A seed file with up to `max` mutations applied in turn; now and then the seed unchanged. */
export function mutated(seeds: Uint8Array[], dictionary: Uint8Array[] = [], max = 6): fc.Arbitrary<Uint8Array> {
  if (seeds.length === 0) throw new Error('no seed files');
  return fc
    .tuple(fc.nat(seeds.length - 1), fc.array(mutation(dictionary), { maxLength: max }))
    .map(([i, mutations]) => mutations.reduce((data, m) => apply(data, m, seeds), seeds[i]!));
}

/** Text as Windows and other tools write it: UTF-8 with or without a BOM, UTF-16 with or without one, CRLF or CR line ends. */
export type Encoding = 'utf8' | 'utf8-bom' | 'utf16le-bom' | 'utf16be-bom' | 'utf16le' | 'crlf' | 'cr' | 'latin1';

export function encode(text: string, encoding: Encoding): Uint8Array {
  const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text);
    case 'utf8-bom':
      return Buffer.from(`\ufeff${text}`);
    case 'utf16le-bom':
      return Buffer.from(`\ufeff${text}`, 'utf16le');
    case 'utf16be-bom':
      return utf16be(`\ufeff${text}`);
    case 'utf16le':
      return Buffer.from(text, 'utf16le');
    case 'crlf':
      return Buffer.from(text.replace(/\r?\n/g, '\r\n'));
    case 'cr':
      return Buffer.from(text.replace(/\r?\n/g, '\r'));
    case 'latin1':
      return Buffer.from(text, 'latin1');
  }
}

const ENCODINGS: Encoding[] = ['utf8', 'utf8-bom', 'utf16le-bom', 'utf16be-bom', 'utf16le', 'crlf', 'cr', 'latin1'];

type TextMutation =
  | { op: 'delete-line'; line: number }
  | { op: 'duplicate-line'; line: number; times: number }
  | { op: 'swap-lines'; a: number; b: number }
  | { op: 'indent'; line: number; by: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'replace'; at: number; length: number; text: string };

const textMutation = (dictionary: string[]): fc.Arbitrary<TextMutation> => {
  const fragment = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...dictionary) }, { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) });
  return fc.oneof(
    fc.record({ op: fc.constant('delete-line' as const), line: fc.nat() }),
    fc.record({ op: fc.constant('duplicate-line' as const), line: fc.nat(), times: fc.integer({ min: 1, max: 50 }) }),
    fc.record({ op: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }),
    fc.record({ op: fc.constant('indent' as const), line: fc.nat(), by: fc.integer({ min: -4, max: 6 }) }),
    fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fragment }),
    fc.record({ op: fc.constant('replace' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }), text: fragment }),
  );
};

function applyText(text: string, m: TextMutation): string {
  const lines = text.split('\n');
  const line = (n: number) => n % lines.length;
  switch (m.op) {
    case 'delete-line':
      lines.splice(line(m.line), 1);
      return lines.join('\n');
    case 'duplicate-line':
      lines.splice(line(m.line), 0, ...Array<string>(m.times).fill(lines[line(m.line)]!));
      return lines.join('\n');
    case 'swap-lines': {
      const [a, b] = [line(m.a), line(m.b)];
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
    case 'indent': {
      const l = line(m.line);
      lines[l] = m.by >= 0 ? ' '.repeat(m.by) + lines[l] : lines[l]!.slice(Math.min(-m.by, lines[l]!.search(/\S|$/)));
      return lines.join('\n');
    }
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'replace': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at + m.length);
    }
  }
}

/**
 * A seed text with up to `max` edits (lines deleted, repeated, swapped, re-indented; fragments from the
 * dictionary inserted), written in one of the encodings, then sometimes damaged as bytes.
 */
export function mutatedText(seeds: string[], dictionary: string[], max = 5): fc.Arbitrary<Uint8Array> {
  const bytes = fc
    .tuple(fc.nat(seeds.length - 1), fc.array(textMutation(dictionary), { maxLength: max }), fc.constantFrom(...ENCODINGS))
    .map(([i, edits, encoding]) => encode(edits.reduce(applyText, seeds[i]!), encoding));
  return fc.oneof({ weight: 4, arbitrary: bytes }, { weight: 1, arbitrary: bytes.chain((b) => mutated([b], [], 3)) });
}

/** Inputs that are not files of the kind at all. */
export const junk: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.constant(new Uint8Array(0)),
  fc.uint8Array({ maxLength: 2048 }),
  fc.string({ maxLength: 256, unit: 'grapheme' }).map((s) => new Uint8Array(Buffer.from(s))),
  fc.constantFrom(...(['utf16le-bom', 'utf16be-bom', 'utf8-bom'] as const)).map((e) => encode('', e)),
);

// ---- DER from scratch.

/** A DER length field: definite (short or long form, sometimes longer than the content), indefinite, or broken. */
const lengthField = (length: number): fc.Arbitrary<number[]> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(derLength(length)) },
    { weight: 1, arbitrary: fc.constant<number[]>([0x80]) },
    { weight: 1, arbitrary: fc.constantFrom<number[]>([0x84, 0xff, 0xff, 0xff, 0xff], [0x85, 1, 0, 0, 0, 0], [0x88, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0xff], [0x81], [0x82, 0xff]) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 70_000 }).map((extra) => derLength(length + extra)) },
    { weight: 1, arbitrary: fc.constant<number[]>([0x82, length >> 8, length & 0xff]) },
  );

export function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

export const tlv = (tag: number, content: Uint8Array): Uint8Array => new Uint8Array(Buffer.concat([Uint8Array.from([tag, ...derLength(content.length)]), content]));

const TAGS = [0x30, 0x31, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x17, 0x18, 0x1e, 0x1c, 0xa0, 0xa1, 0xa3, 0x80, 0x82, 0x1f, 0x3f];

/** A tree of TLVs, each length sometimes wrong; sometimes with the end-of-contents octets of BER. */
export const derTree: fc.Arbitrary<Uint8Array> = fc.letrec<{ node: Uint8Array }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fc.constantFrom(...TAGS), fc.uint8Array({ maxLength: 24 })).chain(([tag, content]) =>
      lengthField(content.length).map((length) => new Uint8Array([tag, ...length, ...content])),
    ),
    fc.tuple(fc.constantFrom(0x30, 0x31, 0xa0, 0xa3, 0x24), fc.array(tie('node'), { maxLength: 5 }), fc.boolean()).chain(([tag, kids, eoc]) => {
      const content = new Uint8Array(Buffer.concat([...kids, eoc ? new Uint8Array(2) : new Uint8Array(0)]));
      return lengthField(content.length).map((length) => new Uint8Array([tag, ...length, ...content]));
    }),
  ),
})).node;

/** `levels` SEQUENCEs nested in one another: BER indefinite lengths, or definite lengths (computed inside out). */
export function nestedSequences(levels: number, indefinite: boolean): Uint8Array {
  if (indefinite) {
    const out = new Uint8Array(levels * 4);
    for (let i = 0; i < levels; i++) out.set([0x30, 0x80], 2 * i);
    return out;
  }
  const headers: number[][] = [];
  let length = 0;
  for (let i = 0; i < levels; i++) {
    const header = [0x30, ...derLength(length)];
    headers.push(header);
    length += header.length;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (let i = levels - 1; i >= 0; i--) {
    out.set(headers[i]!, at);
    at += headers[i]!.length;
  }
  return out;
}
