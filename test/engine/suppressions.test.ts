import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/engine/config.js';
import { lintDeployment } from '../../src/engine/run.js';
import { placesOf, type Finding } from '../../src/engine/types.js';
import type { Suppression } from '../../src/engine/suppressions.js';
import { createChainValidation } from '../../src/engine/validation.js';
import { InputError } from '../../src/errors.js';
import keySize from '../../src/rules/key-size.js';
import { deployment, frontEndPool } from '../rules/harness.js';

// Two Front Ends whose Default certificate has a 1024-bit key: key-size reports it (once per server, or
// once with a place per server).
const weak = deployment({ pools: [frontEndPool({ Default: 'rsa-1024' }, 2)] });
const onFe01 = (findings: Finding[]) => findings.find((f) => placesOf(f).some((p) => p.server === 'fe01.contoso.com'))!;
const lintAt = (now: string, suppressions: Suppression[]) =>
  lintDeployment(weak, { rules: [keySize], settings: {}, suppressions, now: new Date(now), validate: createChainValidation() });

const accepted: Suppression = {
  rule: 'key-size',
  server: 'fe01.contoso.com',
  reason: 'Replaced in the June change window.',
  owner: 'PKI team',
  ticket: 'CHG-2041',
  expires: '2026-06-30',
};

describe('suppressions with an expiry date', () => {
  it('apply through the whole day they expire on (UTC), with their owner and ticket', () => {
    const result = lintAt('2026-06-30T23:59:59Z', [accepted]);
    const fe01 = onFe01(result.findings);
    expect(fe01.suppression).toEqual({ reason: accepted.reason, owner: 'PKI team', ticket: 'CHG-2041', expires: '2026-06-30' });
    expect(fe01.lapsedSuppression).toBeUndefined();
    expect(result.unusedSuppressions).toEqual([]);
  });

  it('lapse the next day: the finding counts again and its message says so', () => {
    const result = lintAt('2026-07-01T00:00:00Z', [accepted]);
    const fe01 = onFe01(result.findings);
    expect(fe01.suppression).toBeUndefined();
    expect(fe01.lapsedSuppression).toMatchObject({ reason: accepted.reason, expires: '2026-06-30', ticket: 'CHG-2041' });
    expect(fe01.message).toMatch(/1024-bit RSA key.*\. The suppression that accepted it expired on 2026-06-30 \(CHG-2041, owner PKI team\)\.$/);
    // It matched a finding, so it is not reported as stale as well.
    expect(result.unusedSuppressions).toEqual([]);
    // A finding the suppression does not match is untouched.
    for (const f of result.findings.filter((x) => x !== fe01)) expect(f.message).not.toContain('expired');
  });

  it('lapse at the exact moment a date and time gives', () => {
    const exact = { ...accepted, expires: '2026-06-30T12:00:00Z' };
    expect(onFe01(lintAt('2026-06-30T11:59:59Z', [exact]).findings).suppression).toBeDefined();
    expect(onFe01(lintAt('2026-06-30T12:00:00Z', [exact]).findings).lapsedSuppression).toBeDefined();
  });

  it('give way to another suppression of the same finding that is still in force', () => {
    const renewed: Suppression = { ...accepted, expires: '2026-12-31', ticket: 'CHG-2107' };
    const result = lintAt('2026-08-01T00:00:00Z', [accepted, renewed]);
    expect(onFe01(result.findings).suppression?.ticket).toBe('CHG-2107');
    expect(onFe01(result.findings).lapsedSuppression).toBeUndefined();
    // The lapsed one matched only what the renewed one accepts: it is stale.
    expect(result.unusedSuppressions).toEqual([accepted]);
  });

  it('never lapse without expires', () => {
    const { expires: _expires, ...forever } = accepted;
    expect(onFe01(lintAt('2099-01-01T00:00:00Z', [forever]).findings).suppression).toBeDefined();
  });
});

describe('suppression fields in the configuration', () => {
  const configFile = (text: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'sfb-suppr-')), 'sfb-certlint.config.yaml');
    writeFileSync(path, text);
    return path;
  };

  it('reads owner, ticket and expires', () => {
    const config = loadConfig(configFile('suppressions:\n  - rule: key-size\n    server: fe01.contoso.com\n    reason: r\n    owner: PKI team\n    ticket: CHG-2041\n    expires: 2026-06-30\n'));
    expect(config.suppressions[0]).toMatchObject({ owner: 'PKI team', ticket: 'CHG-2041', expires: '2026-06-30' });
  });

  it('refuses an expiry that is not a date, naming its line', () => {
    for (const [text, line] of [
      ['suppressions:\n  - rule: key-size\n    server: fe01\n    reason: r\n    expires: next June\n', 5],
      ['suppressions:\n  - rule: key-size\n    server: fe01\n    reason: r\n    expires: 2026-13-45\n', 5],
    ] as const) {
      let error: unknown;
      try {
        loadConfig(configFile(text));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).where.line).toBe(line);
      expect((error as InputError).message).toMatch(/expires/);
    }
  });
});
