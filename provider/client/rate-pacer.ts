import type { DEFAULT_RATE_PACING } from "./defaults";
import type { Clock } from "./types";

/** How a client paces its requests once Immuta has rate-limited it: the fields of `DEFAULT_RATE_PACING`. */
export type RatePacing = Record<keyof typeof DEFAULT_RATE_PACING, number>;

interface Waiter {
  deadlineAt: number;
  resolve: (startedAt: number) => void;
  reject: (reason: "deadline") => void;
}

/**
 * Tenant-wide pacing: every request of a client takes its turn here. DECISION (README, "A 429 slows the whole client
 * down"): a 429 pauses every request until its Retry-After, then sets a pace that halves with each 429 and grows back
 * by about a request per second each second (AIMD, as TCP shares a link). Without 429s nothing is paced.
 */
export class RatePacer {
  #perSecond: number | undefined;
  #pausedUntil = 0;
  #lastStartAt = -Infinity;
  #lastDecreaseAt = -Infinity;
  #lastLimitedAt = -Infinity;
  readonly #answeredAt: number[] = [];
  readonly #queue: Waiter[] = [];
  #dispatching = false;

  constructor(
    private readonly clock: Clock,
    private readonly pacing: RatePacing,
  ) {}

  /** Requests per second while pacing; undefined when requests go out as they come. */
  get pace(): number | undefined {
    return this.#perSecond;
  }

  /** Resolves with the time the request may be sent; rejects with `"deadline"` if that is after `deadlineAt`. */
  turn(deadlineAt: number): Promise<number> {
    const now = this.clock.now();
    if (this.#queue.length === 0 && this.#nextStartAt() <= now) {
      this.#lastStartAt = now;
      return Promise.resolve(now);
    }
    return new Promise<number>((resolve, reject) => {
      this.#queue.push({ deadlineAt, resolve, reject });
      void this.#dispatch();
    });
  }

  /** Immuta answered 429 to a request sent at `sentAt`, asking (when it did) to wait `retryAfterMs`. */
  limited(sentAt: number, retryAfterMs: number | undefined): void {
    const now = this.clock.now();
    this.#lastLimitedAt = now;
    if (retryAfterMs !== undefined) this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterMs);
    // Requests sent before the last decrease reflect the pace before it: one decrease per excess, not per request.
    if (sentAt <= this.#lastDecreaseAt) return;
    const before = this.#perSecond ?? Math.max(1, this.#answersInLastSecond(now));
    this.#perSecond = Math.max(this.pacing.minimumPerSecond, before * this.pacing.decrease);
    this.#lastDecreaseAt = now;
  }

  answered(): void {
    const now = this.clock.now();
    this.#answeredAt.push(now);
    if (this.#answeredAt.length > 1_000) this.#answeredAt.splice(0, this.#answeredAt.length - 1_000);
    if (this.#perSecond === undefined) return;
    if (now - this.#lastLimitedAt >= this.pacing.releaseAfterMs) this.#perSecond = undefined;
    else this.#perSecond += this.pacing.increasePerSecond / Math.max(1, this.#perSecond);
  }

  #answersInLastSecond(now: number): number {
    return this.#answeredAt.filter((at) => at > now - 1_000).length;
  }

  #nextStartAt(): number {
    // Whole milliseconds, as clocks and timers count them.
    const spaced =
      this.#perSecond === undefined ? -Infinity : this.#lastStartAt + Math.ceil(1_000 / this.#perSecond);
    return Math.max(this.#pausedUntil, spaced);
  }

  /** Lets waiters go one at a time, at the pace of the moment (a 429 meanwhile slows the rest down). */
  async #dispatch(): Promise<void> {
    if (this.#dispatching) return;
    this.#dispatching = true;
    try {
      while (this.#queue.length > 0) {
        const startAt = this.#nextStartAt();
        const head = this.#queue[0];
        if (startAt > head.deadlineAt) {
          this.#queue.shift();
          head.reject("deadline");
          continue;
        }
        const now = this.clock.now();
        if (startAt > now) {
          await this.clock.sleep(startAt - now);
          continue;
        }
        this.#queue.shift();
        this.#lastStartAt = now;
        head.resolve(now);
      }
    } finally {
      this.#dispatching = false;
    }
  }
}
