import { Authenticator, type CredentialUse } from "./auth";
import { DEFAULT_RATE_PACING } from "./defaults";
import { ErrorFactory, statusLine, type FailedAttempt, type RequestContext } from "./error-message";
import { InFlightLimiter } from "./limiter";
import type { ResolvedOptions } from "./options";
import { RatePacer } from "./rate-pacer";
import { SecretScrubber } from "./redact";
import { decideRetry } from "./retry-decision";
import { parseRetryAfter, retryDelay } from "./retry-delay";
import type { SchemaCheck } from "./schemas";
import { HttpTransport, type HttpOutcome, type ResponseOutcome } from "./transport";

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

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/**
 * Runs one logical request to completion: waits for its turn under Immuta's rate limit and for an in-flight slot,
 * authenticates, sends, validates, and retries per `decideRetry` / `retryDelay` within the attempt budget and the
 * operation deadline. Every failure becomes an `ImmutaError`.
 */
export class RequestRunner {
  /** Also used by the client, for answers it finds unusable. */
  readonly errors: ErrorFactory;
  readonly #options: ResolvedOptions;
  readonly #transport: HttpTransport;
  readonly #limiter: InFlightLimiter;
  readonly #pacer: RatePacer;
  readonly #authenticator: Authenticator;

  constructor(options: ResolvedOptions) {
    const scrubber = new SecretScrubber();
    this.errors = new ErrorFactory(scrubber);
    this.#options = options;
    this.#transport = new HttpTransport(options);
    this.#limiter = new InFlightLimiter(options.maxInFlight);
    this.#pacer = new RatePacer(options.clock, DEFAULT_RATE_PACING);
    this.#authenticator = new Authenticator(options.authMode, options.apiKey, scrubber, (spec, deadlineAt) =>
      this.run(spec, deadlineAt),
    );
  }

  deadlineFromNow(): number {
    return this.#options.clock.now() + this.#options.operationTimeoutMs;
  }

  async run<T>(spec: RequestSpec<T>, deadlineAt: number = this.deadlineFromNow()): Promise<T> {
    const { clock, random, retry: policy, requestTimeoutMs, operationTimeoutMs } = this.#options;
    let attempts = 0;
    let retries = 0;
    let reauthenticated = false;
    let lastOutcome: FailedAttempt | undefined;
    const deadline = (situation: string, ambiguous = false) => {
      return this.errors.deadline(spec, {
        limitMs: operationTimeoutMs,
        attempts,
        ambiguous,
        situation,
        lastOutcome,
      });
    };
    const notify = (delayMs: number, reason: string) => {
      try {
        this.#options.onRetry?.({ method: spec.method, path: spec.path, attempt: attempts, delayMs, reason });
      } catch {
        // A failing log callback must not change the outcome of the request.
      }
    };

    for (;;) {
      if (deadlineAt - clock.now() <= 0) {
        throw deadline(
          attempts === 0 ? "before the request could be sent" : `after ${plural(attempts, "attempt")}`,
        );
      }
      const credentials = await this.#authenticator.credentials(spec.credentials, deadlineAt);
      await this.#pacer.turn(deadlineAt).catch(() => {
        throw deadline("still waiting for its turn: Immuta is rate-limiting this tenant (HTTP 429)");
      });
      const slotWait = AbortSignal.timeout(Math.max(1, deadlineAt - clock.now()));
      const release = await this.#limiter.acquire(slotWait).catch(() => {
        throw deadline(`still waiting for one of ${this.#limiter.limit} request slots (maxInFlight)`);
      });
      attempts++;
      const sentAt = clock.now();
      let outcome: HttpOutcome;
      try {
        outcome = await this.#transport.send({
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
          this.#pacer.limited(sentAt, parseRetryAfter(outcome.retryAfter, clock.now()));
        } else this.#pacer.answered();
      }

      if (outcome.type === "response" && outcome.status >= 200 && outcome.status < 300) {
        return this.#parse(spec, outcome, attempts);
      }
      if (outcome.type === "too-large") {
        throw this.errors.invalidResponse(spec, {
          jsonPath: "",
          problem: "the body is larger than the client accepts",
          attempts,
          ambiguous: !spec.idempotent,
        });
      }
      if (outcome.type === "timeout" && outcome.cutoff === "deadline") {
        throw deadline(`attempt ${attempts} was still waiting for a response`, !spec.idempotent);
      }
      if (outcome.type === "response" && outcome.status === 401 && credentials.token && !reauthenticated) {
        // Bearer token expired or revoked: authenticate again and replay once; this does not use the retry budget.
        reauthenticated = true;
        await this.#authenticator.invalidate(credentials.token);
        notify(0, "HTTP 401 Unauthorized: re-authenticating");
        continue;
      }

      lastOutcome = outcome;
      const decision = decideRetry(
        outcome.type === "response" ? { type: "status", status: outcome.status } : outcome,
        spec.idempotent,
      );
      if (!decision.retry || retries + 1 >= policy.maxAttempts) {
        const tried = { attempts, ambiguous: decision.ambiguous };
        throw this.errors.failure(spec, outcome, tried, requestTimeoutMs);
      }

      retries++;
      const retryAfter = outcome.type === "response" ? outcome.retryAfter : undefined;
      const delay = retryDelay({ retry: retries, retryAfter, nowMs: clock.now(), policy, random });
      if (clock.now() + delay.delayMs >= deadlineAt) {
        const wait = delay.source === "retry-after" ? "as Retry-After asked" : "of backoff";
        throw deadline(
          `gave up after ${plural(attempts, "attempt")}: the next retry, in ${delay.delayMs} ms ${wait}, would start after the deadline`,
        );
      }
      notify(
        delay.delayMs,
        outcome.type === "response"
          ? statusLine(outcome.status, outcome.statusText)
          : outcome.type === "network"
            ? outcome.code
            : `no response within ${requestTimeoutMs} ms`,
      );
      await clock.sleep(delay.delayMs);
    }
  }

  close(): void {
    this.#transport.close();
  }

  #parse<T>(spec: RequestSpec<T>, outcome: ResponseOutcome, attempts: number): T {
    // A 2xx means Immuta processed the request; if its answer is unusable a non-idempotent request is ambiguous.
    const ambiguous = !spec.idempotent;
    let body: unknown;
    try {
      body = JSON.parse(outcome.body);
    } catch {
      const problem = this.errors.nonJsonProblem(outcome, !spec.sensitiveResponse);
      throw this.errors.invalidResponse(spec, { outcome, jsonPath: "", problem, attempts, ambiguous });
    }
    const checked = spec.check(body);
    if (checked.ok) return checked.value;
    const { jsonPath, problems } = checked;
    const problem = problems.slice(0, 3).join("; ");
    throw this.errors.invalidResponse(spec, { outcome, jsonPath, problem, attempts, ambiguous });
  }
}
