/**
 * The provider process ends once the Pulumi engine that started it is gone, without cutting an operation in two:
 * health checks against a real gRPC server standing in for the engine, and the provider's own operations.
 */
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { watchDynamicHost } from "../../provider/dynamic/host";
import { DRAIN_WITHIN_MS, EXIT_WITHIN_MS } from "../../provider/runtime/lifetime";
import {
  detectionBoundMs,
  ENGINE_WATCH_TIMING,
  grpcHealthProbe,
  watchEngine,
  type EngineProbeResult,
} from "../../provider/runtime/engine-watch";
import { drainThenExit, ProviderOperations } from "../../provider/runtime/operation-drain";
import { declaration, rejectionOf, useHarness } from "./support";

interface GrpcServer {
  bindAsync(
    address: string,
    credentials: unknown,
    callback: (error: Error | null, port: number) => void,
  ): void;
  forceShutdown(): void;
}

/** A gRPC server with no service at all, like an engine that does not implement health checks. */
async function startEngine(): Promise<{ address: string; stop(): void }> {
  const grpc = (await import("@grpc/grpc-js")) as unknown as {
    Server: new () => GrpcServer;
    ServerCredentials: { createInsecure(): unknown };
  };
  const server = new grpc.Server();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return { address: `127.0.0.1:${port}`, stop: () => server.forceShutdown() };
}

/** A probe that answers from a script, then keeps giving its last answer. */
function scriptedProbe(results: EngineProbeResult[]) {
  let checks = 0;
  let closed = false;
  return {
    get checks() {
      return checks;
    },
    get closed() {
      return closed;
    },
    check: () => Promise.resolve(results[Math.min(checks++, results.length - 1)]),
    close: () => {
      closed = true;
    },
  };
}

/** An operation the test finishes when it wants. */
function pendingOperation(operations: ProviderOperations) {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const running = operations.run("Creating", 'data source "held"', () => finished.then(() => "done"));
  return { running, finish };
}

/** The command line of Pulumi's dynamic-provider host serving the engine at `address`. */
const hostArgv = (address: string) => [
  "node",
  "/app/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js",
  address,
];

const FAST = { intervalMs: 20, probeTimeoutMs: 500, misses: 3 };

describe("health checks", () => {
  it("find an engine that answers (even without a health service), and none once it is gone", async () => {
    const engine = await startEngine();
    const health = grpcHealthProbe(engine.address, 1_000);
    try {
      expect(await health.check()).toBe("present");
      engine.stop();
      await sleep(50);
      expect(await health.check()).toBe("unreachable");
    } finally {
      health.close();
      engine.stop();
    }
  });
});

describe("watchEngine", () => {
  it("reports the engine gone after `misses` consecutive unreachable checks, not while it answers in between", async () => {
    const probe = scriptedProbe([
      "unreachable",
      "unreachable",
      "present",
      "unreachable",
      "unreachable",
      "unreachable",
    ]);
    const checksWhenGone = await new Promise<number>((resolve) =>
      watchEngine("127.0.0.1:1", { probe, timing: FAST, onGone: () => resolve(probe.checks) }),
    );
    expect(checksWhenGone).toBe(6);
    // The watch has stopped: no further check, and its probe is closed.
    await sleep(FAST.intervalMs * 3);
    expect(probe.checks).toBe(6);
    expect(probe.closed).toBe(true);
  });

  it("with a real engine: reports nothing while it is there, and that it is gone once it stops", async () => {
    const engine = await startEngine();
    let goneAt: number | undefined;
    const watch = watchEngine(engine.address, { timing: FAST, onGone: () => (goneAt = Date.now()) });
    try {
      await sleep(FAST.intervalMs * (FAST.misses + 5));
      expect(goneAt).toBeUndefined();
      const stoppedAt = Date.now();
      engine.stop();
      const giveUp = stoppedAt + 5_000;
      while (goneAt === undefined && Date.now() < giveUp) await sleep(10);
      expect(goneAt).toBeDefined();
    } finally {
      watch.stop();
      engine.stop();
    }
  });

  it("stop() ends the checks: a watch stopped before the engine goes never reports it", async () => {
    const probe = scriptedProbe(["unreachable"]);
    let gone = false;
    const watch = watchEngine("127.0.0.1:1", { probe, timing: FAST, onGone: () => (gone = true) });
    watch.stop();
    await sleep(FAST.intervalMs * (FAST.misses + 3));
    expect(gone).toBe(false);
    expect(probe.checks).toBe(0);
    expect(probe.closed).toBe(true);
  });
});

describe("drainThenExit", () => {
  it("stops starting operations, lets the running one finish, then exits", async () => {
    const operations = new ProviderOperations();
    const held = pendingOperation(operations);
    let exitedAt: number | undefined;
    const drained = drainThenExit(operations, 2_000, () => (exitedAt = Date.now()));

    const refused = await rejectionOf(
      operations.run("Creating", 'data source "late"', () => Promise.resolve("started")),
    );
    expect(refused.message).toBe(
      'Creating data source "late" was not started: the Pulumi engine that started this provider process is gone ' +
        "(the pulumi process ended without stopping it), so no result could be recorded. Run the Pulumi command again.",
    );
    await sleep(50);
    expect(exitedAt).toBeUndefined();

    const finishedAt = Date.now();
    held.finish();
    expect(await held.running).toBe("done");
    expect(await drained).toBe(true);
    expect(exitedAt! - finishedAt).toBeLessThan(200);
  });

  it("exits after `withinMs` even if an operation never finishes", async () => {
    const operations = new ProviderOperations();
    pendingOperation(operations);
    const started = Date.now();
    let exited = false;
    expect(await drainThenExit(operations, 300, () => (exited = true))).toBe(false);
    expect(exited).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe("in the provider", () => {
  const harness = useHarness();

  it("an operation the engine can no longer receive is not started: Immuta receives nothing", async () => {
    const operations = new ProviderOperations();
    const { createProvider } = await import("../../provider/resource-provider");
    const provider = createProvider({
      env: { IMMUTA_URL: harness.emulator.url, IMMUTA_API_KEY: harness.emulator.apiKey },
      operations,
    });
    try {
      const inputs = (await provider.check({}, { ...declaration("gone"), __provider: "ref" })).inputs!;
      operations.stopAccepting();
      const refused = await rejectionOf(provider.create(inputs));
      expect(refused.message).toMatch(
        /^Creating data source "gone data" \(s3:\/\/acme-gone\/raw\) was not started: the Pulumi engine/,
      );
      expect(await harness.requests()).toEqual([]);
    } finally {
      provider.close();
    }
  });

  it("is watched only inside Pulumi's dynamic-provider host, never in tests or scripts", async () => {
    const provider = await import("../../provider");
    expect(provider.engineWatch).toBeUndefined();
    expect(
      watchDynamicHost(new ProviderOperations(), ["node", path.resolve("tests/some.test.ts"), "127.0.0.1:1"]),
    ).toBeUndefined();
    const hosted = watchDynamicHost(new ProviderOperations(), hostArgv("127.0.0.1:1"), () => undefined);
    expect(hosted).toBeDefined();
    hosted!.stop();
  });

  it("the budget: running operations get what is left of 30 s once the engine is noticed gone", () => {
    expect(EXIT_WITHIN_MS).toBe(30_000);
    expect(DRAIN_WITHIN_MS).toBe(EXIT_WITHIN_MS - detectionBoundMs(ENGINE_WATCH_TIMING) - 1_000);
    expect(DRAIN_WITHIN_MS).toBeGreaterThan(20_000);
  });

  it("with the real timing: the host's process exits a few seconds after its engine stops", async () => {
    const engine = await startEngine();
    const operations = new ProviderOperations();
    let exitedAt: number | undefined;
    const watch = watchDynamicHost(operations, hostArgv(engine.address), () => (exitedAt = Date.now()));
    try {
      await sleep(ENGINE_WATCH_TIMING.intervalMs * 2);
      expect(exitedAt).toBeUndefined();
      const stoppedAt = Date.now();
      engine.stop();
      while (exitedAt === undefined && Date.now() - stoppedAt < EXIT_WITHIN_MS) await sleep(50);
      expect(exitedAt).toBeDefined();
      expect(exitedAt! - stoppedAt).toBeLessThan(EXIT_WITHIN_MS);
      await expect(operations.run("Reading", 'data source "late"', () => Promise.resolve())).rejects.toThrow(
        /was not started/,
      );
    } finally {
      watch?.stop();
      engine.stop();
    }
  });
});
