import { parseBaseUrl, type TenantRoot } from "./base-url";
import { realClock } from "./clock";
import {
  DEFAULT_AUTH_MODE,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_OPERATION_DEADLINE_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_RETRY_JITTER,
  DEFAULT_RETRY_MAX_ATTEMPTS,
  DEFAULT_RETRY_MAX_DELAY_MS,
  DEFAULT_USER_AGENT,
} from "./defaults";
import { hintFor } from "./error-message";
import { ImmutaError } from "./errors";
import type { AuthMode, Clock, ImmutaClientOptions, RetryEvent, RetryPolicy } from "./types";

/** Options with every default applied and every value checked. */
export interface ResolvedOptions {
  tenant: TenantRoot;
  apiKey: string;
  authMode: AuthMode;
  requestTimeoutMs: number;
  operationDeadlineMs: number;
  maxInFlight: number;
  retry: RetryPolicy;
  clock: Clock;
  random: () => number;
  caBundle?: string;
  userAgent: string;
  onRetry?: (event: RetryEvent) => void;
}

function invalid(message: string): ImmutaError {
  return new ImmutaError(`${message} ${hintFor("invalid-config", "read")}`, {
    kind: "invalid-config",
    operation: "configure Immuta client",
    method: "",
    path: "",
  });
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw invalid(`${name} must be a positive number of milliseconds.`);
  return value;
}

function resolveRetry(retry: Partial<RetryPolicy> | undefined): RetryPolicy {
  const policy: RetryPolicy = {
    maxAttempts: retry?.maxAttempts ?? DEFAULT_RETRY_MAX_ATTEMPTS,
    baseDelayMs: retry?.baseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS,
    maxDelayMs: retry?.maxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS,
    jitter: retry?.jitter ?? DEFAULT_RETRY_JITTER,
  };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw invalid("retry.maxAttempts must be an integer >= 1.");
  }
  if (!(policy.baseDelayMs >= 0) || !(policy.maxDelayMs >= 0)) {
    throw invalid("retry.baseDelayMs and retry.maxDelayMs must be >= 0.");
  }
  if (!(policy.jitter >= 0 && policy.jitter <= 1)) throw invalid("retry.jitter must be between 0 and 1.");
  return policy;
}

/** Applies the defaults of `defaults.ts` and validates; throws `ImmutaError` (`invalid-config` / `insecure-url`). */
export function resolveOptions(options: ImmutaClientOptions): ResolvedOptions {
  if (typeof options.apiKey !== "string" || options.apiKey.trim() === "") {
    throw invalid("The Immuta API key is empty; set immuta:apiKey or IMMUTA_API_KEY.");
  }
  const authMode = options.authMode ?? DEFAULT_AUTH_MODE;
  if (authMode !== "apiKey" && authMode !== "bearer") throw invalid('authMode must be "apiKey" or "bearer".');
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1)
    throw invalid("maxInFlight must be an integer >= 1.");
  if (options.caBundle !== undefined && !options.caBundle.includes("-----BEGIN CERTIFICATE-----")) {
    throw invalid("caBundle must hold PEM certificates (-----BEGIN CERTIFICATE-----).");
  }
  return {
    tenant: parseBaseUrl(options.baseUrl, options.allowInsecureHttp ?? false),
    apiKey: options.apiKey,
    authMode,
    requestTimeoutMs: positive("requestTimeoutMs", options.requestTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS),
    operationDeadlineMs: positive(
      "operationDeadlineMs",
      options.operationDeadlineMs,
      DEFAULT_OPERATION_DEADLINE_MS,
    ),
    maxInFlight,
    retry: resolveRetry(options.retry),
    clock: options.clock ?? realClock,
    random: options.random ?? Math.random,
    ...(options.caBundle === undefined ? {} : { caBundle: options.caBundle }),
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
  };
}
