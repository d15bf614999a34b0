import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/oauth-same-certificate.js';
import sipDomainInSubject from '../../src/rules/sip-domain-in-subject.js';
import { certificateLabel } from '../../src/rules/support.js';
import { certs, deployment, edgePool, frontEndPool, runRule, ruleTester, thumbprint, type AssignmentSpec, type PoolSpec } from './harness.js';

// Assigning a server-to-server authentication certificate: the OAuthTokenIssuer certificate is global,
// the same on every Front End (and, the Director certificate summary says, on Directors too). Staging
// AV and OAuth certificates using -Roll: the EffectiveDate must be at least 24 hours before the current
// certificate expires. expires-2027 expires 2027-01-15T00:00:00Z (fixtures/rules/make.mjs).
const ROLL = { current: 'good', previous: 'expires-2027', effectiveDate: '2027-01-10T00:00:00Z' };
const label = (name: string) => certificateLabel(certs[name]!);
const director = (oauth: AssignmentSpec): PoolSpec => ({ fqdn: 'dirpool.contoso.com', role: 'Director', servers: [{ fqdn: 'dir01.contoso.com', assignments: { OAuthTokenIssuer: oauth } }] });

ruleTester(rule, {
  valid: [
    { name: 'the same certificate on every Front End', deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'good' })] }) },
    { name: 'the same staged roll on every Front End, 5 days before expiry', deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: ROLL })] }) },
    {
      name: 'one server already on the new certificate after the roll took effect, the others listing the roll',
      now: new Date('2027-01-12T00:00:00Z'),
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: ROLL }, 3, { per: { 2: { assignments: { OAuthTokenIssuer: 'good' } } } })] }),
    },
    {
      name: 'at the EffectiveDate itself the roll has taken effect: the new certificate is in use everywhere',
      now: new Date('2027-01-10T00:00:00Z'),
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: ROLL }, 3, { per: { 2: { assignments: { OAuthTokenIssuer: 'good' } } } })] }),
    },
    {
      name: 'a roll exactly 24 hours before the current certificate expires: Microsoft\'s minimum, met',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: { ...ROLL, effectiveDate: '2027-01-14T00:00:00Z' } }, 1)] }),
    },
    {
      name: 'a late roll that has already taken effect is history, not a finding',
      now: new Date('2027-01-14T12:00:00Z'),
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: { ...ROLL, effectiveDate: '2027-01-14T12:00:00Z' } }, 1)] }),
    },
    { name: 'a Director with the same certificate as the Front Ends', deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'good' }, 2), director('good')] }) },
    { name: 'an Edge\'s OAuth assignment is not compared', deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'good' }, 2), edgePool({ OAuthTokenIssuer: 'second' }, 1)] }) },
  ],
  invalid: [
    {
      name: 'fe03 holds a different certificate',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'good' }, 3, { per: { 2: { assignments: { OAuthTokenIssuer: 'second' } } } })] }),
      findings: [{ messageId: 'differs', server: 'fe03.contoso.com', thumbprint: thumbprint('second'), message: `${label('second')} in use on fe03.contoso.com differs from ${label('good')}, which 2 of the 3` }],
    },
    {
      name: 'two of five servers hold the same other certificate: one finding listing both (one global assignment fixes them)',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'good' }, 5, { per: { 3: { assignments: { OAuthTokenIssuer: 'second' } }, 4: { assignments: { OAuthTokenIssuer: 'second' } } } })] }),
      findings: [{ messageId: 'differs', places: ['fe04.contoso.com', 'fe05.contoso.com'], message: `${label('second')} in use on fe04.contoso.com, fe05.contoso.com differs from ${label('good')}, which 3 of the 5` }],
    },
    {
      name: 'a Director with a different certificate is an error',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'good' }, 2), director('second')] }),
      findings: [{ messageId: 'differs', server: 'dir01.contoso.com', severity: 'error', thumbprint: thumbprint('second'), message: 'which 2 of the 3' }],
    },
    {
      name: 'pools differ: the certificate is global across pools',
      deployment: deployment({
        pools: [frontEndPool({ OAuthTokenIssuer: 'good' }, 2), { fqdn: 'se01.contoso.com', role: 'StandardEdition', servers: [{ fqdn: 'se01.contoso.com', assignments: { OAuthTokenIssuer: 'second' } }] }],
      }),
      findings: [{ messageId: 'differs', server: 'se01.contoso.com' }],
    },
    {
      name: 'a tie is no majority: two servers, two certificates, one finding saying they disagree and who holds what',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'good' }, 2, { per: { 1: { assignments: { OAuthTokenIssuer: 'second' } } } })] }),
      findings: [
        {
          messageId: 'disagree',
          server: 'fe01.contoso.com',
          places: ['fe01.contoso.com', 'fe02.contoso.com'],
          message: `The 2 Front End, Standard Edition and Director servers disagree on the OAuthTokenIssuer certificate, and no certificate is used by more than half of them: ${label('good')}: fe01.contoso.com; ${label('second')}: fe02.contoso.com.`,
        },
      ],
    },
    {
      name: 'two against two is a tie too',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'good' }, 4, { per: { 2: { assignments: { OAuthTokenIssuer: 'second' } }, 3: { assignments: { OAuthTokenIssuer: 'second' } } } })] }),
      findings: [
        {
          messageId: 'disagree',
          places: ['fe01.contoso.com', 'fe02.contoso.com', 'fe03.contoso.com', 'fe04.contoso.com'],
          message: `${label('good')}: fe01.contoso.com, fe02.contoso.com; ${label('second')}: fe03.contoso.com, fe04.contoso.com`,
        },
      ],
    },
    {
      name: 'one server lacks the staged roll the others have',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: ROLL }, 3, { per: { 0: { assignments: { OAuthTokenIssuer: 'expires-2027' } } } })] }),
      findings: [{ messageId: 'rollMissing', server: 'fe01.contoso.com', message: `on fe01.contoso.com, while 2 of the 3 servers roll to ${label('good')} at 2027-01-10T00:00:00Z` }],
    },
    {
      name: 'two of five servers lack the staged roll: one finding listing both',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: ROLL }, 5, { per: { 0: { assignments: { OAuthTokenIssuer: 'expires-2027' } }, 1: { assignments: { OAuthTokenIssuer: 'expires-2027' } } } })] }),
      findings: [{ messageId: 'rollMissing', places: ['fe01.contoso.com', 'fe02.contoso.com'], message: 'on fe01.contoso.com, fe02.contoso.com, while 3 of the 5' }],
    },
    {
      name: 'one server stages a roll the others do not',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'expires-2027' }, 3, { per: { 1: { assignments: { OAuthTokenIssuer: ROLL } } } })] }),
      findings: [{ messageId: 'rollNotShared', server: 'fe02.contoso.com', message: `to ${label('good')} at 2027-01-10T00:00:00Z is staged on fe02.contoso.com, while 2 of the 3` }],
    },
    {
      name: 'one server stages the roll for another date (the same instant written with another offset agrees)',
      deployment: deployment({
        pools: [frontEndPool({ OAuthTokenIssuer: ROLL }, 3, { per: { 1: { assignments: { OAuthTokenIssuer: { ...ROLL, effectiveDate: '2027-01-10T01:00:00+01:00' } } }, 2: { assignments: { OAuthTokenIssuer: { ...ROLL, effectiveDate: '2027-01-11T00:00:00Z' } } } } })],
      }),
      findings: [{ messageId: 'rollDiffers', server: 'fe03.contoso.com', message: 'at 2027-01-11T00:00:00Z is staged on fe03.contoso.com, while 2 of the 3 servers roll to' }],
    },
    {
      name: 'two servers, one staging a roll and one not: a tie, one finding saying who stages what',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: 'expires-2027' }, 2, { per: { 0: { assignments: { OAuthTokenIssuer: ROLL } } } })] }),
      findings: [
        {
          messageId: 'rollsDisagree',
          places: ['fe01.contoso.com', 'fe02.contoso.com'],
          message: `more than half of the 2 servers (— is no roll): ${label('good')} 2027-01-10T00:00:00Z: fe01.contoso.com; —: fe02.contoso.com.`,
        },
      ],
    },
    {
      name: 'a roll taking effect 12 hours before the current certificate expires',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: { ...ROLL, effectiveDate: '2027-01-14T12:00:00Z' } }, 1)] }),
      findings: [{ messageId: 'rollTooLate', message: 'only 12 hours' }],
    },
    {
      name: 'the global roll staged too late, as every Front End and the Director list it: one finding listing them all',
      deployment: deployment({
        pools: [frontEndPool({ OAuthTokenIssuer: { ...ROLL, effectiveDate: '2027-01-14T12:00:00Z' } }, 3), director({ ...ROLL, effectiveDate: '2027-01-14T13:00:00+01:00' })],
      }),
      findings: [
        {
          messageId: 'rollTooLate',
          thumbprint: thumbprint('good'),
          places: ['dir01.contoso.com', 'fe01.contoso.com', 'fe02.contoso.com', 'fe03.contoso.com'],
          message: `roll to ${label('good')} takes effect 2027-01-14T12:00:00Z, only 12 hours`,
        },
      ],
    },
    {
      name: 'a roll one second short of 24 hours is too late, and does not read as 24',
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: { ...ROLL, effectiveDate: '2027-01-14T00:00:01Z' } }, 1)] }),
      findings: [{ messageId: 'rollTooLate', message: 'only 23.9 hours' }],
    },
    {
      name: 'a late roll a millisecond before its EffectiveDate can still be rescheduled',
      now: new Date('2027-01-14T11:59:59.999Z'),
      deployment: deployment({ pools: [frontEndPool({ OAuthTokenIssuer: { ...ROLL, effectiveDate: '2027-01-14T12:00:00Z' } }, 1)] }),
      findings: [{ messageId: 'rollTooLate', message: 'only 12 hours' }],
    },
  ],
});

describe('the advice never tells to assign a certificate that has findings of its own', () => {
  // JJ205253: the OAuthTokenIssuer certificate has a SIP domain in its Subject and a key of at least 2048
  // bits, and is replicated with its private key (exportable). Two of three servers use one whose Subject
  // names no SIP domain (sip-domain-in-subject reports it): "assign that one" would spread the fault.
  const faulty = deployment({ sipDomains: ['contoso.com'], pools: [frontEndPool({ OAuthTokenIssuer: 'oauth-no-sip-domain' }, 3, { per: { 2: { assignments: { OAuthTokenIssuer: 'good' } } } })] });

  it('the majority certificate is reported by another rule, and this rule names it only as conditional', () => {
    expect(runRule(sipDomainInSubject, { deployment: faulty }).map((f) => f.thumbprint)).toEqual([thumbprint('oauth-no-sip-domain')]);
    const [finding, ...rest] = runRule(rule, { deployment: faulty });
    expect(rest).toEqual([]);
    expect(finding!.message).not.toMatch(/Assign that one/);
    expect(finding!.message).toContain(
      'Assign one certificate globally (Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint <thumbprint>) that has a SIP domain of the deployment (contoso.com) in its Subject, an RSA key of at least 2048 bits, Server Authentication in its Extended Key Usage and an exportable private key, and no finding of its own',
    );
    expect(finding!.message).toContain(`${label('oauth-no-sip-domain')} only if no finding names it`);
  });

  it('a tie and a roll say what the certificate must have, too', () => {
    const tie = deployment({ sipDomains: ['contoso.com'], pools: [frontEndPool({ OAuthTokenIssuer: 'good' }, 2, { per: { 1: { assignments: { OAuthTokenIssuer: 'second' } } } })] });
    const missing = deployment({ sipDomains: ['contoso.com'], pools: [frontEndPool({ OAuthTokenIssuer: ROLL }, 3, { per: { 0: { assignments: { OAuthTokenIssuer: 'expires-2027' } } } })] });
    for (const d of [tie, missing]) {
      const [finding] = runRule(rule, { deployment: d });
      expect(finding!.message).toContain('that has a SIP domain of the deployment (contoso.com) in its Subject, an RSA key of at least 2048 bits,');
      expect(finding!.message).toContain('and no finding of its own');
    }
  });
});
