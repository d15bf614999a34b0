import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FINGERPRINT_KEY } from '../../src/report/sarif.js';

const GOLDEN = new URL('./golden/', import.meta.url);
const golden = (file: string) => readFileSync(new URL(file, GOLDEN), 'utf8');

describe('the output contracts, pinned on the bundled example', () => {
  it('stylish, JSON and SARIF are what test/report/golden holds (regenerate with its update.mjs, and review the diff)', () => {
    const check = spawnSync(process.execPath, [new URL('update.mjs', GOLDEN).pathname, '--check'], { encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('is what README.md shows under "What you see": the golden stylish output, abridged', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const shown = readme.split('## What you see\n\n```\n')[1]!.split('```')[0]!.trimEnd().split('\n');
    // The README's command runs at the clock's time: no line saying --now fixed it.
    const output = golden('contoso.txt').replace(/\n\nEvaluated at .*\n$/, '\n').trimEnd().split('\n').slice(1);
    const gap = shown.indexOf('  …');
    expect(shown.slice(0, gap)).toEqual(output.slice(0, gap));
    expect(shown.slice(gap + 1)).toEqual(output.slice(-(shown.length - gap - 1)));
  });

  it('keeps the fingerprint key code scanning matches alerts by', () => {
    expect(FINGERPRINT_KEY).toBe('sfbCertlint/v1');
    const results = JSON.parse(golden('contoso.sarif')).runs[0].results as Array<{ partialFingerprints: Record<string, string> }>;
    expect(results.every((r) => Object.keys(r.partialFingerprints).join() === 'sfbCertlint/v1')).toBe(true);
  });

  it('keeps the fingerprints of known findings, computed by the documented recipe', () => {
    // SHA-256 of JSON.stringify([snapshot path, rule, pool, server, usage, thumbprint, message id]),
    // its first 32 hex digits, ':1' (docs/json-format.md); a certificate's defect leaves pool, server
    // and usage empty, as does the OAuth certificate in use on some servers (the servers that use it are
    // its places). Worked out by hand for these two findings of examples/contoso:
    //   ["examples/contoso/snapshot.yaml","key-size","","","","4CDFFFE895CD13DE0E1F4C97D763BF80B7EDA8A3","tooShort"]
    //   ["examples/contoso/snapshot.yaml","oauth-same-certificate","","","","F77B3FFAB58657C675FFA8ABB0391074A85A5894","differs"]
    const findings = JSON.parse(golden('contoso.json')).findings as Array<{ ruleId: string; fingerprint: string }>;
    const results = JSON.parse(golden('contoso.sarif')).runs[0].results as Array<{ ruleId: string; partialFingerprints: Record<string, string> }>;
    const of = (ruleId: string) => [findings.find((f) => f.ruleId === ruleId)!.fingerprint, results.find((r) => r.ruleId === ruleId)!.partialFingerprints['sfbCertlint/v1']];
    expect(of('key-size')).toEqual(['d4edca0664f9195d0fa908a2c3028886:1', 'd4edca0664f9195d0fa908a2c3028886:1']);
    expect(of('oauth-same-certificate')).toEqual(['57831b4f279f8440fe8333d8d0b3f432:1', '57831b4f279f8440fe8333d8d0b3f432:1']);
  });
});
