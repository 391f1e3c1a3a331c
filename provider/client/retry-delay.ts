import type { RetryPolicy } from "./types";

export interface RetryDelay {
  delayMs: number;
  source: "retry-after" | "backoff";
}

/**
 * Milliseconds to wait according to a `Retry-After` header (RFC 9110 §10.2.3): either delay-seconds or an
 * HTTP date, which is measured against `nowMs`. A date in the past means "now" (0). Anything else, including
 * negative or fractional seconds, is `undefined` so the caller falls back to its backoff.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  const trimmed = value?.trim() ?? "";
  if (/^\d+$/.test(trimmed)) {
    const ms = Number(trimmed) * 1000;
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  // Only accept something that looks like a date, so "1.5" or "-3" are not read as years.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const dateMs = Date.parse(trimmed);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}

/**
 * Capped exponential backoff with downward jitter: `min(maxDelayMs, baseDelayMs * 2^(retry-1))`, shortened by up to
 * `jitter` of itself. `retry` is 1 for the first retry. The result never exceeds `maxDelayMs`.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const capped = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const fraction = (value: number) => Math.min(1, Math.max(0, value));
  return Math.round(capped * (1 - fraction(policy.jitter) * fraction(random())));
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
