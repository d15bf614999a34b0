import rule from '../../src/rules/certificate-expiry.js';
import { deployment, frontEndPool, ruleTester, thumbprint } from './harness.js';

// expires-2027 is valid until 2027-01-15T00:00:00Z (fixtures/rules/make.mjs).
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
      name: 'an expired issuing CA',
      deployment: fe('under-expired-ca', ['expired-ca']),
      findings: [{ messageId: 'caExpired', severity: 'error', thumbprint: thumbprint('expired-ca'), message: '(CN=Contoso Expired CA) expired 2025-01-01T00:00:00Z' }],
    },
  ],
});
