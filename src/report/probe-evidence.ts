/**
 * The probe's evidence record (docs/probe.md#the-evidence-record): every endpoint probed, when, where
 * the probe connected, what the server sent (each certificate whole, in the order sent), the TLS
 * version and cipher, whether a client certificate was asked for, and how it was judged. An auditor
 * keeps it beside the report: the certificates can be checked again from it alone. Every field is
 * always present, null where a value is absent.
 */
import { endpointKey } from '../probe/endpoints.js';
import type { ProbeRun } from '../probe/run.js';

/** Raised when a field is renamed, removed or changes meaning; adding a field keeps it. */
export const EVIDENCE_FORMAT_VERSION = 1;

export const formatEvidence = (run: ProbeRun): string => `${JSON.stringify(evidenceRecord(run), null, 2)}\n`;

export function evidenceRecord(run: ProbeRun) {
  const { report } = run;
  return {
    version: EVIDENCE_FORMAT_VERSION,
    tool: { name: report.tool.name, version: report.tool.version, informationUri: report.tool.informationUri },
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt.toISOString(),
    evaluatedAt: report.evaluatedAt,
    snapshot: report.inputs[0]?.snapshot ?? null,
    timeoutMs: run.timeoutMs,
    endpoints: run.endpoints.map((probed) => {
      const { endpoint, handshake } = probed;
      const key = endpointKey(endpoint);
      const unreadable = new Map(probed.unreadable.map((u) => [u.index, u.message]));
      let next = 0;
      const chain = handshake.certificates.map((der, index) => {
        const base64 = Buffer.from(der).toString('base64');
        if (unreadable.has(index)) return { subject: null, issuer: null, serialNumber: null, notBefore: null, notAfter: null, thumbprint: null, sha256: null, unreadable: unreadable.get(index)!, der: base64 };
        const { facts } = probed.served[next++]!;
        return { subject: facts.subject, issuer: facts.issuer, serialNumber: facts.serialNumber, notBefore: facts.notBefore, notAfter: facts.notAfter, thumbprint: facts.thumbprint, sha256: facts.sha256, unreadable: null, der: base64 };
      });
      const validation = probed.validation;
      return {
        endpoint: key,
        host: endpoint.host,
        port: endpoint.port,
        serverName: endpoint.name,
        service: endpoint.service,
        exposure: endpoint.exposure,
        pool: endpoint.pool?.fqdn ?? null,
        servers: endpoint.servers.map((s) => s.fqdn),
        connectTo: probed.connectTo ? endpointKey(probed.connectTo) : null,
        address: handshake.remoteAddress ?? null,
        startedAt: handshake.startedAt.toISOString(),
        durationMs: handshake.durationMs,
        failure: handshake.failure ? { kind: handshake.failure.kind, connected: handshake.failure.connected, detail: handshake.failure.detail } : null,
        tls: handshake.tls
          ? {
              version: handshake.tls.version,
              cipher: handshake.tls.cipher,
              handshakeCompleted: handshake.tls.completed,
              clientCertificateRequested: handshake.tls.clientCertificateRequested,
              alert: handshake.tls.alert ?? null,
            }
          : null,
        chain,
        savedAs: probed.savedAs ?? null,
        expected: probed.expected ? { usage: probed.usage, thumbprints: probed.expected } : null,
        trust: { anchors: probed.trust, count: probed.anchors.length, profile: endpoint.exposure === 'external' ? 'webpki' : 'rfc5280' },
        validation: validation
          ? {
              valid: validation.valid,
              path: validation.path.map((c) => c.facts.thumbprint),
              trustAnchor: validation.trustAnchor?.facts.thumbprint ?? null,
              failure: validation.failure ? { code: validation.failure.code, message: validation.failure.message } : null,
              missingIntermediate: probed.missingIntermediate?.facts.thumbprint ?? null,
            }
          : null,
        nameCovered: probed.nameCovered ?? null,
        findings: report.findings.filter((f) => f.server === key).map((f) => ({ ruleId: f.ruleId, messageId: f.messageId, severity: f.severity })),
      };
    }),
  };
}
