import type { HttpMethod } from "./transport";

/** How the API key is presented to Immuta. */
export type AuthMode = "apiKey" | "bearer";

/** Injectable time source, so retry and deadline behaviour can be tested without real waiting. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Retry budget and backoff shape for requests that may be retried. */
export interface RetryPolicy {
  /** HTTP attempts per request, the first one included. */
  maxAttempts: number;
  /** Backoff before the first retry (ms); doubles on each further retry. */
  baseDelayMs: number;
  /** Cap of a computed backoff (ms). */
  maxDelayMs: number;
  /** Fraction 0..1 by which a backoff is randomly shortened. */
  jitter: number;
}

/** What the provider learns about a retry, for logging. Never contains credentials. */
export interface RetryEvent {
  method: string;
  /** Request path (and query) relative to the tenant root. */
  path: string;
  /** Number (1-based) of the attempt that just failed. */
  attempt: number;
  /** Wait before the next attempt (ms). */
  delayMs: number;
  /** Short reason, e.g. `HTTP 503 Service Unavailable` or `ECONNRESET`. */
  reason: string;
}

/**
 * How to reach and authenticate to one Immuta tenant. Numbers and flags may also be given as the strings stack
 * config and environment variables hold; `resolveConnection` (options.ts) parses and checks every one.
 */
export interface ConnectionSettings {
  /** Tenant root, e.g. `https://acme.hosted.immutacloud.com`; a trailing slash is tolerated. */
  url: string;
  /** Immuta API key. Never logged, never part of an error. */
  apiKey: string;
  /** `"apiKey"` (default) sends the key itself; `"bearer"` exchanges it for a token, renewed once on a 401. */
  authMode?: string;
  /** Per HTTP request timeout (ms). Default `DEFAULT_REQUEST_TIMEOUT_MS`. */
  requestTimeoutMs?: number | string;
  /** Overall budget of one client method call, retries included (ms). Default `DEFAULT_OPERATION_TIMEOUT_MS`. */
  operationTimeoutMs?: number | string;
  /** Concurrent requests per client. Default `DEFAULT_MAX_IN_FLIGHT`. */
  maxInFlight?: number | string;
  /** Permit `http://` to a non-loopback host. Off by default: the API key would travel in clear text. */
  allowInsecureHttp?: boolean | string;
  /** Extra CA certificates (PEM text, or a PEM file's path) trusted besides Node's; TLS is always verified. */
  caBundle?: string;
}

export interface ImmutaClientOptions extends ConnectionSettings {
  /** Overrides of the retry policy; missing fields take the `DEFAULT_RETRY_*` values. */
  retry?: Partial<RetryPolicy>;
  /** Time source for deadlines and backoff waits. Default: real time. */
  clock?: Clock;
  /** Jitter source returning values in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** `User-Agent` header. Default `DEFAULT_USER_AGENT`. */
  userAgent?: string;
  /** Called before each retry wait, for logging. */
  onRetry?: (event: RetryEvent) => void;
  /** How configuration errors name a setting (e.g. `immuta:requestTimeoutMs`); default the option name. */
  settingNames?: (setting: keyof ConnectionSettings) => string;
}

/** What an operation does, which decides the actionable hint of its errors. */
export type OperationAccess = "create" | "read" | "write" | "tag" | "authenticate";

/** A client method as named in errors, and the endpoint it calls: method and path, `{name}` for a parameter. */
export interface OperationDescriptor {
  name: string;
  /** By default `read` for a GET and `write` for any other method. */
  access?: OperationAccess;
  endpoint: `${HttpMethod} /${string}`;
  /** What to do when the request may have been processed although it failed. */
  ambiguityHint?: string;
  /** A POST that is safe to resend (attaching a tag twice changes nothing); every other method is. */
  idempotent?: boolean;
}
