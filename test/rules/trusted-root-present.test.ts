import rule from '../../src/rules/trusted-root-present.js';
import { deployment, edgePool, frontEndPool, ruleTester, thumbprint, without } from './harness.js';

const fe = (cert: string, stores: { root?: string[] | null; intermediate?: string[] | null } = {}) => deployment({ pools: [frontEndPool({ Default: cert }, 1, { all: stores })] });

ruleTester(rule, {
  valid: [
    { name: 'leaf, issuing CA in the Intermediate store, root in the Trusted Root store', deployment: fe('good') },
    {
      name: 'the issuing CA carried by the certificate\'s own PFX instead of the Intermediate store',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1, { all: { intermediate: [] } })], companions: { good: ['issuing'] } }),
    },
    {
      name: 'an Edge that trusts the internal root the Front Ends chain to',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1), edgePool({ Internal: 'good' }, 1)] }),
    },
  ],
  invalid: [
    {
      name: 'root not in the server\'s Trusted Root store',
      deployment: fe('good', { root: [] }),
      findings: [{ messageId: 'rootMissing', server: 'fe01.contoso.com', thumbprint: thumbprint('root'), message: 'CN=Contoso Test Root' }],
    },
    {
      name: 'root carried in the certificate\'s PFX but not in the Trusted Root store',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1, { all: { root: [] } })], companions: { good: ['issuing', 'root'] } }),
      findings: [{ messageId: 'rootMissing', thumbprint: thumbprint('root') }],
    },
    {
      name: 'missing intermediate',
      deployment: fe('good', { intermediate: [] }),
      findings: [{ messageId: 'intermediateMissing', message: 'CN=Contoso Test Issuing CA' }],
    },
    {
      name: 'an issuer the snapshot does not hold at all',
      deployment: without(deployment({ pools: [frontEndPool({ Default: 'under-other-root' }, 1)] }), 'other-root'),
      findings: [{ messageId: 'issuerUnknown', message: 'CN=Other Root' }],
    },
    {
      name: 'expired intermediate',
      deployment: fe('under-expired-ca', { intermediate: ['expired-ca'] }),
      findings: [{ messageId: 'invalidPath', message: 'CN=Contoso Expired CA' }],
    },
    {
      name: 'an intermediate without CA:TRUE',
      deployment: fe('under-not-ca', { intermediate: ['not-ca'] }),
      findings: [{ messageId: 'invalidPath', message: 'CN=Contoso Not A CA' }],
    },
    {
      name: 'path length exceeded: the issuing CA has pathLenConstraint 0 and signs another CA',
      deployment: fe('under-sub-ca', { intermediate: ['issuing', 'sub-ca'] }),
      findings: [{ messageId: 'invalidPath', message: 'path' }],
    },
    {
      name: 'a forged signature: the leaf names the issuing CA but another key signed it',
      deployment: fe('forged'),
      findings: [{ messageId: 'invalidPath', message: 'signature' }],
    },
    {
      name: 'Trusted Root store not collected',
      deployment: fe('good', { root: null }),
      findings: [{ messageId: 'rootStoreNotCollected', severity: 'warning' }],
    },
    {
      name: 'an Edge without the internal root of the Front End certificates (its own Internal certificate from another CA)',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1), edgePool({ Internal: 'under-other-root' }, 1, { all: { root: ['other-root'], intermediate: [] } })] }),
      findings: [{ messageId: 'internalRootMissing', server: 'edge01.contoso.com', thumbprint: thumbprint('root') }],
    },
  ],
});
