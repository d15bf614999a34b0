/**
 * What the probe rules read: the endpoints probed, attached to the deployment the probe lints (the rule
 * API hands rules a deployment, and the probe's facts are about endpoints, not its model).
 */
import type { Report, RuleContext } from '../../engine/types.js';
import { printable } from '../../errors.js';
import type { Deployment } from '../../snapshot/model.js';
import { endpointKey } from '../endpoints.js';
import type { ProbedEndpoint } from '../judge.js';

export interface ProbeFacts {
  endpoints: ProbedEndpoint[];
  /** The time-out each probe had. */
  timeoutMs: number;
  /**
   * Whether one of these certificate rules (key-size, certificate-expiry...) reports this certificate:
   * they report a CA once per run, wherever it is served.
   */
  reportedByCertificateRule(thumbprint: string, ruleIds: readonly string[]): boolean;
}

const facts = new WeakMap<Deployment, ProbeFacts>();

export function attachProbeFacts(deployment: Deployment, probeFacts: ProbeFacts): void {
  facts.set(deployment, probeFacts);
}

/** The probe's facts; a probe rule run on a deployment the probe did not make finds no endpoint. */
export function probeFacts(context: RuleContext<unknown>): ProbeFacts {
  return facts.get(context.deployment) ?? { endpoints: [], timeoutMs: 0, reportedByCertificateRule: () => false };
}

/** The report fields that place a finding on an endpoint: its pool, `host:port` as the server, its usage and declaration. */
export function atEndpoint(probed: ProbedEndpoint, thumbprint?: string): Pick<Report, 'pool' | 'server' | 'usage' | 'thumbprint' | 'location'> {
  return {
    pool: probed.endpoint.pool?.fqdn ?? probed.endpoint.host,
    server: endpointKey(probed.endpoint),
    usage: probed.usage,
    ...(thumbprint !== undefined && { thumbprint }),
    location: probed.endpoint.location,
  };
}

/** The data every probe message may use: the endpoint, what listens there, its port. */
export const endpointData = (probed: ProbedEndpoint) => ({ endpoint: endpointKey(probed.endpoint), service: probed.endpoint.service, port: probed.endpoint.port });

/** A certificate's subject for a message, escaped: the server chose it. */
export const subjectOf = (facts: { subject: string; thumbprint: string }): string => printable(facts.subject || facts.thumbprint, 200);

/** Documentation of the probe rules: sections of docs/probe.md. */
export const docsUrl = (id: string): string => `https://github.com/sfb-certlint/sfb-certlint/blob/main/docs/probe.md#${id}`;
