/** Every default of the Immuta API client, one documented constant each: change a default here and nowhere else. */
import type { Clock } from "./types";

/** Authorization form used when `authMode` is not given: the raw API key in the `Authorization` header. */
export const DEFAULT_AUTH_MODE = "apiKey" as const;

/** Per HTTP request timeout (ms): connect, send and read the whole response. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Overall budget (ms) of one client method call, including retries, backoff waits and re-authentication. */
export const DEFAULT_OPERATION_TIMEOUT_MS = 120_000;

/** Requests one client keeps in flight at once; further requests queue in FIFO order. */
export const DEFAULT_MAX_IN_FLIGHT = 8;

/** HTTP attempts per request, the first one included (so 5 means at most 4 retries). */
export const DEFAULT_RETRY_MAX_ATTEMPTS = 5;

/** Backoff before the first retry (ms); it doubles for every further retry. */
export const DEFAULT_RETRY_BASE_DELAY_MS = 500;

/** Upper bound (ms) of a computed backoff. A server `Retry-After` is not capped by it, only by the deadline. */
export const DEFAULT_RETRY_MAX_DELAY_MS = 15_000;

/** Jitter fraction: a backoff `d` becomes a value in `[d * (1 - jitter), d]`, so retries do not run in lock step. */
export const DEFAULT_RETRY_JITTER = 0.2;

/**
 * How requests are paced once Immuta answers 429 (`rate-pacer.ts`): each 429 halves the pace; each second of
 * answers without one adds about a request per second; the pace never drops below one request every two seconds
 * (so a lone retry waits no longer than a Retry-After of 2 s asks); a minute without a 429 ends the pacing.
 */
export const DEFAULT_RATE_PACING = {
  /** The pace after a 429 is this fraction of the pace before (or of the answers of the last second). */
  decrease: 0.5,
  /** Requests per second added per second of answers without a 429 (one per answer, divided by the pace). */
  increasePerSecond: 1,
  minimumPerSecond: 0.5,
  releaseAfterMs: 60_000,
} as const;

/** Time source when the caller does not pass one: wall-clock time and real timers. */
export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** `User-Agent` sent when the caller does not pass one. */
export const DEFAULT_USER_AGENT = "pulumi-immuta";

/** Idle keep-alive sockets are closed after this many ms: sooner than common server idle timeouts (Node.js 5 s). */
export const KEEP_ALIVE_IDLE_TIMEOUT_MS = 4_000;

/** Largest response body (bytes) the client reads; a bigger one is an invalid response. */
export const MAX_RESPONSE_BYTES = 50 * 1024 * 1024;

/** Longest excerpt (characters) of a non-JSON body quoted in an error message. */
export const MAX_BODY_EXCERPT_CHARS = 200;

/** Longest Immuta `message` (characters) quoted in an error message. */
export const MAX_IMMUTA_MESSAGE_CHARS = 1_000;

/** Secrets shorter than this are not searched for in texts echoed by the server (they would mangle the text). */
export const MIN_SCRUBBED_SECRET_LENGTH = 4;

/** Path of Immuta's API-key-to-bearer-token exchange. */
export const AUTHENTICATE_PATH = "/bim/apikey/authenticate";

/** Integration type sent when creating an Amazon S3 data source. */
export const NATIVE_S3_INTEGRATION_TYPE = "Native S3" as const;
