import { InputError } from '../errors.js';
import { decodeByBom, readInputFile } from '../files.js';

/** Snapshots, topologies and inventories are a few megabytes at most; a larger file is a mistake or an attack. */
export const DEFAULT_MAX_TEXT_BYTES = 32 * 1024 * 1024;

/**
 * Topology exports and inventory listings are a few megabytes even for large deployments; the XML and
 * JSON readers need some 80 times a file's size in memory (docs/robustness.md), so the default is lower
 * than for snapshots. --max-input-size raises it.
 */
export const DEFAULT_MAX_IMPORT_BYTES = 8 * 1024 * 1024;

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
    text = decodeByBom(bytes, true);
  } catch {
    throw new InputError('not text: neither UTF-8 nor UTF-16 with a byte order mark', { path });
  }
  // Decodable, but no text file holds NULs: this is UTF-16 without its byte order mark, or binary.
  if (text.includes('\0')) throw new InputError('not text: it holds NUL characters (UTF-16 without a byte order mark?)', { path });
  return text;
}
