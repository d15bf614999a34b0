/** PEM blocks (RFC 7468) found in text, with the line each begins on. */
export interface PemBlock {
  label: string;
  /** The label of the END line, which must equal `label`. */
  endLabel: string;
  /** The base64 body, whitespace removed; headers such as `Proc-Type:` skipped. */
  base64: string;
  line: number;
}

/** An RFC 7468 label: printable characters, with hyphens and spaces only inside. */
const LABEL = /^[\x21-\x2c\x2e-\x7e](?:[\x21-\x2c\x2e-\x7e -]*[\x21-\x2c\x2e-\x7e])?$/;

/** Every PEM block in `text`, in order (see pemBlocks). */
export const findPemBlocks = (text: string): PemBlock[] => [...pemBlocks(text)];

/**
 * The PEM blocks of `text` one by one, so that a reader that stops (at its error limit) leaves the rest
 * of a hostile file unscanned; text around and between blocks (as `openssl x509 -text` writes) is ignored.
 * Found with indexOf, each part of the text looked at once: a regular expression from BEGIN to END
 * rescans the rest of the text from every BEGIN without an END, quadratic on a hostile file.
 */
export function* pemBlocks(text: string): Generator<PemBlock> {
  let line = 1;
  let counted = 0;
  for (let pos = 0; ; ) {
    const begin = text.indexOf('-----BEGIN ', pos);
    const labelStart = begin + '-----BEGIN '.length;
    const labelEnd = begin < 0 ? -1 : text.indexOf('-----', labelStart);
    if (labelEnd < 0) break;
    const label = text.slice(labelStart, labelEnd);
    pos = labelEnd;
    if (!LABEL.test(label)) continue;
    const end = findEnd(text, labelEnd + 5);
    // No END after this BEGIN means none after any later one either.
    if (!end) break;
    line += countNewlines(text, counted, begin);
    counted = begin;
    const body = text
      .slice(labelEnd + 5, end.start)
      .split(/\r?\n|\r/)
      .filter((l) => !l.includes(':'))
      .join('')
      .replace(/\s+/g, '');
    yield { label, endLabel: end.label, base64: body, line };
    pos = end.next;
  }
}

/** The first `-----END label-----` at or after `from`; its label has no hyphen and no line end. */
function findEnd(text: string, from: number): { start: number; label: string; next: number } | undefined {
  for (let start = text.indexOf('-----END ', from); start >= 0; start = text.indexOf('-----END ', start + 1)) {
    const labelStart = start + '-----END '.length;
    let i = labelStart;
    while (i < text.length && text[i] !== '-' && text[i] !== '\r' && text[i] !== '\n') i++;
    if (text.startsWith('-----', i)) return { start, label: text.slice(labelStart, i), next: i + 5 };
  }
  return undefined;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 decoding: Node's decoder skips invalid characters silently, which would hide damage. */
export function decodeBase64(body: string): Uint8Array | null {
  if (!BASE64.test(body) || body.length % 4 === 1) return null;
  return new Uint8Array(Buffer.from(body, 'base64'));
}
