import { bodyExcerpt, extractImmutaMessage, hintFor, kindOfStatus, statusLine } from "./error-message";
import { ImmutaApiError, ImmutaInvalidResponseError, ImmutaNetworkError, ImmutaTimeoutError } from "./errors";
import type { SecretScrubber } from "./redact";
import { isTlsFailure } from "./retry-decision";
import type { HttpMethod, HttpOutcome, ResponseOutcome } from "./transport";
import type { OperationDescriptor } from "./types";

/** The request an error is about. */
export interface RequestContext {
  operation: OperationDescriptor;
  method: HttpMethod;
  path: string;
  /** Endpoint template, e.g. `GET /dataSource/{dataSourceId}`. */
  endpoint: string;
}

/** How far a failed request got: attempts made, and whether Immuta may have processed it. */
interface Attempts {
  attempts: number;
  ambiguous: boolean;
}

const NETWORK_CODE_TEXT: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset or dropped",
  EPIPE: "connection closed while sending",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "temporary DNS failure",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
};

function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/** `<operation> failed: <what happened>. [Gave up after N attempts.] <what to do>[ <ambiguity warning>]` */
function compose(
  context: RequestContext,
  what: string,
  hint: string,
  { attempts, ambiguous }: Attempts,
): string {
  const gaveUp = attempts > 1 ? ` Gave up after ${attempts} attempts.` : "";
  const warning = ambiguous
    ? ` Immuta may have processed this ${context.method} although it failed: ` +
      (context.operation.ambiguityHint ?? "Check its state before retrying.")
    : "";
  return `${context.operation.name} failed: ${sentence(what)}${gaveUp} ${hint}${warning}`;
}

/** The safe fields every error of this request carries. */
function details(context: RequestContext, { attempts, ambiguous }: Attempts) {
  return {
    operation: context.operation.name,
    method: context.method,
    path: context.path,
    attempts,
    ambiguous,
  };
}

/** Creates credential-free errors; every text that came from the network passes the scrubber first. */
export class ErrorFactory {
  readonly #scrubber: SecretScrubber;

  constructor(scrubber: SecretScrubber) {
    this.#scrubber = scrubber;
  }

  /** Immuta's message from an error body, credentials removed before anything is cut. */
  immutaMessage(outcome: ResponseOutcome): string | undefined {
    return extractImmutaMessage(this.#scrubber.scrub(outcome.body), outcome.contentType);
  }

  /** An HTTP error status (4xx, 5xx, or a redirect, which is never followed). */
  status(context: RequestContext, outcome: ResponseOutcome, tried: Attempts): ImmutaApiError {
    const immutaMessage = this.immutaMessage(outcome);
    const kind = kindOfStatus(outcome.status);
    const redirect = outcome.status < 400;
    const detail = redirect
      ? ` (a redirect${this.#redirectTarget(outcome.location)})`
      : immutaMessage === undefined
        ? " (empty body)"
        : `: ${JSON.stringify(immutaMessage)}`;
    const hint = redirect
      ? "Redirects are not followed, so the API key never goes to another address; set immuta:url to the tenant root."
      : hintFor(kind, context.operation.access);
    const what = `${context.method} ${context.path} answered ${statusLine(outcome.status, outcome.statusText)}${detail}`;
    return new ImmutaApiError(compose(context, what, hint, tried), {
      ...details(context, tried),
      kind,
      status: outcome.status,
      ...(immutaMessage === undefined ? {} : { immutaMessage }),
    });
  }

  network(context: RequestContext, code: string, tried: Attempts): ImmutaNetworkError {
    const tls = isTlsFailure(code);
    const happened = tls
      ? "TLS certificate verification failed"
      : (NETWORK_CODE_TEXT[code] ?? "network error");
    const hint = tls
      ? "If the tenant uses a private certificate authority, pass its PEM certificates as caBundle (immuta:caBundle)."
      : hintFor("network", context.operation.access);
    const what = `${context.method} ${context.path} failed on the network (${code}: ${happened})`;
    return new ImmutaNetworkError(compose(context, what, hint, tried), { ...details(context, tried), code });
  }

  timeout(context: RequestContext, limitMs: number, tried: Attempts): ImmutaTimeoutError {
    const what = `${context.method} ${context.path} got no complete response within ${limitMs} ms`;
    return new ImmutaTimeoutError(
      compose(context, what, hintFor("timeout", context.operation.access), tried),
      {
        ...details(context, tried),
        kind: "timeout",
        limitMs,
      },
    );
  }

  /**
   * The operation deadline ran out, or the next retry would start after it. The last failed attempt, if any, lends
   * its status and Immuta message.
   */
  deadline(
    context: RequestContext,
    input: Attempts & { limitMs: number; situation: string; lastOutcome?: HttpOutcome },
  ): ImmutaTimeoutError {
    const last = input.lastOutcome;
    const immutaMessage = last?.type === "response" ? this.immutaMessage(last) : undefined;
    const lastNote = last ? ` The last attempt failed with ${this.#describe(last, immutaMessage)}.` : "";
    const what =
      `${context.method} ${context.path} did not complete within the operation deadline of ${input.limitMs} ms ` +
      `(${input.situation}).${lastNote}`;
    return new ImmutaTimeoutError(
      compose(context, what, hintFor("deadline", context.operation.access), { ...input, attempts: 0 }),
      {
        ...details(context, input),
        kind: "deadline",
        ...(last?.type === "response" ? { status: last.status } : {}),
        ...(immutaMessage === undefined ? {} : { immutaMessage }),
        limitMs: input.limitMs,
      },
    );
  }

  /** A 2xx whose body is not JSON, is too large, or does not match the endpoint's schema. */
  invalidResponse(
    context: RequestContext,
    input: Attempts & { outcome?: ResponseOutcome; jsonPath: string; problem: string },
  ): ImmutaInvalidResponseError {
    const { outcome } = input;
    const status = outcome ? ` (${statusLine(outcome.status, outcome.statusText)})` : "";
    const what = `unexpected response from ${context.endpoint}${status}: ${input.problem}`;
    return new ImmutaInvalidResponseError(
      compose(context, what, hintFor("invalid-response", context.operation.access), input),
      {
        ...details(context, input),
        ...(outcome ? { status: outcome.status } : {}),
        endpoint: context.endpoint,
        jsonPath: input.jsonPath,
      },
    );
  }

  /** Describes a non-JSON body: content type and a scrubbed excerpt (unless the body may hold a secret). */
  nonJsonProblem(outcome: ResponseOutcome, quoteBody: boolean): string {
    const type = outcome.contentType ? ` (${outcome.contentType.split(";")[0]?.trim()})` : "";
    if (outcome.body.trim() === "") return `the body is empty${type}, expected JSON`;
    const excerpt = quoteBody
      ? `: ${JSON.stringify(bodyExcerpt(this.#scrubber.scrub(outcome.body), outcome.contentType))}`
      : "";
    return `the body is not JSON${type}${excerpt}`;
  }

  #describe(outcome: HttpOutcome, immutaMessage: string | undefined): string {
    switch (outcome.type) {
      case "response":
        return `${statusLine(outcome.status, outcome.statusText)}${immutaMessage === undefined ? "" : `: ${JSON.stringify(immutaMessage)}`}`;
      case "network":
        return outcome.code;
      case "timeout":
        return "no response in time";
      case "too-large":
        return "a response that was too large";
    }
  }

  #redirectTarget(location: string | undefined): string {
    if (!location) return "";
    try {
      const target = new URL(location, "http://relative.invalid");
      // Origin and path only: a query string may carry a login token.
      const shown =
        target.host === "relative.invalid" ? target.pathname : `${target.origin}${target.pathname}`;
      return ` to ${this.#scrubber.scrub(shown)}`;
    } catch {
      return "";
    }
  }
}
