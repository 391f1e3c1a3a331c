/**
 * Sizes of the tests that also run at scale (tests/setup/tiers.js SCALE_TESTS): the full size in the `scale` tier
 * (`npm run test:scale`, whose jest project sets `globals.testScale`) or with TEST_SCALE=full, a reduced size that
 * still proves the property everywhere else (`npm test`).
 */
export const FULL_SCALE =
  (globalThis as { testScale?: string }).testScale === "full" || process.env.TEST_SCALE === "full";

export function atScale<T>(sizes: { full: T; reduced: T }): T {
  return FULL_SCALE ? sizes.full : sizes.reduced;
}
