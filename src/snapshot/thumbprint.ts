/**
 * Separators people paste with a thumbprint: spaces and colons, and the invisible marks (U+200E
 * LEFT-TO-RIGHT MARK, U+200F, U+FEFF) that copying from the Windows certificate dialog inserts.
 */
const SEPARATORS = /[\s:\u200e\u200f\ufeff]/g;

/** A SHA-1 thumbprint as the model keeps it (upper-case, 40 hex digits), or null when it is not one. */
export function normaliseThumbprint(text: string): string | null {
  const hex = text.replace(SEPARATORS, '').toUpperCase();
  return /^[0-9A-F]{40}$/.test(hex) ? hex : null;
}
