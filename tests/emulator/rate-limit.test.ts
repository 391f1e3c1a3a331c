import { RateLimiter } from "../../emulator/rate-limit";
import { startTestEmulator, type BoomBody, type TestEmulator } from "./helpers/emulator";

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.control.reset());

test("off by default: a burst of requests is answered in full", async () => {
  const statuses = await Promise.all(Array.from({ length: 40 }, () => emulator.call("GET", "/dataSource")));
  expect(statuses.every((response) => response.status === 200)).toBe(true);
});

test("above the rate: 429 Boom envelopes with Retry-After, not processed, logged as 429", async () => {
  await emulator.control.setModes({ rateLimit: { requestsPerSecond: 0.5, burst: 3 } });
  const responses = [];
  for (let index = 0; index < 5; index++) {
    responses.push(await emulator.create(`source-${index}`, `bucket-a/${index}`));
  }
  expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 429, 429]);
  const refused = responses[3];
  // One token takes 2 s at 0.5 per second; a little of it has already refilled (the exact arithmetic is unit-tested).
  const retryAfter = Number(refused.headers.get("retry-after"));
  expect([1, 2]).toContain(retryAfter);
  expect(refused.body as unknown).toEqual({
    statusCode: 429,
    error: "Too Many Requests",
    message: `Rate limit exceeded: too many requests to this tenant; retry after ${retryAfter} s`,
  } satisfies BoomBody);
  expect((await emulator.control.store()).dataSources.map((source) => source.name)).toEqual([
    "source-0",
    "source-1",
    "source-2",
  ]);
  const logged = await emulator.control.requests();
  expect(logged.map((entry) => entry.status)).toEqual([200, 200, 200, 429, 429]);
  expect(logged[3].user).toBeUndefined();
  expect(logged[3].fault).toBeUndefined();
});

test("below the rate: none refused; the bucket refills at the rate", async () => {
  await emulator.control.setModes({ rateLimit: { requestsPerSecond: 20, burst: 2 } });
  const statuses = [];
  for (let index = 0; index < 6; index++) {
    statuses.push((await emulator.call("GET", "/dataSource")).status);
    await new Promise((resolve) => setTimeout(resolve, 60)); // 20/s is one token per 50 ms
  }
  expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
});

test("the control API is never limited, and setting a limit (or reset) starts a full bucket", async () => {
  await emulator.control.setModes({ rateLimit: { requestsPerSecond: 1, burst: 1 } });
  expect((await emulator.call("GET", "/dataSource")).status).toBe(200);
  expect((await emulator.call("GET", "/dataSource")).status).toBe(429);
  for (let index = 0; index < 5; index++) await emulator.control.store();
  await emulator.control.setModes({ rateLimit: { requestsPerSecond: 1, burst: 1 } });
  expect((await emulator.call("GET", "/dataSource")).status).toBe(200);
  await emulator.control.setModes({ rateLimit: null });
  expect((await emulator.call("GET", "/dataSource")).status).toBe(200);
  expect((await emulator.control.modes()).rateLimit).toBeNull();
});

test("rate limit settings are validated", async () => {
  for (const rateLimit of [{ requestsPerSecond: 0 }, { requestsPerSecond: 1, burst: 0 }, { burst: 2 }]) {
    await expect(
      emulator.control.setModes({ rateLimit: rateLimit as { requestsPerSecond: number } }),
    ).rejects.toMatchObject({ status: 400 });
  }
});

test("a rate limit passed at start applies from the first request", async () => {
  const limited = await startTestEmulator({ rateLimit: { requestsPerSecond: 1 } });
  try {
    expect((await limited.call("GET", "/dataSource")).status).toBe(200);
    const refused = await limited.call("GET", "/dataSource");
    expect([refused.status, refused.headers.get("retry-after")]).toEqual([429, "1"]);
  } finally {
    await limited.close();
  }
});

describe("the token bucket", () => {
  test("burst tokens at once, then one per 1/rate seconds; Retry-After is the whole seconds to the next token", () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const limit = { requestsPerSecond: 0.25, burst: 2 };
    expect([limiter.take(limit), limiter.take(limit)]).toEqual([{ allowed: true }, { allowed: true }]);
    expect(limiter.take(limit)).toEqual({ allowed: false, retryAfterSeconds: 4 });
    now = 2500; // 0.625 of a token
    expect(limiter.take(limit)).toEqual({ allowed: false, retryAfterSeconds: 2 });
    now = 4000;
    expect(limiter.take(limit)).toEqual({ allowed: true });
    now = 100_000; // refills only up to the burst
    expect([limiter.take(limit), limiter.take(limit), limiter.take(limit)]).toEqual([
      { allowed: true },
      { allowed: true },
      { allowed: false, retryAfterSeconds: 4 },
    ]);
  });

  test("the burst defaults to one second's worth (at least 1); no limit allows everything", () => {
    const limiter = new RateLimiter(() => 0);
    const results = Array.from({ length: 4 }, () => limiter.take({ requestsPerSecond: 3 }).allowed);
    expect(results).toEqual([true, true, true, false]);
    expect(new RateLimiter(() => 0).take({ requestsPerSecond: 0.1 }).allowed).toBe(true);
    expect(limiter.take(null)).toEqual({ allowed: true });
  });
});
