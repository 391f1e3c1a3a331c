import type { IncomingMessage, ServerResponse } from "node:http";
import { BoomError, badRequest } from "./boom";
import { MAX_BODY_BYTES } from "./defaults";

/** What a handler produces; the server writes it (or a fault rewrites it first). */
export interface ApiResponse {
  status: number;
  /** Serialised as JSON unless `rawBody` is given. */
  body?: unknown;
  /** Sent verbatim (HTML error pages, corrupted JSON). */
  rawBody?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export const jsonResponse = (body: unknown, status = 200): ApiResponse => ({ status, body });
export const noContent = (): ApiResponse => ({ status: 204 });

/** Reads and parses a JSON body. Empty bodies give `undefined`. */
// DECISION: a missing Content-Type is read as JSON (curl-style clients), `application/json` and `+json`
// types are JSON, anything else is a 415; bodies over 1 MiB are a 413 (hapi's default limit).
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const contentType = request.headers["content-type"];
  const declaredLength = Number(request.headers["content-length"] ?? "0");
  if (declaredLength > MAX_BODY_BYTES) throw payloadTooLarge();
  const text = await readText(request);
  if (text.length === 0) return undefined;
  if (contentType !== undefined && !isJsonContentType(contentType)) {
    throw new BoomError(415, "Unsupported Media Type");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest("Invalid request payload JSON format", { source: "payload", keys: [] });
  }
}

function isJsonContentType(contentType: string): boolean {
  const mediaType = contentType.split(";")[0].trim().toLowerCase();
  return mediaType === "application/json" || mediaType.endsWith("+json");
}

function readText(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Stop buffering; Node discards the rest of the body once the 413 is sent, keeping the socket usable.
        failed = true;
        chunks.length = 0;
        reject(payloadTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      if (!failed) resolve(Buffer.concat(chunks).toString("utf8"));
    });
    // DECISION: a body cut short by the client (connection closed or reset mid-body) is hapi's 400 "Payload stream
    // closed prematurely", not an internal error: nobody reads the answer, but the request log shows a client error.
    request.on("error", () => {
      failed = true;
      reject(new BoomError(400, "Payload stream closed prematurely"));
    });
  });
}

const payloadTooLarge = (): BoomError =>
  new BoomError(413, `Payload content length greater than maximum allowed: ${MAX_BODY_BYTES}`);

/** Serialises an ApiResponse; returns the bytes so callers can log or corrupt them. */
export function encode(response: ApiResponse): { body: string; contentType: string | undefined } {
  if (response.rawBody !== undefined) {
    return { body: response.rawBody, contentType: response.contentType ?? "text/plain; charset=utf-8" };
  }
  if (response.body === undefined) return { body: "", contentType: undefined };
  return {
    body: JSON.stringify(response.body),
    contentType: response.contentType ?? "application/json; charset=utf-8",
  };
}

export function writeResponse(res: ServerResponse, response: ApiResponse): void {
  if (res.headersSent || res.destroyed) return;
  const { body, contentType } = encode(response);
  const headers: Record<string, string | number> = { ...response.headers };
  if (contentType) headers["content-type"] = contentType;
  headers["content-length"] = Buffer.byteLength(body);
  res.writeHead(response.status, headers);
  res.end(body);
}
