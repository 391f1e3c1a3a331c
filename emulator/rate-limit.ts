import type { RateLimit } from "./types";

/** What the limiter decided for one request. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * A tenant-wide token bucket: `burst` tokens, refilled at `requestsPerSecond`; each Immuta API request takes one.
 * The limit is read from the modes on every request, so a change through the control API takes effect at once;
 * a new limit, and `reset`, start with a full bucket.
 */
// DECISION: the burst defaults to one second's worth of requests (at least 1); Retry-After is the whole number of
// seconds until the next token, at least 1, so a client that waits that long is let through.
export class RateLimiter {
  private limit: RateLimit | null = null;
  private tokens = 0;
  private updatedAt = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Forgets the bucket: the next request starts a full one. */
  reset(): void {
    this.limit = null;
  }

  take(limit: RateLimit | null): RateDecision {
    if (!limit) {
      this.limit = null;
      return { allowed: true };
    }
    const capacity = limit.burst ?? Math.max(1, Math.ceil(limit.requestsPerSecond));
    const now = this.now();
    if (
      !this.limit ||
      this.limit.requestsPerSecond !== limit.requestsPerSecond ||
      this.limit.burst !== limit.burst
    ) {
      this.limit = { ...limit };
      this.tokens = capacity;
    } else {
      this.tokens = Math.min(
        capacity,
        this.tokens + ((now - this.updatedAt) / 1000) * limit.requestsPerSecond,
      );
    }
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { allowed: true };
    }
    const secondsToNextToken = (1 - this.tokens) / limit.requestsPerSecond;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(secondsToNextToken)) };
  }
}
