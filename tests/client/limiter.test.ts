import { InFlightLimiter } from "../../provider/client/limiter";

test("grants slots up to the limit, then in FIFO order as slots are released", async () => {
  const limiter = new InFlightLimiter(2);
  const order: string[] = [];
  const releaseA = await limiter.acquire();
  const releaseB = await limiter.acquire();
  const c = limiter.acquire().then((release) => (order.push("c"), release));
  const d = limiter.acquire().then((release) => (order.push("d"), release));
  expect(limiter.waiting).toBe(2);

  releaseA();
  releaseA(); // a second call is harmless
  const releaseC = await c;
  expect(order).toEqual(["c"]);
  expect(limiter.active).toBe(2);

  releaseB();
  (await d)();
  releaseC();
  expect(limiter.active).toBe(0);
  expect(order).toEqual(["c", "d"]);
});

test("a waiter whose signal aborts leaves the queue and the slot goes to the next one", async () => {
  const limiter = new InFlightLimiter(1);
  const release = await limiter.acquire();
  const controller = new AbortController();
  const aborted = limiter.acquire(controller.signal);
  const next = limiter.acquire();

  controller.abort(new Error("deadline"));
  await expect(aborted).rejects.toThrow("deadline");
  release();
  (await next)();
  expect(limiter.active).toBe(0);
  expect(limiter.waiting).toBe(0);
});

test("refuses a limit below 1", () => {
  expect(() => new InFlightLimiter(0)).toThrow(RangeError);
});
