import http from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";

/** A request exactly as the server received it. */
export interface RecordedRequest {
  method: string;
  /** Path and query as sent, e.g. `/dataSource?searchText=x`. */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Raw body. */
  body: string;
  /** Parsed body, `undefined` when empty or not JSON. */
  json: unknown;
  /** Which TCP connection carried it (1, 2, ... in order of first use). */
  connectionId: number;
}

/** A normal answer. */
export interface ReplySpec {
  /** Default 200. */
  status?: number;
  /** Serialised as the body with `content-type: application/json`. */
  json?: unknown;
  /** Raw body (HTML, invalid JSON, ...); wins over `json`. */
  body?: string;
  headers?: Record<string, string>;
  /** Wait this long (real ms) before answering. */
  delayMs?: number;
}

/** A misbehaving connection: TCP reset, socket closed without an answer, or no answer at all. */
export interface FaultSpec {
  fault: "reset" | "destroy" | "hang";
  delayMs?: number;
}

export type Reply = ReplySpec | FaultSpec;
export type Responder = Reply | ((request: RecordedRequest) => Reply | Promise<Reply>);

interface Expectation {
  method: string;
  path: string | RegExp;
  responder: Responder;
}

export interface HttpTestServerOptions {
  /** Listen on this port (default: an ephemeral one). */
  port?: number;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
}

/** Status used for a request no expectation matched, so the client fails fast and `verify()` names it. */
export const UNEXPECTED_STATUS = 599;

function describe(method: string, path: string | RegExp): string {
  return `${method} ${typeof path === "string" ? path : path.toString()}`;
}

function matches(expectation: Expectation, method: string, path: string): boolean {
  if (expectation.method !== method) return false;
  return typeof expectation.path === "string" ? expectation.path === path : expectation.path.test(path);
}

/**
 * A real HTTP(S) server on 127.0.0.1 whose behaviour is a script: one-shot expectations consumed in order
 * (`expect`) plus persistent routes (`route`). It records every request, answers anything unscripted with
 * `UNEXPECTED_STATUS` and makes `verify()` throw, and can reset, drop, delay or hang connections.
 */
export class HttpTestServer {
  readonly requests: RecordedRequest[] = [];
  readonly unexpected: RecordedRequest[] = [];
  readonly #queue: Expectation[] = [];
  readonly #routes: Expectation[] = [];
  readonly #server: http.Server;
  readonly #connectionIds = new WeakMap<Socket, number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #options: HttpTestServerOptions;
  #connections = 0;
  #inFlight = 0;
  #maxInFlight = 0;
  #port = 0;
  #closedSockets = 0;

  private constructor(options: HttpTestServerOptions) {
    this.#options = options;
    const handler = (request: http.IncomingMessage, response: http.ServerResponse): void => {
      void this.#handle(request, response);
    };
    this.#server = options.tls ? https.createServer({ ...options.tls }, handler) : http.createServer(handler);
    this.#server.on("connection", (socket: Socket) => socket.on("close", () => this.#closedSockets++));
  }

  static async start(options: HttpTestServerOptions = {}): Promise<HttpTestServer> {
    const server = new HttpTestServer(options);
    await server.#listen(options.port ?? 0);
    return server;
  }

  /** `http://127.0.0.1:<port>` (or `https://`). */
  get url(): string {
    return `${this.#options.tls ? "https" : "http"}://127.0.0.1:${this.#port}`;
  }

  get port(): number {
    return this.#port;
  }

  /** Requests the server is handling right now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Highest number of requests the server was handling at the same time. */
  get maxInFlight(): number {
    return this.#maxInFlight;
  }

  /** Distinct TCP connections that carried at least one request. */
  get connectionCount(): number {
    return this.#connections;
  }

  /** TCP connections that have been closed (by either side). */
  get closedConnectionCount(): number {
    return this.#closedSockets;
  }

  /** Adds a one-shot expectation; expectations are consumed in the order they were added. */
  expect(method: string, path: string | RegExp, responder: Responder): this {
    this.#queue.push({ method, path, responder });
    return this;
  }

  /** Adds a persistent route, used (any number of times) when the next one-shot expectation does not match. */
  route(method: string, path: string | RegExp, responder: Responder): this {
    this.#routes.push({ method, path, responder });
    return this;
  }

  /** Requests received for `method` and `path`. */
  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((request) =>
      matches({ method, path, responder: {} }, request.method, request.path),
    );
  }

  /** Throws if an unscripted request arrived or a one-shot expectation was not used. */
  verify(): void {
    const problems: string[] = [];
    for (const request of this.unexpected)
      problems.push(`unexpected request ${request.method} ${request.path}`);
    for (const expectation of this.#queue) {
      problems.push(`expected request never arrived: ${describe(expectation.method, expectation.path)}`);
    }
    if (problems.length > 0) throw new Error(`HTTP test server: ${problems.join("; ")}`);
  }

  /** Stops listening and drops every connection; the port becomes free (connections are refused). */
  async stop(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  /** Listens again on the same port after `stop()`. */
  async restart(): Promise<void> {
    await this.#listen(this.#port);
  }

  async close(): Promise<void> {
    if (this.#server.listening) await this.stop();
  }

  async #listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(port, "127.0.0.1", () => {
        this.#server.off("error", reject);
        resolve();
      });
    });
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  #connectionId(socket: Socket): number {
    let id = this.#connectionIds.get(socket);
    if (id === undefined) {
      id = ++this.#connections;
      this.#connectionIds.set(socket, id);
    }
    return id;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.add(timer);
    });
  }

  async #handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    this.#inFlight++;
    this.#maxInFlight = Math.max(this.#maxInFlight, this.#inFlight);
    response.on("close", () => this.#inFlight--);

    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    let json: unknown;
    try {
      json = body === "" ? undefined : JSON.parse(body);
    } catch {
      json = undefined;
    }
    const recorded: RecordedRequest = {
      method: request.method ?? "",
      path: request.url ?? "",
      headers: request.headers,
      body,
      json,
      connectionId: this.#connectionId(request.socket),
    };
    this.requests.push(recorded);

    const method = recorded.method;
    const head = this.#queue[0];
    let expectation: Expectation | undefined;
    if (head && matches(head, method, recorded.path)) expectation = this.#queue.shift();
    else expectation = this.#routes.find((route) => matches(route, method, recorded.path));
    if (!expectation) {
      this.unexpected.push(recorded);
      const message = `no expectation for ${method} ${recorded.path}`;
      response.writeHead(UNEXPECTED_STATUS, { "content-type": "application/json" });
      response.end(JSON.stringify({ statusCode: UNEXPECTED_STATUS, error: "Unexpected request", message }));
      return;
    }

    const reply =
      typeof expectation.responder === "function"
        ? await expectation.responder(recorded)
        : expectation.responder;
    if (reply.delayMs) await this.#sleep(reply.delayMs);
    if (response.destroyed || request.socket.destroyed) return;

    if ("fault" in reply) {
      if (reply.fault === "reset") request.socket.resetAndDestroy();
      else if (reply.fault === "destroy") request.socket.destroy();
      return; // "hang": never answer; stop() drops the connection
    }
    const headers: Record<string, string> = { ...reply.headers };
    let payload = "";
    if (reply.body !== undefined) payload = reply.body;
    else if (reply.json !== undefined) {
      payload = JSON.stringify(reply.json);
      if (!Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) {
        headers["content-type"] = "application/json; charset=utf-8";
      }
    }
    response.writeHead(reply.status ?? 200, headers);
    response.end(payload);
  }
}
