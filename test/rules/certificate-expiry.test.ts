import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/certificate-expiry.js';
import { deployment, edgePool, frontEndPool, ruleTester, runRule, thumbprint } from './harness.js';

// expires-2027 is valid until 2027-01-15T00:00:00Z (fixtures/rules/make.mjs). Staging AV and OAuth
// certificates using -Roll: a new OAuthTokenIssuer certificate is staged to take effect at least 24 hours,
// an AudioVideoAuthentication one at least 8 hours, before the current one expires; once it has expired
// there is nothing to stage against, and the new one is assigned at once (JJ205253: Set-CsCertificate
// -Identity global -Type OAuthTokenIssuer -Thumbprint).
const fe = (cert: string, intermediate?: string[], n = 1) => deployment({ pools: [frontEndPool({ Default: cert }, n, intermediate ? { all: { intermediate } } : {})] });

ruleTester(rule, {
  valid: [
    { name: 'valid for decades', deployment: fe('good') },
    { name: 'expiring in 45 days with the default 30-day window', deployment: fe('expires-2027'), now: new Date('2026-12-01T00:00:00Z') },
    { name: 'exactly 30 days before it expires: at the edge of the 30-day window, not in it', deployment: fe('expires-2027'), now: new Date('2026-12-16T00:00:00Z') },
  ],
  invalid: [
    {
      name: 'expiring in 14 days: a warning',
      deployment: fe('expires-2027'),
      now: new Date('2027-01-01T00:00:00Z'),
      findings: [{ messageId: 'expiring', severity: 'warning', message: 'expires 2027-01-15T00:00:00Z, in 14 days' }],
    },
    {
      name: 'a millisecond inside the 30-day window',
      deployment: fe('expires-2027'),
      now: new Date('2026-12-16T00:00:00.001Z'),
      findings: [{ messageId: 'expiring', severity: 'warning', message: 'in 29 days' }],
    },
    {
      name: 'at its notAfter instant it is still valid (RFC 5280 §4.1.2.5): expiring, in 0 days',
      deployment: fe('expires-2027'),
      now: new Date('2027-01-15T00:00:00Z'),
      findings: [{ messageId: 'expiring', severity: 'warning', message: 'in 0 days' }],
    },
    {
      name: 'expiring in 45 days with a 60-day window',
      deployment: fe('expires-2027'),
      now: new Date('2026-12-01T00:00:00Z'),
      options: { warnDays: 60 },
      findings: [{ messageId: 'expiring', severity: 'warning', message: 'in 45 days' }],
    },
    {
      name: 'expired: an error, one finding for both servers holding it',
      deployment: fe('expires-2027', undefined, 2),
      now: new Date('2027-02-01T00:00:00Z'),
      findings: [{ messageId: 'expired', severity: 'error', places: ['fe01.contoso.com', 'fe02.contoso.com'], message: 'expired 2027-01-15T00:00:00Z' }],
    },
    {
      name: 'an expired OAuthTokenIssuer certificate: replaced at once, globally, without a staged roll, by one with what JJ205253 asks',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'expires-2027' }, 2)] }),
      now: new Date('2027-02-01T00:00:00Z'),
      findings: [
        {
          messageId: 'expiredOAuth',
          severity: 'error',
          places: ['fe01.contoso.com', 'fe02.contoso.com'],
          message: 'that has a SIP domain of the deployment (contoso.com, fabrikam.com) in its Subject, an RSA key of at least 2048 bits, Server Authentication in its Extended Key Usage and an exportable private key',
        },
      ],
    },
    {
      name: 'a Default certificate that is also the OAuthTokenIssuer one: the OAuth advice, one finding',
      deployment: deployment({ pools: [frontEndPool({ Default: 'expires-2027', OAuthTokenIssuer: 'expires-2027' }, 1)] }),
      now: new Date('2027-02-01T00:00:00Z'),
      findings: [{ messageId: 'expiredOAuth', usage: 'Default' }],
    },
    {
      name: 'an expired A/V authentication certificate: imported on every Edge and assigned at once',
      deployment: deployment({ pools: [edgePool({ AudioVideoAuthentication: 'expires-2027' }, 2)] }),
      now: new Date('2027-02-01T00:00:00Z'),
      findings: [{ messageId: 'expiredAv', severity: 'error', places: ['edge01.contoso.com', 'edge02.contoso.com'], message: 'an RSA key of at least 2048 bits, Server Authentication in its Extended Key Usage and an exportable private key' }],
    },
    {
      name: 'an OAuthTokenIssuer certificate expiring: stage the successor at least 24 hours ahead',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'expires-2027' }, 1)] }),
      now: new Date('2027-01-01T00:00:00Z'),
      findings: [{ messageId: 'expiringOAuth', severity: 'warning', message: 'in 14 days: stage its successor' }],
    },
    {
      name: 'an A/V authentication certificate expiring: stage the successor at least 8 hours ahead',
      deployment: deployment({ pools: [edgePool({ AudioVideoAuthentication: 'expires-2027' }, 1)] }),
      now: new Date('2027-01-01T00:00:00Z'),
      findings: [{ messageId: 'expiringAv', severity: 'warning', message: 'taking effect at least 8 hours before then' }],
    },
    // RFC 5280 §4.1.2.5: the validity period includes notAfter, so at that instant each kind is still expiring.
    {
      name: 'an issuing CA at its notAfter instant: expiring, in 0 days',
      deployment: fe('under-expired-ca', ['expired-ca']),
      now: new Date('2025-01-01T00:00:00Z'),
      findings: [{ messageId: 'caExpiring', severity: 'warning', thumbprint: thumbprint('expired-ca'), message: 'expires 2025-01-01T00:00:00Z, in 0 days' }],
    },
    {
      name: 'an OAuthTokenIssuer certificate at its notAfter instant: expiring, in 0 days',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'expires-2027' }, 1)] }),
      now: new Date('2027-01-15T00:00:00Z'),
      findings: [{ messageId: 'expiringOAuth', severity: 'warning', message: 'expires 2027-01-15T00:00:00Z, in 0 days' }],
    },
    {
      name: 'an A/V authentication certificate at its notAfter instant: expiring, in 0 days',
      deployment: deployment({ pools: [edgePool({ AudioVideoAuthentication: 'expires-2027' }, 1)] }),
      now: new Date('2027-01-15T00:00:00Z'),
      findings: [{ messageId: 'expiringAv', severity: 'warning', message: 'expires 2027-01-15T00:00:00Z, in 0 days' }],
    },
    {
      // Set-CsCertificate -Roll stages AudioVideoAuthentication certificates on Edges; a Front End has no such usage.
      name: 'an AudioVideoAuthentication certificate on a Front End, which has no such usage: the plain advice',
      deployment: deployment({ pools: [frontEndPool({ AudioVideoAuthentication: 'expires-2027' }, 1)] }),
      now: new Date('2027-02-01T00:00:00Z'),
      findings: [{ messageId: 'expired', severity: 'error' }],
    },
    {
      name: 'the OAuthTokenIssuer certificate on fe01 is the Default one on fe02: the OAuth advice, whichever server comes first',
      deployment: deployment({ pools: [frontEndPool({ Default: 'expires-2027', OAuthTokenIssuer: 'expires-2027' }, 2, { per: { 1: { assignments: { Default: 'expires-2027' } } } })] }),
      now: new Date('2027-02-01T00:00:00Z'),
      findings: [{ messageId: 'expiredOAuth', places: ['fe01.contoso.com', 'fe02.contoso.com'] }],
    },
    {
      name: 'one certificate as the A/V one of an Edge pool and the OAuthTokenIssuer one: the OAuth advice (it is global), one finding',
      deployment: deployment({ pools: [edgePool({ AudioVideoAuthentication: 'expires-2027' }, 1), frontEndPool({ OAuthTokenIssuer: 'expires-2027' }, 1)] }),
      now: new Date('2027-02-01T00:00:00Z'),
      findings: [{ messageId: 'expiredOAuth', places: ['edge01.contoso.com', 'fe01.contoso.com'] }],
    },
    {
      // The same with the OAuth holder first (its pool's name sorts before the Edge pool's): OAuth still wins.
      name: 'one certificate as the OAuthTokenIssuer one and the A/V one of an Edge pool: the OAuth advice, whichever comes first',
      deployment: deployment({
        pools: [{ ...frontEndPool({ OAuthTokenIssuer: 'expires-2027' }, 1, { all: { fqdn: 'apool-fe01.contoso.com' } }), fqdn: 'apool.contoso.com' }, edgePool({ AudioVideoAuthentication: 'expires-2027' }, 1)],
      }),
      now: new Date('2027-02-01T00:00:00Z'),
      findings: [{ messageId: 'expiredOAuth', places: ['apool-fe01.contoso.com', 'edge01.contoso.com'] }],
    },
    {
      name: 'an expired issuing CA',
      deployment: fe('under-expired-ca', ['expired-ca']),
      findings: [{ messageId: 'caExpired', severity: 'error', thumbprint: thumbprint('expired-ca'), message: '(CN=Contoso Expired CA) expired 2025-01-01T00:00:00Z' }],
    },
  ],
});

describe('the advice for an expired certificate never asks for a staged roll', () => {
  const at = new Date('2027-02-01T00:00:00Z');
  it.each([
    ['OAuthTokenIssuer', deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'expires-2027' }, 2)] })],
    ['AudioVideoAuthentication', deployment({ pools: [edgePool({ AudioVideoAuthentication: 'expires-2027' }, 2)] })],
    ['Default', deployment({ pools: [frontEndPool({ Default: 'expires-2027' }, 1)] })],
  ])('%s', (_usage, d) => {
    const [finding, ...rest] = runRule(rule, { deployment: d, now: at });
    expect(rest).toEqual([]);
    expect(finding!.message).not.toMatch(/with a staged roll|-Roll -EffectiveDate/);
    expect(finding!.message).toMatch(/at once/);
  });

  it('an OAuth certificate with less than 24 hours left is told to be replaced at once too', () => {
    const [finding] = runRule(rule, { deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'expires-2027' }, 1)] }), now: new Date('2027-01-14T12:00:00Z') });
    expect(finding!.message).toContain('in 0 days');
    expect(finding!.message).toContain('with less than 24 hours left, assign it at once instead, without -Roll');
  });
});
