/**
 * `requirements --format openssl`: the OpenSSL request configuration equivalent to the certreq INF
 * (`openssl req -new -config FILE.cnf`): the Subject, every SAN, Server Authentication, digital
 * signature and key encipherment, an RSA key of the length asked. The key OpenSSL writes must then be
 * imported into the CSP the requirement names (the comments say how).
 */
import { printable } from '../errors.js';
import type { PlannedCertificate } from '../requirements/model.js';
import { knownRequest, requestFileName, requestName, type RequirementsReport } from './requirements-types.js';

export function formatOpensslConfig(planned: PlannedCertificate, report: RequirementsReport): string {
  const r = planned.requirement;
  const file = requestFileName(planned);
  const cn = knownRequest(planned);
  const ekuNames: Record<string, string> = { '1.3.6.1.5.5.7.3.1': 'serverAuth' };
  const lines = [
    `# Certificate request for ${planned.requirement.sharing.scope === 'global' ? 'the whole deployment' : planned.holder}: ${r.usages.join(', ')} (${r.pool}).`,
    `# Written by ${report.tool.name} ${report.tool.version} requirements from ${report.snapshot}; docs/pre-deployment.md.`,
    `#   openssl req -new -config ${file}.cnf -newkey rsa:${r.key.requestBits} -noenc -keyout ${file}.key -out ${file}.csr`,
    `#   ${report.tool.name} check ${file}.csr --snapshot ${report.snapshot} ${r.sharing.scope === 'server' ? `--server ${r.server}` : `--pool ${r.pool}`} --usage ${r.usages.join(',')}`,
    '# When the CA returns the certificate, make a .pfx that Windows Server 2016 and older import (3DES, SHA-1 MAC):',
    `#   openssl pkcs12 -export -in ${file}.cer -inkey ${file}.key -certfile chain.pem -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1 -out ${file}.pfx`,
    `# and import it into the CSP (${r.provider.why}):`,
    `#   certutil -csp "${r.provider.name}" -importpfx ${file}.pfx${r.exportable.exportable ? '' : ' NoExport'}`,
    '',
    '[req]',
    'prompt = no',
    `default_bits = ${r.key.requestBits}`,
    'default_md = sha256',
    'string_mask = utf8only',
    'distinguished_name = subject',
    'req_extensions = extensions',
    '',
    '[subject]',
    ...(cn ? [`CN = ${requestName(cn)}`] : []),
    '',
    '[extensions]',
    'keyUsage = critical, digitalSignature, keyEncipherment',
    `extendedKeyUsage = ${r.eku.required.map((e) => ekuNames[e.oid] ?? e.oid).join(', ')}`,
  ];
  if (r.names.length > 0) {
    lines.push('subjectAltName = @names', '', '[names]');
    r.names.forEach((n, i) => lines.push(`# ${n.necessity}${n.condition ? ` (${n.condition})` : ''}: ${n.why}`, `DNS.${i + 1} = ${requestName(n.name)}`));
  }
  // Paths and names from the command line and the snapshot: no control character may start a line of its own.
  return `${lines.map((l) => printable(l)).join('\n')}\n`;
}
