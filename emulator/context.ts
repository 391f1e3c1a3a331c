import type { IncomingHttpHeaders } from "node:http";
import type { Authenticator } from "./auth";
import type { FaultInjector } from "./faults";
import type { RateLimiter } from "./rate-limit";
import type { ApiResponse } from "./http-io";
import type { RequestLog } from "./request-log";
import type { Store } from "./store";
import type { TagLibrary } from "./tag-library";
import type { EmulatorIntegration, EmulatorModes, TenantUser } from "./types";

/** Everything a running emulator holds; shared by the Immuta routes and the control routes. */
export interface EmulatorState {
  readonly store: Store;
  readonly tagLibrary: TagLibrary;
  readonly auth: Authenticator;
  readonly faults: FaultInjector;
  readonly requestLog: RequestLog;
  readonly rateLimiter: RateLimiter;
  /** Current modes; mutated in place by the control API. */
  readonly modes: EmulatorModes;
  /** What `reset` returns to. */
  readonly initial: {
    readonly integrations: readonly EmulatorIntegration[];
    readonly tagLibrary: readonly string[];
    readonly modes: Readonly<EmulatorModes>;
    readonly seed: number;
  };
  /** e.g. `http://127.0.0.1:4010`; known once the server listens. */
  baseUrl: string;
  /** Resolves once every mutation made so far is durable (immediately when in memory). */
  commit(): Promise<void>;
}

/** One parsed request as a route handler sees it. */
export interface RouteRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (routes declaring `body: true`); undefined when empty. */
  body: unknown;
  /** Authenticated user (routes declaring `auth: true`). */
  user?: TenantUser;
}

export interface RouteSpec {
  /** Whether the server must authenticate the caller before the handler runs. */
  auth: boolean;
  /** Whether the server must read a JSON body before the handler runs. */
  body: boolean;
  /** Whether a success changes state, so the response waits for persistence. */
  mutates: boolean;
  /** When it answers false the route does not exist: a 404 before authentication, like any unknown path. */
  available?(emulator: EmulatorState): boolean;
  handle(request: RouteRequest, emulator: EmulatorState): ApiResponse | Promise<ApiResponse>;
}

/** The authenticated user; route specs with `auth: true` always have one. */
export function userOf(request: RouteRequest): TenantUser {
  if (!request.user) throw new Error("route declared auth: true but no user was resolved");
  return request.user;
}
