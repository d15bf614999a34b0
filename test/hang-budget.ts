/**
 * How long a guard against a runaway input may take. Not a speed measurement (speed is measured in
 * `npm run bench`, on ratios, since these machines are shared and noisy): the failure modes these tests
 * guard against take minutes or never end (a billion laughs, 80 s of quadratic key checks, 42 s of
 * PBKDF2), so a budget far above any normal run, even on a loaded machine, still catches every one.
 */
export const HANG_BUDGET_MS = 15_000;
