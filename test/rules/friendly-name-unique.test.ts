import rule from '../../src/rules/friendly-name-unique.js';
import { deployment, frontEndPool, ruleTester, thumbprint } from './harness.js';

// The reference digest: "Friendly names must be unique in the computer store"; Gg398995: the wizard asks
// for "a Friendly Name that should allow you to identify the certificate and purpose".
const fe = (personal: Record<string, { friendlyName?: string }>, unassigned: Record<string, { friendlyName?: string }> = {}) =>
  deployment({ pools: [frontEndPool({ Default: 'good', OAuthTokenIssuer: 'second' }, 1, { all: { personal, unassigned } })] });

ruleTester(rule, {
  valid: [
    { name: 'each certificate its own friendly name', deployment: fe({ good: { friendlyName: 'Lync Default' }, second: { friendlyName: 'Lync OAuth' } }) },
    { name: 'certificates without friendly names', deployment: fe({}) },
    { name: 'one certificate without a name beside one with', deployment: fe({ good: { friendlyName: 'Lync Default' } }) },
  ],
  invalid: [
    {
      name: 'two assigned certificates named alike',
      deployment: fe({ good: { friendlyName: 'Lync' }, second: { friendlyName: 'Lync' } }),
      findings: [{ messageId: 'duplicate', severity: 'info', server: 'fe01.contoso.com', thumbprint: thumbprint('second'), message: 'The friendly name "Lync" is given to 2 certificates' }],
    },
    {
      // Named by thumbprint ends and CN, as `openssl x509 -fingerprint -sha1 -subject` prints them:
      // good A3:28:…:60:CD, second 1A:36:…:C7:5B, both CN = pool01.contoso.com.
      name: 'the message names each certificate that shares the name',
      deployment: fe({ good: { friendlyName: 'Lync' }, second: { friendlyName: 'Lync' } }),
      findings: [{ messageId: 'duplicate', message: '(A328…0CD (CN=pool01.contoso.com); 1A36…75B (CN=pool01.contoso.com))' }],
    },
    {
      name: 'an old certificate left in the store under the name of the new one, in another case',
      deployment: fe({ good: { friendlyName: 'Skype Default' } }, { 'expires-2027': { friendlyName: ' skype default' } }),
      findings: [{ messageId: 'duplicate', thumbprint: thumbprint('expires-2027'), message: '"Skype Default" is given to 2 certificates' }],
    },
  ],
});
