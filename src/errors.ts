/**
 * An input the tool cannot use: a file it cannot read, parse or decrypt, a bad snapshot or
 * configuration. The CLI prints `where: message` (and `hint` on its own line) without a stack trace,
 * and exits 2. Messages never contain a password or key material.
 */
export class InputError extends Error {
  constructor(
    message: string,
    readonly where: InputLocation = {},
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }

  /** `path:line: message` or `path (element): message`, as a compiler writes it. */
  describe(): string {
    return `${formatLocation(this.where)}${this.message}`;
  }

  /** The same error, located in `path` when it had no file yet. */
  at(where: InputLocation): InputError {
    return new InputError(this.message, { ...where, ...definedOnly(this.where) }, this.hint);
  }
}

export interface InputLocation {
  path?: string;
  line?: number;
  column?: number;
  /** An element path in XML, or a property path in JSON/YAML, where no line is known. */
  element?: string;
}

export function formatLocation(where: InputLocation): string {
  if (!where.path && !where.element) return '';
  // A path comes from the file system or a file: control characters in it must not reach a terminal.
  let s = where.path === undefined ? '' : printable(where.path);
  if (where.line !== undefined) s += `:${where.line}${where.column !== undefined ? `:${where.column}` : ''}`;
  if (where.element) s += s ? ` (${where.element})` : where.element;
  return `${s}: `;
}

function definedOnly(where: InputLocation): InputLocation {
  return Object.fromEntries(Object.entries(where).filter(([, v]) => v !== undefined)) as InputLocation;
}

/** A message for anything thrown, for the CLI's one-line error. */
export function errorMessage(e: unknown): string {
  if (e instanceof InputError) return e.describe();
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * Replaces control characters (C0, DEL, C1) and the bidirectional formatting characters that can reorder
 * what a terminal shows (U+061C, U+200E-F, U+202A-E, U+2066-9) so a string from a file is safe to show
 * in a terminal; cut to `maxLength` characters, so that a message quoting a hostile file stays a line.
 */
export function printable(s: string, maxLength = Infinity): string {
  const cut = s.length > maxLength ? `${s.slice(0, maxLength - 1)}…` : s;
  // eslint-disable-next-line no-control-regex
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
