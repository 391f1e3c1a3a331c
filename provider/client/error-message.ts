/**
 * How an error reads: Immuta's message taken from an error body, the status line, what to do about each kind of
 * failure, and the composed message of every error the client throws. Every text that came from the network passes
 * the scrubber before it is cut or quoted.
 */
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

/** Visible text of an HTML document: scripts, styles, comments and tags removed, whitespace collapsed. */
export function htmlToText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_match, name: string) => ENTITIES[name] ?? " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** A short, single-line excerpt of a body for an error message (HTML reduced to its text). */
function bodyExcerpt(body: string, contentType?: string): string {
  const html =
    /html/i.test(contentType ?? "") ||
    /^<(!doctype|html|head|body|\?xml|[a-z][\w-]*[\s>])/i.test(body.trim());
  return truncate(html ? htmlToText(body) : body.replace(/\s+/g, " ").trim(), MAX_BODY_EXCERPT_CHARS);
}

const MESSAGE_FIELDS = ["message", "error_description", "error", "detail"] as const;

/**
 * Immuta's explanation from an error body, parsed defensively: a Boom envelope's (or any JSON object's) `message`,
 * else its `error`/`detail` text, else a short excerpt of the body with HTML tags stripped. `undefined` when empty.
 * Pass a body whose credentials are already scrubbed: the excerpt may cut the text.
 */
export function extractImmutaMessage(body: string, contentType?: string): string | undefined {
  const text = body.trim();
  if (text === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return bodyExcerpt(text, contentType) || undefined;
  }
  const record = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? parsed : {};
  const candidates = [parsed, ...MESSAGE_FIELDS.map((field) => (record as Record<string, unknown>)[field])];
  const message = candidates.find(
    (value): value is string => typeof value === "string" && value.trim() !== "",
  );
  return message === undefined
    ? bodyExcerpt(text, contentType)
    : truncate(message.trim(), MAX_IMMUTA_MESSAGE_CHARS);
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

const FORBIDDEN_HINTS: Record<OperationAccess, string> = {
  create:
    "The API key's user lacks the CREATE_S3_DATASOURCE permission; grant it in Immuta (or use another key's user).",
  write:
    "Changing or deleting a data source needs the global GOVERNANCE permission or ownership of the data source; " +
    "grant one of them to the API key's user.",
  read: "The API key's user may not read this; it needs the global GOVERNANCE permission or ownership of the data source.",
  authenticate: 'This API key may not be exchanged for a token; use authMode "apiKey" or another key.',
};

const NOT_FOUND_HINTS: Record<OperationAccess, string> = {
  create:
    "Check that integrationId names an existing Native S3 integration and that immuta:url is the tenant root.",
  write: "It does not exist (it may have been hard-deleted outside Pulumi).",
  read: "It does not exist (it may have been hard-deleted outside Pulumi).",
  authenticate: 'Check that immuta:url is the tenant root, or use authMode "apiKey".',
};

/** What the user should do about each kind of error; some hints depend on what the operation does. */
const HINTS: Record<ImmutaErrorKind, string | ((access: OperationAccess) => string)> = {
  "bad-request": (access) =>
    access === "create"
      ? "Immuta rejected the request; check integrationId, dataSourceName and prefix."
      : "Immuta rejected the request as malformed; please report this as a pulumi-immuta bug.",
  unauthorized: "Check immuta:apiKey / IMMUTA_API_KEY: the key is missing, wrong, revoked or expired.",
  forbidden: (access) => FORBIDDEN_HINTS[access],
  "not-found": (access) => NOT_FOUND_HINTS[access],
  conflict: (access) =>
    access === "create"
      ? "A data source with this name or prefix already exists; choose another name or prefix, " +
        "or adopt the existing data source instead of creating a new one."
      : "Another data source already uses this name; choose another name.",
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

function hintFor(kind: ImmutaErrorKind, access: OperationAccess): string {
  const hint = HINTS[kind];
  return typeof hint === "string" ? hint : hint(access);
}

/** A bad setting, or use of a closed client: no request can fix it. The message gets the hint of its kind. */
export function configError(message: string, details: Partial<ImmutaErrorDetails> = {}): ImmutaError {
  const kind = details.kind ?? "invalid-config";
  return new ImmutaError(`${message} ${hintFor(kind, "read")}`, {
    operation: "configure Immuta client",
    method: "",
    path: "",
    ...details,
    kind,
  });
}

/** The request an error is about. */
export interface RequestContext {
  operation: OperationDescriptor;
  method: HttpMethod;
  path: string;
  /** Endpoint template, e.g. `GET /dataSource/{dataSourceId}`. */
  endpoint: string;
}

/** An attempt that failed with an answer, a network error or a timeout (a too-large answer is never retried). */
export type FailedAttempt = Exclude<HttpOutcome, { type: "too-large" }>;

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

/** `<operation> failed: <what happened>. [Gave up after N attempts.] <what to do>[ <ambiguity warning>]` */
function compose(
  context: RequestContext,
  what: string,
  hint: string,
  { attempts, ambiguous }: Attempts,
): string {
  const sentence = /[.!?…]$/.test(what) ? what : `${what}.`;
  const gaveUp = attempts > 1 ? ` Gave up after ${attempts} attempts.` : "";
  const warning = ambiguous
    ? ` Immuta may have processed this ${context.method} although it failed: ` +
      (context.operation.ambiguityHint ?? "Check its state before retrying.")
    : "";
  return `${context.operation.name} failed: ${sentence}${gaveUp} ${hint}${warning}`;
}

/** The safe fields every error of this request carries. */
function details({ operation, method, path }: RequestContext, { attempts, ambiguous }: Attempts) {
  return { operation: operation.name, method, path, attempts, ambiguous };
}

/** Creates the credential-free errors of failed requests. */
export class ErrorFactory {
  readonly #scrubber: SecretScrubber;

  constructor(scrubber: SecretScrubber) {
    this.#scrubber = scrubber;
  }

  /** The error of an attempt that failed for good: an HTTP status (redirects included), a network error or a timeout. */
  failure(
    context: RequestContext,
    outcome: FailedAttempt,
    tried: Attempts,
    requestTimeoutMs: number,
  ): ImmutaError {
    const { method, path, operation } = context;
    if (outcome.type === "timeout") {
      const what = `${method} ${path} got no complete response within ${requestTimeoutMs} ms`;
      return new ImmutaTimeoutError(compose(context, what, hintFor("timeout", operation.access), tried), {
        ...details(context, tried),
        kind: "timeout",
        limitMs: requestTimeoutMs,
      });
    }
    if (outcome.type === "network") {
      const { code } = outcome;
      const tls = isTlsFailure(code);
      const happened = tls
        ? "TLS certificate verification failed"
        : (NETWORK_CODE_TEXT[code] ?? "network error");
      const hint = tls
        ? "If the tenant uses a private certificate authority, pass its PEM certificates as caBundle (immuta:caBundle)."
        : hintFor("network", operation.access);
      const what = `${method} ${path} failed on the network (${code}: ${happened})`;
      return new ImmutaNetworkError(compose(context, what, hint, tried), {
        ...details(context, tried),
        code,
      });
    }
    const immutaMessage = this.#immutaMessage(outcome);
    const kind = kindOfStatus(outcome.status);
    // A redirect is never followed: the API key must not travel to another address.
    const redirect = outcome.status < 400;
    const detail = redirect
      ? ` (a redirect${this.#redirectTarget(outcome.location)})`
      : immutaMessage === undefined
        ? " (empty body)"
        : `: ${JSON.stringify(immutaMessage)}`;
    const hint = redirect
      ? "Redirects are not followed, so the API key never goes to another address; set immuta:url to the tenant root."
      : hintFor(kind, operation.access);
    const what = `${method} ${path} answered ${statusLine(outcome.status, outcome.statusText)}${detail}`;
    return new ImmutaApiError(compose(context, what, hint, tried), {
      ...details(context, tried),
      kind,
      status: outcome.status,
      ...(immutaMessage === undefined ? {} : { immutaMessage }),
    });
  }

  /**
   * The operation deadline ran out, or the next retry would start after it. The last failed attempt, if any, lends
   * its status and Immuta message.
   */
  deadline(
    context: RequestContext,
    input: Attempts & { limitMs: number; situation: string; lastOutcome: FailedAttempt | undefined },
  ): ImmutaTimeoutError {
    const last = input.lastOutcome;
    const immutaMessage = last?.type === "response" ? this.#immutaMessage(last) : undefined;
    const lastNote = last ? ` The last attempt failed with ${this.#describe(last, immutaMessage)}.` : "";
    const what =
      `${context.method} ${context.path} did not complete within the operation deadline of ${input.limitMs} ms ` +
      `(${input.situation}).${lastNote}`;
    const hint = hintFor("deadline", context.operation.access);
    return new ImmutaTimeoutError(compose(context, what, hint, { ...input, attempts: 0 }), {
      ...details(context, input),
      kind: "deadline",
      ...(last?.type === "response" ? { status: last.status } : {}),
      ...(immutaMessage === undefined ? {} : { immutaMessage }),
      limitMs: input.limitMs,
    });
  }

  /** A 2xx whose body is not JSON, is too large, or does not match the endpoint's schema. */
  invalidResponse(
    context: RequestContext,
    input: Attempts & { outcome?: ResponseOutcome; jsonPath: string; problem: string },
  ): ImmutaInvalidResponseError {
    const { outcome } = input;
    const status = outcome ? ` (${statusLine(outcome.status, outcome.statusText)})` : "";
    const what = `unexpected response from ${context.endpoint}${status}: ${input.problem}`;
    const hint = hintFor("invalid-response", context.operation.access);
    return new ImmutaInvalidResponseError(compose(context, what, hint, input), {
      ...details(context, input),
      ...(outcome ? { status: outcome.status } : {}),
      endpoint: context.endpoint,
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

  /** Immuta's message from an error body, credentials removed before anything is cut. */
  #immutaMessage(outcome: ResponseOutcome): string | undefined {
    return extractImmutaMessage(this.#scrubber.scrub(outcome.body), outcome.contentType);
  }

  #describe(outcome: FailedAttempt, immutaMessage: string | undefined): string {
    if (outcome.type === "network") return outcome.code;
    if (outcome.type === "timeout") return "no response in time";
    const quoted = immutaMessage === undefined ? "" : `: ${JSON.stringify(immutaMessage)}`;
    return `${statusLine(outcome.status, outcome.statusText)}${quoted}`;
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
