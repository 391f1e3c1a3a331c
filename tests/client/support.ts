import { ImmutaClient, type Clock, type ImmutaClientOptions } from "../../provider/client";
import { HttpTestServer } from "../helpers/http-test-server";

/** Distinctive credentials: a test that finds one of these strings in an error has found a leak. */
export const API_KEY = "apikey-7f3c9d1e-SECRET-KEY-b42a";
export const TOKEN = "token-5e8a2c-SECRET-BEARER-91fd";

/** A clock whose `sleep` resolves at once, advancing virtual time and recording each requested delay. */
export interface FakeClock extends Clock {
  readonly sleeps: number[];
  advance(ms: number): void;
}

export function createFakeClock(
  options: { startMs?: number; onSleep?: (ms: number) => void | Promise<void> } = {},
): FakeClock {
  let now = options.startMs ?? Date.UTC(2025, 0, 1, 12, 0, 0);
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
      await options.onSleep?.(ms);
    },
  };
}

const openClients = new Set<ImmutaClient>();

/** A client for `server` with a fake clock and no jitter; closed by `closeClients()`. */
export function clientFor(
  server: HttpTestServer,
  overrides: Partial<ImmutaClientOptions> = {},
): ImmutaClient {
  const client = new ImmutaClient({
    url: server.url,
    apiKey: API_KEY,
    clock: createFakeClock(),
    random: () => 0.5,
    retry: { jitter: 0 },
    ...overrides,
  });
  openClients.add(client);
  return client;
}

export function closeClients(): void {
  for (const client of openClients) client.close();
  openClients.clear();
}

/**
 * Registers hooks that start a fresh server before each test and, after it, close the clients, check that the server
 * saw exactly the scripted requests, and stop it. Returns an accessor for the current server.
 */
export function useServer(): () => HttpTestServer {
  let server: HttpTestServer | undefined;
  beforeEach(async () => {
    server = await HttpTestServer.start();
  });
  afterEach(async () => {
    closeClients();
    const current = server;
    server = undefined;
    try {
      current?.verify();
    } finally {
      await current?.close();
    }
  });
  return () => {
    if (!server) throw new Error("no test server running");
    return server;
  };
}

/** The error `promise` rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject, but it resolved");
}

/** A Boom error envelope as Immuta's hapi server sends it. */
export function boom(
  statusCode: number,
  error: string,
  message: string,
): { statusCode: number; error: string; message: string } {
  return { statusCode, error, message };
}

/** A data source as `GET /dataSource/{id}` returns it (subset plus an undocumented field). */
export function dataSourceBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 41,
    name: "research",
    deleted: false,
    status: "ready",
    blobHandlerType: "Native S3",
    blobHandler: { url: "https://acme.example/native-s3/handler/7" },
    connectionString: "s3://research-data-source",
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2025-01-02T00:00:00.000Z",
    subscriptionPolicy: { type: "manual" },
    ...overrides,
  };
}
