import { backoffDelay, parseRetryAfter } from "../../provider/client/retry-delay";
import type { RetryPolicy } from "../../provider/client";

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const policy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1_000, jitter: 0 };

describe("parseRetryAfter", () => {
  test.each([
    ["0", 0],
    ["7", 7_000],
    [" 120 ", 120_000],
  ])("delay-seconds %j -> %i ms", (header, ms) => {
    expect(parseRetryAfter(header, NOW)).toBe(ms);
  });

  test("an HTTP date is measured against the injected now", () => {
    expect(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000);
    expect(parseRetryAfter("Wed, 01 Jan 2025 12:00:05 GMT", NOW)).toBe(5_000);
  });

  test("a date in the past means retry now", () => {
    expect(parseRetryAfter("Wed, 01 Jan 2025 11:00:00 GMT", NOW)).toBe(0);
  });

  test.each([undefined, "", "-3", "1.5", "soon", "Wed, 99 Foo 2025", "1e3"])(
    "%j is ignored so the backoff applies",
    (header) => {
      expect(parseRetryAfter(header, NOW)).toBeUndefined();
    },
  );
});

describe("backoffDelay", () => {
  test("doubles from the base and stops at the cap", () => {
    const delays = [1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, policy, () => 0.5));
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  test("jitter only shortens, within the jitter fraction, and never exceeds the cap", () => {
    const jittered = { ...policy, jitter: 0.5 };
    expect(backoffDelay(1, jittered, () => 0)).toBe(100);
    expect(backoffDelay(1, jittered, () => 0.999999)).toBe(50);
    expect(backoffDelay(20, jittered, () => 0)).toBe(1_000);
    expect(backoffDelay(20, jittered, () => 0.5)).toBe(750);
  });

  test("a random source outside [0, 1] is clamped", () => {
    expect(backoffDelay(1, { ...policy, jitter: 1 }, () => 7)).toBe(0);
    expect(backoffDelay(1, { ...policy, jitter: 1 }, () => -7)).toBe(100);
  });
});
