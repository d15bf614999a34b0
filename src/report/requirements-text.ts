/**
 * `requirements --format text`: for each certificate to request, what Microsoft's tables require (the
 * Subject, every SAN with why, the EKU, key, provider, exportability, CA, who must trust its root), each
 * item numbered to the Microsoft page it comes from, listed at the end.
 */
import type { Citation } from '../engine/types.js';
import { printable } from '../errors.js';
import { roleName } from '../requirements/derive.js';
import type { CertificateRequirement, Gap, PlannedCertificate } from '../requirements/model.js';
import { plural } from './audit.js';
import { hanging, type RequirementsReport } from './requirements-types.js';

const LABEL = 12;

export function formatRequirementsText(report: RequirementsReport): string {
  const sources = new Sources();
  const { pool } = report;
  const lines: string[] = [
    `${pool.fqdn}: ${roleName(pool.role)} (${pool.servers.join(', ')})${report.server ? `, for ${report.server}` : ''}`,
    ...hanging('Usages each server needs: ', report.needs.map((n) => `${n.usage}${n.necessity === 'conditional' ? ` (if ${n.condition})` : ''} ${sources.ref(n.citation)}`).join(', ')),
  ];
  for (const planned of report.certificates) lines.push('', ...certificate(planned, sources));
  lines.push('', 'Sources', ...sources.lines());
  // Every FQDN and name here comes from the snapshot: control characters must not reach the terminal.
  return `${lines.map((l) => printable(l)).join('\n')}\n`;
}

function certificate(planned: PlannedCertificate, sources: Sources): string[] {
  const r = planned.requirement;
  const lines = [`${holder(planned)}: ${r.usages.join(', ')}`];
  const row = (label: string, text: string) => lines.push(...hanging(`  ${label.padEnd(LABEL)} `, text));
  const subjectGaps = r.gaps.filter((g) => g.subject);
  const nameGaps = r.gaps.filter((g) => g.names);
  const UNKNOWN = '(unknown)';
  const width = Math.max(0, ...r.names.map((n) => n.name.length), ...(nameGaps.length > 0 ? [UNKNOWN.length] : []));
  const unnamed = (g: Gap) => `${g.what}: the snapshot gives no ${g.field} (Unknown, below)`;
  row('Held by', `${sharing(r)}: ${r.sharing.why} ${sources.ref(r.sharing.citation)}`);
  // Only the A/V authentication usage asks for no Subject; any other without one is Unknown.
  if (r.subject.length === 0 && subjectGaps.length === 0) row('Subject', 'any: the A/V authentication service ignores Subject and SAN');
  const subjects = [
    ...r.subject.map((s) => `${s.kind === 'fqdn' ? `CN=${s.name}` : `a SIP domain (${s.domains.join(', ') || 'none listed'})`} (${s.necessity}): ${s.why} ${sources.ref(s.citation)}`),
    ...subjectGaps.map((g) => `Unknown (${g.subject}): ${unnamed(g)}`),
  ];
  subjects.forEach((text, i) => row(i === 0 ? 'Subject' : '', text));
  if (r.names.length === 0 && nameGaps.length === 0) row('SAN', r.subject.length === 0 && subjectGaps.length === 0 ? 'any' : 'none needed beyond the Subject');
  const san = (i: number, necessity: string, name: string, text: string) =>
    lines.push(...hanging(`  ${(i === 0 ? 'SAN' : '').padEnd(LABEL)} ${necessity.padEnd(11)}  ${name.padEnd(width)}  `, text));
  r.names.forEach((n, i) => san(i, n.necessity, n.name, `${n.why}${n.condition ? ` (${n.condition})` : ''}${n.wildcard ? '; a wildcard SAN serves' : ''} ${sources.ref(n.citation)}`));
  nameGaps.forEach((g, i) => san(r.names.length + i, 'required', UNKNOWN, unnamed(g)));
  row('EKU', `${r.eku.required.map((e) => `${e.name} (${e.oid})`).join(', ')}: ${r.eku.why} ${sources.ref(r.eku.citation)}`);
  row('Key', `RSA of ${r.key.minRsaBits} bits or more${r.key.fixed ? ' (whatever the general floor)' : ''}, request ${r.key.requestBits}: ${r.key.why} ${sources.ref(r.key.citation)}`);
  row('Provider', `${r.provider.name} (ProviderType ${r.provider.type}): ${r.provider.why} ${sources.ref(r.provider.citation)}`);
  row('Exportable', `${r.exportable.exportable ? `yes (${r.exportable.necessity})` : 'no'}: ${r.exportable.why} ${sources.ref(r.exportable.citation)}`);
  const ca = { public: 'a public CA', enterprise: 'an enterprise CA', either: 'an enterprise or a public CA' }[r.issuer.kind];
  row('CA', `${ca} (${r.issuer.necessity}): ${r.issuer.why} ${sources.ref(r.issuer.citation)}`);
  row('Trusted by', `the Trusted Root store of ${r.trust.servers.join(', ') || 'no server'}${r.trust.outside ? `; and ${r.trust.outside}` : ''}: ${r.trust.why} ${sources.ref(r.trust.citation)}`);
  if (r.roll) row('Roll', `a staged roll takes effect at least ${r.roll.leadHours} hours before the current certificate expires ${sources.ref(r.roll.citation)}`);
  for (const gap of r.gaps) row('Unknown', gap.message);
  return lines;
}

function holder(planned: PlannedCertificate): string {
  const r = planned.requirement;
  if (r.sharing.scope === 'global') return 'The global certificate (every Front End, Standard Edition and Director)';
  if (r.sharing.scope === 'pool') return `${planned.holder} (every Edge server of the pool)`;
  return planned.holder;
}

function sharing(r: CertificateRequirement): string {
  if (r.sharing.scope === 'server') return 'this server alone';
  return `${plural(r.sharing.holders.length, 'server')} (${r.sharing.holders.join(', ')})`;
}

/** The pages cited, numbered in the order first cited. */
class Sources {
  private readonly cited: Citation[] = [];

  ref(citation: Citation): string {
    let i = this.cited.findIndex((c) => c.url === citation.url);
    if (i < 0) i = this.cited.push(citation) - 1;
    return `[${i + 1}]`;
  }

  lines(): string[] {
    return this.cited.flatMap((c, i) => [`  [${i + 1}] ${c.title}`, `      ${c.url}`]);
  }
}
