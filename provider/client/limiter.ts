/** Gives back a slot; calling it more than once is harmless. */
export type Release = () => void;

/** A counting semaphore: at most `limit` holders at once, the rest wait in FIFO order. */
export class InFlightLimiter {
  readonly limit: number;
  #active = 0;
  readonly #waiters: ((release: Release) => void)[] = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`limit must be an integer >= 1, got ${limit}`);
    this.limit = limit;
  }

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  /** Resolves with a release function once a slot is free; rejects with `signal.reason` if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<Release> {
    // An abort reason may be any value; the rejection is always an Error.
    const reason = () =>
      signal?.reason instanceof Error ? signal.reason : new Error("the wait for a request slot was aborted");
    if (signal?.aborted) return Promise.reject(reason());
    if (this.#active < this.limit) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      const grant = (release: Release): void => {
        signal?.removeEventListener("abort", onAbort);
        resolve(release);
      };
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(grant);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(reason());
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(grant);
    });
  }

  #releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      // Hand the slot straight to the next waiter, so a newcomer cannot overtake the queue.
      if (next) next(this.#releaser());
      else this.#active--;
    };
  }
}
