import { formatMessage } from '../../src/engine/run.js';
import { messageSpec, type Finding, type FindingLocation, type FindingPlace, type Report, type Severity } from '../../src/engine/types.js';
import type { LintReport, ReportedRule } from '../../src/report/types.js';
import { BUILT_IN_RULES } from '../../src/rules/index.js';

const DOCS = 'https://github.com/sfb-certlint/sfb-certlint/blob/main/docs/rules/';

export const CONTOSO = 'snapshots/contoso.yaml';
/** A space in the name, so URIs must be percent-encoded. */
export const BRANCH = 'snapshots/branch office.yaml';
export const CONFIG = 'sfb-certlint.config.yaml';

export const THUMBPRINTS = {
  fe01: '3F2B8C1D9E0A4B5C6D7E8F90A1B2C3D4E5F60718',
  oauth: 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678',
  oauthOther: 'B2C3D4E5F60718293A4B5C6D7E8F901234567890',
  edge01: 'C3D4E5F60718293A4B5C6D7E8F90123456789ABC',
  edge02: 'D4E5F60718293A4B5C6D7E8F90123456789ABCDE',
  issuing: 'E5F60718293A4B5C6D7E8F90123456789ABCDEF0',
  sba: 'F60718293A4B5C6D7E8F90123456789ABCDEF012',
};

/**
 * A finding as the engine makes it, with the real rule's message: `line` places it in the snapshot,
 * `certificate` adds the certificate file as a related location, `places` lists where a certificate's
 * defect is found (the first is the finding's own pool, server and line).
 */
export function finding(
  ruleId: string,
  messageId: string,
  data: Report['data'],
  where: {
    path?: string;
    line?: number;
    column?: number;
    pool?: string;
    server?: string;
    usage?: Finding['usage'];
    thumbprint?: string;
    certificate?: string;
    severity?: Severity;
    places?: FindingPlace[];
  },
): Finding {
  const rule = BUILT_IN_RULES.find((r) => r.meta.id === ruleId);
  const spec = rule && messageSpec(rule.meta, messageId);
  if (!rule || !spec) throw new Error(`no message ${ruleId}/${messageId}`);
  const template = spec.text;
  const locations: FindingLocation[] = [
    { path: where.path ?? CONTOSO, ...(where.line !== undefined && { line: where.line }), ...(where.column !== undefined && { column: where.column }), kind: 'snapshot' },
    ...(where.certificate ? [{ path: where.certificate, kind: 'certificate' as const }] : []),
  ];
  return {
    ruleId,
    severity: where.severity ?? spec.severity,
    messageId,
    message: formatMessage(template, data),
    ...(where.pool !== undefined && { pool: where.pool }),
    ...(where.server !== undefined && { server: where.server }),
    ...(where.usage !== undefined && { usage: where.usage }),
    ...(where.thumbprint !== undefined && { thumbprint: where.thumbprint }),
    locations,
    ...(where.places && { places: where.places }),
  };
}

/** Every built-in rule as the report lists it, crl-distribution-point lowered to info (as `--rule crl-distribution-point:info`). */
export function reportedRules(): ReportedRule[] {
  return BUILT_IN_RULES.map(({ meta }) => ({
    id: meta.id,
    description: meta.description,
    // As a configuration may set them: one rule down to info, one down to a warning.
    severity: meta.id === 'crl-distribution-point' ? 'info' : meta.id === 'trusted-root-store-hygiene' ? 'warning' : meta.severity,
    citation: meta.citation,
    docsUrl: `${DOCS}${meta.id}.md`,
    ...(meta.options && { options: meta.options }),
  }));
}

/** What the advice says the one certificate must have (criteriaOf, src/rules/support.ts), for these pools. */
const OAUTH_CRITERIA = 'a SIP domain of the deployment (contoso.com) in its Subject, an RSA key of at least 2048 bits, Server Authentication in its Extended Key Usage and an exportable private key';
const EDGE_INTERNAL_CRITERIA =
  'the Subject CN=edgepool-int.contoso.com, edgepool-int.contoso.com in its subject alternative names, an RSA key of at least 2048 bits, Server Authentication in its Extended Key Usage and an exportable private key';
const FE = { pool: 'pool01.contoso.com' };
const FE01_DEFAULT: FindingPlace = { ...FE, server: 'fe01.contoso.com', usages: ['Default', 'WebServicesInternal'], location: { path: CONTOSO, line: 27, column: 9 } };
const EDGE = { pool: 'edgepool.contoso.com' };

/**
 * A lint run over two snapshots: a Front End pool and an Edge pool of two servers each, a branch
 * pool; every severity, a suppressed finding, a deployment-wide finding, an input error, a rule
 * failure and a stale suppression.
 */
export function contosoReport(): LintReport {
  const suppressed = finding('private-key-exportable', 'notExportable', { usages: 'Internal' }, {
    ...EDGE, server: 'edge01.contoso.com', line: 67, column: 11, usage: 'Internal', thumbprint: THUMBPRINTS.edge01, certificate: 'certs/edge-internal.pfx',
  });
  suppressed.suppression = { reason: 'Key held in an HSM; copied to edge02 by the vendor tool (change CHG-1042).', source: { path: CONFIG, line: 12, column: 5 } };
  return {
    tool: { name: 'sfb-certlint', version: '0.1.0', informationUri: 'https://github.com/sfb-certlint/sfb-certlint' },
    evaluatedAt: '2026-03-01T00:00:00.000Z',
    inputs: [
      {
        snapshot: CONTOSO,
        certificateFiles: ['certs/fe-pool01.pfx', 'certs/oauth.pfx', 'certs/edge-internal.pfx', 'certs/contoso-issuing.cer'],
        pools: [
          { fqdn: 'pool01.contoso.com', line: 20, servers: [{ fqdn: 'fe01.contoso.com', line: 24 }, { fqdn: 'fe02.contoso.com', line: 38 }] },
          { fqdn: 'edgepool.contoso.com', line: 58, servers: [{ fqdn: 'edge01.contoso.com', line: 62 }, { fqdn: 'edge02.contoso.com', line: 80 }] },
        ],
      },
      {
        snapshot: BRANCH,
        certificateFiles: ['certs/sba01.cer'],
        pools: [{ fqdn: 'sba01.contoso.com', line: 9, servers: [{ fqdn: 'sba01.contoso.com', line: 12 }] }],
      },
    ],
    inputErrors: [
      { path: 'snapshots/lab.yaml', line: 7, message: 'pools[0].servers[0].assignments[1].thumbprint: "12AB" is not a thumbprint (40 hexadecimal digits).' },
      { path: 'certs/edge-external.pfx', message: 'The password in EDGE_PFX_PASSWORD does not open this PKCS #12 file.' },
    ],
    ruleFailures: [{ ruleId: 'trusted-root-present', message: "Cannot read properties of undefined (reading 'facts')" }],
    rules: reportedRules(),
    findings: [
      // Deployment-wide: the OAuth certificate is global, so no server is named.
      finding('sip-domain-in-subject', 'noDomains', { certificate: 'A1B2…678 (CN=contoso.com)' }, { line: 3, column: 1, thumbprint: THUMBPRINTS.oauth, severity: 'warning' }),
      finding('san-coverage', 'missing', { usages: 'Default, WebServicesInternal', names: 'meet.contoso.com, dialin.contoso.com' }, {
        ...FE, server: 'fe01.contoso.com', line: 27, column: 9, usage: 'Default', thumbprint: THUMBPRINTS.fe01, certificate: 'certs/fe-pool01.pfx',
      }),
      finding('certificate-expiry', 'expiring', { certificate: '3F2B…718 (CN=pool01.contoso.com)', notAfter: '2026-03-20T12:00:00Z', days: 19 }, {
        ...FE, server: 'fe01.contoso.com', line: 27, column: 9, usage: 'Default', thumbprint: THUMBPRINTS.fe01, certificate: 'certs/fe-pool01.pfx', severity: 'warning',
        places: [FE01_DEFAULT],
      }),
      // A CA's defect, one finding for both servers whose certificates it issued.
      finding('signature-sha2', 'caWeak', { certificate: 'E5F6…EF0 (CN=Contoso Issuing CA 1)', algorithm: 'sha1WithRSAEncryption', hash: 'SHA-1' }, {
        ...FE, server: 'fe01.contoso.com', line: 27, column: 9, usage: 'Default', thumbprint: THUMBPRINTS.issuing, certificate: 'certs/contoso-issuing.cer',
        places: [FE01_DEFAULT, { ...FE, server: 'fe02.contoso.com', usages: ['Default', 'OAuthTokenIssuer'], location: { path: CONTOSO, line: 41, column: 9 } }],
      }),
      finding('crl-distribution-point', 'missing', { certificate: '3F2B…718 (CN=pool01.contoso.com)' }, {
        ...FE, server: 'fe01.contoso.com', line: 27, column: 9, usage: 'Default', thumbprint: THUMBPRINTS.fe01, certificate: 'certs/fe-pool01.pfx', severity: 'info',
        places: [FE01_DEFAULT],
      }),
      finding('oauth-same-certificate', 'differs', { certificate: 'B2C3…890 (CN=contoso.com)', holders: 'fe02.contoso.com', count: 1, total: 2, criteria: OAUTH_CRITERIA, expected: 'A1B2…678 (CN=contoso.com)' }, {
        ...FE, server: 'fe02.contoso.com', line: 44, column: 9, usage: 'OAuthTokenIssuer', thumbprint: THUMBPRINTS.oauthOther, certificate: 'certs/oauth.pfx',
      }),
      suppressed,
      finding('trusted-root-store-hygiene', 'tooMany', { count: 412, max: 300 }, { ...EDGE, server: 'edge02.contoso.com', line: 80, column: 5 }),
      finding('edge-pool-same-certificate', 'differs', { usage: 'Internal', certificate: 'D4E5…CDE (CN=edgepool-int.contoso.com)', holders: 'edge02.contoso.com', criteria: EDGE_INTERNAL_CRITERIA, expected: 'C3D4…ABC (CN=edgepool-int.contoso.com)', others: 'edge01.contoso.com' }, {
        ...EDGE, server: 'edge02.contoso.com', line: 85, column: 11, usage: 'Internal', thumbprint: THUMBPRINTS.edge02,
      }),
      finding('key-size', 'tooShort', { certificate: 'F607…012 (CN=sba01.contoso.com)', bits: 1024, min: 2048 }, {
        path: BRANCH, pool: 'sba01.contoso.com', server: 'sba01.contoso.com', line: 15, column: 9, usage: 'Default', thumbprint: THUMBPRINTS.sba, certificate: 'certs/sba01.cer',
        places: [{ pool: 'sba01.contoso.com', server: 'sba01.contoso.com', usages: ['Default'], location: { path: BRANCH, line: 15, column: 9 } }],
      }),
    ],
    unusedSuppressions: [
      { rule: 'san-coverage', server: 'fe09.contoso.com', reason: 'Decommissioned in 2024; certificate kept for rollback.', source: { path: CONFIG, line: 18, column: 5 } },
    ],
    root: '/home/runner/work/contoso-sfb/contoso-sfb',
  };
}

/** The same run with nothing to report. */
export function cleanReport(): LintReport {
  return { ...contosoReport(), inputErrors: [], ruleFailures: [], findings: [], unusedSuppressions: [] };
}

/** Removes ANSI colour codes. */
export const plain = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
