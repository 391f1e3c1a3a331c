import { STATUS_CODES } from "node:http";
import { MAX_BODY_EXCERPT_CHARS, MAX_IMMUTA_MESSAGE_CHARS } from "./defaults";
import type { ImmutaErrorKind } from "./errors";
import type { OperationAccess } from "./types";

/** Shortens `text` to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
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

function looksLikeHtml(text: string, contentType: string | undefined): boolean {
  return /html/i.test(contentType ?? "") || /^<(!doctype|html|head|body|\?xml|[a-z][\w-]*[\s>])/i.test(text);
}

/** A short, single-line excerpt of a body for an error message (HTML reduced to its text). */
export function bodyExcerpt(body: string, contentType?: string): string {
  const text = looksLikeHtml(body.trim(), contentType) ? htmlToText(body) : body.replace(/\s+/g, " ").trim();
  return truncate(text, MAX_BODY_EXCERPT_CHARS);
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
  if (typeof parsed === "string" && parsed.trim() !== "")
    return truncate(parsed.trim(), MAX_IMMUTA_MESSAGE_CHARS);
  if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
    const record = parsed as Record<string, unknown>;
    for (const field of MESSAGE_FIELDS) {
      const value = record[field];
      if (typeof value === "string" && value.trim() !== "")
        return truncate(value.trim(), MAX_IMMUTA_MESSAGE_CHARS);
    }
  }
  return bodyExcerpt(text, contentType);
}

/** Reason phrase of a status, e.g. `Not Found`. */
export function reasonPhrase(status: number, fromServer?: string): string {
  const phrase = fromServer?.trim() || STATUS_CODES[status];
  return phrase ?? "";
}

/** `HTTP 404 Not Found`: how every message names a status. */
export function statusLine(status: number, statusText?: string): string {
  return `HTTP ${status} ${reasonPhrase(status, statusText)}`.trimEnd();
}

/** Error kind of an HTTP error status. */
export function kindOfStatus(status: number): ImmutaErrorKind {
  if (status < 400) return "invalid-response";
  switch (status) {
    case 400:
      return "bad-request";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
    case 410:
      return "not-found";
    case 409:
      return "conflict";
    case 422:
      return "unprocessable";
    case 429:
      return "rate-limited";
  }
  // DECISION: other 4xx are treated as a malformed request.
  return status >= 500 ? "server" : "bad-request";
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

/** What the user should do about an error of `kind` raised by an operation with `access`. */
export function hintFor(kind: ImmutaErrorKind, access: OperationAccess): string {
  switch (kind) {
    case "bad-request":
      return access === "create"
        ? "Immuta rejected the request; check integrationId, dataSourceName and prefix."
        : "Immuta rejected the request as malformed; please report this as a pulumi-immuta bug.";
    case "unauthorized":
      return "Check immuta:apiKey / IMMUTA_API_KEY: the key is missing, wrong, revoked or expired.";
    case "forbidden":
      return FORBIDDEN_HINTS[access];
    case "not-found":
      return NOT_FOUND_HINTS[access];
    case "conflict":
      return access === "create"
        ? "A data source with this name or prefix already exists; choose another name or prefix, " +
            "or adopt the existing data source instead of creating a new one."
        : "Another data source already uses this name; choose another name.";
    case "unprocessable":
      return "Immuta rejected the values (for example a prefix outside the integration's awsLocationPath); fix the inputs.";
    case "rate-limited":
      return "Immuta is rate limiting requests; retry later or lower the parallelism (pulumi up --parallel).";
    case "server":
      return "Immuta server error; retry later, and contact Immuta support if it persists.";
    case "invalid-response":
      return "Check that immuta:url is the tenant root (not a login page or proxy); if it is, please report this.";
    case "network":
      return "Check immuta:url, DNS and network connectivity to the tenant.";
    case "timeout":
      return "Immuta did not answer in time; retry later or raise immuta:requestTimeoutMs.";
    case "deadline":
      return "Retry later or raise immuta:operationTimeoutMs.";
    case "insecure-url":
      return "Use an https:// URL, or set allowInsecureHttp (immuta:allowInsecureHttp) for a trusted network.";
    case "invalid-config":
      return "Fix the provider configuration.";
  }
}
