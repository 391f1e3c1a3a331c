import http from "node:http";
import https from "node:https";
import tls from "node:tls";
import axios, { type AxiosInstance } from "axios";
import { KEEP_ALIVE_IDLE_TIMEOUT_MS, MAX_RESPONSE_BYTES } from "./defaults";
import type { ResolvedOptions } from "./options";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface HttpAttempt {
  method: HttpMethod;
  /** Path and query relative to the tenant root, already encoded. */
  path: string;
  authorization: string;
  body?: unknown;
  requestTimeoutMs: number;
  /** Time left (ms) before the operation deadline. */
  deadlineRemainingMs: number;
  /** `false` for non-idempotent requests: they go out on a new connection. */
  reuseConnection: boolean;
}

/** What one attempt produced. Never an axios object: those carry the request headers, credential included. */
export type HttpOutcome =
  | {
      type: "response";
      status: number;
      statusText: string;
      body: string;
      contentType?: string;
      retryAfter?: string;
      location?: string;
    }
  | { type: "network"; code: string }
  | { type: "timeout"; cutoff: "request" | "deadline" }
  | { type: "too-large" };

export type ResponseOutcome = Extract<HttpOutcome, { type: "response" }>;

export type HttpTransportOptions = Pick<ResolvedOptions, "tenant" | "caBundle" | "userAgent">;

function createAgents({ tenant, caBundle }: HttpTransportOptions) {
  const Agent = tenant.protocol === "http:" ? http.Agent : https.Agent;
  const ca = caBundle ? { ca: [...tls.rootCertificates, caBundle] } : {};
  const tlsOptions = tenant.protocol === "https:" ? { rejectUnauthorized: true, ...ca } : {};
  // No maxSockets: the client's InFlightLimiter is the one place that bounds concurrency (it also honours deadlines).
  return {
    reusable: new Agent({ ...tlsOptions, timeout: KEEP_ALIVE_IDLE_TIMEOUT_MS, keepAlive: true }),
    /** No reuse: a POST never lands on an idle socket the server is just closing, which would make it ambiguous. */
    fresh: new Agent({ ...tlsOptions, keepAlive: false }),
  };
}

function headerString(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first : undefined;
}

/** System error code of a failed request, looking through axios and Node's AggregateError wrappers. */
function errorCode(error: unknown): string {
  const { cause, errors } = (error ?? {}) as { cause?: unknown; errors?: unknown };
  for (const candidate of [error, cause, ...(Array.isArray(errors) ? (errors as unknown[]) : [])]) {
    const code = (candidate as { code?: unknown } | null | undefined)?.code;
    if (typeof code === "string" && code !== "" && code !== "ERR_NETWORK") return code;
  }
  return "ERR_NETWORK";
}

/**
 * Sends single HTTP attempts over per-client agents and turns every result into a plain `HttpOutcome`. It never
 * follows redirects (the key must not travel to another host) nor uses proxies from the environment.
 */
export class HttpTransport {
  readonly #axios: AxiosInstance;
  readonly #agents: ReturnType<typeof createAgents>;

  constructor(options: HttpTransportOptions) {
    this.#agents = createAgents(options);
    this.#axios = axios.create({
      baseURL: options.tenant.root,
      headers: { Accept: "application/json", "User-Agent": options.userAgent },
      proxy: false,
      maxRedirects: 0,
      maxContentLength: MAX_RESPONSE_BYTES,
      responseType: "text",
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      decompress: true,
    });
  }

  async send(attempt: HttpAttempt): Promise<HttpOutcome> {
    const cutoff = attempt.deadlineRemainingMs < attempt.requestTimeoutMs ? "deadline" : "request";
    const limitMs = Math.max(1, Math.min(attempt.requestTimeoutMs, attempt.deadlineRemainingMs));
    // A wall-clock limit for the whole exchange; axios' own `timeout` below only watches an idle socket.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), limitMs);
    const agent = attempt.reuseConnection ? this.#agents.reusable : this.#agents.fresh;
    try {
      const response = await this.#axios.request<string>({
        method: attempt.method,
        url: attempt.path,
        headers: {
          Authorization: attempt.authorization,
          ...(attempt.body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        data: attempt.body === undefined ? undefined : JSON.stringify(attempt.body),
        timeout: attempt.requestTimeoutMs,
        signal: controller.signal,
        httpAgent: agent,
        httpsAgent: agent,
      });
      return {
        type: "response",
        status: response.status,
        statusText: response.statusText ?? "",
        body: typeof response.data === "string" ? response.data : "",
        contentType: headerString(response.headers["content-type"]),
        retryAfter: headerString(response.headers["retry-after"]),
        location: headerString(response.headers["location"]),
      };
    } catch (error: unknown) {
      // Only the code leaves this block; the axios error (config.headers holds the credential) is dropped here.
      if (controller.signal.aborted) return { type: "timeout", cutoff };
      const code = errorCode(error);
      if (code === "ECONNABORTED" || code === "ERR_CANCELED") return { type: "timeout", cutoff: "request" };
      if (code === "ERR_BAD_RESPONSE" && /maxContentLength/i.test(String((error as Error).message))) {
        return { type: "too-large" };
      }
      return { type: "network", code };
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.#agents.reusable.destroy();
    this.#agents.fresh.destroy();
  }
}
