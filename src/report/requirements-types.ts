/**
 * What the `requirements` formats receive: the pool (or server) asked about, the usages its role needs,
 * and the certificates to request, each with its requirement (src/requirements/model.ts).
 */
import { InputError, printable } from '../errors.js';
import type { PlannedCertificate, UsageNeed } from '../requirements/model.js';
import type { Role } from '../snapshot/model.js';
import { requestedCommonName } from '../requirements/verdicts.js';

export interface RequirementsReport {
  tool: { name: string; version: string; informationUri: string };
  /** The snapshot, as the command was given it. */
  snapshot: string;
  pool: { fqdn: string; role: Role; servers: string[] };
  /** The server asked about with --server; undefined with --pool. */
  server?: string;
  needs: UsageNeed[];
  certificates: PlannedCertificate[];
}

/** A DNS name as the certreq and OpenSSL files may hold it: letters, digits, hyphens and dots, a leading `*.` at most. */
const DNS_NAME = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

/**
 * The name, checked to be a DNS name before it is written into a request file: a name from the snapshot
 * that is not one (a quote, a line end) would change what the file asks for.
 */
export function requestName(name: string): string {
  if (!DNS_NAME.test(name)) throw new InputError(`refusing to write a request for "${printable(name, 100)}", which is not a DNS name`, {}, 'Correct the name in the snapshot.');
  return name;
}

/**
 * The Common Name a request file asks for, after refusing a certificate whose Subject or SANs the
 * snapshot does not name: a request written with them left out or guessed would be wrong, and the CA
 * would sign it as it is.
 */
export function knownRequest(planned: PlannedCertificate): string | undefined {
  const r = planned.requirement;
  if (r.gaps.length > 0) {
    const parts = [r.gaps.some((g) => g.subject) && 'Subject', r.gaps.some((g) => g.names) && 'SANs'].filter(Boolean).join(' and ');
    throw new InputError(
      `refusing to write a request for ${printable(planned.holder, 100)} (${r.usages.join(', ')}) whose ${parts} would be incomplete or guessed: ${r.gaps.map((g) => g.message).join('; ')}`,
      {},
      `docs/snapshot.md describes ${r.gaps.map((g) => g.field).join(' and ')}; add ${r.gaps.length === 1 ? 'it' : 'them'}, then write the request again.`,
    );
  }
  return requestedCommonName(r.subject);
}

/** The file a planned certificate's request is written to in --output DIR, without its extension. */
export const requestFileName = (planned: PlannedCertificate): string => `${planned.holder}.${planned.label}`;

/** `text` in lines of at most `width` columns after `first`, later lines indented to its length; a longer word keeps a line of its own. */
export function hanging(first: string, text: string, width = 100): string[] {
  const indent = ' '.repeat([...first].length);
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && [...line].length + 1 + [...word].length > width) {
      lines.push(line);
      line = indent + word;
    } else line = empty ? line + word : `${line} ${word}`;
    empty = false;
  }
  return [...lines, line];
}
