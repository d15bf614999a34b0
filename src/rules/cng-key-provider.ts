import { defineRule } from '../engine/types.js';
import { CITATIONS } from './citations.js';
import { at, usageList } from './support.js';

export default defineRule({
  meta: {
    id: 'cng-key-provider',
    description: 'Private keys of assigned certificates are held by a legacy CryptoAPI CSP, not a CNG Key Storage Provider, which Lync Server 2010/2013 cannot use.',
    severity: 'error',
    citation: CITATIONS.infrastructure,
    messages: {
      cng: 'The private key of the {{usages}} certificate is in a CNG Key Storage Provider ({{provider}}): Lync Server 2013 cannot use it and assignment fails. Re-request it with a CSP such as "Microsoft RSA SChannel Cryptographic Provider" (certreq: ProviderName, ProviderType = 12).',
    },
  },
  *check(context) {
    for (const group of context.serverCertificates()) {
      const entry = context.personalEntry(group.server, group.certificate.facts.thumbprint);
      if (entry?.keyProvider === 'CNG') {
        // The provider's name is unknown when the collector gave only the kind.
        yield { messageId: 'cng', data: { usages: usageList(group), provider: entry.providerName ?? 'CNG' }, ...at(group) };
      }
    }
  },
});
