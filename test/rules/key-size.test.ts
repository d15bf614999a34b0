import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/engine/config.js';
import { lintDeployment } from '../../src/engine/run.js';
import { createChainValidation } from '../../src/engine/validation.js';
import { readCertificateRequestFile } from '../../src/certs/csr.js';
import { checkRequest } from '../../src/requirements/check-request.js';
import { requirementsOf } from '../../src/requirements/derive.js';
import rule from '../../src/rules/key-size.js';
import { PREDEPLOY } from '../requirements/helpers.js';
import { certs, deployment, frontEndPool, NOW, ruleTester, thumbprint } from './harness.js';

// Certificate infrastructure requirements for Lync Server 2013: "Key lengths of 2048 and greater are
// recommended" (the project's default minimum); "The ECDH_P256, ECDH_P384, and ECDH_P521 algorithms are
// also supported" (and RSA): any other curve or algorithm is not. JJ205253: the OAuthTokenIssuer
// certificate "must be at least 2048 bits", one of its two primary requirements, so lowering the general
// floor to 1024 (which the wizard accepts) leaves OAuth at 2048; and "2048 bits" is an RSA key's length.
// Certificate infrastructure requirements: CNG (Key Storage Provider) keys are not supported by Lync
// Server 2013, and an ECDH key exists only in CNG: on Lync Server 2013 an EC key cannot be used at all,
// on Skype for Business Server it can (the pages disagree: a warning).
const fe = (cert: string, n = 1, intermediate?: string[]) => deployment({ pools: [frontEndPool({ Default: cert }, n, intermediate ? { all: { intermediate } } : {})] });
// Below unusual-root (fixtures/rules/make-unusual.mjs), as `openssl x509 -text` prints their keys:
// rsa-unreadable "rsaEncryption", "Unable to load Public Key" (its RSAPublicKey is no SEQUENCE);
// ec-explicit "id-ecPublicKey", "Field Type: prime-field" (P-256 written out as explicit parameters, no
// curve name); x25519 "X25519" (RFC 8410's id-X25519, 1.3.101.110); ec-ca "ASN1 OID: prime256v1" and
// brainpool-ca "ASN1 OID: brainpoolP256r1", each with a 2048-bit RSA server certificate below it.
const unusual = (assignments: Parameters<typeof frontEndPool>[0], intermediate: string[] = []) => deployment({ pools: [frontEndPool(assignments, 1, { all: { intermediate, root: ['unusual-root'] } })] });

ruleTester(rule, {
  valid: [
    { name: '2048-bit RSA leaf and chain', deployment: fe('good') },
    { name: 'a 1024-bit key when the minimum is lowered to 1024', deployment: fe('rsa-1024'), options: { minRsaBits: 1024 } },
    {
      name: 'a 1024-bit OAuth key when the OAuth floor is lowered too, as a configuration may',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'rsa-1024' }, 1)] }),
      options: { minRsaBits: 1024, minRsaBitsByUsage: { OAuthTokenIssuer: 1024 } },
    },
    // A length the reader could not measure is not reported as one (no "null-bit" key).
    { name: 'an RSA key whose modulus cannot be read is given no length', deployment: unusual({ Default: 'rsa-unreadable' }) },
    {
      // Only a server's own key must be RSA (OAuthTokenIssuer, JJ205253) or in a provider Lync can use: a CA's key only signs.
      name: 'an issuing CA with an EC P-256 key, above the Default and OAuthTokenIssuer certificate',
      deployment: unusual({ Default: 'under-ec-ca', OAuthTokenIssuer: 'under-ec-ca' }, ['ec-ca']),
    },
  ],
  invalid: [
    {
      name: 'an EC P-256 leaf: a CNG key, which Lync Server 2013 cannot use (a warning)',
      deployment: fe('ec-p256'),
      findings: [{ messageId: 'ecNeedsCng', severity: 'warning', thumbprint: thumbprint('ec-p256'), message: 'has an EC P-256 key, which Windows keeps only in a CNG Key Storage Provider' }],
    },
    {
      // The collector may see a certificate in no Personal store: nothing says the key is in a CNG provider, so the EC key still needs one.
      name: 'an EC P-256 certificate the Personal store does not list: still a key only CNG keeps',
      deployment: deployment({ pools: [frontEndPool({ Default: 'ec-p256' }, 1, { all: { notInPersonal: ['ec-p256'] } })] }),
      findings: [{ messageId: 'ecNeedsCng', severity: 'warning', thumbprint: thumbprint('ec-p256') }],
    },
    {
      name: 'an EC key the collector saw in a CNG provider is cng-key-provider\'s finding there, not a second one',
      deployment: deployment({ pools: [frontEndPool({ Default: 'ec-p256' }, 2, { per: { 0: { personal: { 'ec-p256': { keyProvider: 'CNG' } } } } })] }),
      findings: [{ messageId: 'ecNeedsCng', places: ['fe02.contoso.com'] }],
    },
    {
      name: 'an EC P-256 OAuthTokenIssuer certificate: an error, it needs an RSA key of at least 2048 bits',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'ec-p256' }, 2)] }),
      findings: [{ messageId: 'usageAlgorithm', severity: 'error', places: ['fe01.contoso.com', 'fe02.contoso.com'], message: 'has an EC P-256 key; as the OAuthTokenIssuer certificate it needs an RSA key of at least 2048 bits' }],
    },
    {
      name: 'an EC P-256 certificate for Default and OAuthTokenIssuer: one finding, the OAuth one',
      deployment: deployment({ pools: [frontEndPool({ Default: 'ec-p256', OAuthTokenIssuer: 'ec-p256' }, 1)] }),
      findings: [{ messageId: 'usageAlgorithm', usage: 'Default', message: 'as the OAuthTokenIssuer certificate it needs' }],
    },
    {
      name: 'a per-usage map that names another usage keeps the OAuth floor',
      deployment: deployment({ pools: [frontEndPool({ Default: 'rsa-1024', OAuthTokenIssuer: 'rsa-1024' }, 1)] }),
      options: { minRsaBits: 1024, minRsaBitsByUsage: { Default: 1024 } },
      findings: [{ messageId: 'usageTooShort', severity: 'error', message: 'as the OAuthTokenIssuer certificate it needs at least 2048 bits' }],
    },
    {
      name: 'a 1024-bit OAuth certificate with the general floor lowered to 1024: OAuth stays at 2048',
      deployment: deployment({ pools: [frontEndPool({ Default: 'rsa-1024', OAuthTokenIssuer: 'rsa-1024' }, 2, { per: { 1: { assignments: { Default: 'rsa-1024' } } } })] }),
      options: { minRsaBits: 1024 },
      findings: [{ messageId: 'usageTooShort', severity: 'error', places: ['fe01.contoso.com'], message: 'has a 1024-bit RSA key; as the OAuthTokenIssuer certificate it needs at least 2048 bits' }],
    },
    {
      name: 'a per-usage floor above the general one, set by configuration',
      deployment: fe('good'),
      options: { minRsaBitsByUsage: { Default: 3072 } },
      findings: [{ messageId: 'usageTooShort', thumbprint: thumbprint('good'), message: 'as the Default certificate it needs at least 3072 bits' }],
    },
    {
      name: 'a general floor above the OAuth one applies to OAuth too',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'good' }, 1)] }),
      options: { minRsaBits: 3072 },
      findings: [
        { messageId: 'tooShort', thumbprint: thumbprint('good'), message: 'a key of 3072 bits or more' },
        { messageId: 'caTooShort', thumbprint: thumbprint('issuing') },
        { messageId: 'caTooShort', thumbprint: thumbprint('root') },
      ],
    },
    {
      name: '1024-bit leaf',
      deployment: fe('rsa-1024'),
      findings: [{ messageId: 'tooShort', server: 'fe01.contoso.com', usage: 'Default', thumbprint: thumbprint('rsa-1024'), places: ['fe01.contoso.com'], message: 'has a 1024-bit RSA key; at least 2048 bits' }],
    },
    {
      name: 'the same short key on three usages of two servers is one finding, listing both servers',
      deployment: deployment({ pools: [frontEndPool({ Default: 'rsa-1024', WebServicesInternal: 'rsa-1024', WebServicesExternal: 'rsa-1024' }, 2)] }),
      findings: [{ messageId: 'tooShort', server: 'fe01.contoso.com', usage: 'Default', places: ['fe01.contoso.com', 'fe02.contoso.com'] }],
    },
    {
      name: 'a 1024-bit issuing CA is one finding, listing every server whose path it is in',
      deployment: fe('under-weak-ca', 3, ['weak-ca']),
      findings: [{ messageId: 'caTooShort', thumbprint: thumbprint('weak-ca'), places: ['fe01.contoso.com', 'fe02.contoso.com', 'fe03.contoso.com'], message: '(CN=Contoso Weak CA) has a 1024-bit' }],
    },
    {
      name: 'a 2048-bit key when 3072 bits are required: the leaf, its issuing CA and the root',
      deployment: fe('good'),
      options: { minRsaBits: 3072 },
      findings: [
        { messageId: 'tooShort', thumbprint: thumbprint('good'), message: 'a key of 3072 bits or more' },
        { messageId: 'caTooShort', thumbprint: thumbprint('issuing') },
        { messageId: 'caTooShort', thumbprint: thumbprint('root') },
      ],
    },
    {
      name: 'a certificate is named with the friendly name its servers give it',
      deployment: deployment({ pools: [frontEndPool({ Default: 'rsa-1024' }, 2, { all: { personal: { 'rsa-1024': { friendlyName: 'Lync Default 2026' } } } })] }),
      findings: [{ messageId: 'tooShort', places: ['fe01.contoso.com', 'fe02.contoso.com'], message: '(CN=pool01.contoso.com, "Lync Default 2026") has a 1024-bit' }],
    },
    {
      name: 'servers that name it differently: no friendly name, one finding still',
      deployment: deployment({
        pools: [frontEndPool({ Default: 'rsa-1024' }, 2, { per: { 0: { personal: { 'rsa-1024': { friendlyName: 'A' } } }, 1: { personal: { 'rsa-1024': { friendlyName: 'B' } } } } })],
      }),
      findings: [{ messageId: 'tooShort', places: ['fe01.contoso.com', 'fe02.contoso.com'], message: '(CN=pool01.contoso.com) has a 1024-bit' }],
    },
    { name: 'an Ed25519 key, which Lync/SfB do not support', deployment: fe('ed25519'), findings: [{ messageId: 'algorithm', message: 'has a Ed25519 key' }] },
    { name: 'an EC key on brainpoolP256r1, a curve Lync/SfB do not support', deployment: fe('brainpool'), findings: [{ messageId: 'curve', message: 'the curve brainpoolP256r1' }] },
    {
      name: 'P-256 when only P-384 is allowed',
      deployment: fe('ec-p256'),
      options: { allowedCurves: ['P-384'] },
      findings: [{ messageId: 'curve', thumbprint: thumbprint('ec-p256'), message: 'the curve P-256, which Lync/SfB do not support (use P-384)' }],
    },
    {
      // brainpoolP256r1 is none of ECDH_P256/P384/P521; the message lists each curve the configuration allows.
      name: 'brainpoolP256r1 when P-384 and P-521 are allowed: both named',
      deployment: fe('brainpool'),
      options: { allowedCurves: ['P-384', 'P-521'] },
      findings: [{ messageId: 'curve', message: 'the curve brainpoolP256r1, which Lync/SfB do not support (use P-384, P-521)' }],
    },
    {
      name: 'per-usage floors of 3072 bits on two usages of one 2048-bit certificate: both named',
      deployment: deployment({ pools: [frontEndPool({ Default: 'good', WebServicesInternal: 'good' }, 1)] }),
      options: { minRsaBitsByUsage: { Default: 3072, WebServicesInternal: 3072 } },
      findings: [{ messageId: 'usageTooShort', thumbprint: thumbprint('good'), message: 'has a 2048-bit RSA key; as the Default, WebServicesInternal certificate it needs at least 3072 bits' }],
    },
    {
      name: 'an EC key on explicit parameters has no curve name: specifiedCurve, which is not among the allowed',
      deployment: unusual({ Default: 'ec-explicit' }),
      findings: [{ messageId: 'curve', thumbprint: thumbprint('ec-explicit'), message: 'the curve specifiedCurve' }],
    },
    {
      name: 'a key of an algorithm the reader does not know is named by its OID',
      deployment: unusual({ Default: 'x25519' }),
      findings: [{ messageId: 'algorithm', thumbprint: thumbprint('x25519'), message: 'has a 1.3.101.110 key' }],
    },
    {
      name: 'an issuing CA with an EC key on brainpoolP256r1',
      deployment: unusual({ Default: 'under-brainpool-ca' }, ['brainpool-ca']),
      findings: [{ messageId: 'caCurve', thumbprint: thumbprint('brainpool-ca'), message: '(CN=Contoso Brainpool CA) has an EC key on the curve brainpoolP256r1' }],
    },
    {
      name: 'an issuing CA with an Ed25519 key',
      deployment: fe('under-ed25519-ca', 1, ['ed25519-ca']),
      findings: [{ messageId: 'caAlgorithm', thumbprint: thumbprint('ed25519-ca'), message: 'has a Ed25519 key' }],
    },
  ],
});

describe('key-size as a configuration file sets it', () => {
  // The QA configuration: `key-size: [error, { minRsaBits: 1024 }]`. JJ205253 keeps the OAuthTokenIssuer
  // certificate at 2048 bits; the 1024-bit Default certificate passes, as the configuration asks.
  it('a 1024-bit OAuthTokenIssuer certificate is still an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfb-key-size-'));
    writeFileSync(join(dir, 'sfb-certlint.config.yaml'), 'rules:\n  key-size: [error, { minRsaBits: 1024 }]\n');
    const config = loadConfig(join(dir, 'sfb-certlint.config.yaml'));
    const d = deployment({ pools: [frontEndPool({ Default: 'rsa-1024', OAuthTokenIssuer: 'good' }, 1, { per: { 0: { assignments: { Default: 'rsa-1024', OAuthTokenIssuer: 'rsa-1024' } } } }), { fqdn: 'se01.contoso.com', role: 'StandardEdition', servers: [{ fqdn: 'se01.contoso.com', assignments: { Default: 'rsa-1024' } }] }] });
    const { findings } = lintDeployment(d, { rules: [rule], settings: config.rules, suppressions: [], now: NOW, validate: createChainValidation() });
    expect(findings.map((f) => [f.messageId, f.severity, f.places?.map((p) => `${p.server} ${p.usages?.join('+')}`)])).toEqual([
      ['usageTooShort', 'error', ['fe01.contoso.com Default+OAuthTokenIssuer']],
    ]);
  });
});

describe('an EC key for OAuthTokenIssuer, in a request (check) as in a certificate (lint)', () => {
  it('check refuses it as an error too, saying an RSA key is needed: one requirement, in the model', () => {
    const d = deployment({ sipDomains: ['contoso.com'], pools: [frontEndPool({}, 1)] });
    const pool = d.pools[0]!;
    const requirement = requirementsOf(d).forCertificate(pool, pool.servers[0]!, ['OAuthTokenIssuer'])!;
    expect(requirement.key.algorithms).toEqual(['RSA']);
    const request = readCertificateRequestFile(join(PREDEPLOY, 'requests', 'oauth-good.csr')).requests[0]!;
    const ec = { ...request, facts: { ...request.facts, publicKey: certs['ec-p256']!.facts.publicKey } };
    const key = checkRequest(ec, requirement).filter((f) => f.check === 'request/key');
    expect(key.map((f) => f.severity)).toEqual(['error']);
    expect(key[0]!.message).toContain('the OAuthTokenIssuer certificate needs an RSA key of at least 2048 bits');
  });
});
