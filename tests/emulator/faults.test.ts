import { setTimeout as sleep } from "node:timers/promises";
import { createPrng } from "../../emulator/prng";
import type { RequestLogEntry } from "../../emulator";
import {
  createBody,
  startTestEmulator,
  type BoomBody,
  type CreatedBody,
  type TestEmulator,
} from "./helpers/emulator";

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({ seed: 42 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.control.reset());

const createResearch = (signal?: AbortSignal) =>
  emulator.call<CreatedBody>("POST", "/native-s3/handler", {
    body: createBody([{ dataSourceName: "research", prefix: "research-bucket" }]),
    signal,
  });

// Node timers may fire up to a millisecond early against performance.now(), which durationMs uses.
const TIMER_SLACK_MS = 2;

async function lastRequest(): Promise<RequestLogEntry> {
  const requests = await emulator.control.requests();
  return requests[requests.length - 1];
}

async function storedNames(): Promise<string[]> {
  return (await emulator.control.store()).dataSources.map((source) => source.name);
}

describe("status", () => {
  test("429 with Retry-After, as a Boom envelope, without processing", async () => {
    await emulator.control.setFaults([
      { method: "POST", path: "/native-s3/handler", kind: "status", status: 429, retryAfter: "1" },
    ]);
    const response = await createResearch();
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(response.body).toEqual({
      statusCode: 429,
      error: "Too Many Requests",
      message: "Rate limit exceeded",
    });
    expect(await storedNames()).toEqual([]);
    expect(await lastRequest()).toMatchObject({ method: "POST", status: 429, fault: "status" });
  });

  test("503 with an HTTP-date Retry-After; 500 and 504 plain", async () => {
    const date = "Wed, 21 Oct 2026 07:28:00 GMT";
    await emulator.control.setFaults([
      { path: "/dataSource", kind: "status", status: 503, retryAfter: date, times: 1 },
      { path: "/dataSource", kind: "status", status: 500, times: 1 },
      { path: "/dataSource", kind: "status", status: 504, times: 1 },
    ]);
    const unavailable = await emulator.call("GET", "/dataSource");
    expect([unavailable.status, unavailable.headers.get("retry-after")]).toEqual([503, date]);
    expect((await emulator.call<BoomBody>("GET", "/dataSource")).body.statusCode).toBe(500);
    expect((await emulator.call("GET", "/dataSource")).status).toBe(504);
    expect((await emulator.call("GET", "/dataSource")).status).toBe(200);
  });

  test("502 with a load balancer's HTML page", async () => {
    await emulator.control.setFaults([{ kind: "status", status: 502, htmlBody: true }]);
    const response = await emulator.call("GET", "/dataSource/1");
    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toBe("text/html");
    expect(response.text).toContain("<h1>502 Bad Gateway</h1>");
    expect(response.body).toBeUndefined(); // not JSON
  });

  test("401 as if a token had expired", async () => {
    await emulator.control.setFaults([{ kind: "status", status: 401, times: 1 }]);
    expect((await emulator.call<BoomBody>("GET", "/dataSource")).body.message).toBe("Token expired");
    expect((await emulator.call("GET", "/dataSource")).status).toBe(200);
  });
});

describe("matching", () => {
  test("by method and '*' pattern, first matching rule wins, `times` is consumed", async () => {
    await emulator.create("research", "research-bucket");
    await emulator.control.setFaults([
      { method: "DELETE", path: "/dataSource/*", kind: "status", status: 500 },
      { method: "get", path: "/dataSource/*", kind: "status", status: 503, times: 2 },
      { method: "GET", path: "/dataSource/*", kind: "status", status: 504 },
    ]);
    const statuses = [];
    for (const path of ["/dataSource/1", "/dataSource/name/research", "/dataSource/1", "/dataSource"]) {
      statuses.push((await emulator.call("GET", path)).status);
    }
    expect(statuses).toEqual([503, 503, 504, 200]);
    expect((await emulator.call("DELETE", "/dataSource/1")).status).toBe(500);
    const rules = await emulator.control.faults();
    expect(rules.map((rule) => rule.remaining)).toEqual([null, 0, null]);
  });

  test("probabilities replay identically for the same seed and differ for another", async () => {
    const rules = [{ path: "/dataSource", kind: "status" as const, status: 503 as const, probability: 0.5 }];
    const run = async (): Promise<number[]> => {
      const statuses = [];
      for (let index = 0; index < 24; index++)
        statuses.push((await emulator.call("GET", "/dataSource")).status);
      return statuses;
    };
    await emulator.control.setFaults(rules);
    const first = await run();
    await emulator.control.setFaults(rules); // re-installing re-seeds
    const second = await run();
    await emulator.control.setFaults(rules, { seed: 7 });
    const third = await run();
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 503]));
    expect(third).not.toEqual(first);
    // The draws are those of the PRNG with that seed: request i fails when draw i < 0.5.
    const prng = createPrng(42);
    expect(first).toEqual(first.map(() => (prng.next() < 0.5 ? 503 : 200)));
  });

  test("the control API is never faulted", async () => {
    await emulator.control.setFaults([{ kind: "reset" }]);
    await expect(emulator.control.store()).resolves.toMatchObject({ dataSources: [] });
    await expect(emulator.call("GET", "/dataSource")).rejects.toThrow("fetch failed");
  });
});

describe("latency", () => {
  test("delays, then processes normally", async () => {
    await emulator.control.setFaults([{ method: "POST", kind: "latency", latencyMs: 150 }]);
    const started = Date.now();
    const response = await createResearch();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(response.status).toBe(200);
    const entry = await lastRequest();
    expect(entry.fault).toBe("latency");
    expect(entry.faultDelayMs).toBe(150);
    expect(entry.durationMs).toBeGreaterThanOrEqual(150 - TIMER_SLACK_MS);
  });

  test("jitter is drawn from the PRNG with the given seed", async () => {
    await emulator.control.setFaults([{ kind: "latency", latencyMs: 20, latencyJitterMs: 200 }], { seed: 3 });
    const prng = createPrng(3);
    for (let index = 0; index < 3; index++) {
      await emulator.call("GET", "/dataSource");
      const expected = 20 + Math.floor(prng.next() * 200);
      const { durationMs, faultDelayMs } = await lastRequest();
      expect(faultDelayMs).toBe(expected);
      expect(durationMs).toBeGreaterThanOrEqual(expected - TIMER_SLACK_MS);
    }
  });
});

describe("connection faults", () => {
  test("reset: the socket is destroyed before processing", async () => {
    await emulator.control.setFaults([{ method: "POST", kind: "reset", times: 1 }]);
    await expect(createResearch()).rejects.toThrow("fetch failed");
    expect(await storedNames()).toEqual([]);
    expect(await lastRequest()).toMatchObject({ method: "POST", status: 0, fault: "reset" });
    expect((await createResearch()).status).toBe(200);
  });

  test("process-then-drop: the client sees a socket error, but the source exists", async () => {
    await emulator.control.setFaults([{ method: "POST", kind: "process-then-drop", times: 1 }]);
    await expect(createResearch()).rejects.toThrow("fetch failed");
    expect(await storedNames()).toEqual(["research"]);
    expect(await lastRequest()).toMatchObject({ status: 200, fault: "process-then-drop", user: "demo" });
    // A blind retry now conflicts: the client must look the source up instead.
    expect((await createResearch()).status).toBe(409);
  });

  test("slow: processed at once, answered after slowMs, so a client timeout fires", async () => {
    await emulator.control.setFaults([{ method: "POST", kind: "slow", slowMs: 700 }]);
    await expect(createResearch(AbortSignal.timeout(150))).rejects.toMatchObject({ name: "TimeoutError" });
    expect(await storedNames()).toEqual(["research"]);
    // The late answer is still produced (and logged) once slowMs has passed.
    let entry: RequestLogEntry | undefined;
    for (let attempt = 0; attempt < 40 && !entry; attempt++) {
      await sleep(50);
      entry = (await emulator.control.requests()).find((request) => request.fault === "slow");
    }
    expect(entry).toMatchObject({ status: 200 });
    expect(entry!.faultDelayMs).toBe(700);
    expect(entry!.durationMs).toBeGreaterThanOrEqual(700 - TIMER_SLACK_MS);
  });
});

describe("corrupted responses", () => {
  test("invalid-json: 200 with a truncated body, after processing", async () => {
    await emulator.control.setFaults([{ method: "POST", kind: "invalid-json" }]);
    const response = await createResearch();
    expect(response.status).toBe(200);
    expect(() => JSON.parse(response.text) as unknown).toThrow();
    expect(response.text.startsWith('{"dataSourceId":1')).toBe(true);
    expect(await storedNames()).toEqual(["research"]);
    expect((await lastRequest()).fault).toBe("invalid-json");
  });

  test("schema-violation: 200 with documented numbers and booleans as strings, after processing", async () => {
    await emulator.control.setFaults([{ kind: "schema-violation" }]);
    const created = await createResearch();
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      dataSourceId: "1",
      prefix: "research-bucket",
      dataSourceName: "research",
    });
    expect(await storedNames()).toEqual(["research"]);
    const fetched = await emulator.call<Record<string, unknown>>("GET", "/dataSource/1");
    expect(fetched.body).toMatchObject({ id: "1", deleted: "false" });
  });
});

describe("the tag endpoints", () => {
  const tagsOnSource = async (): Promise<string[]> =>
    (await emulator.control.store()).dataSources[0].tags.map((tag) => tag.name);

  test("are faulted like every other route: refused unprocessed, dropped after processing, corrupted", async () => {
    const { id } = await emulator.control.seedDataSource({
      name: "research",
      prefix: "s3://research-bucket",
    });
    const attach = (name: string) => emulator.call("POST", `/tag/datasource/${id}`, { body: [{ name }] });
    await emulator.control.setFaults([
      { method: "POST", path: "/tag/datasource/*", kind: "status", status: 503, retryAfter: "2", times: 1 },
      { method: "POST", path: "/tag/datasource/*", kind: "process-then-drop", times: 1 },
      { method: "DELETE", path: "/tag/datasource/*", kind: "reset", times: 1 },
      { method: "GET", path: "/dataSource/*/tags", kind: "invalid-json", times: 1 },
    ]);

    const refused = await attach("Finance.PII");
    expect([refused.status, refused.headers.get("retry-after")]).toEqual([503, "2"]);
    expect(await tagsOnSource()).toEqual([]);

    await expect(attach("Finance.PII")).rejects.toThrow("fetch failed");
    expect(await tagsOnSource()).toEqual(["Finance.PII"]);

    await expect(emulator.call("DELETE", `/tag/datasource/${id}/Finance.PII`)).rejects.toThrow(
      "fetch failed",
    );
    expect(await tagsOnSource()).toEqual(["Finance.PII"]);

    const corrupted = await emulator.call("GET", `/dataSource/${id}/tags`);
    expect(corrupted.status).toBe(200);
    expect(() => JSON.parse(corrupted.text) as unknown).toThrow();

    expect(
      (await emulator.control.requests()).map(({ method, status, fault }) => [method, status, fault]),
    ).toEqual([
      ["POST", 503, "status"],
      ["POST", 200, "process-then-drop"],
      ["DELETE", 0, "reset"],
      ["GET", 200, "invalid-json"],
    ]);
  });
});
