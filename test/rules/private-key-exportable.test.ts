import rule from '../../src/rules/private-key-exportable.js';
import { deployment, edgePool, frontEndPool, ruleTester } from './harness.js';

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
  ],
  invalid: [
    {
      name: 'the A/V key on edge01 is not exportable',
      deployment: deployment({ pools: [edgePool(EDGE, 2, { per: { 0: { personal: { second: { exportable: false } } } } })] }),
      findings: [{ messageId: 'notExportable', server: 'edge01.contoso.com', message: 'AccessEdgeExternal, AudioVideoAuthentication' }],
    },
    {
      name: 'a single Edge still needs an exportable A/V key',
      deployment: deployment({ pools: [edgePool({ AudioVideoAuthentication: 'second' }, 1, { all: { personal: { second: { exportable: false } } } })] }),
      findings: [{ messageId: 'notExportable', usage: 'AudioVideoAuthentication' }],
    },
    {
      name: 'a Front End without the private key',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1, { all: { personal: { good: { hasPrivateKey: false } } } })] }),
      findings: [{ messageId: 'noKey', server: 'fe01.contoso.com' }],
    },
    {
      name: 'an assigned certificate missing from the Personal store',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good' }, 1, { all: { notInPersonal: ['good'] } })] }),
      findings: [{ messageId: 'notInStore' }],
    },
    {
      name: 'Personal store not collected: one warning per server',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good', OAuthTokenIssuer: 'second' }, 1, { all: { personal: null } })] }),
      findings: [{ messageId: 'storeNotCollected', severity: 'warning' }],
    },
  ],
});
