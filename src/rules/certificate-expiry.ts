import { defineRule, type ServerCertificate } from '../engine/types.js';
import { requirementsOf } from '../requirements/derive.js';
import type { Usage } from '../snapshot/model.js';
import { CITATIONS } from './citations.js';
import { atJudged, certificatesAndIssuers, criteriaOf, DAY, labelOf } from './support.js';

/** The usages whose certificate is replaced with a staged roll (Set-CsCertificate -Roll -EffectiveDate), most demanding first. */
const ROLLED: readonly Usage[] = ['OAuthTokenIssuer', 'AudioVideoAuthentication'];

export default defineRule({
  meta: {
    id: 'certificate-expiry',
    description: 'No assigned certificate or issuing CA has expired (error) or expires within the warning window (warning).',
    severity: 'error',
    citation: CITATIONS.configureServers,
    options: {
      warnDays: { type: 'integer', default: 30, minimum: 0, description: 'Warn this many days before a certificate expires.' },
    },
    messages: {
      expired: {
        text: 'The certificate {{certificate}} expired {{notAfter}}: renew it now and assign the new certificate to the same usages at once (Set-CsCertificate -Type <usage> -Thumbprint <new thumbprint>); the services that use it fail TLS until then.',
        scope: 'certificate',
      },
      expiring: {
        text: 'The certificate {{certificate}} expires {{notAfter}}, in {{days}} days: renew it and assign the new certificate to the same usages before then.',
        severity: 'warning',
        scope: 'certificate',
      },
      caExpired: { text: 'The CA certificate {{certificate}} expired {{notAfter}}: every path through it fails. Renew the CA certificate and publish it to the servers\' stores.', scope: 'certificate' },
      caExpiring: {
        text: 'The CA certificate {{certificate}} expires {{notAfter}}, in {{days}} days: renew it and publish it to the servers\' stores before then.',
        severity: 'warning',
        scope: 'certificate',
      },
      expiredOAuth: {
        text: 'The OAuthTokenIssuer certificate {{certificate}} expired {{notAfter}}: server-to-server authentication (Exchange, SharePoint, Skype for Business Online) fails until it is replaced, and a staged roll is no help now (it is for a certificate not yet expired). Assign a new certificate that has {{criteria}}, and no finding of its own, at once, globally and without -Roll: Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint <new thumbprint> (and to any other usage the expired one serves).',
        scope: 'certificate',
      },
      expiredAv: {
        text: 'The AudioVideoAuthentication certificate {{certificate}} expired {{notAfter}}: A/V through the Edge fails until it is replaced, and a staged roll is no help now (it is for a certificate not yet expired). Import a new certificate that has {{criteria}}, and no finding of its own, with its private key on every Edge of the pool, and assign it at once, without -Roll: Set-CsCertificate -Type AudioVideoAuthentication -Thumbprint <new thumbprint> on each.',
        scope: 'certificate',
      },
      expiringOAuth: {
        text: 'The OAuthTokenIssuer certificate {{certificate}} expires {{notAfter}}, in {{days}} days: stage its successor, a certificate that has {{criteria}}, and no finding of its own, with a roll that takes effect at least {{lead}} hours before then (Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint <new thumbprint> -Roll -EffectiveDate <date>); with less than {{lead}} hours left, assign it at once instead, without -Roll.',
        severity: 'warning',
        scope: 'certificate',
      },
      expiringAv: {
        text: 'The AudioVideoAuthentication certificate {{certificate}} expires {{notAfter}}, in {{days}} days: import its successor, a certificate that has {{criteria}}, and no finding of its own, with its private key on every Edge of the pool, and stage it on each with the same roll, taking effect at least {{lead}} hours before then (Set-CsCertificate -Type AudioVideoAuthentication -Thumbprint <new thumbprint> -Roll -EffectiveDate <date>); with less than {{lead}} hours left, assign it at once instead, without -Roll.',
        severity: 'warning',
        scope: 'certificate',
      },
    },
  },
  *check(context) {
    // A certificate rolled with -Roll (OAuth, Edge A/V) is replaced otherwise: found by its usages on
    // every server, so that its one finding says the same wherever it is held.
    const rolled = new Map<string, { usage: Usage; group: ServerCertificate }>();
    for (const group of context.serverCertificates()) {
      const usage = ROLLED.find((u) => group.usages.includes(u));
      const known = rolled.get(group.certificate.facts.thumbprint);
      if (usage && (!known || ROLLED.indexOf(usage) < ROLLED.indexOf(known.usage))) rolled.set(group.certificate.facts.thumbprint, { usage, group });
    }
    const requirements = requirementsOf(context.deployment);
    for (const judged of certificatesAndIssuers(context)) {
      const notAfter = judged.certificate.facts.notAfter;
      const left = Date.parse(notAfter) - context.now.getTime();
      if (left >= context.options.warnDays * DAY) continue;
      const data = { certificate: labelOf(context, judged.certificate), notAfter, days: Math.floor(left / DAY) };
      const where = atJudged(judged);
      if (judged.issuer) {
        yield { messageId: left < 0 ? 'caExpired' : 'caExpiring', data, ...where };
        continue;
      }
      const roll = rolled.get(judged.certificate.facts.thumbprint);
      const requirement = roll && requirements.forUsage(roll.group.pool, roll.group.server, roll.usage);
      if (!roll || !requirement) {
        yield { messageId: left < 0 ? 'expired' : 'expiring', data, ...where };
        continue;
      }
      const withCriteria = { ...data, criteria: criteriaOf(requirement), lead: requirement.roll?.leadHours };
      if (roll.usage === 'OAuthTokenIssuer') yield { messageId: left < 0 ? 'expiredOAuth' : 'expiringOAuth', data: withCriteria, ...where };
      else yield { messageId: left < 0 ? 'expiredAv' : 'expiringAv', data: withCriteria, ...where };
    }
  },
});
