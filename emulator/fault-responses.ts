import { boomEnvelope } from "./boom";
import { encode, type ApiResponse } from "./http-io";
import type { FaultRule, FaultStatus } from "./types";

const FAULT_MESSAGES: Record<FaultStatus, string> = {
  401: "Token expired",
  429: "Rate limit exceeded",
  500: "An internal server error occurred",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** `status` fault: the error, without processing; a Boom envelope or a load balancer's HTML page. */
export function statusFaultResponse(rule: FaultRule): ApiResponse {
  const status = rule.status ?? 500;
  const headers: Record<string, string> = rule.retryAfter ? { "retry-after": rule.retryAfter } : {};
  const message = FAULT_MESSAGES[status];
  if (rule.htmlBody) {
    return { status, rawBody: htmlErrorPage(status, message), contentType: "text/html", headers };
  }
  return { status, body: boomEnvelope(status, message), headers };
}

/** The tenant's rate limit refused a request: a Boom 429 with `Retry-After` in whole seconds. */
export function rateLimitedResponse(retryAfterSeconds: number): ApiResponse {
  const message = `Rate limit exceeded: too many requests to this tenant; retry after ${retryAfterSeconds} s`;
  return {
    status: 429,
    body: boomEnvelope(429, message),
    headers: { "retry-after": String(retryAfterSeconds) },
  };
}

/** What an AWS load balancer sends when the app behind it fails. */
function htmlErrorPage(status: number, message: string): string {
  return `<html>\r\n<head><title>${status} ${message}</title></head>\r\n<body>\r\n<center><h1>${status} ${message}</h1></center>\r\n</body>\r\n</html>\r\n`;
}

/** `invalid-json` fault: the first half of the real JSON body, as if the response were cut short. */
// DECISION: always status 200 (whatever the processed status was), so a client trusting the status alone fails.
export function truncatedJsonResponse(processed: ApiResponse): ApiResponse {
  const { body } = encode(processed);
  const truncated = body.length >= 2 ? body.slice(0, Math.floor(body.length / 2)) : "{";
  return { status: 200, rawBody: truncated, contentType: "application/json; charset=utf-8" };
}

/** `schema-violation` fault: the real body with wrong types. */
// DECISION: status 200; every number and boolean becomes a string (`"dataSourceId": "1"`), strings stay.
export function schemaViolationResponse(processed: ApiResponse): ApiResponse {
  return { status: 200, body: withWrongTypes(processed.body ?? {}) };
}

function withWrongTypes(value: unknown): unknown {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map(withWrongTypes);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, withWrongTypes(member)]));
  }
  return value;
}
