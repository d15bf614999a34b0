import { defineRule } from '../../engine/types.js';
import { printable } from '../../errors.js';
import { CITATIONS } from '../../rules/citations.js';
import { atEndpoint, docsUrl, endpointData, probeFacts } from './context.js';

/** Names listed in a message, at most: a certificate may carry thousands. */
const LISTED = 8;

export default defineRule({
  meta: {
    id: 'probe-name-mismatch',
    description: 'The certificate each endpoint serves covers the name clients ask for there (its subjectAltName; inside, the subject CN of a certificate without one).',
    severity: 'error',
    citation: CITATIONS.internalServers,
    docsUrl: docsUrl('probe-name-mismatch'),
    messages: {
      mismatch: '{{endpoint}} ({{service}}) serves a certificate that does not cover {{name}}, the name clients ask for there; it names {{names}}.',
    },
  },
  *check(context) {
    for (const probed of probeFacts(context).endpoints) {
      const leaf = probed.leaf;
      if (!leaf || probed.nameCovered !== false) continue;
      const { dns, ip } = leaf.facts.subjectAltNames;
      const named = [...dns, ...ip];
      const cn = leaf.facts.subjectCommonName;
      const shown = named.length > 0 ? named.slice(0, LISTED).map((n) => printable(n, 100)).join(', ') + (named.length > LISTED ? ` and ${named.length - LISTED} more` : '') : cn !== null ? `only the subject CN ${printable(cn, 100)}` : 'no name';
      yield { messageId: 'mismatch', data: { ...endpointData(probed), name: probed.endpoint.name, names: shown }, ...atEndpoint(probed, leaf.facts.thumbprint) };
    }
  },
});
