import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { FINGERPRINT_KEY, format, SECURITY_SEVERITY } from '../../src/report/sarif.js';
import type { LintReport } from '../../src/report/types.js';
import { cleanReport, CONFIG, contosoReport, THUMBPRINTS } from './helpers.js';

// The OASIS schema, kept in shared/ beside the repository (as CI checks it out too).
const schema = JSON.parse(readFileSync(new URL('../../../shared/schemas/sarif-2.1.0.json', import.meta.url), 'utf8'));

// SARIF's shape is deep and optional everywhere: the tests read it as plain JSON.
type Json = any;
const sarif = (report: LintReport = contosoReport()): Json => JSON.parse(format(report, { color: false }));
const run = (report?: LintReport): Json => sarif(report).runs[0];

describe('sarif format', () => {
  it('validates against the SARIF 2.1.0 schema', () => {
    // Not strict: the OASIS schema itself has constructs Ajv's strict mode rejects (`required` inside `anyOf`).
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    for (const report of [contosoReport(), cleanReport()]) {
      const valid = validate(sarif(report));
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it('names the tool with its version, home page and every rule that ran', () => {
    const { driver } = run().tool;
    expect(driver).toMatchObject({ name: 'sfb-certlint', version: '0.1.0', semanticVersion: '0.1.0', informationUri: 'https://github.com/sfb-certlint/sfb-certlint' });
    expect(driver.rules.map((r: Json) => r.id)).toEqual(contosoReport().rules.map((r) => r.id));
  });

  it('describes each rule as GitHub code scanning shows it', () => {
    const rule = run().tool.driver.rules.find((r: Json) => r.id === 'certificate-expiry');
    expect(rule).toEqual({
      id: 'certificate-expiry',
      name: 'CertificateExpiry',
      shortDescription: { text: expect.stringMatching(/^No assigned certificate or issuing CA has expired/) },
      fullDescription: { text: expect.stringContaining('Requirement: Configure certificates for servers in Lync Server 2013.') },
      defaultConfiguration: { level: 'error' },
      helpUri: 'https://github.com/sfb-certlint/sfb-certlint/blob/main/docs/rules/certificate-expiry.md',
      help: {
        text: expect.stringContaining('https://technet.microsoft.com/en-us/library/Gg398995(v=OCS.15)'),
        markdown: expect.stringContaining('[Configure certificates for servers in Lync Server 2013](https://technet.microsoft.com/en-us/library/Gg398995(v=OCS.15))'),
      },
      properties: { tags: ['security', 'certificates'], precision: 'very-high', 'security-severity': '8.0' },
    });
  });

  it('leaves out the help URI of a plug-in rule documented by a relative path, which SARIF forbids', () => {
    const report = contosoReport();
    report.rules[0]!.docsUrl = 'docs/contoso-rules.md#key-size';
    const [rule] = run(report).tool.driver.rules;
    expect(rule.helpUri).toBeUndefined();
    expect(rule.help.text).toContain('docs/contoso-rules.md#key-size');
  });

  it('maps severities to SARIF levels and to security-severity strings GitHub ranks as high, medium and low', () => {
    const rules = run().tool.driver.rules;
    const byId = (id: string) => rules.find((r: Json) => r.id === id);
    expect(byId('trusted-root-store-hygiene')).toMatchObject({ defaultConfiguration: { level: 'warning' }, properties: { 'security-severity': '5.0' } });
    expect(byId('crl-distribution-point')).toMatchObject({ defaultConfiguration: { level: 'note' }, properties: { 'security-severity': '2.0' } });
    expect(SECURITY_SEVERITY).toEqual({ error: '8.0', warning: '5.0', info: '2.0' });
    expect(run().results.map((r: Json) => r.level)).toEqual(contosoReport().findings.map((f) => ({ error: 'error', warning: 'warning', info: 'note' })[f.severity]));
  });

  it('gives each result its rule id, rule index, level and message', () => {
    const { results, tool } = run();
    const findings = contosoReport().findings;
    expect(results).toHaveLength(findings.length);
    results.forEach((r: Json, i: number) => {
      expect(tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(r.ruleId).toBe(findings[i]!.ruleId);
      expect(r.message).toEqual({ text: findings[i]!.message });
    });
    expect(results[1].properties).toEqual({ messageId: 'missing', pool: 'pool01.contoso.com', server: 'fe01.contoso.com', usage: 'Default', thumbprint: THUMBPRINTS.fe01 });
  });

  it('locates each result in its snapshot by a URI relative to the repository root', () => {
    const { results, originalUriBaseIds } = run();
    expect(results[1].locations).toEqual([
      { physicalLocation: { artifactLocation: { uri: 'snapshots/contoso.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 27, startColumn: 9 } } },
    ]);
    // A space must be percent-encoded in a URI.
    expect(results.at(-1).locations[0].physicalLocation.artifactLocation.uri).toBe('snapshots/branch%20office.yaml');
    expect(originalUriBaseIds['%SRCROOT%'].uri).toBe('file:///home/runner/work/contoso-sfb/contoso-sfb/');
  });

  it('writes forward slashes for Windows paths, and file URIs for paths outside the root', () => {
    const report = contosoReport();
    report.root = 'C:\\agent\\_work\\1\\s';
    report.findings[1]!.locations[0]!.path = 'snapshots\\prod #2.yaml';
    report.findings[2]!.locations[0]!.path = 'D:\\exports\\contoso.yaml';
    const { results, originalUriBaseIds } = run(report);
    expect(originalUriBaseIds['%SRCROOT%'].uri).toBe('file:///C:/agent/_work/1/s/');
    expect(results[1].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'snapshots/prod%20%232.yaml', uriBaseId: '%SRCROOT%' });
    expect(results[2].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'file:///D:/exports/contoso.yaml' });
  });

  it('starts a result at line 1 when its place in the snapshot has no line, as GitHub needs one', () => {
    const report = contosoReport();
    delete report.findings[0]!.locations[0]!.line;
    delete report.findings[0]!.locations[0]!.column;
    expect(run(report).results[0].locations[0].physicalLocation.region).toEqual({ startLine: 1 });
  });

  it('links the certificate file of a finding as a related location', () => {
    const result = run().results[1];
    expect(result.relatedLocations).toEqual([
      {
        id: 1,
        // A .pfx is binary: no line, so no region.
        physicalLocation: { artifactLocation: { uri: 'certs/fe-pool01.pfx', uriBaseId: '%SRCROOT%' } },
        message: { text: `The certificate file holding ${THUMBPRINTS.fe01}.` },
      },
    ]);
    expect(run().results[0].relatedLocations).toBeUndefined();
  });

  it('places a certificate\'s defect at its first place, with the other places and the certificate file as related locations', () => {
    const index = contosoReport().findings.findIndex((f) => f.ruleId === 'signature-sha2');
    const result = run().results[index];
    expect(result.locations[0].physicalLocation.region).toEqual({ startLine: 27, startColumn: 9 });
    expect(result.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: { artifactLocation: { uri: 'snapshots/contoso.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 41, startColumn: 9 } },
        message: { text: 'Also found on fe02.contoso.com (Default, OAuthTokenIssuer).' },
      },
      {
        id: 2,
        // A certificate file: no line means anything in it (a .pfx or DER is binary).
        physicalLocation: { artifactLocation: { uri: 'certs/contoso-issuing.cer', uriBaseId: '%SRCROOT%' } },
        message: { text: `The certificate file holding ${THUMBPRINTS.issuing}.` },
      },
    ]);
  });

  it('keeps fingerprints the same across runs with moved lines and reworded messages', () => {
    const moved = contosoReport();
    for (const f of moved.findings) {
      f.locations[0]!.line = (f.locations[0]!.line ?? 0) + 12;
      f.locations[0]!.column = 3;
      f.message = `${f.message} (Reworded.)`;
    }
    const ids = (report: LintReport) => run(report).results.map((r: Json) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(ids(moved)).toEqual(ids(contosoReport()));
  });

  it('gives every finding its own fingerprint, from rule, pool, server, usage, thumbprint and message id', () => {
    const ids: string[] = run().results.map((r: Json) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}:1$/);
    const renewed = contosoReport();
    renewed.findings[1]!.thumbprint = THUMBPRINTS.oauth;
    expect(run(renewed).results[1].partialFingerprints[FINGERPRINT_KEY]).not.toBe(ids[1]);
    // Findings with the same identity are told apart by their order.
    const twice = contosoReport();
    twice.findings.splice(2, 0, { ...twice.findings[1]!, message: 'Another name is missing.' });
    const counted = run(twice).results.map((r: Json) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(counted[2]).toBe(counted[1].replace(/:1$/, ':2'));
  });

  it('marks a suppressed finding as an accepted external suppression with its reason, and others with none', () => {
    const { results } = run();
    const suppressed = results.filter((r: Json) => r.suppressions.length > 0);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0].suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'Key held in an HSM; copied to edge02 by the vendor tool (change CHG-1042).',
        location: { physicalLocation: { artifactLocation: { uri: CONFIG, uriBaseId: '%SRCROOT%' }, region: { startLine: 12, startColumn: 5 } } },
      },
    ]);
    // SARIF: the suppressions of a run's results are all present or all absent.
    expect(results.every((r: Json) => Array.isArray(r.suppressions))).toBe(true);
  });

  it('reports input errors and rule failures as failed execution, with their notifications', () => {
    const [invocation] = run().invocations;
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications).toEqual([
      {
        level: 'error',
        message: { text: expect.stringMatching(/^snapshots\/lab\.yaml:7: pools\[0\].*digits\)\.$/) },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'snapshots/lab.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 7 } } }],
      },
      expect.objectContaining({ level: 'error', message: { text: expect.stringContaining('EDGE_PFX_PASSWORD') } }),
      {
        level: 'error',
        message: { text: "Rule trusted-root-present failed, so its findings are incomplete: Cannot read properties of undefined (reading 'facts')." },
        associatedRule: { id: 'trusted-root-present', index: 4 },
      },
    ]);
    expect(run(cleanReport()).invocations[0]).toMatchObject({ executionSuccessful: true, toolExecutionNotifications: [] });
  });

  it('reports stale suppressions as configuration warnings', () => {
    expect(run().invocations[0].toolConfigurationNotifications).toEqual([
      {
        level: 'warning',
        message: { text: expect.stringMatching(/^The suppression of san-coverage for fe09\.contoso\.com matched no finding: .* Its reason: Decommissioned in 2024;/) },
        locations: [{ physicalLocation: { artifactLocation: { uri: CONFIG, uriBaseId: '%SRCROOT%' }, region: { startLine: 18, startColumn: 5 } } }],
      },
    ]);
  });

  it('records the evaluation time, and no category, which the upload step chooses', () => {
    expect(run().invocations[0].properties).toEqual({ evaluatedAt: '2026-03-01T00:00:00.000Z' });
    expect(run().automationDetails).toBeUndefined();
  });

  it('is pretty-printed JSON with the SARIF version and schema, the same with or without colour', () => {
    const text = format(contosoReport(), { color: true });
    expect(text).toBe(format(contosoReport(), { color: false }));
    expect(text.endsWith('}\n')).toBe(true);
    expect(sarif()).toMatchObject({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0' });
  });
});
