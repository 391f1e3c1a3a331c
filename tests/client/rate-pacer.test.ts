/**
 * Pacing after Immuta's 429s: the whole client waits out Retry-After, then sends at a pace that halves with each
 * 429 and grows back while answers come without one. Times are virtual (a fake clock).
 */
import { setTimeout as realSleep } from "node:timers/promises";
import { DEFAULT_RATE_PACING } from "../../provider/client/defaults";
import { RatePacer } from "../../provider/client/rate-pacer";
import type { Clock } from "../../provider/client/types";
import { clientFor, createFakeClock, dataSourceBody, useServer } from "./support";

const server = useServer();

/**
 * A clock whose sleeps last until the test lets time pass (`pass`), so that a test can look at what the client
 * sent while one of its requests is still waiting.
 */
function heldClock(startMs = 1_000_000) {
  let now = startMs;
  const waiting: { until: number; wake: () => void }[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: (ms) => new Promise<void>((wake) => waiting.push({ until: now + ms, wake })),
  };
  return {
    clock,
    /** Sleeps under way, as how long each has left. */
    sleepsLeft: () => waiting.map((sleep) => sleep.until - now),
    /** Moves time to the end of the earliest sleep and ends every sleep due by then. */
    pass() {
      if (waiting.length === 0) return;
      now = Math.max(now, Math.min(...waiting.map((sleep) => sleep.until)));
      for (const due of waiting.filter((sleep) => sleep.until <= now)) {
        waiting.splice(waiting.indexOf(due), 1);
        due.wake();
      }
    },
  };
}

/** Waits (in real time) until `condition` holds, for at most 5 s. */
async function until(condition: () => boolean): Promise<void> {
  for (const giveUpAt = Date.now() + 5_000; !condition(); await realSleep(5)) {
    if (Date.now() > giveUpAt) throw new Error("the condition never held");
  }
}

function pacer(startMs = 0) {
  const clock = createFakeClock({ startMs });
  return { clock, pacer: new RatePacer(clock, DEFAULT_RATE_PACING) };
}

describe("RatePacer", () => {
  it("lets requests go at once, with no wait, until Immuta answers 429", async () => {
    const { clock, pacer: paced } = pacer();
    for (let index = 0; index < 20; index++) {
      await paced.turn(Infinity);
      paced.answered();
    }
    expect(clock.sleeps).toEqual([]);
    expect(paced.pace).toBeUndefined();
  });

  it("after a 429, every request waits for Retry-After, then they go at half the pace of the last second", async () => {
    const { clock, pacer: paced } = pacer(10_000);
    for (let index = 0; index < 10; index++) paced.answered(); // 10 answers in the last second
    const sentAt = clock.now();
    paced.limited(sentAt, 1_000);
    expect(paced.pace).toBe(5);
    const starts = await Promise.all([1, 2, 3].map(() => paced.turn(Infinity)));
    // All waited for Retry-After; then one every 200 ms (5 a second).
    expect(starts).toEqual([11_000, 11_200, 11_400]);
  });

  it("decreases once per excess: 429s to requests sent before the last decrease do not halve the pace again", () => {
    const { clock, pacer: paced } = pacer(10_000);
    for (let index = 0; index < 8; index++) paced.answered();
    const burst = clock.now();
    clock.advance(10);
    paced.limited(burst, 1_000);
    paced.limited(burst, 1_000);
    paced.limited(burst, 1_000);
    expect(paced.pace).toBe(4);
    clock.advance(2_000);
    paced.limited(clock.now(), 1_000);
    expect(paced.pace).toBe(2);
  });

  it("grows back by about a request per second for each second of answers, and stops after a minute without 429", async () => {
    const { clock, pacer: paced } = pacer(10_000);
    for (let index = 0; index < 8; index++) paced.answered();
    paced.limited(clock.now(), 0);
    expect(paced.pace).toBe(4);
    // One second of answers at the pace: 4 answers add 4 × 1/4.
    for (let index = 0; index < 4; index++) {
      await paced.turn(Infinity);
      paced.answered();
    }
    expect(paced.pace).toBeCloseTo(4.97, 1);
    clock.advance(DEFAULT_RATE_PACING.releaseAfterMs);
    paced.answered();
    expect(paced.pace).toBeUndefined();
  });

  it("never paces slower than the minimum, and refuses a turn that would come after the request's deadline", async () => {
    const { clock, pacer: paced } = pacer(10_000);
    for (let index = 0; index < 10; index++) paced.limited(clock.now() + index, undefined);
    expect(paced.pace).toBe(DEFAULT_RATE_PACING.minimumPerSecond);
    paced.limited(clock.now() + 100, 30_000);
    await expect(paced.turn(clock.now() + 5_000)).rejects.toBe("deadline");
  });
});

describe("in the client", () => {
  it("without a 429, concurrent requests go out at once: no wait is added", async () => {
    server().route("GET", /^\/dataSource\/\d+$/, { json: dataSourceBody({ id: 1 }) });
    const clock = createFakeClock();
    const client = clientFor(server(), { clock });
    const startedAt = clock.now();
    await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((id) => client.getDataSource(id)));
    expect(clock.sleeps).toEqual([]);
    expect(clock.now()).toBe(startedAt);
    expect(server().requests).toHaveLength(8);
  });

  it("a request started while another waits out a 429's Retry-After is not sent before that wait ends", async () => {
    server()
      .expect("GET", "/dataSource/1", { status: 429, headers: { "retry-after": "3" }, body: "" })
      .route("GET", /^\/dataSource\/[12]$/, { json: dataSourceBody({ id: 1 }) });
    const held = heldClock();
    const client = clientFor(server(), { clock: held.clock });
    const startedAt = held.clock.now();

    const refusedFirst = client.getDataSource(1);
    await until(() => held.sleepsLeft().length === 1);
    expect(held.sleepsLeft()).toEqual([3_000]); // its own retry waits Retry-After
    const second = client.getDataSource(2);
    // The second request waits for the tenant's Retry-After too, instead of running into the limit.
    await until(() => held.sleepsLeft().length === 2);
    expect(held.sleepsLeft()).toEqual([3_000, 3_000]);
    await realSleep(50);
    expect(server().requests.map((request) => request.path)).toEqual(["/dataSource/1"]);

    let settled = false;
    const both = Promise.all([refusedFirst, second]).finally(() => (settled = true));
    while (!settled) {
      held.pass();
      await realSleep(5);
    }
    await both;
    const sent = server().requests.map((request) => request.path);
    expect(sent.slice(1).sort()).toEqual(["/dataSource/1", "/dataSource/2"]);
    // Neither went out before the 3 s Retry-After.
    expect(held.clock.now() - startedAt).toBeGreaterThanOrEqual(3_000);
  });

  it("a 429 makes the client's other requests wait out Retry-After too, instead of hitting the limit", async () => {
    server()
      .expect("GET", "/dataSource/1", { status: 429, headers: { "retry-after": "3" }, body: "" })
      .expect("GET", "/dataSource/1", { json: dataSourceBody({ id: 1 }) })
      .expect("GET", "/dataSource/2", { json: dataSourceBody({ id: 2 }) });
    const clock = createFakeClock();
    const client = clientFor(server(), { clock });
    const startedAt = clock.now();
    await client.getDataSource(1);
    // The next request, sent after the retry succeeded, waits for its turn at the pace set by the 429.
    const before = clock.now();
    await client.getDataSource(2);
    expect(before - startedAt).toBe(3_000);
    // The pace after a 429 with no answer in the last second is the minimum, 0.5 a second; the retry's answer
    // raised it to 1.5 a second.
    expect(clock.now() - before).toBe(Math.ceil(1_000 / 1.5));
    expect(server().requests.map((request) => request.path)).toEqual([
      "/dataSource/1",
      "/dataSource/1",
      "/dataSource/2",
    ]);
  });
});
