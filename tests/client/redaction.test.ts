import { inspect, format } from "node:util";
import {
  ImmutaClient,
  type ImmutaClientOptions,
  ImmutaError,
  realClock,
  type AuthMode,
  type ImmutaErrorKind,
  type RetryEvent,
} from "../../provider/client";
import type { HttpTestServer, RecordedRequest, Reply } from "../helpers/http-test-server";
import { API_KEY, TOKEN, clientFor, rejectionOf, useServer } from "./support";

const server = useServer();

const ALL_KINDS: ImmutaErrorKind[] = [
  "bad-request",
  "unauthorized",
  "forbidden",
  "not-found",
  "conflict",
  "unprocessable",
  "rate-limited",
  "server",
  "invalid-response",
  "network",
  "timeout",
  "deadline",
  "insecure-url",
  "invalid-config",
];

/** Every 10-character window of each secret: catches a credential cut in half, not only a whole one. */
const FORBIDDEN_FRAGMENTS = [API_KEY, TOKEN].flatMap((secret) =>
  Array.from({ length: secret.length - 9 }, (_, i) => secret.slice(i, i + 10)),
);

function expectNoCredential(rendered: string, how: string): void {
  for (const fragment of FORBIDDEN_FRAGMENTS) {
    if (rendered.includes(fragment))
      throw new Error(`${how} leaks a credential fragment "${fragment}":\n${rendered}`);
  }
}

/** The ways a user, a log or Pulumi may print an error. */
function renderings(error: unknown): Record<string, string> {
  const err = error as Error;
  return {
    message: err.message,
    stack: err.stack ?? "",
    "JSON.stringify": JSON.stringify(error),
    "util.inspect": inspect(error, { depth: Infinity }),
    "util.inspect showHidden": inspect(error, { depth: Infinity, showHidden: true }),
    "String()": String(error),
    "%o": format("%o", error),
  };
}

/** An error body that echoes the credential it received, the worst thing a server can do. */
const echo =
  (status: number, shape: "boom" | "html" | "long-html" = "boom") =>
  (request: RecordedRequest): Reply => {
    const credential = String(request.headers["authorization"]);
    if (shape === "boom") {
      return {
        status,
        json: { statusCode: status, error: "Error", message: `rejected Authorization: ${credential}` },
      };
    }
    // "long-html" puts the credential across the 200-character excerpt limit.
    const padding = shape === "long-html" ? "x".repeat(185) : "";
    return {
      status,
      headers: { "content-type": "text/html" },
      body: `<html><body><p>${padding} ${credential} seen</p></body></html>`,
    };
  };

/** The error the client's constructor throws for `options`: a configuration error, raised before any request. */
function constructorError(options: ImmutaClientOptions): Promise<unknown> {
  try {
    new ImmutaClient(options);
  } catch (error) {
    return Promise.resolve(error);
  }
  return Promise.reject(new Error("expected the constructor to throw"));
}

type Scenario = [string, ImmutaErrorKind, (server: HttpTestServer, authMode: AuthMode) => Promise<unknown>];

const get = (s: HttpTestServer, authMode: AuthMode, responder: (r: RecordedRequest) => Reply) => {
  s.route("GET", "/dataSource/41", responder);
  return rejectionOf(clientFor(s, { authMode, retry: { maxAttempts: 2 } }).getDataSource(41));
};

const SCENARIOS: Scenario[] = [
  ["400 Boom", "bad-request", (s, mode) => get(s, mode, echo(400))],
  ["401 Boom", "unauthorized", (s, mode) => get(s, mode, echo(401))],
  ["403 HTML", "forbidden", (s, mode) => get(s, mode, echo(403, "html"))],
  ["404 Boom", "not-found", (s, mode) => get(s, mode, echo(404))],
  ["409 Boom", "conflict", (s, mode) => get(s, mode, echo(409))],
  ["422 Boom", "unprocessable", (s, mode) => get(s, mode, echo(422))],
  ["429 Boom", "rate-limited", (s, mode) => get(s, mode, echo(429))],
  ["500 long HTML", "server", (s, mode) => get(s, mode, echo(500, "long-html"))],
  ["503 Boom after retries", "server", (s, mode) => get(s, mode, echo(503))],
  [
    "200 schema violation",
    "invalid-response",
    (s, mode) =>
      get(s, mode, (r) => ({ json: { id: r.headers["authorization"], name: r.headers["authorization"] } })),
  ],
  [
    "200 non-JSON echo",
    "invalid-response",
    (s, mode) => get(s, mode, (r) => ({ body: `you sent ${String(r.headers["authorization"])}` })),
  ],
  ["connection reset", "network", (s, mode) => get(s, mode, () => ({ fault: "reset" }))],
  [
    "connection refused",
    "network",
    async (s, mode) => {
      const client = clientFor(s, { authMode: mode, retry: { maxAttempts: 2 } });
      if (mode === "bearer") {
        s.route("GET", "/dataSource/1", { json: { id: 1, name: "warm-up" } });
        await client.getDataSource(1); // obtain the token first, so the refused request carries it
      }
      await s.stop();
      return rejectionOf(client.getDataSource(41));
    },
  ],
  [
    "request timeout (POST)",
    "timeout",
    (s, mode) => {
      s.route("POST", "/native-s3/handler", { fault: "hang" });
      return rejectionOf(
        clientFor(s, { authMode: mode, requestTimeoutMs: 50 }).createS3DataSource({
          integrationId: 1,
          dataSourceName: "n",
          prefix: "s3://p",
        }),
      );
    },
  ],
  [
    "operation deadline",
    "deadline",
    (s, mode) => {
      s.route("GET", "/dataSource/41", { fault: "hang" });
      return rejectionOf(
        clientFor(s, { authMode: mode, clock: realClock, operationTimeoutMs: 100 }).getDataSource(41),
      );
    },
  ],
  [
    "insecure URL",
    "insecure-url",
    () => constructorError({ url: `http://immuta.example/${API_KEY}`, apiKey: API_KEY }),
  ],
  [
    "credentials in the base URL",
    "invalid-config",
    () => constructorError({ url: `https://user:${API_KEY}@immuta.example`, apiKey: API_KEY }),
  ],
];

describe.each(["apiKey", "bearer"] as const)(
  "no credential in any rendering of any error (%s mode)",
  (authMode) => {
    const kindsSeen = new Set<ImmutaErrorKind>();

    beforeEach(() => {
      if (authMode === "bearer")
        server().route("POST", "/bim/apikey/authenticate", { json: { authenticated: true, token: TOKEN } });
    });

    test.each(SCENARIOS)("%s -> %s", async (_name, kind, scenario) => {
      const error = await scenario(server(), authMode);

      expect(error).toBeInstanceOf(ImmutaError);
      expect((error as ImmutaError).kind).toBe(kind);
      kindsSeen.add(kind);
      for (const [how, rendered] of Object.entries(renderings(error))) expectNoCredential(rendered, how);
      // Where the server was reached it really received (and echoed) the credential, so a leak was possible.
      const apiRequests = server().requests.filter((request) => !request.path.startsWith("/bim"));
      if (apiRequests.length > 0) {
        expect(apiRequests.map((request) => request.headers["authorization"])).toContain(
          authMode === "bearer" ? `Bearer ${TOKEN}` : API_KEY,
        );
      }
    });

    test("the scenarios cover every error kind", () => {
      expect([...kindsSeen].sort()).toEqual([...ALL_KINDS].sort());
    });
  },
);

test("an exchange answered with an error that echoes the key does not leak it", async () => {
  server().route("POST", "/bim/apikey/authenticate", echo(401));
  const error = await rejectionOf(clientFor(server(), { authMode: "bearer" }).getDataSource(41));
  expect((error as ImmutaError).immutaMessage).toBe("rejected Authorization: [REDACTED]");
  for (const [how, rendered] of Object.entries(renderings(error))) expectNoCredential(rendered, how);
});

test("retry events carry no credential", async () => {
  server()
    .route("POST", "/bim/apikey/authenticate", { json: { authenticated: true, token: TOKEN } })
    .expect("GET", "/dataSource/41", echo(503))
    .expect("GET", "/dataSource/41", echo(401))
    .expect("GET", "/dataSource/41", () => ({ fault: "reset" }))
    .expect("GET", "/dataSource/41", { json: { id: 41, name: "n" } });
  const events: RetryEvent[] = [];

  await clientFor(server(), { authMode: "bearer", onRetry: (event) => events.push(event) }).getDataSource(41);

  expect(events).toHaveLength(3);
  expectNoCredential(JSON.stringify(events), "onRetry events");
  expectNoCredential(inspect(events, { depth: Infinity }), "onRetry events");
});

test("a client object itself does not expose the key when inspected", () => {
  const client = clientFor(server());
  expectNoCredential(inspect(client, { depth: Infinity, showHidden: true }), "util.inspect(client)");
  expectNoCredential(JSON.stringify(client) ?? "", "JSON.stringify(client)");
});
