import { defineRule } from '../engine/types.js';
import { requirementsOf } from '../requirements/derive.js';
import { CITATIONS } from './citations.js';
import { at, labelOf } from './support.js';

export default defineRule({
  meta: {
    id: 'external-certificate-public-ca',
    description:
      'The Edge external certificates (External, AccessEdgeExternal, DataEdgeExternal, XmppServer) chain to a publicly trusted root, as federation partners and remote clients require.',
    severity: 'error',
    citation: CITATIONS.externalAccess,
    messages: {
      privateRoot: {
        text: 'The certificate {{certificate}} chains to the root {{root}}, which is not a publicly trusted root: federation partners and remote clients will refuse it. Reissue it from a public CA (or, if your partners do trust that root, list it under publicRoots in the configuration).',
        scope: 'certificate',
      },
      selfSigned: {
        text: 'The certificate {{certificate}} is self-signed: federation partners and remote clients will refuse it. Reissue it from a public CA.',
        scope: 'certificate',
      },
    },
  },
  *check(context) {
    const requirements = requirementsOf(context.deployment);
    for (const group of context.serverCertificates()) {
      // The usages the requirements model asks a public CA for: the Edge's external interface.
      if (!group.usages.some((u) => requirements.forUsage(group.pool, group.server, u)?.issuer.kind === 'public')) continue;
      const { valid, failure } = context.publicChain(group.server, group.certificate);
      // Only a path that ends at a root the public list lacks shows a private CA; a path that cannot be
      // built at all (a missing intermediate, an unknown issuer) is trusted-root-present's finding.
      if (valid || failure?.code !== 'untrusted-root' || !failure.certificate) continue;
      const certificate = labelOf(context, group.certificate);
      if (failure.certificate === group.certificate) yield { messageId: 'selfSigned', data: { certificate }, ...at(group) };
      else yield { messageId: 'privateRoot', data: { certificate, root: labelOf(context, failure.certificate) }, ...at(group) };
    }
  },
});
