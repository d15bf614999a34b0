import { readInputFile } from '../certs/read.js';
import { InputError } from '../errors.js';

/** Snapshots, topologies and inventories are a few megabytes at most; a larger file is a mistake or an attack. */
export const DEFAULT_MAX_TEXT_BYTES = 32 * 1024 * 1024;

/**
 * Reads a text file as Windows tools write it: UTF-8 with or without a BOM, or UTF-16 with a BOM
 * (Windows PowerShell 5.1's `>` and Out-File write UTF-16LE). Refuses files over `maxBytes`.
 */
export function readTextFile(path: string, maxBytes = DEFAULT_MAX_TEXT_BYTES): string {
  return decodeText(readInputFile(path, maxBytes), path);
}

export function decodeText(bytes: Uint8Array, path: string): string {
  let text: string;
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    // The UTF-8 decoder drops a BOM itself.
    else text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError('not text: neither UTF-8 nor UTF-16 with a byte order mark', { path });
  }
  // Decodable, but no text file holds NULs: this is UTF-16 without its byte order mark, or binary.
  if (text.includes('\0')) throw new InputError('not text: it holds NUL characters (UTF-16 without a byte order mark?)', { path });
  return text;
}
