import { defineRule } from '../engine/types.js';
import type { Assignment, Pool, Server } from '../snapshot/model.js';
import { CITATIONS } from './citations.js';
import { requirementsOf } from '../requirements/derive.js';
import { criteriaOf, effectiveThumbprint, holdings, pendingRoll, rollLeadTooShort, strictMajority, thumbprintLabel } from './support.js';
import { isoSeconds } from '../dates.js';

export default defineRule({
  meta: {
    id: 'oauth-same-certificate',
    description:
      'Every Front End, Standard Edition and Director server uses the same OAuthTokenIssuer certificate (it is global), and a staged roll takes effect at least 24 hours before the current one expires.',
    severity: 'error',
    citation: CITATIONS.serverToServer,
    roles: ['FrontEnd', 'StandardEdition', 'Director'],
    usages: ['OAuthTokenIssuer'],
    options: {
      minRollLeadHours: { type: 'number', default: 24, minimum: 0, description: 'Hours between a roll\'s EffectiveDate and the expiry of the certificate it replaces.' },
    },
    // The certificate is global, as is a roll: every message is about the deployment, not one server. The
    // engine makes one finding of the reports that give the same text (one per server concerned), listing
    // the servers in its places.
    messages: {
      differs: {
        text: 'The OAuthTokenIssuer certificate {{certificate}} in use on {{holders}} differs from {{expected}}, which {{count}} of the {{total}} Front End, Standard Edition and Director servers use: the certificate is global and must be the same everywhere. Assign one certificate globally (Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint <thumbprint>) that has {{criteria}}, and no finding of its own: {{expected}} only if no finding names it.',
        scope: 'certificate',
      },
      disagree: {
        text: 'The {{total}} Front End, Standard Edition and Director servers disagree on the OAuthTokenIssuer certificate, and no certificate is used by more than half of them: {{holdings}}. The certificate is global: choose one that has {{criteria}}, and no finding of its own, and assign it globally (Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint <thumbprint>).',
        scope: 'certificate',
      },
      rollMissing: {
        text: 'No OAuthTokenIssuer roll is staged on {{holders}}, while {{count}} of the {{total}} servers roll to {{expected}} at {{expectedDate}}: the servers disagree once it takes effect. Stage one roll globally (Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint <thumbprint> -Roll -EffectiveDate), to a certificate that has {{criteria}}, and no finding of its own.',
        scope: 'certificate',
      },
      rollNotShared: {
        text: 'A roll of the OAuthTokenIssuer certificate to {{staged}} at {{effectiveDate}} is staged on {{holders}}, while {{count}} of the {{total}} servers stage no roll: stage a roll globally (Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint <thumbprint> -Roll -EffectiveDate), to a certificate that has {{criteria}}, and no finding of its own, or remove this one.',
        scope: 'certificate',
      },
      rollDiffers: {
        text: 'A roll of the OAuthTokenIssuer certificate to {{staged}} at {{effectiveDate}} is staged on {{holders}}, while {{count}} of the {{total}} servers roll to {{expected}} at {{expectedDate}}: stage one roll globally (Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint <thumbprint> -Roll -EffectiveDate), to a certificate that has {{criteria}}, and no finding of its own.',
        scope: 'certificate',
      },
      rollsDisagree: {
        text: 'The servers stage different OAuthTokenIssuer rolls, and no roll is shared by more than half of the {{total}} servers (— is no roll): {{holdings}}. Stage one roll globally (Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint <thumbprint> -Roll -EffectiveDate), to a certificate that has {{criteria}}, and no finding of its own.',
        scope: 'certificate',
      },
      rollTooLate: {
        text: 'The OAuthTokenIssuer roll to {{certificate}} takes effect {{effectiveDate}}, only {{lead}} hours before the current certificate expires; Microsoft requires at least {{min}} hours.',
        scope: 'certificate',
      },
    },
  },
  *check(context) {
    const holders: Holder[] = [...context.assignments()].map(({ pool, server, assignment }) => {
      // A pending roll as an instant, so the same roll written with another offset or format agrees.
      const roll = pendingRoll(assignment, context.now) ? { thumbprint: assignment.thumbprint, at: isoSeconds(new Date(assignment.effectiveDate!)) } : undefined;
      return { pool, server, assignment, now: effectiveThumbprint(assignment, context.now), roll };
    });
    const label = (thumbprint: string) => thumbprintLabel(context, thumbprint);
    // Placed at each server's assignment; the thumbprint only where the message is about one certificate.
    const base = (h: Holder) => ({ pool: h.pool.fqdn, server: h.server.fqdn, usage: h.assignment.usage, location: h.assignment.location });
    const servers = (list: readonly Holder[]) => list.map((h) => h.server.fqdn).join(', ');
    const total = holders.length;
    if (total === 0) return;
    // What the one certificate must be (the requirements model), for advice that names none.
    const first = holders[0]!;
    const criteria = criteriaOf(requirementsOf(context.deployment).forUsage(first.pool, first.server, 'OAuthTokenIssuer')!);

    // The certificate in effect now: the one more than half of the servers use is the intended one.
    const expected = strictMajority(holders.map((h) => h.now));
    const agreeing = holders.filter((h) => h.now === expected);
    if (expected === undefined) {
      const held = holdings(holders.map((h) => ({ server: h.server.fqdn, value: label(h.now) })));
      for (const h of holders) yield { messageId: 'disagree', data: { total, holdings: held, criteria }, ...base(h) };
    } else {
      for (const h of holders) {
        if (h.now === expected) continue;
        const data = { certificate: label(h.now), holders: servers(holders.filter((o) => o.now === h.now)), expected: label(expected), count: agreeing.length, total, criteria };
        yield { messageId: 'differs', data, ...base(h), thumbprint: h.now };
      }
      // The staged roll, among the servers that agree on the certificate in effect (the others are reported above).
      const rollKey = (h: Holder) => (h.roll ? `${h.roll.thumbprint} ${h.roll.at}` : '');
      const expectedRoll = strictMajority(agreeing.map(rollKey));
      const majorityRoll = agreeing.find((h) => rollKey(h) === expectedRoll)?.roll;
      const sharing = agreeing.filter((h) => rollKey(h) === expectedRoll).length;
      const rollLabel = (h: Holder) => (h.roll ? `${label(h.roll.thumbprint)} ${h.roll.at}` : '—');
      const rolls = holdings(agreeing.map((h) => ({ server: h.server.fqdn, value: rollLabel(h) })));
      for (const h of agreeing) {
        if (rollKey(h) === expectedRoll) continue;
        const count = { count: sharing, total: agreeing.length, holders: servers(agreeing.filter((o) => rollKey(o) === rollKey(h))), criteria };
        if (expectedRoll === undefined) yield { messageId: 'rollsDisagree', data: { total: agreeing.length, holdings: rolls, criteria }, ...base(h) };
        else if (!h.roll) yield { messageId: 'rollMissing', data: { ...count, expected: label(majorityRoll!.thumbprint), expectedDate: majorityRoll!.at }, ...base(h) };
        else if (!majorityRoll) yield { messageId: 'rollNotShared', data: { ...count, staged: label(h.roll.thumbprint), effectiveDate: h.roll.at }, ...base(h), thumbprint: h.roll.thumbprint };
        else {
          const data = { ...count, staged: label(h.roll.thumbprint), effectiveDate: h.roll.at, expected: label(majorityRoll.thumbprint), expectedDate: majorityRoll.at };
          yield { messageId: 'rollDiffers', data, ...base(h), thumbprint: h.roll.thumbprint };
        }
      }
    }
    for (const h of holders) {
      const lead = rollLeadTooShort(context, h.assignment, context.options.minRollLeadHours);
      if (lead === null) continue;
      // The instant, so that servers staging the same roll give one text.
      const data = { certificate: label(h.assignment.thumbprint), effectiveDate: h.roll!.at, lead, min: context.options.minRollLeadHours };
      yield { messageId: 'rollTooLate', data, ...base(h), thumbprint: h.assignment.thumbprint };
    }
  },
});

interface Holder {
  pool: Pool;
  server: Server;
  assignment: Assignment;
  /** The thumbprint in effect now. */
  now: string;
  /** The roll staged and not yet in effect. */
  roll: { thumbprint: string; at: string } | undefined;
}
