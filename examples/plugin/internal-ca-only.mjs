// An example sfb-certlint plug-in (docs/writing-rules.md): an organisation's own policy, written with
// the same API as the built-in rules. Load it from a configuration file:
//   plugins: [./internal-ca-only.mjs]
//   rules: { contoso/internal-ca-only: [error, { allowedRoots: [<thumbprint>] }] }
import { at, defineRule, serverCertificates, usageList } from 'sfb-certlint';

/** Usages that face the Internet (and the A/V authentication certificate issued with them), where a public CA is expected. */
const EXTERNAL = ['External', 'AccessEdgeExternal', 'DataEdgeExternal', 'AudioVideoAuthentication', 'WebServicesExternal', 'XmppServer'];

export const rules = [
  defineRule({
    meta: {
      id: 'contoso/internal-ca-only',
      description: 'Internal-facing certificates are issued under one of our internal root CAs.',
      severity: 'error',
      citation: { title: 'Contoso PKI policy, section 4.2', url: 'https://intranet.contoso.com/pki-policy#4.2' },
      options: {
        allowedRoots: { type: 'string[]', default: [], description: 'Thumbprints of the internal root CAs.' },
      },
      messages: {
        foreignRoot: 'The {{usages}} certificate chains to "{{root}}", which is not an internal root CA of Contoso.',
      },
    },
    *check(context) {
      const allowed = new Set(context.options.allowedRoots.map((t) => t.toUpperCase()));
      for (const group of serverCertificates(context)) {
        if (group.usages.every((u) => EXTERNAL.includes(u))) continue;
        const { valid, path } = context.chain(group.server, group.certificate);
        // A certificate without a valid path is trusted-root-present's finding, not this rule's.
        const root = valid ? path[path.length - 1] : undefined;
        if (root && !allowed.has(root.facts.thumbprint)) {
          yield { messageId: 'foreignRoot', data: { usages: usageList(group), root: root.facts.subject }, ...at(group) };
        }
      }
    },
  }),
];
