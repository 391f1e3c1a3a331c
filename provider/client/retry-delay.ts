import type { RetryPolicy } from "./types";

/**
 * Milliseconds a `Retry-After` header (RFC 9110 §10.2.3) asks to wait: delay-seconds, or an HTTP date measured
 * against `nowMs` (0 if past). Anything else, negative or fractional seconds included, is `undefined`.
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

/** `min(maxDelayMs, baseDelayMs * 2^(retry-1))` shortened by up to `jitter` of itself; `retry` is 1 for the first. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const capped = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const fraction = (value: number) => Math.min(1, Math.max(0, value));
  return Math.round(capped * (1 - fraction(policy.jitter) * fraction(random())));
}
