import { fileURLToPath } from 'node:url';
import { readCertificateFile } from '../../src/certs/read.js';
import rule from '../../src/rules/no-wildcard-subject.js';
import { certs, deployment, frontEndPool, ruleTester } from './harness.js';

// A leaf with an empty Subject and its name in the SAN only (fixtures/chains; `openssl x509 -subject`
// prints `subject=`): it has no common name, wildcard or not.
certs['empty-subject'] = readCertificateFile(fileURLToPath(new URL('../../fixtures/chains/cve.cve-2024-0567/leaf.pem', import.meta.url))).certificates[0]!;

const fe = (cert: string) => deployment({ pools: [frontEndPool({ Default: cert }, 1)] });

ruleTester(rule, {
  valid: [
    { name: 'the pool FQDN as Subject', deployment: fe('good') },
    { name: 'an empty Subject has no wildcard in it', deployment: fe('empty-subject') },
    { name: 'a wildcard in the SAN only is not this rule\'s business', deployment: deployment({ pools: [frontEndPool({ WebServicesExternal: 'web-external' }, 1)] }) },
  ],
  invalid: [{ name: 'CN=*.contoso.com', deployment: fe('wildcard-subject'), findings: [{ messageId: 'wildcard', message: '(CN=*.contoso.com)' }] }],
});
