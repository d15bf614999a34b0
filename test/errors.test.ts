import { describe, expect, it } from 'vitest';
import { closest, InputError, printable, terminalText } from '../src/errors.js';

describe('printable: text from files, safe for a terminal', () => {
  it('escapes C0 controls, DEL and C1 controls as openssl does, each UTF-8 byte as \\XX (CSI, OSC, BEL, CR, NUL)', () => {
    expect(printable('a\u001b[2J\u001b]0;owned\u0007b')).toBe('a\\1B[2J\\1B]0;owned\\07b');
    expect(printable('\r\n\t\u0000\u007f\u009b31m')).toBe('\\0D\\0A\\09\\00\\7F\\C2\\9B31m');
  });

  it('escapes the bidirectional controls and line separators the same way (CVE-2021-42574), and nothing else', () => {
    const bidi = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028\u2029';
    expect(printable(bidi)).toBe('\\E2\\80\\AA\\E2\\80\\AB\\E2\\80\\AC\\E2\\80\\AD\\E2\\80\\AE\\E2\\81\\A6\\E2\\81\\A7\\E2\\81\\A8\\E2\\81\\A9\\E2\\80\\8E\\E2\\80\\8F\\D8\\9C\\E2\\80\\A8\\E2\\80\\A9');
    expect(printable('Zürich – ÅÄÖ 北京 ✓ \\ "')).toBe('Zürich – ÅÄÖ 北京 ✓ \\ "');
  });

  it('cuts a long text to a line', () => {
    expect(printable('x'.repeat(500), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('InputError.describe() escapes its message and element path: they quote files', () => {
    const error = new InputError('bad \u001b[31mname\u202e', { path: 'a\u0007.yaml', line: 3, element: '/T[@Fqdn=\'\u009b\']' });
    expect(error.describe()).toBe("a\\07.yaml:3 (/T[@Fqdn='\\C2\\9B']): bad \\1B[31mname\\E2\\80\\AE");
  });
});

describe('closest: did you mean', () => {
  it('finds a typo of a command, an option, a severity: swapped, missing, extra or wrong letters', () => {
    expect(closest('lnit', ['lint', 'inspect', 'import', 'verify', 'rules'])).toBe('lint');
    expect(closest('inpsect', ['lint', 'inspect', 'import'])).toBe('inspect');
    expect(closest('--fromat', ['--format', '--output', '--config'])).toBe('--format');
    expect(closest('erorr', ['off', 'info', 'warning', 'error'])).toBe('error');
    expect(closest('key-sise', ['key-size', 'signature-sha2'])).toBe('key-size');
    expect(closest('LINT', ['lint'])).toBe('lint');
  });

  it('suggests nothing for a word that is no typo of any', () => {
    expect(closest('snapshots', ['lint', 'inspect', 'import', 'verify', 'rules'])).toBeUndefined();
    expect(closest('fatal', ['off', 'info', 'warning', 'error'])).toBeUndefined();
    expect(closest('lint', ['lint'])).toBeUndefined();
  });
});

describe('terminalText', () => {
  it('escapes every line of an error and its hint, keeping the line breaks between them', () => {
    const error = new InputError('bad\u001b[2J', { path: 'x.yaml' }, 'hint \u009b31m');
    expect(terminalText(error)).toBe('x.yaml: bad\\1B[2J\nhint \\C2\\9B31m');
  });
});
