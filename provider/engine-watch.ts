/**
 * Ends this provider process once the Pulumi engine that started it is gone. Pulumi's Node.js dynamic-provider host
 * serves gRPC until something kills it and never checks on its engine, so after `pulumi` dies without cleaning up
 * (SIGKILL, an OOM kill, a preempted CI runner) the host would run forever, still holding connections to Immuta.
 *
 * DECISION: the engine is gone after `misses` consecutive gRPC health checks, `intervalMs` apart, that find nothing
 * listening at its address (gRPC UNAVAILABLE: connection refused or reset), as this project's language host decides
 * it (tools/pulumi-cli/language-nodejs/engine.go). A check that times out, or that the engine answers in any way
 * (UNIMPLEMENTED included), means the engine is there, merely slow or stopped. Then no new operation starts, the
 * operations under way may finish, and the process exits within `exitWithinMs` of the engine going away whether
 * they finished or not: nobody is left to receive their results.
 */
import { engineAddressOf } from "./engine-log";
import { loadGrpc, type GrpcClient } from "./engine-rpc";
import { ImmutaProviderError } from "./errors";

export interface EngineWatchTiming {
  /** Between two health checks. */
  intervalMs: number;
  /** A health check that has no answer by then counts as an answer (the engine may be busy). */
  probeTimeoutMs: number;
  /** Consecutive unreachable checks that mean the engine is gone. */
  misses: number;
  /** The process exits at most this long after the engine went away. */
  exitWithinMs: number;
}

export const ENGINE_WATCH_TIMING: EngineWatchTiming = {
  intervalMs: 1_000,
  probeTimeoutMs: 2_000,
  misses: 3,
  exitWithinMs: 30_000,
};

/** What a health check found: the engine answered (or was too busy to), or nothing listens at its address. */
export type EngineProbeResult = "present" | "unreachable";

export type EngineProbe = () => Promise<EngineProbeResult>;

/**
 * The lifecycle operations running in this process. Once the engine is gone it refuses new ones and tells when the
 * running ones have settled, so that the process can exit without cutting a request to Immuta in two.
 */
export class ProviderOperations {
  #running = 0;
  #accepting = true;
  #settledWaiters: (() => void)[] = [];

  get running(): number {
    return this.#running;
  }

  async run<T>(action: string, subject: string, work: () => Promise<T>): Promise<T> {
    if (!this.#accepting) {
      throw new ImmutaProviderError(
        `${action} ${subject} was not started: the Pulumi engine that started this provider process is gone (the ` +
          `pulumi process ended without stopping it), so no result could be recorded. Run the Pulumi command again.`,
      );
    }
    this.#running++;
    try {
      return await work();
    } finally {
      this.#running--;
      if (this.#running === 0) for (const settled of this.#settledWaiters.splice(0)) settled();
    }
  }

  /** No operation starts after this. */
  stopAccepting(): void {
    this.#accepting = false;
  }

  /** Resolves with true once no operation runs, or with false after `timeoutMs`. */
  settled(timeoutMs: number): Promise<boolean> {
    if (this.#running === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs));
      timer.unref();
      this.#settledWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

/** A gRPC health check (`grpc.health.v1.Health/Check`) of the engine at `address`, as Pulumi's own plugins do. */
export function grpcHealthProbe(address: string, timeoutMs: number): { probe: EngineProbe; close(): void } {
  let client: Promise<{ grpc: Awaited<ReturnType<typeof loadGrpc>>; client: GrpcClient }> | undefined;
  const connect = () =>
    loadGrpc().then((grpc) => ({
      grpc,
      client: new grpc.Client(address, grpc.credentials.createInsecure()),
    }));
  return {
    async probe() {
      client ??= connect();
      const { grpc, client: engine } = await client;
      return new Promise<EngineProbeResult>((resolve) => {
        engine.makeUnaryRequest(
          "/grpc.health.v1.Health/Check",
          (value) => value,
          (bytes) => bytes,
          Buffer.alloc(0), // an empty HealthCheckRequest: the server as a whole
          new grpc.Metadata(),
          { deadline: Date.now() + timeoutMs },
          (error) => resolve(error?.code === grpc.status.UNAVAILABLE ? "unreachable" : "present"),
        );
      });
    },
    close() {
      void client?.then(
        ({ client: engine }) => engine.close(),
        () => undefined,
      );
    },
  };
}

export interface EngineWatchOptions {
  probe: EngineProbe;
  operations: ProviderOperations;
  /** Ends the process; the watch calls it once. */
  exit: () => void;
  timing?: Partial<EngineWatchTiming>;
  /** Called with what the watch decided, for tests; the engine is gone, so there is nobody to tell. */
  onGone?: (finished: boolean) => void;
}

export interface EngineWatch {
  stop(): void;
}

/** Checks the engine every `intervalMs`; once it is gone, lets running operations finish in time, then exits. */
export function watchEngine(options: EngineWatchOptions): EngineWatch {
  const timing = { ...ENGINE_WATCH_TIMING, ...options.timing };
  // The engine may have gone just after the last check that found it: detecting that takes up to `misses + 1`
  // intervals (and a check that is answered at once). What is left of `exitWithinMs`, less a second of margin for
  // a loaded machine, is the time running operations get.
  const drainMs = timing.exitWithinMs - (timing.misses + 1) * timing.intervalMs - 1_000;
  let stopped = false;
  let missed = 0;
  let timer: NodeJS.Timeout | undefined;

  const gone = async () => {
    options.operations.stopAccepting();
    const finished = await options.operations.settled(drainMs);
    options.onGone?.(finished);
    options.exit();
  };

  const check = async () => {
    timer = undefined;
    if (stopped) return;
    const result = await options.probe().catch((): EngineProbeResult => "present");
    if (stopped) return;
    missed = result === "unreachable" ? missed + 1 : 0;
    if (missed >= timing.misses) {
      stopped = true;
      await gone();
      return;
    }
    schedule();
  };

  const schedule = () => {
    // Never what keeps the process alive: the host's gRPC server does that while the engine is there.
    timer = setTimeout(() => void check(), timing.intervalMs);
    timer.unref();
  };

  schedule();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** Watches the engine when this process is Pulumi's dynamic-provider host (see `engineAddressOf`); else nothing. */
export function watchProcessEngine(
  operations: ProviderOperations,
  argv: readonly string[] = process.argv,
): EngineWatch | undefined {
  const address = engineAddressOf(argv);
  if (address === undefined) return undefined;
  const health = grpcHealthProbe(address, ENGINE_WATCH_TIMING.probeTimeoutMs);
  return watchEngine({
    probe: health.probe,
    operations,
    exit() {
      health.close();
      process.exit(0);
    },
  });
}
