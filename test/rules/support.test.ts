import { describe, expect, it } from 'vitest';
import type { RuleContext } from '../../src/engine/types.js';
import { requirementsOf } from '../../src/requirements/derive.js';
import {
  certificateLabel,
  coveredBy,
  criteriaOf,
  dnsName,
  effectiveThumbprint,
  ekuPermitsNothing,
  friendlyName,
  holdings,
  nameCovers,
  pendingRoll,
  rollLeadTooShort,
  serverCertificates,
  strictMajority,
  usageList,
} from '../../src/rules/support.js';
import type { Assignment } from '../../src/snapshot/model.js';
import { certs, deployment, edgePool, frontEndPool, thumbprint } from './harness.js';

// Values as `openssl x509 -noout -fingerprint -sha1 -subject -enddate` prints them for the fixtures
// (fixtures/rules): good is A3:28:5D:…:60:CD, CN = pool01.contoso.com, O = Contoso; no-san is
// 22:2E:7E:…:3D:94, CN = edgepool.contoso.com; expires-2027 ends Jan 15 00:00:00 2027 GMT.
describe('certificateLabel: a certificate as messages name it', () => {
  it('is the thumbprint\'s first four and last three hex digits, with the Subject\'s CN', () => {
    expect(certificateLabel(certs.good!)).toBe('A328…0CD (CN=pool01.contoso.com)');
    expect(certificateLabel(certs['no-san']!)).toBe('222E…D94 (CN=edgepool.contoso.com)');
  });

  it('adds the friendly name in quotes when one is given', () => {
    expect(certificateLabel(certs.good!, 'Skype Default')).toBe('A328…0CD (CN=pool01.contoso.com, "Skype Default")');
  });

  it('falls back on the whole Subject without a CN, then on the first DNS name, then on the thumbprint alone', () => {
    const facts = certs.good!.facts;
    const as = (changes: Partial<typeof facts>) => ({ ...certs.good!, facts: { ...facts, ...changes } });
    expect(certificateLabel(as({ subjectCommonName: null, subject: 'O=Contoso' }))).toBe('A328…0CD (O=Contoso)');
    expect(certificateLabel(as({ subjectCommonName: null, subject: '' }))).toBe('A328…0CD (DNS=pool01.contoso.com)');
    expect(certificateLabel(as({ subjectCommonName: null, subject: '', subjectAltNames: { ...facts.subjectAltNames, dns: [] } }))).toBe('A328…0CD');
    expect(certificateLabel(as({ subjectCommonName: null, subject: '', subjectAltNames: { ...facts.subjectAltNames, dns: [] } }), 'Lync')).toBe('A328…0CD ("Lync")');
  });
});

describe('friendlyName: the one name the stores agree on', () => {
  const d = (personal: Record<string, { friendlyName?: string }>[]) =>
    deployment({ pools: [frontEndPool({ Default: 'good' }, personal.length, { per: Object.fromEntries(personal.map((p, i) => [i, { personal: p }])) })] });

  it('is the name every store entry that has one gives', () => {
    expect(friendlyName(d([{ good: { friendlyName: 'Lync' } }, { good: {} }]), thumbprint('good'))).toBe('Lync');
  });

  it('is undefined when servers name the certificate differently, or none names it', () => {
    expect(friendlyName(d([{ good: { friendlyName: 'Lync' } }, { good: { friendlyName: 'Skype' } }]), thumbprint('good'))).toBeUndefined();
    expect(friendlyName(d([{ good: {} }]), thumbprint('good'))).toBeUndefined();
  });
});

describe('ekuPermitsNothing (RFC 5280 §4.2.1.12: an absent extension permits any purpose)', () => {
  it('holds for an extension that lists no purpose, not for an absent one or one that lists some', () => {
    expect(ekuPermitsNothing(certs['empty-eku']!)).toBe(true);
    expect(ekuPermitsNothing(certs['no-eku']!)).toBe(false);
    expect(ekuPermitsNothing(certs.good!)).toBe(false);
  });

  it('holds for an extension the reader could not read (facts say null, the extension is there)', () => {
    const c = certs.good!;
    expect(ekuPermitsNothing({ ...c, facts: { ...c.facts, extendedKeyUsage: null } })).toBe(true);
    expect(ekuPermitsNothing(certs['no-eku']!)).toBe(false);
  });
});

describe('name matching (RFC 6125 §6.4.3: a wildcard only as the whole leftmost label)', () => {
  it('compares DNS names without regard to case or a trailing dot', () => {
    expect(dnsName(' Sip.Contoso.COM. ')).toBe('sip.contoso.com');
    expect(nameCovers('sip.contoso.com', 'SIP.contoso.com.')).toBe(true);
    expect(nameCovers('sip.contoso.com', 'sip.fabrikam.com')).toBe(false);
  });

  it('lets *.contoso.com cover one label under contoso.com, not contoso.com itself nor two labels', () => {
    expect(nameCovers('*.contoso.com', 'meet.contoso.com')).toBe(true);
    expect(nameCovers('*.Contoso.com.', 'meet.contoso.com')).toBe(true);
    expect(nameCovers('*.contoso.com', 'contoso.com')).toBe(false);
    expect(nameCovers('*.contoso.com', 'a.meet.contoso.com')).toBe(false);
    expect(nameCovers('*.contoso.com', '.contoso.com')).toBe(false);
  });

  it('checks many hosts against one list of names', () => {
    const covers = coveredBy(['pool01.contoso.com', '*.fabrikam.com']);
    expect(['pool01.contoso.com', 'meet.fabrikam.com', 'fe01.contoso.com', 'fabrikam.com'].map(covers)).toEqual([true, true, false, false]);
  });
});

describe('staged rolls (Set-CsCertificate -Roll -EffectiveDate)', () => {
  const roll: Assignment = {
    usage: 'OAuthTokenIssuer',
    thumbprint: thumbprint('good'),
    previousThumbprint: thumbprint('expires-2027'),
    effectiveDate: '2027-01-14T00:00:00Z',
    location: { path: 'snapshot.yaml', line: 1 },
  };
  const at = (iso: string) => new Date(iso);

  it('the previous certificate stays in effect until the EffectiveDate, the new one from that instant on', () => {
    expect(pendingRoll(roll, at('2027-01-13T23:59:59Z'))).toBe(true);
    expect(effectiveThumbprint(roll, at('2027-01-13T23:59:59Z'))).toBe(thumbprint('expires-2027'));
    expect(pendingRoll(roll, at('2027-01-14T00:00:00Z'))).toBe(false);
    expect(effectiveThumbprint(roll, at('2027-01-14T00:00:00Z'))).toBe(thumbprint('good'));
  });

  it('an assignment without a previous certificate or without an EffectiveDate is no pending roll', () => {
    const { previousThumbprint: _p, ...noPrevious } = roll;
    const { effectiveDate: _e, ...noDate } = roll;
    expect(pendingRoll(noPrevious, at('2026-01-01T00:00:00Z'))).toBe(false);
    expect(pendingRoll(noDate, at('2026-01-01T00:00:00Z'))).toBe(false);
    expect(effectiveThumbprint(noDate, at('2026-01-01T00:00:00Z'))).toBe(thumbprint('good'));
  });

  // The staging page: the EffectiveDate at least 24 hours (OAuthTokenIssuer), 8 hours (A/V) before the
  // certificate in use expires. expires-2027 ends 2027-01-15T00:00:00Z.
  const context = (now: string) => ({ now: at(now), certificate: (t: string) => Object.values(certs).find((c) => c.facts.thumbprint === t) }) as unknown as RuleContext<unknown>;
  const lead = (effectiveDate: string, hours: number, now = '2026-06-01T00:00:00Z') => rollLeadTooShort(context(now), { ...roll, effectiveDate }, hours);

  it('accepts a lead of exactly the hours required, and gives the hours (rounded down) of one a second short', () => {
    expect(lead('2027-01-14T00:00:00Z', 24)).toBeNull();
    expect(lead('2027-01-14T00:00:01Z', 24)).toBe(23.9);
    expect(lead('2027-01-14T16:00:00Z', 8)).toBeNull();
    expect(lead('2027-01-14T18:30:00Z', 8)).toBe(5.5);
    expect(lead('2027-01-15T06:00:00Z', 24)).toBe(-6);
  });

  it('says nothing of a roll that has taken effect, or whose current certificate is unknown', () => {
    expect(lead('2027-01-14T18:00:00Z', 24, '2027-01-14T18:00:00Z')).toBeNull();
    expect(rollLeadTooShort(context('2026-06-01T00:00:00Z'), { ...roll, previousThumbprint: '00'.repeat(20), effectiveDate: '2027-01-14T18:00:00Z' }, 24)).toBeNull();
  });
});

describe('message helpers', () => {
  it('strictMajority: more than half, a tie is none', () => {
    expect(strictMajority(['a', 'b', 'a'])).toBe('a');
    expect(strictMajority(['a', 'b'])).toBeUndefined();
    expect(strictMajority(['a', 'a', 'b', 'b'])).toBeUndefined();
    expect(strictMajority(['b', 'a', 'a'])).toBe('a');
    expect(strictMajority([])).toBeUndefined();
  });

  it('holdings: each value once, in the order first seen, with its servers', () => {
    expect(holdings([
      { server: 'edge01', value: 'X' },
      { server: 'edge02', value: 'Y' },
      { server: 'edge03', value: 'X' },
    ])).toBe('X: edge01, edge03; Y: edge02');
  });

  it('usageList joins the usages with a comma', () => {
    expect(usageList({ usages: ['Default', 'WebServicesInternal'] })).toBe('Default, WebServicesInternal');
  });
});

// The requirements of ../shared/reference/lync-sfb-certificates.md: a Front End's certificate has the pool FQDN
// as Subject and the pool and server FQDNs as SANs (sip.<domain> recommended, for automatic sign-in), from
// the internal CA, its key kept on the server; the Access Edge external certificate has the Access Edge
// FQDN as Subject and sip.<domain> for each SIP domain as SANs, from a public CA, its key exportable since
// every Edge of the pool holds it. All need RSA of 2048 bits or more and Server Authentication.
describe('criteriaOf: what advice says the right certificate has', () => {
  const d = deployment({ sipDomains: ['contoso.com', 'fabrikam.com'], pools: [frontEndPool({ Default: 'good' }, 1), edgePool({ AccessEdgeExternal: 'good' }, 2)] });
  const [frontEnd, edge] = d.pools as [(typeof d.pools)[0], (typeof d.pools)[0]];
  const requirements = requirementsOf(d);
  const defaultCertificate = requirements.forUsage(frontEnd, frontEnd.servers[0]!, 'Default')!;
  const accessEdge = requirements.forUsage(edge, edge.servers[0]!, 'AccessEdgeExternal')!;
  it('lists the required Subject and names, the key, the EKU, and for the Edge an exportable key and a public CA', () => {
    expect(criteriaOf(defaultCertificate)).toBe(
      'the Subject CN=pool01.contoso.com, pool01.contoso.com, fe01.contoso.com in its subject alternative names, an RSA key of at least 2048 bits and Server Authentication in its Extended Key Usage',
    );
    expect(criteriaOf(accessEdge)).toBe(
      'the Subject CN=sip.contoso.com, sip.contoso.com, sip.fabrikam.com in its subject alternative names, an RSA key of at least 2048 bits, Server Authentication in its Extended Key Usage, an exportable private key and a public CA as its issuer',
    );
  });
  it('leaves out what is only recommended, and an export or issuer that asks nothing', () => {
    const relaxed = {
      ...accessEdge,
      subject: accessEdge.subject.map((s) => ({ ...s, necessity: 'recommended' as const })),
      names: accessEdge.names.map((n) => ({ ...n, necessity: 'recommended' as const })),
      exportable: { ...accessEdge.exportable, necessity: 'recommended' as const },
      issuer: { ...accessEdge.issuer, necessity: 'recommended' as const },
    };
    expect(criteriaOf(relaxed)).toBe('an RSA key of at least 2048 bits and Server Authentication in its Extended Key Usage');
    // Required, but of a key kept on its server and of the organisation's own CA: nothing to say.
    const keptAndEnterprise = { ...relaxed, exportable: { ...accessEdge.exportable, exportable: false }, issuer: { ...accessEdge.issuer, kind: 'enterprise' as const, necessity: 'required' as const } };
    expect(keptAndEnterprise.exportable.necessity).toBe('required');
    expect(criteriaOf(keptAndEnterprise)).toBe('an RSA key of at least 2048 bits and Server Authentication in its Extended Key Usage');
    const twoEkus = { ...relaxed, eku: { ...accessEdge.eku, required: [...accessEdge.eku.required, { oid: '1.3.6.1.5.5.7.3.2', name: 'Client Authentication' }] } };
    expect(criteriaOf(twoEkus)).toBe('an RSA key of at least 2048 bits and Server Authentication, Client Authentication in its Extended Key Usage');
  });
});

describe('serverCertificates: the helper plug-ins import', () => {
  it('gives the context\'s assigned certificates grouped by server', () => {
    const groups = [{ usages: ['Default'] }];
    expect(serverCertificates({ serverCertificates: () => groups } as unknown as RuleContext<unknown>)).toBe(groups);
  });
});
