import { createRequire } from 'node:module';
import type { CST, Document, LineCounter, Node } from 'yaml';
import { InputError, printable } from '../errors.js';
import { shown, throwIfAny } from './errors.js';
import type { SourceLocation } from './model.js';
import { readYamlSubset, type SubsetDocument } from './yaml-subset.js';

/** A path into the document: property names and list indexes. */
export type DocumentPath = ReadonlyArray<string | number>;

interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A validator Ajv generated (scripts/generate-validators.mjs), which leaves its errors on itself. */
type Validator = (data: unknown) => boolean;

export interface YamlSourceOptions {
  validate: Validator;
  /** What the file is, for messages: `snapshot`, `configuration`. */
  what: string;
  /** The page that documents the format. */
  docs: string;
}

/** Properties holding thumbprints: YAML reads an all-digit one as a number, which the source text corrects. */
const THUMBPRINT_KEYS = new Set(['thumbprint', 'previousThumbprint']);

/**
 * Deepest nesting of lists and mappings read. A snapshot nests seven levels; yaml composes documents
 * recursively, and a few thousand levels overflow the stack, which V8 cannot always survive.
 */
const MAX_DEPTH = 64;

/** Schema errors listed for one file: each costs a look-up of its line, and no one reads ten thousand. */
const MAX_SCHEMA_ERRORS = 100;

/**
 * The yaml package, loaded on first use: most snapshots and configurations are read without it (see
 * readYamlSubset), and loading it is a third of a small lint's start-up. It is CommonJS: it loads
 * synchronously.
 */
let yamlPackage: typeof import('yaml') | undefined;
const yaml = (): typeof import('yaml') => (yamlPackage ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));

/**
 * Beyond this, only the fast subset reader is used: the yaml package builds a node per token and was
 * measured at 2.3 GB and 19 s for 4 MB of token-dense text (docs/robustness.md).
 */
const GENERAL_YAML_MAX_MIB = 4;
const GENERAL_YAML_MAX_CHARS = GENERAL_YAML_MAX_MIB * 1024 * 1024;

/**
 * A YAML or JSON file (JSON is YAML) checked against its JSON Schema, keeping the line of every node
 * so that what is built from it (the model, and the findings made from it) points at the line where
 * each thing is declared. Snapshots use it, and so does the lint configuration.
 */
/** Whether a YAML text holds nothing but blank lines, comments and document markers (line by line: linear). */
export function isEmptyYaml(text: string): boolean {
  return text.split('\n').every((line) => {
    const t = line.trim();
    return t === '' || t.startsWith('#') || t === '---' || t === '...';
  });
}

export class YamlSource<T> {
  /** The text as the fast reader read it; null when it is outside the subset and the yaml package read it. */
  private readonly subset: SubsetDocument | null;
  private lines!: LineCounter;
  private doc!: Document;
  /** What is wrong with the text as YAML, found while parsing it. */
  private readonly problems: InputError[] = [];

  constructor(
    readonly path: string,
    private readonly text: string,
    private readonly options: YamlSourceOptions,
  ) {
    this.subset = readYamlSubset(text, THUMBPRINT_KEYS, MAX_DEPTH);
    if (!this.subset) this.parse();
  }

  /** Reads the text with the yaml package into `doc`, what is wrong with it into `problems`. */
  private parse(): void {
    const { Composer, Document, LineCounter, Parser } = yaml();
    const { text } = this;
    this.lines = new LineCounter();
    if (text.length > GENERAL_YAML_MAX_CHARS) {
      this.doc = new Document();
      this.problems.push(
        new InputError(
          `a ${this.options.what} this large (${Math.round(text.length / 1048576)} MiB) must be written in plain block style, as import writes it`,
          { path: this.path },
          `Anchors, aliases, flow mappings, multi-line strings and JSON are read only in files up to ${GENERAL_YAML_MAX_MIB} MiB: the general YAML reader needs some 500 times the file size in memory.`,
        ),
      );
      return;
    }
    // Parsed to tokens first, an iterative step, so that the depth is known before composing.
    const tokens = Array.from(new Parser(this.lines.addNewLine).parse(text));
    const tooDeep = deepCollection(tokens);
    if (tooDeep !== undefined) {
      this.problems.push(new InputError(`invalid ${this.format()}: nested more than ${MAX_DEPTH} levels deep`, this.at(tooDeep)));
    }
    // yaml's own uniqueKeys check compares each key with every earlier one: quadratic on a large mapping.
    // Its warnings (a list as a key) go to process.emitWarning, which Node prints, quoting the file: at
    // logLevel 'error' they stay quiet, and the key, stringified, meets the schema instead.
    const composer = new Composer({ uniqueKeys: false, logLevel: 'error' });
    const [doc, second] = tooDeep === undefined ? composer.compose(tokens, true, text.length) : [];
    this.doc = doc ?? new Document();
    if (second?.range) this.problems.push(new InputError(`invalid ${this.format()}: a second document starts here; a ${this.options.what} is one document`, this.at(second.range[0])));
  }

  /** The document, once it is valid YAML that the schema accepts; otherwise every error found. */
  read(): T {
    // The fast reader takes only text the yaml package reads without error, to the same data and
    // offsets (test/snapshot/yaml-subset.test.ts): its data needs only the schema.
    const data = this.subset ? this.subset.data : this.dataFromYaml();
    const validate = this.options.validate as Validator & { errors?: SchemaError[] | null };
    if (!validate(data)) {
      const all = validate.errors ?? [];
      const errors = all.slice(0, MAX_SCHEMA_ERRORS).map((e) => this.schemaError(e, data)).sort((a, b) => (a.where.line ?? 0) - (b.where.line ?? 0));
      if (all.length > MAX_SCHEMA_ERRORS) errors.push(new InputError(`and ${all.length - MAX_SCHEMA_ERRORS} more errors, not listed`, { path: this.path }));
      throwIfAny(errors);
    }
    return data as T;
  }

  /** The data the yaml package read, once the text has no YAML error; otherwise every error found. */
  private dataFromYaml(): unknown {
    throwIfAny([
      ...this.problems,
      ...[...this.doc.errors, ...this.doc.warnings].map(
        // yaml's messages may quote a token of the file, as long as the file.
        (e) => new InputError(`invalid ${this.format()}: ${printable(e.message.split('\n')[0]!, 200)}`, this.at(e.pos[0])),
      ),
      ...this.duplicateKeys(),
    ]);
    this.keepThumbprintsAsWritten();
    try {
      return this.doc.toJS();
    } catch (e) {
      // Aliases beyond yaml's limit (a "billion laughs" document) stop toJS.
      throw new InputError(`invalid ${this.format()}: ${(e as Error).message}`, { path: this.path });
    }
  }

  /**
   * Where the node at `path` is declared: a property at its key (`sipDomains:`, not the list below it),
   * a list item at its start; an absent node at its nearest existing ancestor.
   */
  where(path: DocumentPath): SourceLocation {
    for (let n = path.length; n > 0; n--) {
      const offset = this.start(path.slice(0, n));
      if (offset !== undefined) return this.at(offset);
    }
    const root = this.subset ? this.subset.rootStart : this.doc.contents?.range?.[0];
    return root !== undefined ? this.at(root) : { path: this.path };
  }

  /** The offset where the node at `path` is declared: its key for a property, its start for an item. */
  private start(path: DocumentPath): number | undefined {
    if (this.subset) return this.subset.start(path);
    const { isMap, isScalar } = yaml();
    const parent = this.doc.getIn(path.slice(0, -1), true);
    const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1]) : undefined;
    return ((pair?.key ?? this.doc.getIn(path, true)) as Node | undefined)?.range?.[0];
  }

  private format(): string {
    return this.path.toLowerCase().endsWith('.json') ? 'JSON' : 'YAML';
  }

  private at(offset: number): SourceLocation {
    const { line, col } = (this.subset ?? this.lines).linePos(offset);
    return { path: this.path, line, column: col };
  }

  /** A key written twice in one mapping, by the value of its scalar. */
  private duplicateKeys(): InputError[] {
    const { isScalar, visit } = yaml();
    const errors: InputError[] = [];
    visit(this.doc, {
      Map: (_, map) => {
        const seen = new Set<unknown>();
        for (const { key } of map.items) {
          if (!isScalar(key)) continue;
          if (seen.has(key.value)) errors.push(new InputError(`invalid ${this.format()}: key ${shown(key.value)} appears twice in the same mapping`, this.at(key.range?.[0] ?? 0)));
          seen.add(key.value);
        }
      },
    });
    return errors;
  }

  private keepThumbprintsAsWritten(): void {
    const { isScalar, visit } = yaml();
    visit(this.doc, {
      Pair(_, pair) {
        if (!isScalar(pair.key) || !THUMBPRINT_KEYS.has(String(pair.key.value))) return;
        const value = pair.value;
        if (isScalar(value) && typeof value.value === 'number' && value.source !== undefined) value.value = value.source;
      },
    });
  }

  private schemaError(e: SchemaError, data: unknown): InputError {
    const path = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    // A property name is the file's text: escaped and cut short like a value. A list item is named with its list.
    const last = path.at(-1);
    const name = printable(last === undefined ? this.options.what : /^\d+$/.test(last) && path.length > 1 ? `${path.at(-2)}[${last}]` : last, 80);
    const value = valueAt(data, path);
    switch (e.keyword) {
      case 'required':
        return new InputError(`${describePath(path)}: missing "${String(e.params.missingProperty)}"`, this.where(path));
      case 'additionalProperties': {
        const key = String(e.params.additionalProperty);
        return new InputError(`${describePath(path)}: unknown property ${shown(key)}`, this.where([...path, key]), `${this.options.docs} lists every property.`);
      }
      case 'enum':
        return new InputError(`${name}: ${shown(value)} is not one of ${(e.params.allowedValues as unknown[]).join(', ')}`, this.where(path));
      case 'const':
        return new InputError(`${name}: ${shown(value)} is not supported: this sfb-certlint reads ${this.options.what} ${name} ${JSON.stringify(e.params.allowedValue)}`, this.where(path));
      case 'type':
        return new InputError(
          `${name}: expected ${String(e.params.type).replace(',', ' or ')}, found ${value === null ? 'nothing (null)' : Array.isArray(value) ? 'a list' : typeof value}`,
          this.where(path),
          value === null && e.params.type === 'array' ? (path.includes('stores') ? 'Write [] for an empty store; leave the store out when it was not collected.' : 'Write [] for an empty list.') : undefined,
        );
      case 'pattern':
        return new InputError(`${name}: ${shown(value)} is not ${PATTERN_MEANING[patternName(e.schemaPath, name)] ?? `valid (${e.message})`}`, this.where(path));
      case 'minItems':
        return new InputError(`${name}: the list is empty`, this.where(path));
      default:
        return new InputError(`${describePath(path)}: ${e.message ?? e.keyword}`, this.where(path));
    }
  }
}

/** What each pattern of the schema stands for, by definition or property name. */
const PATTERN_MEANING: Record<string, string> = {
  thumbprint: 'a thumbprint: expected 40 hexadecimal digits (spaces, colons and invisible marks are ignored)',
  fqdn: 'a DNS name',
  url: 'an https URL',
  siteId: 'a site id',
  passwordEnv: 'an environment variable name (letters, digits and _)',
  effectiveDate: 'an ISO 8601 date, e.g. 2025-07-22T06:00:00Z',
  path: 'a path',
  version: 'a Windows version number: major.minor.build, e.g. 10.0.14393',
  caption: 'a name',
  friendlyName: 'a name: leave it out when the certificate has none',
};

function patternName(schemaPath: string, property: string): string {
  return /\/definitions\/(\w+)\/pattern$/.exec(schemaPath)?.[1] ?? property;
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let value = data;
  for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
  return value;
}

/** `pools[0].servers[1]`, as a person finds it in the file. */
function describePath(path: readonly string[]): string {
  if (path.length === 0) return 'the document';
  return path.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : `${i > 0 ? '.' : ''}${printable(s, 80)}`)).join('');
}

/** The offset of the first list or mapping nested deeper than MAX_DEPTH, walking the tokens without recursion. */
function deepCollection(tokens: CST.Token[]): number | undefined {
  const stack = tokens.map((token) => ({ token, depth: 0 }));
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { token, depth } = item;
    if (token.type === 'document') {
      if (token.value) stack.push({ token: token.value, depth });
    } else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth >= MAX_DEPTH) return token.offset;
      for (const { key, value } of token.items) {
        if (key) stack.push({ token: key, depth: depth + 1 });
        if (value) stack.push({ token: value, depth: depth + 1 });
      }
    }
  }
  return undefined;
}
