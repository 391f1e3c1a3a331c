import { STATUS_CODES } from "node:http";
import { MAX_BODY_EXCERPT_CHARS, MAX_IMMUTA_MESSAGE_CHARS } from "./defaults";
import {
  ImmutaApiError,
  ImmutaError,
  ImmutaInvalidResponseError,
  ImmutaNetworkError,
  ImmutaTimeoutError,
  type ImmutaErrorDetails,
  type ImmutaErrorKind,
} from "./errors";
import type { SecretScrubber } from "./redact";
import { isTlsFailure } from "./retry-decision";
import type { HttpMethod, HttpOutcome, ResponseOutcome } from "./transport";
import type { OperationAccess, OperationDescriptor } from "./types";

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  "#39": "'",
};

export function htmlToText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_match, name: string) => ENTITIES[name] ?? " ")
    .replace(/\s+/g, " ")
    .trim();
}

function bodyExcerpt(body: string, contentType?: string): string {
  const html =
    /html/i.test(contentType ?? "") ||
    /^<(!doctype|html|head|body|\?xml|[a-z][\w-]*[\s>])/i.test(body.trim());
  return truncate(html ? htmlToText(body) : body.replace(/\s+/g, " ").trim(), MAX_BODY_EXCERPT_CHARS);
}

const MESSAGE_FIELDS = ["message", "error_description", "error", "detail"] as const;

/**
 * Immuta's explanation in an error body: a JSON object's `message` (or `error`, `detail`), else a short excerpt of the
 * body. Pass a scrubbed body: the excerpt may cut a secret in half.
 */
export function extractImmutaMessage(body: string, contentType?: string): string | undefined {
  const trimmed = body.trim();
  if (trimmed === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return bodyExcerpt(trimmed, contentType) || undefined;
  }
  const record = (parsed ?? {}) as Record<string, unknown>;
  const candidates = [parsed, ...MESSAGE_FIELDS.map((field) => record[field])];
  const message = candidates.find((text): text is string => typeof text === "string" && text.trim() !== "");
  return message ? truncate(message.trim(), MAX_IMMUTA_MESSAGE_CHARS) : bodyExcerpt(trimmed, contentType);
}

/** `HTTP 404 Not Found`: how every message names a status. */
export function statusLine(status: number, statusText?: string): string {
  return `HTTP ${status} ${statusText?.trim() || STATUS_CODES[status] || ""}`.trimEnd();
}

const STATUS_KINDS: Record<number, ImmutaErrorKind> = {
  400: "bad-request",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  409: "conflict",
  410: "not-found",
  422: "unprocessable",
  429: "rate-limited",
};

export function kindOfStatus(status: number): ImmutaErrorKind {
  if (status < 400) return "invalid-response";
  // DECISION: other 4xx are treated as a malformed request.
  return STATUS_KINDS[status] ?? (status >= 500 ? "server" : "bad-request");
}

/** What to do about each kind of error; a `<kind>:<access>` hint applies to operations of that access only. */
const HINTS: Record<ImmutaErrorKind, string> &
  Partial<Record<`${ImmutaErrorKind}:${OperationAccess}`, string>> = {
  "bad-request": "Immuta rejected the request as malformed; please report this as a pulumi-immuta bug.",
  "bad-request:create": "Immuta rejected the request; check integrationId, dataSourceName and prefix.",
  unauthorized: "Check immuta:apiKey / IMMUTA_API_KEY: the key is missing, wrong, revoked or expired.",
  forbidden:
    "The API key's user may not read this; it needs the global GOVERNANCE permission or ownership of the data source.",
  "forbidden:create":
    "The API key's user lacks the CREATE_S3_DATASOURCE permission; grant it in Immuta (or use another key's user).",
  "forbidden:write":
    "Changing or deleting a data source needs the global GOVERNANCE permission or ownership of the data source; " +
    "grant one of them to the API key's user.",
  "forbidden:tag":
    "Tagging a data source needs ownership of it or the global GOVERNANCE permission; grant one of them to the " +
    "API key's user.",
  "bad-request:tag":
    "Immuta refused a tag: it must exist in Immuta's tag library (create it there, or fix its spelling).",
  "forbidden:authenticate":
    'This API key may not be exchanged for a token; use authMode "apiKey" or another key.',
  "not-found": "It does not exist (it may have been hard-deleted outside Pulumi).",
  "not-found:create":
    "Check that integrationId names an existing Native S3 integration and that immuta:url is the tenant root.",
  "not-found:authenticate": 'Check that immuta:url is the tenant root, or use authMode "apiKey".',
  conflict: "Another data source already uses this name; choose another name.",
  "conflict:create":
    "A data source with this name or prefix already exists; choose another name or prefix, " +
    "or adopt the existing data source instead of creating a new one.",
  unprocessable:
    "Immuta rejected the values (for example a prefix outside the integration's awsLocationPath); fix the inputs.",
  "rate-limited":
    "Immuta is rate limiting requests; retry later or lower the parallelism (pulumi up --parallel).",
  server: "Immuta server error; retry later, and contact Immuta support if it persists.",
  "invalid-response":
    "Check that immuta:url is the tenant root (not a login page or proxy); if it is, please report this.",
  network: "Check immuta:url, DNS and network connectivity to the tenant.",
  timeout: "Immuta did not answer in time; retry later or raise immuta:requestTimeoutMs.",
  deadline: "Retry later or raise immuta:operationTimeoutMs.",
  "insecure-url":
    "Use an https:// URL, or set allowInsecureHttp (immuta:allowInsecureHttp) for a trusted network.",
  "invalid-config": "Fix the provider configuration.",
};

const TLS_HINT =
  "If the tenant uses a private certificate authority, pass its PEM certificates as caBundle (immuta:caBundle).";

const REDIRECT_HINT =
  "Redirects are not followed, so the API key never goes to another address; set immuta:url to the tenant root.";

function hintFor(kind: ImmutaErrorKind, access: OperationAccess): string {
  return HINTS[`${kind}:${access}`] ?? HINTS[kind];
}

/** A bad setting: no request can fix it. The message gets the hint of its kind. */
export function configError(message: string, details: Partial<ImmutaErrorDetails> = {}): ImmutaError {
  const kind = details.kind ?? "invalid-config";
  const fields = { operation: "configure Immuta client", method: "", path: "", ...details, kind };
  return new ImmutaError(`${message} ${hintFor(kind, "read")}`, fields);
}

export interface RequestContext {
  operation: OperationDescriptor;
  method: HttpMethod;
  path: string;
}

/** An attempt that failed with an answer, a network error or a timeout (a too-large answer is never retried). */
export type FailedAttempt = Exclude<HttpOutcome, { type: "too-large" }>;

type Attempts = Pick<ImmutaError, "attempts" | "ambiguous">;

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

/**
 * The message `<operation> failed: <what>. [Gave up after N attempts.] <hint>[ <ambiguity warning>]` and the safe
 * fields of an error; the hint is that of `fields.kind` unless given.
 */
function compose<const F extends { kind: ImmutaErrorKind }>(
  { operation, method, path }: RequestContext,
  what: string,
  { attempts, ambiguous }: Attempts,
  fields: F,
  hint = hintFor(fields.kind, operation.access ?? (method === "GET" ? "read" : "write")),
) {
  const sentence = /[.!?…]$/.test(what) ? what : `${what}.`;
  const gaveUp = attempts > 1 ? ` Gave up after ${attempts} attempts.` : "";
  const warning = ambiguous
    ? ` Immuta may have processed this ${method} although it failed: ` +
      (operation.ambiguityHint ?? "Check its state before retrying.")
    : "";
  const message = `${operation.name} failed: ${sentence}${gaveUp} ${hint}${warning}`;
  return [message, { operation: operation.name, method, path, attempts, ambiguous, ...fields }] as const;
}

/** Resolves a relative redirect target, which is then shown by its path only. */
const RELATIVE_BASE = "http://relative.invalid";

function quoted(immutaMessage: string | undefined, empty = ""): string {
  return immutaMessage === undefined ? empty : `: ${JSON.stringify(immutaMessage)}`;
}

/** Creates the credential-free errors of failed requests. */
export class ErrorFactory {
  constructor(
    private readonly scrubber: SecretScrubber,
    private readonly limits: { requestTimeoutMs: number; operationTimeoutMs: number },
  ) {}

  /** The error of an attempt that failed for good: an HTTP status (redirects included), a network error or a timeout. */
  failure(context: RequestContext, outcome: FailedAttempt, tried: Attempts): ImmutaError {
    const request = `${context.method} ${context.path}`;
    if (outcome.type === "timeout") {
      const limitMs = this.limits.requestTimeoutMs;
      const what = `${request} got no complete response within ${limitMs} ms`;
      return new ImmutaTimeoutError(...compose(context, what, tried, { kind: "timeout", limitMs }));
    }
    if (outcome.type === "network") {
      const { code } = outcome;
      const tls = isTlsFailure(code);
      const happened = tls
        ? "TLS certificate verification failed"
        : (NETWORK_CODE_TEXT[code] ?? "network error");
      const what = `${request} failed on the network (${code}: ${happened})`;
      const hint = tls ? TLS_HINT : undefined;
      return new ImmutaNetworkError(...compose(context, what, tried, { kind: "network", code }, hint));
    }
    const immutaMessage = this.#immutaMessage(outcome);
    // A redirect is never followed: the API key must not travel to another address.
    const redirect = outcome.status < 400;
    const detail = redirect
      ? ` (a redirect${this.#redirectTarget(outcome.location)})`
      : quoted(immutaMessage, " (empty body)");
    const what = `${request} answered ${statusLine(outcome.status, outcome.statusText)}${detail}`;
    const fields = { kind: kindOfStatus(outcome.status), status: outcome.status, immutaMessage };
    return new ImmutaApiError(...compose(context, what, tried, fields, redirect ? REDIRECT_HINT : undefined));
  }

  /** The deadline ran out, or the next retry would start after it; the last failed attempt lends its status. */
  deadline(
    context: RequestContext,
    situation: string,
    tried: Attempts,
    last?: FailedAttempt,
  ): ImmutaTimeoutError {
    const limitMs = this.limits.operationTimeoutMs;
    const immutaMessage = last?.type === "response" ? this.#immutaMessage(last) : undefined;
    const lastNote = last ? ` The last attempt failed with ${describe(last, immutaMessage)}.` : "";
    const what =
      `${context.method} ${context.path} did not complete within the operation deadline of ${limitMs} ms ` +
      `(${situation}).${lastNote}`;
    const status = last?.type === "response" ? last.status : undefined;
    // The message does not count attempts (the deadline, not the budget, ended them); the fields do.
    const fields = { kind: "deadline", attempts: tried.attempts, status, immutaMessage, limitMs } as const;
    return new ImmutaTimeoutError(...compose(context, what, { ...tried, attempts: 0 }, fields));
  }

  /** A 2xx whose body is not JSON, is too large, or does not match the endpoint's schema. */
  invalidResponse(
    context: RequestContext,
    input: Attempts & { outcome?: ResponseOutcome; jsonPath: string; problem: string },
  ): ImmutaInvalidResponseError {
    const { outcome, jsonPath } = input;
    const status = outcome ? ` (${statusLine(outcome.status, outcome.statusText)})` : "";
    const { endpoint } = context.operation;
    const what = `unexpected response from ${endpoint}${status}: ${input.problem}`;
    const fields = {
      kind: "invalid-response",
      status: outcome?.status,
      endpoint,
      jsonPath,
    } as const;
    return new ImmutaInvalidResponseError(...compose(context, what, input, fields));
  }

  /** Describes a non-JSON body: content type and a scrubbed excerpt (unless the body may hold a secret). */
  nonJsonProblem(outcome: ResponseOutcome, quoteBody: boolean): string {
    const type = outcome.contentType ? ` (${outcome.contentType.split(";")[0]?.trim()})` : "";
    if (outcome.body.trim() === "") return `the body is empty${type}, expected JSON`;
    const excerpt = quoteBody
      ? `: ${JSON.stringify(bodyExcerpt(this.scrubber.scrub(outcome.body), outcome.contentType))}`
      : "";
    return `the body is not JSON${type}${excerpt}`;
  }

  /** Immuta's message from an error body, credentials removed before anything is cut. */
  #immutaMessage(outcome: ResponseOutcome): string | undefined {
    return extractImmutaMessage(this.scrubber.scrub(outcome.body), outcome.contentType);
  }

  #redirectTarget(location: string | undefined): string {
    if (!location || !URL.canParse(location, RELATIVE_BASE)) return "";
    const target = new URL(location, RELATIVE_BASE);
    // Origin and path only: a query string may carry a login token.
    const shown = target.origin === RELATIVE_BASE ? target.pathname : `${target.origin}${target.pathname}`;
    return ` to ${this.scrubber.scrub(shown)}`;
  }
}

function describe(outcome: FailedAttempt, immutaMessage: string | undefined): string {
  if (outcome.type === "network") return outcome.code;
  if (outcome.type === "timeout") return "no response in time";
  return `${statusLine(outcome.status, outcome.statusText)}${quoted(immutaMessage)}`;
}
