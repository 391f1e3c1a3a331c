import { Authenticator, type CredentialUse } from "./auth";
import { DEFAULT_RATE_PACING } from "./defaults";
import { ErrorFactory, statusLine, type FailedAttempt, type RequestContext } from "./error-message";
import { InFlightLimiter } from "./limiter";
import type { ResolvedOptions } from "./options";
import { RatePacer } from "./rate-pacer";
import { SecretScrubber } from "./redact";
import { decideRetry } from "./retry-decision";
import { backoffDelay, parseRetryAfter } from "./retry-delay";
import type { SchemaCheck } from "./schemas";
import { HttpTransport, type HttpMethod, type ResponseOutcome } from "./transport";
import type { OperationDescriptor } from "./types";

/** One logical request of a client method: what to send, how to check the answer, how safe it is to resend. */
export interface RequestSpec<T> extends RequestContext {
  body?: unknown;
  /** Safe to resend after an ambiguous failure. */
  idempotent: boolean;
  /** `apiKey` for the token exchange itself; by default the session credential of the configured auth mode. */
  credentials?: CredentialUse;
  /** The body may hold a secret (the token exchange): never quote it in an error. */
  sensitiveResponse?: boolean;
  check: Check<T>;
}

type Check<T> = (body: unknown) => SchemaCheck<T>;

/** What a request adds to its endpoint: path parameters (`…Id` an id, else a name the caller checked), a query, a body. */
interface RequestParts {
  params?: Record<string, number | string>;
  query?: URLSearchParams;
  body?: unknown;
}

/** An id as Immuta's paths and queries take it: a non-negative safe integer. */
export function requireId(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
  return value;
}

/**
 * The request of `operation`, its (checked) path parameters encoded. Only a POST is never resent after an
 * ambiguous failure: a resent GET or PUT does no harm, and a resent DELETE of a hard delete ends "gone" either way.
 */
export function request<T>(
  operation: OperationDescriptor,
  check: Check<T>,
  parts: RequestParts = {},
): RequestSpec<T> {
  const { params = {}, query, body } = parts;
  const [method, template] = operation.endpoint.split(" ") as [HttpMethod, string];
  const path = template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = name.endsWith("Id") ? requireId(name, params[name]) : (params[name] ?? "");
    return encodeURIComponent(value);
  });
  const search = query?.size ? `?${query.toString()}` : "";
  const idempotent = operation.idempotent ?? method !== "POST";
  return { operation, method, path: path + search, body, idempotent, check };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/**
 * Runs one logical request to completion: waits for its turn and a slot, authenticates, sends, validates, and retries
 * per `decideRetry` within the attempt budget and the operation deadline. Every failure becomes an `ImmutaError`.
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
    // Not the whole options: they hold the API key.
    const { requestTimeoutMs, operationTimeoutMs } = options;
    this.errors = new ErrorFactory(scrubber, { requestTimeoutMs, operationTimeoutMs });
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
    const { clock, random, retry: policy, requestTimeoutMs } = this.#options;
    let attempts = 0;
    let retries = 0;
    let reauthenticated = false;
    let lastOutcome: FailedAttempt | undefined;
    const deadline = (situation: string, ambiguous = false) =>
      this.errors.deadline(spec, situation, { attempts, ambiguous }, lastOutcome);
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
      const outcome = await this.#transport
        .send({
          method: spec.method,
          path: spec.path,
          authorization: credentials.authorization,
          body: spec.body,
          requestTimeoutMs,
          deadlineRemainingMs: deadlineAt - clock.now(),
          reuseConnection: spec.idempotent,
        })
        .finally(release);
      if (outcome.type === "too-large") return this.#answer(spec, outcome, attempts);
      const retryAfterMs =
        outcome.type === "response" ? parseRetryAfter(outcome.retryAfter, clock.now()) : undefined;
      if (outcome.type === "response") {
        if (outcome.status === 429) this.#pacer.limited(sentAt, retryAfterMs);
        else this.#pacer.answered();
        if (outcome.status >= 200 && outcome.status < 300) return this.#answer(spec, outcome, attempts);
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
      const { retry, ambiguous } = decideRetry(outcome, spec.idempotent);
      if (!retry || retries + 1 >= policy.maxAttempts) {
        throw this.errors.failure(spec, outcome, { attempts, ambiguous });
      }
      retries++;
      // DECISION: a valid Retry-After is authoritative: neither capped by maxDelayMs nor jittered.
      const delayMs = retryAfterMs ?? backoffDelay(retries, policy, random);
      if (clock.now() + delayMs >= deadlineAt) {
        const wait = retryAfterMs === undefined ? "of backoff" : "as Retry-After asked";
        throw deadline(
          `gave up after ${plural(attempts, "attempt")}: the next retry, in ${delayMs} ms ${wait}, would start after the deadline`,
        );
      }
      notify(
        delayMs,
        outcome.type === "response"
          ? statusLine(outcome.status, outcome.statusText)
          : outcome.type === "network"
            ? outcome.code
            : `no response within ${requestTimeoutMs} ms`,
      );
      await clock.sleep(delayMs);
    }
  }

  close(): void {
    this.#transport.close();
  }

  /** The value of a 2xx answer. Immuta processed the request, so an unusable answer makes a POST ambiguous. */
  #answer<T>(spec: RequestSpec<T>, outcome: ResponseOutcome | { type: "too-large" }, attempts: number): T {
    const tried = { attempts, ambiguous: !spec.idempotent };
    if (outcome.type === "too-large") {
      const problem = "the body is larger than the client accepts";
      throw this.errors.invalidResponse(spec, { ...tried, jsonPath: "", problem });
    }
    let body: unknown;
    try {
      body = JSON.parse(outcome.body);
    } catch {
      const problem = this.errors.nonJsonProblem(outcome, !spec.sensitiveResponse);
      throw this.errors.invalidResponse(spec, { ...tried, outcome, jsonPath: "", problem });
    }
    const checked = spec.check(body);
    if (checked.ok) return checked.value;
    const problem = checked.problems.slice(0, 3).join("; ");
    throw this.errors.invalidResponse(spec, { ...tried, outcome, jsonPath: checked.jsonPath, problem });
  }
}
