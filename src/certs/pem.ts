/** PEM blocks (RFC 7468) found in text, with the line each begins on. */
export interface PemBlock {
  label: string;
  /** The label of the END line, which must equal `label`. */
  endLabel: string;
  /** The base64 body, whitespace removed; headers such as `Proc-Type:` skipped. */
  base64: string;
  line: number;
}

const BLOCK = /-----BEGIN ([\x21-\x2c\x2e-\x7e](?:[\x21-\x2c\x2e-\x7e -]*[\x21-\x2c\x2e-\x7e])?)-----([\s\S]*?)-----END ([^-\r\n]*)-----/g;

/** Every PEM block in `text`; text around and between blocks (as `openssl x509 -text` writes) is ignored. */
export function findPemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let line = 1;
  let counted = 0;
  for (const m of text.matchAll(BLOCK)) {
    line += countNewlines(text, counted, m.index);
    counted = m.index;
    const body = m[2]!
      .split(/\r?\n|\r/)
      .filter((l) => !l.includes(':'))
      .join('')
      .replace(/\s+/g, '');
    blocks.push({ label: m[1]!, endLabel: m[3]!, base64: body, line });
  }
  return blocks;
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
