/**
 * The provider process ends once the Pulumi engine that started it is gone, without cutting an operation in two:
 * health checks against a real gRPC server standing in for the engine, and the provider's own operations.
 */
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  grpcHealthProbe,
  ProviderOperations,
  watchEngine,
  watchProcessEngine,
  type EngineProbeResult,
} from "../../provider/engine-watch";
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
  return {
    get checks() {
      return checks;
    },
    probe: () => Promise.resolve(results[Math.min(checks++, results.length - 1)]),
  };
}

/** An operation the test finishes when it wants. */
function pendingOperation(operations: ProviderOperations) {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const running = operations.run("Creating", 'data source "held"', () => finished.then(() => "done"));
  return { running, finish };
}

const FAST = { intervalMs: 20, probeTimeoutMs: 500, misses: 3, exitWithinMs: 2_000 };

describe("health checks", () => {
  it("find an engine that answers (even without a health service), and none once it is gone", async () => {
    const engine = await startEngine();
    const health = grpcHealthProbe(engine.address, 1_000);
    try {
      expect(await health.probe()).toBe("present");
      engine.stop();
      await sleep(50);
      expect(await health.probe()).toBe("unreachable");
    } finally {
      health.close();
      engine.stop();
    }
  });
});

describe("watchEngine", () => {
  it("exits after `misses` consecutive unreachable checks, and not while the engine answers in between", async () => {
    const probe = scriptedProbe([
      "unreachable",
      "unreachable",
      "present",
      "unreachable",
      "unreachable",
      "unreachable",
    ]);
    const exited = new Promise<number>((resolve) =>
      watchEngine({
        probe: probe.probe,
        operations: new ProviderOperations(),
        exit: () => resolve(probe.checks),
        timing: FAST,
      }),
    );
    expect(await exited).toBe(6);
  });

  it("stops starting operations, lets the running one finish, then exits", async () => {
    const operations = new ProviderOperations();
    const held = pendingOperation(operations);
    let exitedAt: number | undefined;
    let outcome: boolean | undefined;
    const watch = watchEngine({
      probe: () => Promise.resolve("unreachable" as const),
      operations,
      exit: () => (exitedAt = Date.now()),
      onGone: (finished) => (outcome = finished),
      timing: FAST,
    });
    try {
      await sleep(FAST.intervalMs * (FAST.misses + 3));
      const refused = await rejectionOf(
        operations.run("Creating", 'data source "late"', () => Promise.resolve("started")),
      );
      expect(refused.message).toBe(
        'Creating data source "late" was not started: the Pulumi engine that started this provider process is gone ' +
          "(the pulumi process ended without stopping it), so no result could be recorded. Run the Pulumi command again.",
      );
      expect(exitedAt).toBeUndefined();

      const finishedAt = Date.now();
      held.finish();
      expect(await held.running).toBe("done");
      await sleep(20);
      expect(outcome).toBe(true);
      expect(exitedAt! - finishedAt).toBeLessThan(200);
    } finally {
      watch.stop();
    }
  });

  it("exits within exitWithinMs of the engine going away, even if an operation never finishes", async () => {
    const operations = new ProviderOperations();
    pendingOperation(operations);
    const started = Date.now();
    const outcome = await new Promise<boolean>((resolve) => {
      let finished: boolean | undefined;
      watchEngine({
        probe: () => Promise.resolve("unreachable" as const),
        operations,
        exit: () => resolve(finished!),
        onGone: (value) => (finished = value),
        timing: FAST,
      });
    });
    expect(outcome).toBe(false);
    const took = Date.now() - started;
    // The budget: exitWithinMs less the time to notice (misses + 1 intervals) and a second of margin.
    expect(took).toBeGreaterThanOrEqual(FAST.exitWithinMs - (FAST.misses + 1) * FAST.intervalMs - 1_000);
    expect(took).toBeLessThan(FAST.exitWithinMs);
  });

  it("with a real engine: nothing happens while it is there; the process exits once it stops", async () => {
    const engine = await startEngine();
    const health = grpcHealthProbe(engine.address, FAST.probeTimeoutMs);
    let exited = false;
    const watch = watchEngine({
      probe: health.probe,
      operations: new ProviderOperations(),
      exit: () => (exited = true),
      timing: FAST,
    });
    try {
      await sleep(FAST.intervalMs * (FAST.misses + 5));
      expect(exited).toBe(false);
      engine.stop();
      const giveUp = Date.now() + FAST.exitWithinMs;
      while (!exited && Date.now() < giveUp) await sleep(10);
      expect(exited).toBe(true);
    } finally {
      watch.stop();
      health.close();
      engine.stop();
    }
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
      watchProcessEngine(new ProviderOperations(), [
        "node",
        path.resolve("tests/some.test.ts"),
        "127.0.0.1:1",
      ]),
    ).toBeUndefined();
    const hosted = watchProcessEngine(new ProviderOperations(), [
      "node",
      "/app/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js",
      "127.0.0.1:1",
    ]);
    expect(hosted).toBeDefined();
    hosted!.stop();
  });
});
