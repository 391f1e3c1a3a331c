import {
  ImmutaApiError,
  ImmutaNetworkError,
  ImmutaTimeoutError,
  type ImmutaError,
  type RetryEvent,
} from "../../provider/client";
import { boom, clientFor, createFakeClock, dataSourceBody, rejectionOf, useServer } from "./support";

const server = useServer();

const CREATED = { dataSourceId: 12, prefix: "s3://research", dataSourceName: "research" };
const createRequest = { integrationId: 2, dataSourceName: "research", prefix: "s3://research" };
const fastRetry = { baseDelayMs: 100, maxDelayMs: 1_000, jitter: 0, maxAttempts: 5 };

describe("GET, PUT and DELETE retry transient failures", () => {
  test("GET is retried after a 503 with the backoff delay, and the caller only sees the result", async () => {
    server()
      .expect("GET", "/dataSource/41", { status: 503, json: boom(503, "Service Unavailable", "busy") })
      .expect("GET", "/dataSource/41", { json: dataSourceBody() });
    const clock = createFakeClock();
    const events: RetryEvent[] = [];

    const dataSource = await clientFor(server(), {
      clock,
      retry: fastRetry,
      onRetry: (e) => events.push(e),
    }).getDataSource(41);

    expect(dataSource.id).toBe(41);
    expect(server().requestsTo("GET", "/dataSource/41")).toHaveLength(2);
    expect(clock.sleeps).toEqual([100]);
    expect(events).toEqual([
      {
        method: "GET",
        path: "/dataSource/41",
        attempt: 1,
        delayMs: 100,
        reason: "HTTP 503 Service Unavailable",
      },
    ]);
  });

  test.each(["reset", "destroy"] as const)("GET is retried after a connection %s", async (fault) => {
    server()
      .expect("GET", "/dataSource/41", { fault })
      .expect("GET", "/dataSource/41", { json: dataSourceBody() });
    const events: RetryEvent[] = [];

    await clientFor(server(), { retry: fastRetry, onRetry: (e) => events.push(e) }).getDataSource(41);

    expect(server().requests).toHaveLength(2);
    expect(events.map((e) => e.reason)).toEqual(["ECONNRESET"]);
  });

  test("GET is retried after a request timeout", async () => {
    let received = 0;
    server().route("GET", "/dataSource/41", () =>
      ++received === 1 ? { fault: "hang" } : { json: dataSourceBody() },
    );
    const events: RetryEvent[] = [];

    const dataSource = await clientFor(server(), {
      requestTimeoutMs: 300,
      retry: fastRetry,
      onRetry: (e) => events.push(e),
    }).getDataSource(41);

    expect(dataSource.id).toBe(41);
    expect(events[0]?.reason).toBe("no response within 300 ms");
    expect(server().requests.length).toBeGreaterThanOrEqual(2);
  });

  test.each([429, 502, 504])("PUT is retried after HTTP %i", async (status) => {
    server()
      .expect("PUT", "/dataSource/41", { status, body: "" })
      .expect("PUT", "/dataSource/41", { json: dataSourceBody() });
    await clientFor(server(), { retry: fastRetry }).restoreDataSource(41);
    expect(server().requests.map((r) => r.json)).toEqual([{ deleted: false }, { deleted: false }]);
  });

  test("a throwing onRetry callback does not change the outcome", async () => {
    server()
      .expect("GET", "/dataSource/41", { status: 503, body: "" })
      .expect("GET", "/dataSource/41", { json: dataSourceBody() });
    const onRetry = () => {
      throw new Error("logger broke");
    };
    await expect(clientFor(server(), { retry: fastRetry, onRetry }).getDataSource(41)).resolves.toMatchObject(
      { id: 41 },
    );
  });

  test("500 is not retried", async () => {
    server().expect("GET", "/dataSource/41", { status: 500, body: "" });
    const error = (await rejectionOf(
      clientFor(server(), { retry: fastRetry }).getDataSource(41),
    )) as ImmutaError;
    expect(error).toMatchObject({ kind: "server", attempts: 1 });
  });

  test("Retry-After in seconds is waited exactly: neither capped by maxDelayMs nor jittered", async () => {
    server()
      .expect("GET", "/dataSource/41", { status: 429, headers: { "retry-after": "7" }, body: "" })
      .expect("GET", "/dataSource/41", { json: dataSourceBody() });
    const clock = createFakeClock();
    const retry = { ...fastRetry, jitter: 1 };
    await clientFor(server(), { clock, retry, random: () => 0.9 }).getDataSource(41);
    expect(clock.sleeps).toEqual([7_000]);
  });

  test("Retry-After as an HTTP date is measured against the injected clock", async () => {
    const clock = createFakeClock({ startMs: Date.UTC(2025, 5, 1, 8, 0, 0) });
    server()
      .expect("GET", "/dataSource/41", {
        status: 503,
        headers: { "retry-after": new Date(clock.now() + 12_000).toUTCString() },
        body: "",
      })
      .expect("GET", "/dataSource/41", { json: dataSourceBody() });
    await clientFor(server(), { clock, retry: fastRetry }).getDataSource(41);
    expect(clock.sleeps).toEqual([12_000]);
  });

  test("backoff doubles up to maxDelayMs", async () => {
    for (let i = 0; i < 5; i++) server().expect("GET", "/dataSource/41", { status: 503, body: "" });
    server().expect("GET", "/dataSource/41", { json: dataSourceBody() });
    const clock = createFakeClock();
    await clientFor(server(), {
      clock,
      retry: { ...fastRetry, maxDelayMs: 300, maxAttempts: 6 },
    }).getDataSource(41);
    expect(clock.sleeps).toEqual([100, 200, 300, 300, 300]);
  });

  test("jitter shortens the backoff using the injected random source", async () => {
    server()
      .expect("GET", "/dataSource/41", { status: 503, body: "" })
      .expect("GET", "/dataSource/41", { json: dataSourceBody() });
    const clock = createFakeClock();
    await clientFor(server(), {
      clock,
      random: () => 0.5,
      retry: { ...fastRetry, jitter: 0.5 },
    }).getDataSource(41);
    expect(clock.sleeps).toEqual([75]);
  });

  test("after maxAttempts the last failure is raised with the attempt count", async () => {
    for (let i = 0; i < 3; i++)
      server().expect("GET", "/dataSource/41", {
        status: 503,
        json: boom(503, "Service Unavailable", "busy"),
      });
    const clock = createFakeClock();
    const error = (await rejectionOf(
      clientFor(server(), { clock, retry: { ...fastRetry, maxAttempts: 3 } }).getDataSource(41),
    )) as ImmutaError;
    expect(error).toBeInstanceOf(ImmutaApiError);
    expect(error).toMatchObject({ kind: "server", status: 503, attempts: 3, immutaMessage: "busy" });
    expect(error.message).toContain("Gave up after 3 attempts");
    expect(clock.sleeps).toEqual([100, 200]);
  });

  test("a Retry-After beyond the operation deadline fails at once with a deadline error", async () => {
    server().expect("GET", "/dataSource/41", {
      status: 429,
      headers: { "retry-after": "3600" },
      json: boom(429, "Too Many Requests", "slow down"),
    });
    const clock = createFakeClock();
    const error = (await rejectionOf(
      clientFor(server(), { clock, operationTimeoutMs: 60_000, retry: fastRetry }).getDataSource(41),
    )) as ImmutaTimeoutError;
    expect(error).toBeInstanceOf(ImmutaTimeoutError);
    expect(error).toMatchObject({ kind: "deadline", status: 429, immutaMessage: "slow down", attempts: 1 });
    expect(error.message).toContain("in 3600000 ms as Retry-After asked");
    expect(error.message).toContain("HTTP 429 Too Many Requests");
    expect(error.message).toContain("immuta:operationTimeoutMs");
    expect(clock.sleeps).toEqual([]);
  });
});

describe("POST (create) is resent only when Immuta certainly did not process it", () => {
  test.each(["reset", "destroy"] as const)(
    "not retried after a connection %s once sent: ambiguous",
    async (fault) => {
      server().expect("POST", "/native-s3/handler", { fault });
      const error = (await rejectionOf(
        clientFor(server(), { retry: fastRetry }).createS3DataSource(createRequest),
      )) as ImmutaError;

      expect(error).toBeInstanceOf(ImmutaNetworkError);
      expect(error).toMatchObject({
        kind: "network",
        ambiguous: true,
        attempts: 1,
        method: "POST",
        path: "/native-s3/handler",
      });
      expect(error.message).toContain("Immuta may have processed this POST");
      expect(error.message).toContain("look it up by name");
      expect(server().requests).toHaveLength(1);
    },
  );

  test("not retried after a timeout: ambiguous", async () => {
    server().route("POST", "/native-s3/handler", { fault: "hang" });
    const error = (await rejectionOf(
      clientFor(server(), { requestTimeoutMs: 300, retry: fastRetry }).createS3DataSource(createRequest),
    )) as ImmutaError;

    expect(error).toBeInstanceOf(ImmutaTimeoutError);
    expect(error).toMatchObject({ kind: "timeout", ambiguous: true, attempts: 1 });
    expect(error.message).toContain("got no complete response within 300 ms");
    expect(error.message).toContain("Immuta may have processed this POST");
    expect(server().requests.length).toBeLessThanOrEqual(1);
  });

  test.each([500, 502, 504])("not retried after HTTP %i: ambiguous", async (status) => {
    server().expect("POST", "/native-s3/handler", { status, body: "" });
    const error = (await rejectionOf(
      clientFor(server(), { retry: fastRetry }).createS3DataSource(createRequest),
    )) as ImmutaError;
    expect(error).toMatchObject({ kind: "server", status, ambiguous: true, attempts: 1 });
    expect(server().requests).toHaveLength(1);
  });

  test.each([429, 503])("retried after HTTP %i, honouring Retry-After", async (status) => {
    server()
      .expect("POST", "/native-s3/handler", { status, headers: { "retry-after": "2" }, body: "" })
      .expect("POST", "/native-s3/handler", { json: CREATED });
    const clock = createFakeClock();

    expect(await clientFor(server(), { clock, retry: fastRetry }).createS3DataSource(createRequest)).toEqual(
      CREATED,
    );
    expect(clock.sleeps).toEqual([2_000]);
    const [first, second] = server().requests;
    expect(second?.json).toEqual(first?.json);
  });

  test("retried after the connection was refused", async () => {
    const port = server().port;
    await server().stop();
    const clock = createFakeClock({
      onSleep: async () => {
        server().expect("POST", "/native-s3/handler", { json: CREATED });
        await server().restart();
      },
    });
    const events: RetryEvent[] = [];

    const created = await clientFor(server(), {
      clock,
      retry: fastRetry,
      onRetry: (e) => events.push(e),
    }).createS3DataSource(createRequest);

    expect(created).toEqual(CREATED);
    expect(server().port).toBe(port);
    expect(events.map((e) => e.reason)).toEqual(["ECONNREFUSED"]);
    expect(server().requests).toHaveLength(1);
  });

  test("a refused connection that never recovers is not ambiguous", async () => {
    await server().stop();
    const error = (await rejectionOf(
      clientFor(server(), { retry: { ...fastRetry, maxAttempts: 2 } }).createS3DataSource(createRequest),
    )) as ImmutaNetworkError;
    expect(error).toMatchObject({ kind: "network", code: "ECONNREFUSED", ambiguous: false, attempts: 2 });
    expect(error.message).toContain("failed on the network (ECONNREFUSED: connection refused)");
    expect(error.message).toContain("Check immuta:url");
  });
});
