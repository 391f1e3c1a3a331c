import { bodyExcerpt, extractImmutaMessage, hintFor, kindOfStatus, reasonPhrase } from "./error-message";
import { ImmutaApiError, ImmutaInvalidResponseError, ImmutaNetworkError, ImmutaTimeoutError } from "./errors";
import type { SecretScrubber } from "./redact";
import { isTlsFailure } from "./retry-decision";
import type { HttpMethod, HttpOutcome } from "./transport";
import type { OperationDescriptor } from "./types";

/** The request an error is about. */
export interface RequestContext {
  operation: OperationDescriptor;
  method: HttpMethod;
  path: string;
  /** Endpoint template, e.g. `GET /dataSource/{dataSourceId}`. */
  endpoint: string;
}

type ResponseOutcome = Extract<HttpOutcome, { type: "response" }>;

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

function attemptsNote(attempts: number): string {
  return attempts > 1 ? ` Gave up after ${attempts} attempts.` : "";
}

function ambiguityNote(context: RequestContext, ambiguous: boolean): string {
  if (!ambiguous) return "";
  const hint = context.operation.ambiguityHint ?? "Check its state before retrying.";
  return ` Immuta may have processed this ${context.method} although it failed: ${hint}`;
}

function statusLine(outcome: ResponseOutcome): string {
  return `HTTP ${outcome.status} ${reasonPhrase(outcome.status, outcome.statusText)}`.trimEnd();
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
  status(
    context: RequestContext,
    outcome: ResponseOutcome,
    attempts: number,
    ambiguous: boolean,
  ): ImmutaApiError {
    const { operation, method, path } = context;
    const immutaMessage = this.immutaMessage(outcome);
    const kind = kindOfStatus(outcome.status);
    let detail: string;
    let hint = hintFor(kind, operation.access);
    if (outcome.status < 400) {
      detail = ` (a redirect${this.#redirectTarget(outcome.location)})`;
      hint =
        "Redirects are not followed, so the API key never goes to another address; set immuta:url to the tenant root.";
    } else {
      detail = immutaMessage === undefined ? " (empty body)" : `: ${JSON.stringify(immutaMessage)}`;
    }
    const message =
      `${operation.name} failed: ${method} ${path} answered ${statusLine(outcome)}${detail}.` +
      `${attemptsNote(attempts)} ${hint}${ambiguityNote(context, ambiguous)}`;
    return new ImmutaApiError(message, {
      kind,
      operation: operation.name,
      method,
      path,
      status: outcome.status,
      ...(immutaMessage === undefined ? {} : { immutaMessage }),
      ambiguous,
      attempts,
    });
  }

  network(context: RequestContext, code: string, attempts: number, ambiguous: boolean): ImmutaNetworkError {
    const { operation, method, path } = context;
    const tls = isTlsFailure(code);
    const what = tls ? "TLS certificate verification failed" : (NETWORK_CODE_TEXT[code] ?? "network error");
    const hint = tls
      ? "If the tenant uses a private certificate authority, pass its PEM certificates as caBundle (immuta:caBundle)."
      : hintFor("network", operation.access);
    const message =
      `${operation.name} failed: ${method} ${path} failed on the network (${code}: ${what}).` +
      `${attemptsNote(attempts)} ${hint}${ambiguityNote(context, ambiguous)}`;
    return new ImmutaNetworkError(message, {
      operation: operation.name,
      method,
      path,
      code,
      ambiguous,
      attempts,
    });
  }

  timeout(
    context: RequestContext,
    limitMs: number,
    attempts: number,
    ambiguous: boolean,
  ): ImmutaTimeoutError {
    const { operation, method, path } = context;
    const message =
      `${operation.name} failed: ${method} ${path} got no complete response within ${limitMs} ms.` +
      `${attemptsNote(attempts)} ${hintFor("timeout", operation.access)}${ambiguityNote(context, ambiguous)}`;
    return new ImmutaTimeoutError(message, {
      kind: "timeout",
      operation: operation.name,
      method,
      path,
      ambiguous,
      attempts,
      limitMs,
    });
  }

  /**
   * The operation deadline ran out, or the next retry would start after it. The last failed attempt, if any, lends
   * its status and Immuta message.
   */
  deadline(
    context: RequestContext,
    input: {
      limitMs: number;
      attempts: number;
      ambiguous: boolean;
      situation: string;
      lastOutcome?: HttpOutcome;
    },
  ): ImmutaTimeoutError {
    const { operation, method, path } = context;
    const last = input.lastOutcome;
    const immutaMessage = last?.type === "response" ? this.immutaMessage(last) : undefined;
    const lastNote = last ? ` The last attempt failed with ${this.#describe(last, immutaMessage)}.` : "";
    const message =
      `${operation.name} failed: ${method} ${path} did not complete within the operation deadline of ` +
      `${input.limitMs} ms (${input.situation}).${lastNote} ${hintFor("deadline", operation.access)}` +
      `${ambiguityNote(context, input.ambiguous)}`;
    return new ImmutaTimeoutError(message, {
      kind: "deadline",
      operation: operation.name,
      method,
      path,
      ...(last?.type === "response" ? { status: last.status } : {}),
      ...(immutaMessage === undefined ? {} : { immutaMessage }),
      ambiguous: input.ambiguous,
      attempts: input.attempts,
      limitMs: input.limitMs,
    });
  }

  /** A 2xx whose body is not JSON, is too large, or does not match the endpoint's schema. */
  invalidResponse(
    context: RequestContext,
    input: {
      outcome?: ResponseOutcome;
      jsonPath: string;
      problem: string;
      attempts: number;
      ambiguous: boolean;
    },
  ): ImmutaInvalidResponseError {
    const { operation, method, path, endpoint } = context;
    const { outcome } = input;
    const status = outcome ? ` (${statusLine(outcome)})` : "";
    const message =
      `${operation.name} failed: unexpected response from ${endpoint}${status}: ${sentence(input.problem)}` +
      `${attemptsNote(input.attempts)} ${hintFor("invalid-response", operation.access)}` +
      `${ambiguityNote(context, input.ambiguous)}`;
    return new ImmutaInvalidResponseError(message, {
      operation: operation.name,
      method,
      path,
      ...(outcome ? { status: outcome.status } : {}),
      ambiguous: input.ambiguous,
      attempts: input.attempts,
      endpoint,
      jsonPath: input.jsonPath,
    });
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
        return `${statusLine(outcome)}${immutaMessage === undefined ? "" : `: ${JSON.stringify(immutaMessage)}`}`;
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
