import { ImmutaClient, ImmutaError, ImmutaTimeoutError, realClock } from "../../provider/client";
import { API_KEY, clientFor, dataSourceBody, rejectionOf, useServer } from "./support";

const server = useServer();

const created = { dataSourceId: 12, prefix: "s3://research", dataSourceName: "research" };
const createRequest = { integrationId: 2, dataSourceName: "research", prefix: "s3://research" };

/** Resolves once `condition` holds, or after `timeoutMs` (polling every few ms). */
async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("requests in flight", () => {
  // The server holds each request until `limit` are in flight (or all `total` arrived, or 1 s passed), then 50 ms
  // more so that any request beyond the limit would arrive too. A lower limit never reaches `limit`, a higher one
  // overshoots it, whatever the scheduling.
  const holdUntil = (limit: number, total: number) => async () => {
    await waitFor(() => server().inFlight >= limit || server().requests.length >= total, 1_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { json: dataSourceBody() };
  };

  test("the server never sees more than maxInFlight concurrent requests", async () => {
    server().route("GET", /^\/dataSource\/\d+$/, holdUntil(3, 12));
    const client = clientFor(server(), { maxInFlight: 3 });

    await Promise.all(Array.from({ length: 12 }, (_, i) => client.getDataSource(i)));

    expect(server().requests).toHaveLength(12);
    expect(server().maxInFlight).toBe(3);
  });

  test("the default limit is 8", async () => {
    server().route("GET", /^\/dataSource\/\d+$/, holdUntil(8, 20));
    const client = clientFor(server());

    await Promise.all(Array.from({ length: 20 }, (_, i) => client.getDataSource(i)));

    expect(server().maxInFlight).toBe(8);
  });
});

describe("connections", () => {
  test("keep-alive: sequential requests reuse one connection", async () => {
    server().route("GET", "/dataSource/41", { json: dataSourceBody() });
    const client = clientFor(server());

    for (let i = 0; i < 5; i++) await client.getDataSource(41);

    expect(new Set(server().requests.map((r) => r.connectionId)).size).toBe(1);
  });

  test("a create always goes out on a new connection, so it never lands on a stale keep-alive socket", async () => {
    server().route("POST", "/native-s3/handler", { json: created });
    const client = clientFor(server());

    await client.createS3DataSource(createRequest);
    await client.createS3DataSource(createRequest);

    expect(server().requests.map((r) => r.connectionId)).toEqual([1, 2]);
  });

  test("close() destroys the keep-alive sockets", async () => {
    server().route("GET", "/dataSource/41", { json: dataSourceBody() });
    const client = clientFor(server());
    await client.getDataSource(41);
    expect(server().closedConnectionCount).toBe(0);

    client.close();
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(server().closedConnectionCount).toBe(1);
  });
});

describe("operation deadline", () => {
  test("a request still running at the deadline fails with kind 'deadline'", async () => {
    server().route("GET", "/dataSource/41", { fault: "hang" });
    const started = Date.now();

    const error = (await rejectionOf(
      clientFor(server(), {
        clock: realClock,
        operationTimeoutMs: 300,
        requestTimeoutMs: 60_000,
      }).getDataSource(41),
    )) as ImmutaTimeoutError;

    expect(error).toBeInstanceOf(ImmutaTimeoutError);
    expect(error).toMatchObject({ kind: "deadline", limitMs: 300, attempts: 1, ambiguous: false });
    expect(error.message).toContain("did not complete within the operation deadline of 300 ms");
    expect(Date.now() - started).toBeLessThan(10_000); // cut by the deadline, not by the 60 s request timeout
  });

  test("a create cut by the deadline is ambiguous", async () => {
    server().route("POST", "/native-s3/handler", { fault: "hang" });
    const error = (await rejectionOf(
      clientFor(server(), { clock: realClock, operationTimeoutMs: 300 }).createS3DataSource(createRequest),
    )) as ImmutaError;
    expect(error).toMatchObject({ kind: "deadline", ambiguous: true });
  });

  test("waiting for a request slot counts against the deadline", async () => {
    const client = clientFor(server(), { clock: realClock, maxInFlight: 1, operationTimeoutMs: 800 });
    let getQueued: () => void = () => undefined;
    const getIsQueued = new Promise<void>((resolve) => (getQueued = resolve));
    server()
      .expect("DELETE", "/dataSource/41", async () => {
        await getIsQueued;
        return { json: { success: true, id: 41, disabled: true, hardDelete: false } };
      })
      .expect("GET", "/dataSource/42", { fault: "hang" });

    // The hard delete's first DELETE holds the only slot; the GET queues behind it and gets the slot next (FIFO),
    // so the hard delete's second DELETE waits until the hard delete's deadline.
    const hardDelete = rejectionOf(client.hardDeleteDataSource(41));
    await waitFor(() => server().requests.length === 1, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the GET's own deadline comes clearly later
    const get = rejectionOf(client.getDataSource(42));
    getQueued();

    const hardDeleteError = (await hardDelete) as ImmutaError;
    expect(hardDeleteError).toMatchObject({ kind: "deadline", method: "DELETE", attempts: 0 });
    expect(hardDeleteError.message).toContain("still waiting for one of 1 request slots (maxInFlight)");
    expect(((await get) as ImmutaError).kind).toBe("deadline");
    expect(server().requests.map((r) => r.method)).toEqual(["DELETE", "GET"]);
  });
});

describe("configuration is checked when the client is built", () => {
  test("plain HTTP to a non-loopback host is refused with instructions", () => {
    let error: unknown;
    try {
      new ImmutaClient({ url: "http://acme.hosted.immutacloud.com", apiKey: API_KEY });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ImmutaError);
    expect(error).toMatchObject({ kind: "insecure-url" });
    expect((error as Error).message).toContain(
      "Refusing to send the Immuta API key over plain HTTP to acme.hosted.immutacloud.com",
    );
    expect((error as Error).message).toContain("allowInsecureHttp");
  });

  test.each([
    "http://localhost:8080",
    "http://127.0.0.1",
    "http://127.1.2.3:9",
    "http://[::1]:8080",
    "https://acme.example",
  ])("%s is accepted", (baseUrl) => {
    new ImmutaClient({ url: baseUrl, apiKey: API_KEY }).close();
  });

  test("allowInsecureHttp permits plain HTTP to any host", () => {
    new ImmutaClient({ url: "http://immuta.internal", apiKey: API_KEY, allowInsecureHttp: true }).close();
  });

  test.each([
    [{ apiKey: "" }, "API key is empty"],
    [{ url: "not a url" }, "not a valid URL"],
    [{ url: "ftp://acme.example" }, "must use https://"],
    [{ url: "https://admin:hunter2@acme.example" }, "must not contain credentials"],
    [{ maxInFlight: 0 }, "maxInFlight"],
    [{ requestTimeoutMs: -1 }, "requestTimeoutMs"],
    [{ retry: { jitter: 2 } }, "retry.jitter"],
    [{ retry: { maxAttempts: 0 } }, "retry.maxAttempts"],
    [{ caBundle: "not a certificate" }, "caBundle"],
  ])("%j is refused", (overrides, text) => {
    const build = () => new ImmutaClient({ url: "https://acme.example", apiKey: API_KEY, ...overrides });
    expect(build).toThrow(ImmutaError);
    expect(build).toThrow(text);
    expect(build).not.toThrow("hunter2");
  });
});
