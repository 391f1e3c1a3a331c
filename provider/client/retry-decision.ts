/** How one HTTP attempt failed, as far as retrying is concerned. */
export type AttemptFailure =
  | { type: "status"; status: number }
  | { type: "network"; code: string }
  | { type: "timeout" }
  | { type: "invalid-response" };

export interface RetryDecision {
  /** Try again (subject to the attempt budget and the deadline). */
  retry: boolean;
  /** A non-idempotent request may have been processed by Immuta. */
  ambiguous: boolean;
}

/** Statuses that say the request was not processed and may be sent again by any method. */
const UNPROCESSED_STATUSES = new Set([429, 503]);
/** Gateway failures: the request may or may not have reached Immuta. */
const GATEWAY_STATUSES = new Set([502, 504]);
/**
 * Failures that can only happen before a connection exists (refused, DNS), so no byte of the request reached the
 * server. EHOSTUNREACH and similar are left out: they can also hit an established connection.
 */
const CONNECT_PHASE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

/** TLS verification failures happen before the request is sent and do not heal by retrying. */
export function isTlsFailure(code: string): boolean {
  return /CERT|^ERR_TLS_|^ERR_SSL_|^SSL_|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code);
}

/**
 * Whether to retry a failed attempt. Idempotent requests (GET, PUT, the DELETEs of a hard delete) retry on network
 * errors, timeouts, 429, 502, 503 and 504. Non-idempotent ones (POST create) retry only when Immuta certainly did not
 * process them (429, 503, a failure while connecting); after a timeout, a reset or a 5xx other than 503 they are
 * ambiguous and never resent, since resending could create a duplicate.
 */
export function decideRetry(failure: AttemptFailure, idempotent: boolean): RetryDecision {
  const retryIfIdempotent = idempotent
    ? { retry: true, ambiguous: false }
    : { retry: false, ambiguous: true };
  switch (failure.type) {
    case "status":
      if (UNPROCESSED_STATUSES.has(failure.status)) return { retry: true, ambiguous: false };
      if (idempotent) return { retry: GATEWAY_STATUSES.has(failure.status), ambiguous: false };
      return { retry: false, ambiguous: failure.status >= 500 };
    case "network":
      if (isTlsFailure(failure.code)) return { retry: false, ambiguous: false };
      if (CONNECT_PHASE_CODES.has(failure.code)) return { retry: true, ambiguous: false };
      return retryIfIdempotent;
    case "timeout":
      return retryIfIdempotent;
    case "invalid-response":
      // A 2xx arrived, so Immuta did process it; only its answer was unusable.
      return { retry: false, ambiguous: !idempotent };
  }
}
