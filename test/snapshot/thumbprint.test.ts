import { describe, expect, it } from 'vitest';
import { normaliseThumbprint } from '../../src/snapshot/thumbprint.js';

const HEX = 'A9D51A2911C74FABFF7F2A8A994B20857D399107';

describe('normaliseThumbprint', () => {
  it.each([
    ['upper-case already', HEX],
    ['lower-case', HEX.toLowerCase()],
    ['spaced pairs, as the certificate dialog shows it', 'a9 d5 1a 29 11 c7 4f ab ff 7f 2a 8a 99 4b 20 85 7d 39 91 07'],
    ['colons, as openssl prints it', 'A9:D5:1A:29:11:C7:4F:AB:FF:7F:2A:8A:99:4B:20:85:7D:39:91:07'],
    ['a left-to-right mark copied from the dialog', `\u200ea9 d5 1a 29 11 c7 4f ab ff 7f 2a 8a 99 4b 20 85 7d 39 91 07`],
    ['right-to-left mark and BOM', `\ufeff${HEX}\u200f`],
    ['surrounding whitespace and a tab', `  ${HEX}\t`],
  ])('accepts %s', (_, text) => {
    expect(normaliseThumbprint(text)).toBe(HEX);
  });

  it.each([
    ['39 digits', HEX.slice(1)],
    ['41 digits', `${HEX}0`],
    ['a non-hex letter', `${HEX.slice(1)}G`],
    ['a SHA-256 thumbprint', 'AB'.repeat(32)],
    ['dashes (not a separator Windows uses)', HEX.replace(/(..)(?!$)/g, '$1-')],
    ['empty', ''],
  ])('refuses %s', (_, text) => {
    expect(normaliseThumbprint(text)).toBeNull();
  });
});
