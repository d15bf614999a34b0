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
 * What a terminal must not receive from a file: C0 controls (ESC starts the sequences that clear the
 * screen or retitle the window), DEL, C1 controls (U+009B is a one-character CSI), the line and paragraph
 * separators, and the bidirectional marks and overrides that make text read other than it is stored
 * (after U+202E, `gpj.exe` shows as `exe.jpg`).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * Escapes what a terminal must not receive (see UNSAFE) so a string from a file is safe to show:
 * `\x1b`, `\u202e`. Cut to `maxLength` characters, so that a message quoting a hostile file stays a line.
 */
export function printable(s: string, maxLength = Infinity): string {
  const cut = s.length > maxLength ? `${s.slice(0, maxLength - 1)}…` : s;
  return cut.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
