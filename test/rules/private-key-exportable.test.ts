import rule from '../../src/rules/private-key-exportable.js';
import { deployment, edgePool, frontEndPool, ruleTester, thumbprint } from './harness.js';

// Set up certificates for the internal edge interface: every Edge of a pool gets the same certificate,
// exported with its private key, so those keys must be exportable; the A/V authentication key too, even
// on a single Edge (Plan for Edge Server certificates). JJ205253: the global OAuthTokenIssuer certificate
// is replicated to every Front End ("decrypt and deploy"), or copied by hand ("make sure that you export
// the private key along with the certificate itself"): its key must be exportable.
const EDGE = { Internal: 'good', AccessEdgeExternal: 'second', AudioVideoAuthentication: 'second' };

ruleTester(rule, {
  valid: [
    { name: 'Edge keys present and exportable', deployment: deployment({ pools: [edgePool(EDGE)] }) },
    {
      name: 'a single Edge\'s Internal key need not be exportable (nothing to copy it to)',
      deployment: deployment({ pools: [edgePool({ Internal: 'good' }, 1, { all: { personal: { good: { exportable: false } } } })] }),
    },
    {
      name: 'a Front End key need not be exportable',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1, { all: { personal: { good: { exportable: false } } } })] }),
    },
    {
      name: 'a usage an Edge has no requirement for (Default) asks nothing of the key',
      deployment: deployment({ pools: [edgePool({ Default: 'good' }, 2, { all: { personal: { good: { exportable: false } } } })] }),
    },
    { name: 'a Personal store not collected is inventory-present\'s finding', deployment: deployment({ pools: [frontEndPool({ Default: 'good', OAuthTokenIssuer: 'second' }, 1, { all: { personal: null } })] }) },
  ],
  invalid: [
    {
      name: 'the A/V key on edge01 is not exportable',
      deployment: deployment({ pools: [edgePool(EDGE, 2, { per: { 0: { personal: { second: { exportable: false } } } } })] }),
      findings: [{ messageId: 'notExportable', server: 'edge01.contoso.com', message: 'Edge AccessEdgeExternal, AudioVideoAuthentication certificate' }],
    },
    {
      name: 'a single Edge still needs an exportable A/V key, but not an exportable external one',
      deployment: deployment({ pools: [edgePool({ AccessEdgeExternal: 'second', AudioVideoAuthentication: 'second' }, 1, { all: { personal: { second: { exportable: false } } } })] }),
      findings: [{ messageId: 'notExportable', usage: 'AccessEdgeExternal', message: 'Edge AudioVideoAuthentication certificate' }],
    },
    {
      name: 'an OAuthTokenIssuer certificate whose key is not exportable',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good', OAuthTokenIssuer: 'second' }, 1, { all: { personal: { second: { exportable: false } } } })] }),
      findings: [{ messageId: 'oauthNotExportable', usage: 'OAuthTokenIssuer', thumbprint: thumbprint('second'), message: 'of the OAuthTokenIssuer certificate is not exportable' }],
    },
    {
      name: 'a Default certificate reused as OAuthTokenIssuer, its key not exportable: the OAuth usage is named',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good', OAuthTokenIssuer: 'good' }, 1, { all: { personal: { good: { exportable: false } } } })] }),
      findings: [{ messageId: 'oauthNotExportable', usage: 'Default', message: 'of the OAuthTokenIssuer certificate is not exportable' }],
    },
    {
      name: 'a Front End without the private key',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1, { all: { personal: { good: { hasPrivateKey: false } } } })] }),
      findings: [{ messageId: 'noKey', server: 'fe01.contoso.com', message: 'its Default certificate' }],
    },
    {
      name: 'an assigned certificate missing from the Personal store',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1, { all: { notInPersonal: ['good'] } })] }),
      findings: [{ messageId: 'notInStore', thumbprint: thumbprint('good') }],
    },
    {
      name: 'a PFX whose private key is not the certificate\'s: one finding for the file, whichever servers hold it',
      deployment: deployment({ pools: [frontEndPool({ Default: 'key-mismatch' }, 2)] }),
      findings: [{ messageId: 'pfxKeyMismatch', thumbprint: thumbprint('key-mismatch'), places: ['fe01.contoso.com', 'fe02.contoso.com'], message: '(CN=pool01.contoso.com) does not belong' }],
    },
    {
      name: 'a PFX whose key does not match is reported even where the Personal store was not collected',
      deployment: deployment({ pools: [frontEndPool({ Default: 'key-mismatch' }, 1, { all: { personal: null } })] }),
      findings: [{ messageId: 'pfxKeyMismatch', thumbprint: thumbprint('key-mismatch') }],
    },
    {
      name: 'in a pool of two Edges, the Internal key must be exportable too (Gg412750: the same certificate on every Edge)',
      deployment: deployment({ pools: [edgePool(EDGE, 2, { per: { 1: { personal: { good: { exportable: false } } } } })] }),
      findings: [{ messageId: 'notExportable', server: 'edge02.contoso.com', usage: 'Internal', thumbprint: thumbprint('good'), message: 'of the Edge Internal certificate' }],
    },
    {
      name: 'no private key at all: said once, not also as a key that cannot be exported',
      deployment: deployment({ pools: [edgePool(EDGE, 2, { per: { 0: { personal: { second: { hasPrivateKey: false, exportable: false } } } } })] }),
      findings: [{ messageId: 'noKey', server: 'edge01.contoso.com', message: 'its AccessEdgeExternal, AudioVideoAuthentication certificate' }],
    },
  ],
});
