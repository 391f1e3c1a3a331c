import type { Authenticator, CredentialUse } from "./auth";
import { ErrorFactory, statusLine, type FailedAttempt, type RequestContext } from "./error-message";
import type { InFlightLimiter, Release } from "./limiter";
import type { RatePacer } from "./rate-pacer";
import type { SecretScrubber } from "./redact";
import { decideRetry, type AttemptFailure } from "./retry-decision";
import { parseRetryAfter, retryDelay } from "./retry-delay";
import type { SchemaCheck } from "./schemas";
import type { HttpOutcome, HttpTransport, ResponseOutcome } from "./transport";
import type { Clock, RetryEvent, RetryPolicy } from "./types";

/** One logical request of a client method: what to send, how to check the answer, how safe it is to resend. */
export interface RequestSpec<T> extends RequestContext {
  body?: unknown;
  /** Safe to resend after an ambiguous failure. */
  idempotent: boolean;
  /** `apiKey` for the token exchange itself; `session` (the configured auth mode) for everything else. */
  credentials: CredentialUse;
  /** The body may hold a secret (the token exchange): never quote it in an error. */
  sensitiveResponse?: boolean;
  /** Validates the parsed JSON body of a 2xx response. */
  check: (body: unknown) => SchemaCheck<T>;
}

export interface RequestRunnerOptions {
  transport: HttpTransport;
  limiter: InFlightLimiter;
  /** The tenant-wide pace set by Immuta's 429s. */
  pacer: RatePacer;
  authenticator: Authenticator;
  scrubber: SecretScrubber;
  clock: Clock;
  random: () => number;
  retry: RetryPolicy;
  requestTimeoutMs: number;
  operationTimeoutMs: number;
  onRetry?: (event: RetryEvent) => void;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function failureOf(outcome: Exclude<HttpOutcome, { type: "too-large" }>): AttemptFailure {
  switch (outcome.type) {
    case "response":
      return { type: "status", status: outcome.status };
    case "network":
      return { type: "network", code: outcome.code };
    case "timeout":
      return { type: "timeout" };
  }
}

function reasonOf(outcome: HttpOutcome, requestTimeoutMs: number): string {
  switch (outcome.type) {
    case "response":
      return statusLine(outcome.status, outcome.statusText);
    case "network":
      return outcome.code;
    case "timeout":
      return `no response within ${requestTimeoutMs} ms`;
    case "too-large":
      return "response too large";
  }
}

/**
 * Runs one logical request to completion: waits for an in-flight slot, authenticates, sends, validates, and retries
 * per `decideRetry` / `retryDelay` within the attempt budget and the operation deadline. Every failure becomes an
 * `ImmutaError`.
 */
export class RequestRunner {
  readonly #options: RequestRunnerOptions;
  readonly #errors: ErrorFactory;

  constructor(options: RequestRunnerOptions) {
    this.#options = options;
    this.#errors = new ErrorFactory(options.scrubber);
  }

  /** Starts a new operation deadline (now + `operationTimeoutMs`). */
  deadlineFromNow(): number {
    return this.#options.clock.now() + this.#options.operationTimeoutMs;
  }

  async run<T>(spec: RequestSpec<T>, deadlineAt: number = this.deadlineFromNow()): Promise<T> {
    const { clock, retry: policy, requestTimeoutMs, operationTimeoutMs } = this.#options;
    let attempts = 0;
    let retries = 0;
    let reauthenticated = false;
    let lastOutcome: FailedAttempt | undefined;

    for (;;) {
      if (deadlineAt - clock.now() <= 0) {
        throw this.#errors.deadline(spec, {
          limitMs: operationTimeoutMs,
          attempts,
          ambiguous: false,
          situation:
            attempts === 0 ? "before the request could be sent" : `after ${plural(attempts, "attempt")}`,
          lastOutcome,
        });
      }
      const credentials = await this.#options.authenticator.credentials(spec.credentials, deadlineAt);
      await this.#takeTurn(spec, deadlineAt, attempts, lastOutcome);
      const release = await this.#acquireSlot(spec, deadlineAt, attempts, lastOutcome);
      attempts++;
      const sentAt = clock.now();
      let outcome: HttpOutcome;
      try {
        outcome = await this.#options.transport.send({
          method: spec.method,
          path: spec.path,
          authorization: credentials.authorization,
          body: spec.body,
          requestTimeoutMs,
          deadlineRemainingMs: deadlineAt - clock.now(),
          reuseConnection: spec.idempotent,
        });
      } finally {
        release();
      }
      if (outcome.type === "response") {
        if (outcome.status === 429) {
          this.#options.pacer.limited(sentAt, parseRetryAfter(outcome.retryAfter, clock.now()));
        } else this.#options.pacer.answered();
      }

      if (outcome.type === "response" && outcome.status >= 200 && outcome.status < 300) {
        return this.#parse(spec, outcome, attempts);
      }
      if (outcome.type === "too-large") {
        throw this.#errors.invalidResponse(spec, {
          jsonPath: "",
          problem: "the body is larger than the client accepts",
          attempts,
          ambiguous: !spec.idempotent,
        });
      }
      if (outcome.type === "timeout" && outcome.cutoff === "deadline") {
        throw this.#errors.deadline(spec, {
          limitMs: operationTimeoutMs,
          attempts,
          ambiguous: !spec.idempotent,
          situation: `attempt ${attempts} was still waiting for a response`,
          lastOutcome,
        });
      }
      if (
        outcome.type === "response" &&
        outcome.status === 401 &&
        credentials.token !== undefined &&
        !reauthenticated
      ) {
        // Bearer token expired or revoked: authenticate again and replay once; this does not use the retry budget.
        reauthenticated = true;
        await this.#options.authenticator.invalidate(credentials.token);
        this.#notify({
          method: spec.method,
          path: spec.path,
          attempt: attempts,
          delayMs: 0,
          reason: "HTTP 401 Unauthorized: re-authenticating",
        });
        continue;
      }

      lastOutcome = outcome;
      const decision = decideRetry(failureOf(outcome), spec.idempotent);
      if (!decision.retry || retries + 1 >= policy.maxAttempts) {
        const tried = { attempts, ambiguous: decision.ambiguous };
        throw this.#errors.failure(spec, outcome, tried, this.#options.requestTimeoutMs);
      }

      retries++;
      const retryAfter = outcome.type === "response" ? outcome.retryAfter : undefined;
      const delay = retryDelay({
        retry: retries,
        retryAfter,
        nowMs: clock.now(),
        policy,
        random: this.#options.random,
      });
      if (clock.now() + delay.delayMs >= deadlineAt) {
        const wait = delay.source === "retry-after" ? "as Retry-After asked" : "of backoff";
        throw this.#errors.deadline(spec, {
          limitMs: operationTimeoutMs,
          attempts,
          ambiguous: false,
          situation: `gave up after ${plural(attempts, "attempt")}: the next retry, in ${delay.delayMs} ms ${wait}, would start after the deadline`,
          lastOutcome: outcome,
        });
      }
      this.#notify({
        method: spec.method,
        path: spec.path,
        attempt: attempts,
        delayMs: delay.delayMs,
        reason: reasonOf(outcome, requestTimeoutMs),
      });
      await clock.sleep(delay.delayMs);
    }
  }

  /** Waits for the request's turn under the pace Immuta's 429s set (at once while none came). */
  async #takeTurn(
    spec: RequestSpec<unknown>,
    deadlineAt: number,
    attempts: number,
    lastOutcome: FailedAttempt | undefined,
  ): Promise<void> {
    try {
      await this.#options.pacer.turn(deadlineAt);
    } catch {
      throw this.#errors.deadline(spec, {
        limitMs: this.#options.operationTimeoutMs,
        attempts,
        ambiguous: false,
        situation: "still waiting for its turn: Immuta is rate-limiting this tenant (HTTP 429)",
        lastOutcome,
      });
    }
  }

  async #acquireSlot(
    spec: RequestSpec<unknown>,
    deadlineAt: number,
    attempts: number,
    lastOutcome: FailedAttempt | undefined,
  ): Promise<Release> {
    const { limiter, clock, operationTimeoutMs } = this.#options;
    const signal = AbortSignal.timeout(Math.max(1, deadlineAt - clock.now()));
    try {
      return await limiter.acquire(signal);
    } catch {
      throw this.#errors.deadline(spec, {
        limitMs: operationTimeoutMs,
        attempts,
        ambiguous: false,
        situation: `still waiting for one of ${limiter.limit} request slots (maxInFlight)`,
        lastOutcome,
      });
    }
  }

  #parse<T>(spec: RequestSpec<T>, outcome: ResponseOutcome, attempts: number): T {
    // A 2xx means Immuta processed the request; if its answer is unusable a non-idempotent request is ambiguous.
    const ambiguous = !spec.idempotent;
    let body: unknown;
    try {
      body = JSON.parse(outcome.body);
    } catch {
      throw this.#errors.invalidResponse(spec, {
        outcome,
        jsonPath: "",
        problem: this.#errors.nonJsonProblem(outcome, !spec.sensitiveResponse),
        attempts,
        ambiguous,
      });
    }
    const checked = spec.check(body);
    if (checked.ok) return checked.value;
    throw this.#errors.invalidResponse(spec, {
      outcome,
      jsonPath: checked.jsonPath,
      problem: checked.problems.slice(0, 3).join("; "),
      attempts,
      ambiguous,
    });
  }

  #notify(event: RetryEvent): void {
    try {
      this.#options.onRetry?.(event);
    } catch {
      // A failing log callback must not change the outcome of the request.
    }
  }
}
