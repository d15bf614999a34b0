import { InputError, printable } from '../../errors.js';
import { shown } from '../errors.js';
import { DEFAULT_MAX_IMPORT_BYTES, readTextFile } from '../text.js';

export type Row = Record<string, unknown>;

/**
 * The objects of a `ConvertTo-Json` file, as Windows PowerShell 5.1 and PowerShell 7 write it: an array,
 * a single object (what ConvertTo-Json makes of one object), nothing at all (of no objects), or 5.1's
 * `{"value": [...], "Count": n}` wrapping of some arrays. UTF-16LE with a BOM (5.1's `>`) is read too.
 */
export function readPowerShellJson(path: string, maxBytes = DEFAULT_MAX_IMPORT_BYTES): Row[] {
  const text = readTextFile(path, maxBytes);
  if (text.trim() === '') return [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    // Machine-written: a damaged file is a truncated or mangled copy, so the file is named, with what JSON.parse
    // says (which quotes the file around the fault, line ends and all).
    throw new InputError(`invalid JSON: ${printable((e as Error).message, 200)}`, { path }, 'Copy the file from the server again, or run the collector again.');
  }
  if (isRow(data) && Array.isArray(data.value) && 'Count' in data) data = data.value;
  const rows = Array.isArray(data) ? data : [data];
  rows.forEach((row, i) => {
    if (!isRow(row)) throw new InputError(`expected objects, found ${shown(row)}`, { path, element: `[${i}]` });
  });
  return rows as Row[];
}

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A date as ConvertTo-Json writes one, as ISO 8601 UTC: `/Date(1389000000000)/` (5.1; milliseconds since
 * 1970 UTC, an offset after them only says which zone displayed it), an ISO string (7), or 5.1's
 * `{"value": ..., "DateTime": "..."}` for dates carrying extra properties. Undefined when absent, null
 * when unreadable.
 */
export function powerShellDate(value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  // One level of wrapping, as 5.1 writes it; read without recursion, so that a hostile nesting cannot overflow the stack.
  const text = isRow(value) ? value.value : value;
  if (typeof text !== 'string') return text === undefined || text === null ? undefined : null;
  const ms = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(text)?.[1];
  const date = ms !== undefined ? new Date(Number(ms)) : new Date(text);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().replace('.000Z', 'Z');
}
