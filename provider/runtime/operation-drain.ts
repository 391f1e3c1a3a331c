/**
 * The lifecycle operations running in a provider process, so that it can end without cutting a request to Immuta
 * in two: once told to drain, it refuses new operations and waits, for a bounded time, for the running ones.
 */
import { ImmutaProviderError } from "../core/errors";

export class ProviderOperations {
  #running = 0;
  #accepting = true;
  #settledWaiters: (() => void)[] = [];

  get running(): number {
    return this.#running;
  }

  async run<T>(action: string, subject: string, work: () => Promise<T>): Promise<T> {
    if (!this.#accepting) {
      throw new ImmutaProviderError(
        `${action} ${subject} was not started: the Pulumi engine that started this provider process is gone (the ` +
          `pulumi process ended without stopping it), so no result could be recorded. Run the Pulumi command again.`,
      );
    }
    this.#running++;
    try {
      return await work();
    } finally {
      this.#running--;
      if (this.#running === 0) for (const settled of this.#settledWaiters.splice(0)) settled();
    }
  }

  /** No operation starts after this. */
  stopAccepting(): void {
    this.#accepting = false;
  }

  /** Resolves with true once no operation runs, or with false after `timeoutMs`. */
  settled(timeoutMs: number): Promise<boolean> {
    if (this.#running === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs));
      timer.unref();
      this.#settledWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

/**
 * Stops starting operations, waits up to `withinMs` for the running ones, then calls `exit` (whether they finished
 * or not: nobody is left to receive their results). Resolves with whether they all finished.
 */
export async function drainThenExit(
  operations: ProviderOperations,
  withinMs: number,
  exit: () => void,
): Promise<boolean> {
  operations.stopAccepting();
  const finished = await operations.settled(withinMs);
  exit();
  return finished;
}
