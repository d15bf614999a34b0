import rule from '../../src/rules/certificate-expiry.js';
import { deployment, frontEndPool, ruleTester, thumbprint } from './harness.js';

const fe = (cert: string, intermediate?: string[]) => deployment({ pools: [frontEndPool({ Default: cert }, 1, intermediate ? { all: { intermediate } } : {})] });

ruleTester(rule, {
  valid: [
    { name: 'valid for decades', deployment: fe('good') },
    { name: 'expiring in 45 days with the default 30-day window', deployment: fe('expires-2027'), now: new Date('2026-12-01T00:00:00Z') },
  ],
  invalid: [
    {
      name: 'expiring in 14 days: a warning',
      deployment: fe('expires-2027'),
      now: new Date('2027-01-01T00:00:00Z'),
      findings: [{ messageId: 'expiring', severity: 'warning', message: 'in 14 days' }],
    },
    {
      name: 'expiring in 45 days with a 60-day window',
      deployment: fe('expires-2027'),
      now: new Date('2026-12-01T00:00:00Z'),
      options: { warnDays: 60 },
      findings: [{ messageId: 'expiring', severity: 'warning' }],
    },
    {
      name: 'expired: an error',
      deployment: fe('expires-2027'),
      now: new Date('2027-02-01T00:00:00Z'),
      findings: [{ messageId: 'expired', severity: 'error', message: '2027-01-15T00:00:00Z' }],
    },
    {
      name: 'an expired issuing CA',
      deployment: fe('under-expired-ca', ['expired-ca']),
      findings: [{ messageId: 'expired', thumbprint: thumbprint('expired-ca') }],
    },
  ],
});
