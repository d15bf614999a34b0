/**
 * `requirements --format json`: the requirement model as it is (src/requirements/model.ts), with the
 * pool asked about and the usages its role needs. Versioned as the lint report is: a field renamed or
 * removed raises `version`; an added one keeps it.
 */
import type { RequirementsReport } from './requirements-types.js';

export const REQUIREMENTS_JSON_VERSION = 1;

export function formatRequirementsJson(report: RequirementsReport): string {
  return `${JSON.stringify(
    {
      version: REQUIREMENTS_JSON_VERSION,
      tool: report.tool,
      snapshot: report.snapshot,
      pool: report.pool,
      server: report.server ?? null,
      usagesNeeded: report.needs,
      certificates: report.certificates.map(({ label, holder, requirement }) => ({ label, holder, ...requirement })),
    },
    null,
    2,
  )}\n`;
}
