/**
 * `inspect --format json`: one array, for each file in command-line order an entry per certificate (its
 * facts) then one per part that could not be read (docs/inspect.md, schema/inspect-output.schema.json).
 * Strings keep their exact value, control characters included: JSON escaping makes them safe.
 */
import type { CertificateFacts } from '../certs/facts.js';
import type { CertificateFileResult } from '../certs/read.js';

export interface InspectError {
  source: { path: string; line?: number };
  error: string;
}

export type InspectEntry = CertificateFacts | InspectError;

/**
 * One file's entries, its certificates and failures named by `shownPath` (as the command line gave it,
 * `-` for standard input): copies, the parsed facts are left as read.
 */
export function inspectEntries(shownPath: string, result: CertificateFileResult): InspectEntry[] {
  return [
    ...result.certificates.map(({ facts }): InspectEntry => ({ ...facts, source: { ...facts.source, path: shownPath } })),
    ...result.errors.map(
      (error): InspectEntry => ({ source: { path: shownPath, ...(error.where.line !== undefined && { line: error.where.line }) }, error: error.message }),
    ),
  ];
}

export const formatInspectJson = (entries: InspectEntry[]): string => `${JSON.stringify(entries, null, 2)}\n`;
