import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { explainPasswordError, resolvePassword } from '../../src/cli/password.js';
import { InputError } from '../../src/errors.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sfb-password-'));
const io = (env: NodeJS.ProcessEnv = {}) => ({ env, cwd: dir }) as unknown as CliIo;
const fromFile = (name: string, bytes: Uint8Array | string) => {
  writeFileSync(join(dir, name), bytes);
  return resolvePassword(io(), { 'password-file': name });
};
/** What Windows PowerShell 5.1's `'text' | Out-File name` writes: UTF-16 LE with a byte order mark, and CRLF. */
const outFile = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${text}\r\n`, 'utf16le')]);

describe('--password-file', () => {
  it('reads a password file as Windows PowerShell 5.1 writes it: UTF-16 LE with a BOM, CRLF', () => {
    expect(fromFile('ps51.txt', outFile('Pässwörd-€'))).toBe('Pässwörd-€');
  });

  it('takes one trailing line end as the file\'s, not the password\'s; a second one, and spaces, are the password\'s', () => {
    expect(fromFile('lf.txt', 'contoso\n')).toBe('contoso');
    expect(fromFile('crlf.txt', 'contoso\r\n')).toBe('contoso');
    expect(fromFile('bom.txt', '\ufeffcontoso\n')).toBe('contoso');
    expect(fromFile('none.txt', 'contoso')).toBe('contoso');
    expect(fromFile('two.txt', 'contoso\n\n')).toBe('contoso\n');
    expect(fromFile('spaces.txt', ' contoso \n')).toBe(' contoso ');
  });

  it('says which file it cannot read, never its content', () => {
    expect(() => resolvePassword(io(), { 'password-file': 'missing.txt' })).toThrow('cannot read the password file: file not found');
  });
});

describe('a password that does not open a file names where it came from', () => {
  const mac = new InputError('MAC check failed: wrong password or damaged file', { path: join(dir, 'edge', 'edge-ext.pfx') });

  it('the variable, or the file', () => {
    expect(explainPasswordError(mac, { 'password-env': 'FAB_PFX_PASSWORD' }).message).toBe('the password in FAB_PFX_PASSWORD does not open edge-ext.pfx (MAC check failed: wrong password or damaged file)');
    expect(explainPasswordError(mac, { 'password-file': 'secrets/pw.txt' }).message).toBe('the password in secrets/pw.txt does not open edge-ext.pfx (MAC check failed: wrong password or damaged file)');
    // Other errors are left as they are.
    const damaged = new InputError('damaged PKCS #12 file: no MAC', { path: 'x.pfx' });
    expect(explainPasswordError(damaged, { 'password-env': 'X' })).toBe(damaged);
  });

  it('opens the example Edge certificate with a PowerShell 5.1 password file, through the real command', () => {
    writeFileSync(join(dir, 'contoso.txt'), outFile('contoso'));
    const result = spawnSync(process.execPath, [join(ROOT, 'bin/sfb-certlint.js'), 'inspect', join(ROOT, 'examples/contoso-clean/edge/edge-av.pfx'), '--password-file', join(dir, 'contoso.txt'), '--format', 'json'], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)[0].privateKey.present).toBe(true);
  });
});
