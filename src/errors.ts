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

  /**
   * `path:line: message` or `path (element): message`, as a compiler writes it, safe for a terminal: a
   * message may quote a file's text.
   */
  describe(): string {
    return `${formatLocation(this.where)}${printable(this.message)}`;
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
  if (where.element) s += s ? ` (${printable(where.element)})` : printable(where.element);
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
 * An input error as a terminal shows it: `where: message` (a line per error of a list, each with its
 * hint), then the hint; every line escaped, as any of it may quote a file.
 */
export function terminalText(e: InputError): string {
  const text = `${e.describe()}${e.hint ? `\n${e.hint}` : ''}`;
  return text
    .split('\n')
    .map((line) => printable(line))
    .join('\n');
}

/**
 * Characters that must not reach a terminal as they are: C0 controls (ESC starts the sequences that clear
 * the screen, move the cursor or retitle the window; CR and BS overwrite what was printed), DEL, C1
 * controls (U+009B is a one-character CSI), the line and paragraph separators, and the bidirectional
 * marks, embeddings, overrides and isolates that make a terminal show text in another order than it
 * is (a name that reads `moc.osotnoc` backwards, CVE-2021-42574).
 */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Replaces control characters so a string from a file is safe to show in a terminal, the way
 * `openssl x509 -subject` does: each byte of the character's UTF-8 as `\XX` (ESC is `\1B`, DEL `\7F`,
 * the C1 CSI `\C2\9B`, the right-to-left override U+202E `\E2\80\AE`); cut to `maxLength` characters,
 * so that a message quoting a hostile file stays a line. JSON and SARIF keep exact values: only
 * human-readable output needs this.
 */
export function printable(s: string, maxLength = Infinity): string {
  const cut = s.length > maxLength ? `${s.slice(0, maxLength - 1)}…` : s;
  return cut.replace(UNPRINTABLE, escapeCharacter);
}

/** As printable, keeping tabs and line breaks: for text laid out on several lines (an HTML or Markdown report). */
export function printableLines(s: string): string {
  return s.replace(UNPRINTABLE, (c) => (c === '\n' || c === '\t' ? c : escapeCharacter(c)));
}

const escapeCharacter = (c: string): string => [...Buffer.from(c, 'utf8')].map((b) => `\\${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

/**
 * The candidate closest to what was typed, if it is close enough to be a typo (`lnit` → `lint`,
 * `--fromat` → `--format`, `erorr` → `error`): at most one edit in four characters, two at most, a
 * swap of neighbours counting as one. Case is ignored.
 */
export function closest(typed: string, candidates: Iterable<string>): string | undefined {
  const word = typed.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  const allowed = Math.min(2, Math.max(1, Math.floor(word.length / 4)));
  return bestDistance <= allowed && best !== typed ? best : undefined;
}

/** `; did you mean 'lint'?` after an unknown name, or nothing when no candidate is close. */
export function didYouMean(typed: string, candidates: Iterable<string>): string {
  const match = closest(typed, candidates);
  return match === undefined ? '' : `; did you mean '${match}'?`;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return Math.abs(a.length - b.length);
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
