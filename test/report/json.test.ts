import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { format, jsonReport } from '../../src/report/json.js';
import { cleanReport, CONFIG, contosoReport } from './helpers.js';

const root = new URL('../../', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('schema/lint-report.schema.json', root), 'utf8'));
/** The inventory's certificates are inspect's, by reference. */
const inspectSchema = JSON.parse(readFileSync(new URL('schema/inspect-output.schema.json', root), 'utf8'));
const docs = readFileSync(new URL('docs/json-format.md', root), 'utf8');

function validator() {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats.default(ajv);
  ajv.addSchema(inspectSchema);
  return ajv.compile(schema);
}

const output = () => JSON.parse(format(contosoReport(), { color: false }));

describe('json format', () => {
  it('validates against schema/lint-report.schema.json', () => {
    const validate = validator();
    for (const report of [contosoReport(), cleanReport()]) {
      const valid = validate(JSON.parse(format(report, { color: false })));
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it('validates with its run and inventory, the inventory giving each certificate as inspect does', async () => {
    const report = await lint({ targets: ['examples/contoso'], cwd: fileURLToPath(root), env: { CONTOSO_PFX_PASSWORD: 'contoso' }, now: new Date('2026-01-31T00:00:00Z') });
    const json = JSON.parse(format(report, { color: false }));
    const validate = validator();
    const valid = validate(json);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(json.run.files.filter((f: { kind: string }) => f.kind === 'snapshot' || f.kind === 'certificate')).toHaveLength(13);
    expect(json.inventory).toHaveLength(14);
    expect(Object.keys(json.inventory[0])).toEqual(['snapshot', 'certificate', 'assignments', 'stores']);
  });

  it('writes the top-level fields in a stable order, version 2 first', () => {
    expect(Object.keys(output())).toEqual(['version', 'tool', 'evaluatedAt', 'inputs', 'summary', 'findings', 'inputErrors', 'ruleFailures', 'unusedSuppressions', 'rules', 'run', 'inventory']);
    expect(output().version).toBe(2);
  });

  it('writes every field of every finding, null where a value is absent', () => {
    const deploymentWide = output().findings[0];
    expect(Object.keys(deploymentWide)).toEqual(['ruleId', 'severity', 'message', 'messageId', 'pool', 'server', 'usage', 'thumbprint', 'locations', 'places', 'suppression', 'fingerprint', 'lapsedSuppression']);
    expect(deploymentWide).toMatchObject({ ruleId: 'sip-domain-in-subject', pool: null, server: null, usage: null, suppression: null, lapsedSuppression: null });
    expect(deploymentWide.locations).toEqual([{ path: 'snapshots/contoso.yaml', line: 3, column: 1, element: null, kind: 'snapshot' }]);
    const onServer = output().findings[1];
    expect(onServer.locations[1]).toEqual({ path: 'certs/fe-pool01.pfx', line: null, column: null, element: null, kind: 'certificate' });
    // A finding of one place lists that place: its own pool, server, usage and snapshot location.
    expect(deploymentWide.places).toEqual([{ pool: null, server: null, usages: [], location: { path: 'snapshots/contoso.yaml', line: 3, column: 1, element: null } }]);
    expect(onServer.places).toEqual([{ pool: 'pool01.contoso.com', server: 'fe01.contoso.com', usages: ['Default'], location: { path: 'snapshots/contoso.yaml', line: 27, column: 9, element: null } }]);
  });

  it('lists every place of a certificate\'s defect found on several servers, the first its own', () => {
    const issuingCa = output().findings.find((f: { ruleId: string }) => f.ruleId === 'signature-sha2');
    expect(issuingCa).toMatchObject({ pool: 'pool01.contoso.com', server: 'fe01.contoso.com', usage: 'Default' });
    expect(issuingCa.places).toEqual([
      { pool: 'pool01.contoso.com', server: 'fe01.contoso.com', usages: ['Default', 'WebServicesInternal'], location: { path: 'snapshots/contoso.yaml', line: 27, column: 9, element: null } },
      { pool: 'pool01.contoso.com', server: 'fe02.contoso.com', usages: ['Default', 'OAuthTokenIssuer'], location: { path: 'snapshots/contoso.yaml', line: 41, column: 9, element: null } },
    ]);
  });

  it('keeps suppressed findings with the reason and where the configuration says so, counted apart', () => {
    const report = output();
    const suppressed = report.findings.filter((f: { suppression: unknown }) => f.suppression !== null);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0].suppression).toEqual({
      reason: 'Key held in an HSM; copied to edge02 by the vendor tool (change CHG-1042).',
      owner: null,
      ticket: null,
      expires: null,
      source: { path: CONFIG, line: 12, column: 5, element: null },
    });
    expect(report.summary).toEqual({ errors: 5, warnings: 3, infos: 1, suppressed: 1 });
  });

  it('reports input errors, rule failures and stale suppressions with every field', () => {
    const report = output();
    expect(report.inputErrors[1]).toEqual({ path: 'certs/edge-external.pfx', line: null, message: expect.stringContaining('EDGE_PFX_PASSWORD') });
    expect(report.ruleFailures).toEqual([{ ruleId: 'trusted-root-present', message: "Cannot read properties of undefined (reading 'facts')" }]);
    expect(report.unusedSuppressions).toEqual([
      {
        rule: 'san-coverage', pool: null, server: 'fe09.contoso.com', thumbprint: null, reason: expect.any(String), owner: null, ticket: null, expires: null,
        source: { path: CONFIG, line: 18, column: 5, element: null },
      },
    ]);
  });

  it('lists each rule with its severity, citation, documentation and options', () => {
    const rules = output().rules;
    expect(rules.find((r: { id: string }) => r.id === 'crl-distribution-point')).toMatchObject({ severity: 'info', options: null });
    expect(rules.find((r: { id: string }) => r.id === 'certificate-expiry')).toMatchObject({
      severity: 'error',
      docsUrl: 'https://github.com/sfb-certlint/sfb-certlint/blob/main/docs/rules/certificate-expiry.md',
      options: { warnDays: { type: 'integer', default: 30, description: expect.any(String), minimum: 0 } },
    });
  });

  it('gives each finding a distinct fingerprint that survives moved lines and reworded messages', () => {
    const moved = contosoReport();
    for (const f of moved.findings) {
      f.locations[0]!.line = (f.locations[0]!.line ?? 0) + 40;
      f.message = `Reworded: ${f.message}`;
    }
    const before = jsonReport(contosoReport()).findings.map((f) => f.fingerprint);
    expect(jsonReport(moved).findings.map((f) => f.fingerprint)).toEqual(before);
    expect(new Set(before).size).toBe(before.length);
  });

  it('pretty-prints with two spaces and ends with a newline', () => {
    const text = format(contosoReport(), { color: false });
    expect(text.startsWith('{\n  "version": 2,\n  "tool": {\n    "name"')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('is the same whether colour is asked for or not', () => {
    expect(format(contosoReport(), { color: true })).toBe(format(contosoReport(), { color: false }));
  });

  it('has a description on every property of its schema', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (!node || typeof node !== 'object') return;
      const properties = (node as { properties?: Record<string, { description?: string }> }).properties;
      for (const [name, property] of Object.entries(properties ?? {})) if (!property.description) missing.push(`${path}/${name}`);
      for (const [key, value] of Object.entries(node)) walk(value, `${path}/${key}`);
    };
    walk(schema, '#');
    expect(missing).toEqual([]);
  });

  it('documents every field of the schema in docs/json-format.md', () => {
    const names = new Set<string>();
    const walk = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      for (const name of Object.keys((node as { properties?: object }).properties ?? {})) names.add(name);
      Object.values(node).forEach(walk);
    };
    walk(schema);
    expect([...names].filter((name) => !docs.includes(`\`${name}\``))).toEqual([]);
  });
});
