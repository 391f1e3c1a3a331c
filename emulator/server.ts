import { setMaxListeners } from "node:events";
import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { secretsEqual } from "./auth";
import { BoomError, boomEnvelope } from "./boom";
import type { EmulatorState, RouteRequest, RouteSpec } from "./context";
import { ADMIN_TOKEN_HEADER, CONTROL_PATH_PREFIX } from "./defaults";
import {
  rateLimitedResponse,
  schemaViolationResponse,
  statusFaultResponse,
  truncatedJsonResponse,
} from "./fault-responses";
import type { AppliedFault } from "./faults";
import { readJsonBody, writeResponse, type ApiResponse } from "./http-io";
import type { Router } from "./router";
import type { RequestLogEntry } from "./types";

export interface ServerDependencies {
  emulator: EmulatorState;
  apiRouter: Router<RouteSpec>;
  controlRouter: Router<RouteSpec>;
  adminToken: string;
  log?: (line: string) => void;
}

export interface EmulatorServer {
  server: Server;
  /** Stops accepting, drops open connections, cancels pending fault delays. */
  close: () => Promise<void>;
}

/** Node's parser errors that deserve a more precise status than 400. */
const CLIENT_ERROR_STATUS: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

interface Processed {
  response: ApiResponse;
  user?: string;
}

/**
 * The HTTP layer: one pipeline for every Immuta request (rate limit → fault → route → auth → body → handler →
 * persist → respond → log) and a separate, unlogged, fault-free, unlimited pipeline for the control API.
 */
export function createEmulatorServer(dependencies: ServerDependencies): EmulatorServer {
  const { emulator, apiRouter, controlRouter, adminToken, log } = dependencies;
  const closing = new AbortController();
  // Every pending fault delay listens on this signal (and stops listening when it ends): many at once is no leak.
  setMaxListeners(0, closing.signal);

  const server = createServer((req, res) => {
    const handled = isControlPath(pathOf(req.url)) ? handleControl(req, res) : handleImmuta(req, res);
    handled.catch((error: unknown) => {
      // A delay cancelled by close(), or a bug: never let one request take the process down.
      if (!closing.signal.aborted) log?.(`emulator: unexpected error: ${describe(error)}`);
      req.socket.destroy();
    });
  });

  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = CLIENT_ERROR_STATUS[error.code ?? ""] ?? 400;
    const body = JSON.stringify(boomEnvelope(status, "Malformed HTTP request"));
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `connection: close\r\n\r\n${body}`,
    );
  });

  async function handleImmuta(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const method = (req.method ?? "GET").toUpperCase();
    const { path, query } = splitUrl(req.url);
    // The tenant's rate limit comes first: a refused request is neither processed nor faulted.
    const rate = emulator.rateLimiter.take(emulator.modes.rateLimit);
    const fault = rate.allowed ? emulator.faults.pick(method, path) : undefined;

    // DECISION: entries are added when the answer is decided (completion order; request order for a sequential
    // client); status 0 means reset before processing; process-then-drop records the undelivered status.
    const record = (status: number, user: string | undefined): void => {
      const entry: RequestLogEntry = {
        method,
        path,
        status,
        durationMs: Math.round((performance.now() - startedAt) * 100) / 100,
      };
      if (query !== undefined) entry.query = query;
      if (user !== undefined) entry.user = user;
      // The Authorization value is never stored or printed, only whether one was sent.
      if (req.headers.authorization !== undefined) entry.authorization = "[REDACTED]";
      if (fault) entry.fault = fault.kind;
      if (fault && fault.delayMs > 0) entry.faultDelayMs = fault.delayMs;
      emulator.requestLog.add(entry);
      log?.(formatLogLine(entry));
    };

    if (!rate.allowed) {
      record(429, undefined);
      writeResponse(res, rateLimitedResponse(rate.retryAfterSeconds));
      return;
    }
    if (fault?.kind === "reset") {
      record(0, undefined);
      req.socket.resetAndDestroy();
      return;
    }
    if (fault?.kind === "status") {
      const response = statusFaultResponse(fault.rule);
      record(response.status, undefined);
      writeResponse(res, response);
      return;
    }
    if (fault?.kind === "latency") await delay(fault);

    const { response, user } = await processRequest(apiRouter, req, method, path, query);
    switch (fault?.kind) {
      case "process-then-drop":
        record(response.status, user);
        req.socket.destroy();
        return;
      case "slow":
        // DECISION: `slow` processes first and holds the answer back, unlike `latency` (which waits, then
        // processes), so a client timeout leaves an ambiguous outcome the store can confirm.
        await delay(fault);
        record(response.status, user);
        writeResponse(res, response);
        return;
      case "invalid-json":
        record(200, user);
        writeResponse(res, truncatedJsonResponse(response));
        return;
      case "schema-violation":
        record(200, user);
        writeResponse(res, schemaViolationResponse(response));
        return;
      default:
        record(response.status, user);
        writeResponse(res, response);
    }
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const { path, query } = splitUrl(req.url);
    const given = req.headers[ADMIN_TOKEN_HEADER];
    if (!secretsEqual(typeof given === "string" ? given : undefined, adminToken)) {
      writeResponse(
        res,
        boomResponse(new BoomError(401, "Missing or invalid X-Emulator-Admin-Token header")),
      );
      return;
    }
    const { response } = await processRequest(controlRouter, req, method, path, query);
    // DECISION: control connections are not kept alive. fetch (undici) checks its idle timer only once a second,
    // so a control call made ~5 s after the previous one could reuse a socket the server was closing (ECONNRESET).
    writeResponse(res, { ...response, headers: { ...response.headers, connection: "close" } });
  }

  async function processRequest(
    router: Router<RouteSpec>,
    req: IncomingMessage,
    method: string,
    path: string,
    query: string | undefined,
  ): Promise<Processed> {
    const request: RouteRequest = {
      method,
      path,
      params: {},
      query: new URLSearchParams(query ?? ""),
      headers: req.headers,
      body: undefined,
    };
    try {
      const match = router.match(method, path);
      if (!match || match.handler.available?.(emulator) === false) throw new BoomError(404, "Not Found");
      request.params = match.params;
      const route = match.handler;
      // DECISION: hapi's order — unknown route 404, then 401, then body 413/415/400, then the handler's
      // own checks (id 400, 404, 403, schema 400, prefix 400, 422, 409).
      if (route.auth) {
        const acceptApiKey = emulator.modes.rawApiKey === "accepted";
        request.user = emulator.auth.authenticate(req.headers.authorization, acceptApiKey);
      }
      if (route.body) request.body = await readJsonBody(req);
      const response = await route.handle(request, emulator);
      if (route.mutates && response.status < 300) await persist();
      return { response, user: request.user?.name };
    } catch (error) {
      if (error instanceof BoomError) return { response: boomResponse(error), user: request.user?.name };
      log?.(`emulator: ${method} ${path} failed: ${describe(error)}`);
      return { response: boomResponse(new BoomError(500, "An internal server error occurred")) };
    }
  }

  async function persist(): Promise<void> {
    try {
      await emulator.commit();
    } catch (error) {
      // DECISION: a change that cannot be made durable is answered 500, never acknowledged.
      throw new BoomError(500, `The emulator could not persist its state: ${describe(error)}`);
    }
  }

  function delay(fault: AppliedFault): Promise<void> {
    return fault.delayMs > 0
      ? sleep(fault.delayMs, undefined, { signal: closing.signal })
      : Promise.resolve();
  }

  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function boomResponse(error: BoomError): ApiResponse {
  return { status: error.statusCode, body: error.toEnvelope(), headers: error.headers };
}

function isControlPath(path: string): boolean {
  return path.startsWith(CONTROL_PATH_PREFIX) || path === CONTROL_PATH_PREFIX.slice(0, -1);
}

function pathOf(url: string | undefined): string {
  return splitUrl(url).path;
}

/** Splits the request target without URL parsing, so `//x` or bad escapes can never throw. */
function splitUrl(url: string | undefined): { path: string; query: string | undefined } {
  let target = url ?? "/";
  // Absolute-form targets (`GET http://host/path`) are legal HTTP; keep only the path.
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(target);
  if (absolute) target = target.slice(absolute[0].length) || "/";
  const mark = target.indexOf("?");
  return mark === -1
    ? { path: target, query: undefined }
    : { path: target.slice(0, mark), query: target.slice(mark + 1) };
}

function formatLogLine(entry: RequestLogEntry): string {
  const user = entry.user ? ` user=${entry.user}` : "";
  const fault = entry.fault ? ` fault=${entry.fault}` : "";
  return `${entry.method} ${entry.path} ${entry.status} ${entry.durationMs}ms${user}${fault}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
