import { messageSpec, type Rule } from '../engine/types.js';
import type { ReportedRule } from '../report/types.js';

const DOCS = 'https://github.com/sfb-certlint/sfb-certlint/blob/main/docs/rules';

/** What `rules` lists and reports carry of each rule: its metadata, with its documentation page. */
export function describeRules(rules: readonly Rule[]): ReportedRule[] {
  return rules.map(({ meta }) => ({
    id: meta.id,
    description: meta.description,
    severity: meta.severity,
    citation: meta.citation,
    docsUrl: meta.docsUrl ?? `${DOCS}/${meta.id}.md`,
    ...(meta.roles && { roles: [...meta.roles] }),
    ...(meta.usages && { usages: [...meta.usages] }),
    ...(meta.options && { options: meta.options }),
    // The whole catalogue: every message with its severity and scope, as the engine resolves them.
    messages: Object.fromEntries(Object.keys(meta.messages).map((id) => [id, messageSpec(meta, id)!])),
  }));
}
