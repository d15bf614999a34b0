import rule from '../../src/rules/trusted-root-store-hygiene.js';
import { certificateLabel } from '../../src/rules/support.js';
import { certs, deployment, edgePool, frontEndPool, ruleTester, thumbprint } from './harness.js';

// KB 2795828: a certificate that is not self-signed in Trusted Root stops the Front End service on
// Windows Server 2012; field reports: more than about 100 roots breaks sign-in; duplicates. On an Edge the
// message says why it happens there: Gg412750 has the internal CA's whole chain (.p7b) imported into
// Trusted Root Certification Authorities, intermediates and all.
const roots = (root: string[]) => deployment({ pools: [frontEndPool({ Default: 'good' }, 1, { all: { root } })] });

ruleTester(rule, {
  valid: [
    { name: 'self-signed roots only', deployment: roots(['root', 'other-root']) },
    { name: 'a store not collected', deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1, { all: { root: null } })] }) },
    { name: 'exactly as many roots as allowed', deployment: roots(['root', 'other-root']), options: { maxRoots: 2 } },
  ],
  invalid: [
    {
      name: 'an issuing CA in the Trusted Root store: an error',
      deployment: roots(['root', 'issuing']),
      findings: [{ messageId: 'notSelfSigned', severity: 'error', thumbprint: thumbprint('issuing'), message: `holds ${certificateLabel(certs.issuing!)}, issued by "O=Contoso, CN=Contoso Test Root"` }],
    },
    {
      name: 'an issuing CA in an Edge\'s Trusted Root store: the documented chain import, and what to do instead',
      deployment: deployment({ pools: [edgePool({ Internal: 'good' }, 1, { all: { root: ['root', 'issuing'] } })] }),
      findings: [{ messageId: 'edgeNotSelfSigned', severity: 'error', server: 'edge01.contoso.com', thumbprint: thumbprint('issuing'), message: `holds ${certificateLabel(certs.issuing!)}, issued by "O=Contoso, CN=Contoso Test Root"` }],
    },
    { name: 'a duplicate', deployment: roots(['root', 'root']), findings: [{ messageId: 'duplicate', severity: 'warning', message: `lists ${certificateLabel(certs.root!)} more` }] },
    { name: 'more roots than allowed', deployment: roots(['root', 'other-root']), options: { maxRoots: 1 }, findings: [{ messageId: 'tooMany', message: 'holds 2 certificates (more than 1)' }] },
  ],
});
