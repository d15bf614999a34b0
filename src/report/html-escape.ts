/**
 * HTML built so that nothing from a certificate, a snapshot or a configuration can become markup: the
 * `html` template escapes every value put into it unless the value is itself `html` made here. Text
 * direction overrides and control characters are shown as the terminal output shows them (`\E2\80\AE`,
 * printableLines), so a crafted Subject cannot reorder what the reader sees.
 */
import { printableLines } from '../errors.js';

export class Html {
  constructor(readonly text: string) {}
}

type Value = Html | string | number | boolean | null | undefined | Value[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escaped for HTML text and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return visible(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Control characters (but tab and newline) and bidirectional overrides escaped, as in the terminal. */
export const visible = printableLines;

function render(value: Value): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/** A template whose every interpolated value is escaped, unless it is `Html` already. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup written here, not taken from input (the stylesheet, the script). */
export const trusted = (text: string) => new Html(text);
