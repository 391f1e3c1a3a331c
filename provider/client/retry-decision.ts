/** How an attempt failed, as far as retrying is concerned (a `HttpOutcome` of a failed attempt fits). */
export type AttemptFailure =
  { type: "response"; status: number } | { type: "network"; code: string } | { type: "timeout" };

/** Statuses that say the request was not processed and may be sent again by any method. */
const UNPROCESSED_STATUSES = new Set([429, 503]);
/** Gateway failures: the request may or may not have reached Immuta. */
const GATEWAY_STATUSES = new Set([502, 504]);
/** Failures before a connection exists; not EHOSTUNREACH and friends, which can also hit an open connection. */
const CONNECT_PHASE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

/** TLS verification failures happen before the request is sent and do not heal by retrying. */
export function isTlsFailure(code: string): boolean {
  return /CERT|^ERR_TLS_|^ERR_SSL_|^SSL_|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code);
}

/**
 * Whether to try again (within the attempt budget and the deadline), and whether Immuta may have processed it.
 * Idempotent requests retry on network errors, timeouts, 429, 502, 503 and 504. A POST only retries when Immuta
 * certainly did not process it (429, 503, a failure while connecting): otherwise a resend could create a duplicate.
 */
export function decideRetry(
  failure: AttemptFailure,
  idempotent: boolean,
): { retry: boolean; ambiguous: boolean } {
  const retryIfIdempotent = { retry: idempotent, ambiguous: !idempotent };
  switch (failure.type) {
    case "response":
      if (UNPROCESSED_STATUSES.has(failure.status)) return { retry: true, ambiguous: false };
      if (idempotent) return { retry: GATEWAY_STATUSES.has(failure.status), ambiguous: false };
      return { retry: false, ambiguous: failure.status >= 500 };
    case "network":
      if (isTlsFailure(failure.code)) return { retry: false, ambiguous: false };
      if (CONNECT_PHASE_CODES.has(failure.code)) return { retry: true, ambiguous: false };
      return retryIfIdempotent;
    case "timeout":
      return retryIfIdempotent;
  }
}
