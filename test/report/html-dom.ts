/**
 * Reading a report's HTML as a browser builds it: parse5 is the WHATWG HTML parser (the one jsdom
 * uses), so what these helpers find is what a reader's browser shows, whatever the report's text.
 */
import { parse } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';

export type Node = DefaultTreeAdapterMap['node'];
export type Element = DefaultTreeAdapterMap['element'];

export const parseHtml = (html: string): Element => {
  const document = parse(html);
  return document.childNodes.find((n): n is Element => 'tagName' in n && n.tagName === 'html')!;
};

const isElement = (n: Node): n is Element => 'tagName' in n;

function childrenOf(n: Node): Node[] {
  if (isElement(n) && n.tagName === 'template') return (n as unknown as { content: { childNodes: Node[] } }).content.childNodes;
  return 'childNodes' in n ? (n.childNodes as Node[]) : [];
}

/** Every element under `root` (depth first, document order) that `match` accepts. */
export function all(root: Node, match: (e: Element) => boolean): Element[] {
  const found: Element[] = [];
  const walk = (n: Node) => {
    for (const child of childrenOf(n)) {
      if (isElement(child)) {
        if (match(child)) found.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

export const first = (root: Node, match: (e: Element) => boolean): Element | undefined => all(root, match)[0];

export const attr = (e: Element, name: string): string | undefined => e.attrs.find((a) => a.name === name)?.value;
export const has = (e: Element, name: string) => e.attrs.some((a) => a.name === name);
export const tag = (name: string) => (e: Element) => e.tagName === name;
export const withAttr = (name: string, value?: string) => (e: Element) => (value === undefined ? has(e, name) : attr(e, name) === value);
export const withClass = (cls: string) => (e: Element) => (attr(e, 'class') ?? '').split(/\s+/).includes(cls);
export const byId = (root: Node, id: string) => first(root, withAttr('id', id));

/** Elements a browser lays out on lines of their own (or as cells): their text is set apart from the next. */
const SEPARATE = new Set(['br', 'p', 'div', 'li', 'dt', 'dd', 'td', 'th', 'tr', 'h1', 'h2', 'h3', 'pre', 'section', 'header', 'summary']);

/** The text a reader sees in an element: its text nodes, lines and cells apart, whitespace collapsed. */
export function text(n: Node): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeName === '#text') parts.push((node as DefaultTreeAdapterMap['textNode']).value);
    const separate = isElement(node) && SEPARATE.has(node.tagName);
    if (separate) parts.push(' ');
    for (const child of childrenOf(node)) walk(child);
    if (separate) parts.push(' ');
  };
  walk(n);
  return parts.join('').replace(/\s+/g, ' ').trim();
}
