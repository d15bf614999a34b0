/** Exit codes, as ESLint's: 0 clean, 1 findings that fail the run, 2 the tool could not do its job. */
export const EXIT = { ok: 0, findings: 1, failure: 2 } as const;
