/**
 * The public API: for rule plug-ins (docs/writing-rules.md) the rule types, `defineRule` and the helpers
 * the built-in rules use; for scripts and other tools, `lint` (the whole pipeline the CLI runs),
 * `probe` and `check` (as their commands run them) and `exitCode`. Everything else in the package is internal.
 */
export { defineRule, placesOf } from './engine/types.js';
export type {
  AssignedCertificate,
  ChainResult,
  Citation,
  Finding,
  FindingPlace,
  MessageScope,
  MessageSpec,
  OptionSpec,
  Report,
  Rule,
  RuleContext,
  RuleMeta,
  ServerCertificate,
  Severity,
} from './engine/types.js';
export type { CertificateFacts } from './certs/facts.js';
export type { Certificate } from './certs/x509.js';
export type { Assignment, Deployment, Pool, Role, Server, StoreEntry, Usage } from './snapshot/model.js';
export { at, atJudged, certificateLabel, certificatesAndIssuers, labelOf, nameCovers, serverCertificates, usageList } from './rules/support.js';
export type { JudgedCertificate } from './rules/support.js';
export { exitCode, lint } from './engine/lint.js';
export type { LintRequest } from './engine/lint.js';
export type { LintReport } from './report/types.js';
export { probe } from './probe/run.js';
export type { ProbeRequest, ProbeRun } from './probe/run.js';
export { check } from './requirements/check.js';
export type { CheckRequest, CheckResult } from './requirements/check.js';
