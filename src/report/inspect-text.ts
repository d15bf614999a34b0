/**
 * `inspect`'s text output: a block per certificate, a line per unreadable file or part, then a count
 * (docs/inspect.md). Every string from a certificate or a file name is shown through printable(), so a
 * hostile subject or SAN cannot clear the screen, retitle the window or reorder what the admin reads.
 */
import type { CertificateFacts, SignatureFacts, TemplateFacts } from '../certs/facts.js';
import { printable } from '../errors.js';
import type { InspectEntry } from './inspect-json.js';

const LABEL_WIDTH = 12;

export function formatInspectText(entries: InspectEntry[]): string {
  const out: string[] = [];
  let certificates = 0;
  let errors = 0;
  for (const e of entries) {
    if ('error' in e) {
      errors++;
      out.push(printable(`${e.source.path}${e.source.line !== undefined ? `:${e.source.line}` : ''}: ${e.error}`), '');
      continue;
    }
    certificates++;
    out.push(...describe(e), '');
  }
  out.push(`${certificates} certificate${certificates === 1 ? '' : 's'}${errors ? `, ${errors} unreadable` : ''}`);
  return `${out.join('\n')}\n`;
}

function describe(f: CertificateFacts): string[] {
  const sans = [
    ...f.subjectAltNames.dns.map((n) => `DNS:${n}`),
    ...f.subjectAltNames.ip.map((n) => `IP:${n}`),
    ...f.subjectAltNames.uri.map((n) => `URI:${n}`),
    ...f.subjectAltNames.email.map((n) => `email:${n}`),
  ];
  const key = f.publicKey;
  const keyText = `${key.algorithm === 'unknown' ? key.oid : key.algorithm}${key.bits !== null ? ` ${key.bits} bits` : ''}${key.curve ? ` (${key.curve})` : ''}`;
  const bc = f.basicConstraints;
  // A value of several lines is a list; no line break from a certificate ever reaches the output.
  const rows: Array<[string, string | string[] | undefined]> = [
    ['Subject', f.subject || '(empty)'],
    ['Issuer', `${f.issuer}${f.selfIssued ? ' (self-issued)' : ''}`],
    ['SANs', sans.length ? sans.join(', ') : 'none'],
    ['Key', keyText],
    ['Signature', `${signature(f.signature)}${f.tbsSignature ? `; inside tbsCertificate: ${signature(f.tbsSignature)}` : ''}`],
    ['Valid', `${f.notBefore} to ${f.notAfter}`],
    ['EKU', f.extendedKeyUsage === null ? 'none (any purpose)' : f.extendedKeyUsage.length ? f.extendedKeyUsage.join(', ') : 'empty (no purpose)'],
    ['Key usage', f.keyUsage?.join(', ')],
    ['CA', bc ? (bc.ca ? `yes${bc.pathLength !== null ? `, path length ${bc.pathLength}` : ''}` : 'no') : 'no (no basicConstraints)'],
    ['CRL', f.crlDistributionPoints.join(', ') || 'none'],
    ['Template', f.template ? template(f.template) : undefined],
    ['Serial', f.serialNumber],
    ['Thumbprint', f.thumbprint],
    ['Private key', f.privateKey && (f.privateKey.present ? (f.privateKey.matchesCertificate ? 'present, matches the certificate' : 'present, DOES NOT match the certificate') : 'absent')],
    ['Container', f.container && `${f.container.encryption}, MAC ${f.container.macHash ?? 'none'}${f.container.legacyWindowsCompatible ? '' : ' (Windows Server 2016 and older cannot import it: export with TripleDES-SHA1)'}`],
    ['Problems', f.problems.length ? f.problems : undefined],
  ];
  const lines = [printable(`${f.source.path} #${f.source.index} (${f.source.format})`)];
  for (const [label, value] of rows) {
    if (value === undefined) continue;
    [value].flat().forEach((line, i) => lines.push(`  ${(i === 0 ? label : '').padEnd(LABEL_WIDTH)} ${printable(line)}`));
  }
  return lines;
}

const signature = (s: SignatureFacts) => `${s.algorithm}${s.hash ? ` (${s.hash}${s.pss ? ', PSS' : ''})` : ''}`;

/** `WebServer`, `1.3.6.1.4.1.311.21.8.… version 100.4`, or both: `Name (OID, version 100.4)`. */
function template(t: TemplateFacts): string {
  const version = t.majorVersion === undefined ? '' : `, version ${t.majorVersion}${t.minorVersion === undefined ? '' : `.${t.minorVersion}`}`;
  const information = t.oid === undefined ? undefined : `${t.oid}${version}`;
  if (t.name === undefined) return information!;
  return information === undefined ? t.name : `${t.name} (${information})`;
}
