import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputError, printable } from '../../errors.js';

/**
 * XML from outside is untrusted. A DOCTYPE is refused before parsing: it is how entity expansion
 * ("billion laughs") and external entities get in, and Microsoft's exports never carry one. Entities
 * are not processed; the five predefined ones and character references are decoded here, which
 * expands nothing.
 */
const DTD = /<!(DOCTYPE|ENTITY)\b/i;

/** An element, with the path that names it in error messages (`/Topology/Clusters/Cluster[@Fqdn='…']`). */
export class XmlElement {
  constructor(
    /** Local name, without a namespace prefix. */
    readonly name: string,
    readonly path: string,
    private readonly node: Record<string, unknown>,
  ) {}

  /** An attribute by local name, entities decoded. */
  attr(name: string): string | undefined {
    for (const [key, value] of Object.entries(this.node)) {
      if (key.startsWith('@_') && localName(key.slice(2)) === name) return decodeEntities(String(value));
    }
    return undefined;
  }

  /** Child elements with this local name, in whatever namespace. */
  children(name: string): XmlElement[] {
    const found = Object.entries(this.node)
      .filter(([key]) => !key.startsWith('@_') && key !== '#text' && localName(key) === name)
      .flatMap(([, list]) => list as Array<Record<string, unknown>>);
    return found.map((node, i) => {
      const fqdn = typeof node['@_Fqdn'] === 'string' ? decodeEntities(node['@_Fqdn']) : undefined;
      // The path is printed as the error's location: the attribute is the file's text, escaped and cut short.
      const which = fqdn !== undefined ? `[@Fqdn='${printable(fqdn, 80)}']` : found.length > 1 ? `[${i + 1}]` : '';
      return new XmlElement(name, `${this.path}/${name}${which}`, node);
    });
  }

  child(name: string): XmlElement | undefined {
    return this.children(name)[0];
  }

  /** The element's text, entities decoded. */
  text(): string {
    return decodeEntities(String(this.node['#text'] ?? ''));
  }

}

/** The document element of an XML text and its namespace, refusing DTDs and reporting malformed XML with its line. */
export function parseXml(text: string, path: string): { root: XmlElement; namespace: string | undefined } {
  const dtd = DTD.exec(text);
  if (dtd) {
    throw new InputError(
      `refused: the XML declares ${dtd[1]!.toUpperCase() === 'ENTITY' ? 'an ENTITY' : 'a DOCTYPE'} (entity expansion and external entities are not allowed)`,
      { path, line: lineAt(text, dtd.index) },
      'Export the topology again with Get-CsTopology -AsXml: it never writes a DOCTYPE.',
    );
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new InputError(`malformed XML: ${parserMessage(valid.err.msg)}`, { path, line: valid.err.line, column: valid.err.col });
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    processEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    alwaysCreateTextNode: true,
    isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  });
  let document: Record<string, Array<Record<string, unknown>>>;
  try {
    document = parser.parse(text);
  } catch (e) {
    // The parser's own limits (elements nested more than 100 deep) and what its validator let through.
    throw new InputError(`cannot read the XML: ${parserMessage((e as Error).message)}`, { path });
  }
  const [qualifiedName, nodes] = Object.entries(document)[0] ?? [];
  if (!qualifiedName || !nodes?.[0]) throw new InputError('not XML: no document element', { path });
  const prefix = qualifiedName.includes(':') ? qualifiedName.slice(0, qualifiedName.indexOf(':')) : undefined;
  const namespace = nodes[0][prefix ? `@_xmlns:${prefix}` : '@_xmlns'];
  return {
    root: new XmlElement(localName(qualifiedName), `/${printable(localName(qualifiedName), 80)}`, nodes[0]),
    namespace: typeof namespace === 'string' ? namespace : undefined,
  };
}

/** fast-xml-parser's message, which quotes names from the file (or lists every unclosed tag): cut short, control characters escaped. */
const parserMessage = (message: string) => printable(message.replace(/\s+/g, ' '), 200);

function localName(qualifiedName: string): string {
  return qualifiedName.slice(qualifiedName.indexOf(':') + 1);
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (whole, name: string) => {
    if (name[0] !== '#') return PREDEFINED[name]!;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
