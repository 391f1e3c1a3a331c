import type { RetryPolicy } from "./types";

/** Where a retry delay came from. */
export type RetryDelaySource = "retry-after" | "backoff";

export interface RetryDelay {
  delayMs: number;
  source: RetryDelaySource;
}

const DELAY_SECONDS = /^\d+$/;

/**
 * Milliseconds to wait according to a `Retry-After` header (RFC 9110 §10.2.3): either delay-seconds or an
 * HTTP date, which is measured against `nowMs`. A date in the past means "now" (0). Anything else, including
 * negative or fractional seconds, is `undefined` so the caller falls back to its backoff.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  if (DELAY_SECONDS.test(trimmed)) {
    const ms = Number(trimmed) * 1000;
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  // Only accept something that looks like a date, so "1.5" or "-3" are not read as years.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const dateMs = Date.parse(trimmed);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}

/**
 * Capped exponential backoff with downward jitter: `min(maxDelayMs, baseDelayMs * 2^(retry-1))`, shortened by up to
 * `jitter` of itself. `retry` is 1 for the first retry. The result never exceeds `maxDelayMs`.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const exponent = Math.max(0, retry - 1);
  const uncapped = policy.baseDelayMs * 2 ** exponent;
  const capped = Math.min(policy.maxDelayMs, uncapped);
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  const sample = Math.min(1, Math.max(0, random()));
  return Math.round(capped * (1 - jitter * sample));
}

/**
 * Delay before retry number `retry`. A valid `Retry-After` is authoritative (no cap, no jitter: the server said when);
 * the caller still refuses to wait past the operation deadline.
 */
export function retryDelay(input: {
  retry: number;
  retryAfter: string | undefined;
  nowMs: number;
  policy: RetryPolicy;
  random: () => number;
}): RetryDelay {
  const fromHeader = parseRetryAfter(input.retryAfter, input.nowMs);
  if (fromHeader !== undefined) return { delayMs: fromHeader, source: "retry-after" };
  return { delayMs: backoffDelay(input.retry, input.policy, input.random), source: "backoff" };
}
