/**
 * `requirements --format certreq`: a certreq.exe INF file (Windows' `certreq -new FILE.inf FILE.req`)
 * that asks for what the requirement says: the Subject, every SAN (required and recommended names, in
 * the order Microsoft's tables give, the Subject's first), an RSA key of the length asked in the legacy
 * SChannel CSP (not CNG), exportable only where the usage needs it, Server Authentication, and the Web
 * Server template for an enterprise CA. Syntax: Microsoft's certreq reference ([NewRequest],
 * [EnhancedKeyUsageExtension], [Extensions] 2.5.29.17 "{text}" with _continue_, [RequestAttributes]).
 */
import { printable } from '../errors.js';
import type { PlannedCertificate } from '../requirements/model.js';
import { knownRequest, requestFileName, requestName, type RequirementsReport } from './requirements-types.js';

/** certreq's KeyUsage flags: digital signature (0x80) and key encipherment (0x20), as the Web Server template has. */
const KEY_USAGE = '0xa0';

export function formatCertreq(planned: PlannedCertificate, report: RequirementsReport): string {
  const r = planned.requirement;
  const file = requestFileName(planned);
  const cn = knownRequest(planned);
  const names = r.names.map((n) => ({ ...n, name: requestName(n.name) }));
  const on = r.sharing.scope === 'server' ? r.server : r.sharing.scope === 'pool' ? `one Edge server of ${r.pool} (${r.server})` : `one Front End server (${r.server})`;
  const lines = [
    `; Certificate request for ${planned.requirement.sharing.scope === 'global' ? 'the whole deployment' : planned.holder}: ${r.usages.join(', ')} (${r.pool}).`,
    `; Written by ${report.tool.name} ${report.tool.version} requirements from ${report.snapshot}; docs/pre-deployment.md.`,
    `; On ${on}, as an administrator:`,
    `;   certreq -new ${file}.inf ${file}.req`,
    `;   ${report.tool.name} check ${file}.req --snapshot ${report.snapshot} ${r.sharing.scope === 'server' ? `--server ${r.server}` : `--pool ${r.pool}`} --usage ${r.usages.join(',')}`,
    r.issuer.kind === 'public' ? ';   then submit the .req to your public CA' : `;   certreq -submit -attrib "CertificateTemplate:WebServer" ${file}.req ${file}.cer`,
    `;   ${report.tool.name} check ${file}.cer --snapshot ${report.snapshot} ... ; then certreq -accept ${file}.cer`,
    '',
    '[Version]',
    'Signature = "$Windows NT$"',
    '',
    '[NewRequest]',
    ...(cn ? [`Subject = "CN=${requestName(cn)}"`] : []),
    `KeyLength = ${r.key.requestBits}`,
    '; AT_KEYEXCHANGE: the key SChannel uses for TLS',
    'KeySpec = 1',
    `KeyUsage = ${KEY_USAGE}`,
    "; the digest that signs the request itself (the CA chooses the certificate's; ask it for SHA-256)",
    'HashAlgorithm = SHA256',
    `; ${r.exportable.why}`,
    `Exportable = ${r.exportable.exportable ? 'TRUE' : 'FALSE'}`,
    'MachineKeySet = TRUE',
    'SMIME = FALSE',
    'PrivateKeyArchive = FALSE',
    'UserProtected = FALSE',
    'UseExistingKeySet = FALSE',
    `; ${r.provider.why}`,
    `ProviderName = "${r.provider.name}"`,
    `ProviderType = ${r.provider.type}`,
    'RequestType = PKCS10',
    `FriendlyName = "${requestName(planned.holder)} ${r.usages.join(' ')}"`,
    '',
    '[EnhancedKeyUsageExtension]',
    ...r.eku.required.flatMap((e) => [`; ${e.name}`, `OID = ${e.oid}`]),
  ];
  if (names.length > 0) {
    lines.push('', '[Extensions]', '; Subject alternative names: TLS clients match these, not the Subject.', '2.5.29.17 = "{text}"');
    names.forEach((n, i) => {
      lines.push(`; ${n.necessity}${n.condition ? ` (${n.condition})` : ''}: ${n.why}`, `_continue_ = "dns=${n.name}${i < names.length - 1 ? '&' : ''}"`);
    });
  }
  if (r.issuer.kind !== 'public') lines.push('', '[RequestAttributes]', '; The Web Server template, as Microsoft\'s pages use (an enterprise CA).', 'CertificateTemplate = WebServer');
  // certreq reads INF files in the system code page or UTF-16; the file is ASCII, CRLF as Windows writes.
  // Paths and names from the command line and the snapshot: no control character may start a line of its own.
  return `${lines.map((l) => printable(l)).join('\r\n')}\r\n`;
}
