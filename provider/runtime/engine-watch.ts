/**
 * Tells when the Pulumi engine that started this process is gone. Pulumi's Node.js dynamic-provider host serves
 * gRPC until something kills it and never checks on its engine, so after `pulumi` dies without cleaning up
 * (SIGKILL, an OOM kill, a preempted CI runner) the host would run forever. This module only detects; what to do
 * then (stop starting operations, let running ones finish, exit) is the caller's (see engine-lifetime.ts).
 *
 * DECISION: the engine is gone after `misses` consecutive gRPC health checks, `intervalMs` apart, that find nothing
 * listening at its address (gRPC UNAVAILABLE: connection refused or reset), as this project's language host decides
 * it (tools/pulumi-cli/language-nodejs/engine.go). A check that times out, or that the engine answers in any way
 * (UNIMPLEMENTED included), means the engine is there, merely slow or stopped.
 */
import { loadGrpc } from "./grpc";

export interface EngineWatchTiming {
  /** Between two health checks. */
  intervalMs: number;
  /** A health check that has no answer by then counts as an answer (the engine may be busy). */
  probeTimeoutMs: number;
  /** Consecutive unreachable checks that mean the engine is gone. */
  misses: number;
}

export const ENGINE_WATCH_TIMING: EngineWatchTiming = {
  intervalMs: 1_000,
  probeTimeoutMs: 2_000,
  misses: 3,
};

/**
 * How long after the engine went away the watch reports it, at most, when checks are answered at once (a killed
 * engine's port refuses at once): it may have gone just after a check that found it, then `misses` checks follow.
 */
export function detectionBoundMs(timing: EngineWatchTiming): number {
  return (timing.misses + 1) * timing.intervalMs;
}

/** What a health check found: the engine answered (or was too busy to), or nothing listens at its address. */
export type EngineProbeResult = "present" | "unreachable";

export interface EngineProbe {
  check(): Promise<EngineProbeResult>;
  close(): void;
}

/** A gRPC health check (`grpc.health.v1.Health/Check`) of the engine at `address`, as Pulumi's own plugins do. */
export function grpcHealthProbe(address: string, timeoutMs: number): EngineProbe {
  let engine: InstanceType<ReturnType<typeof loadGrpc>["Client"]> | undefined;
  return {
    async check() {
      const grpc = loadGrpc();
      engine ??= new grpc.Client(address, grpc.credentials.createInsecure());
      return await new Promise<EngineProbeResult>((resolve) => {
        engine!.makeUnaryRequest(
          "/grpc.health.v1.Health/Check",
          (value: Buffer) => value,
          (bytes: Buffer) => bytes,
          Buffer.alloc(0), // an empty HealthCheckRequest: the server as a whole
          new grpc.Metadata(),
          { deadline: Date.now() + timeoutMs },
          (error) => resolve(error?.code === grpc.status.UNAVAILABLE ? "unreachable" : "present"),
        );
      });
    },
    close() {
      engine?.close();
    },
  };
}

export interface EngineWatchOptions {
  /** Called once, when the engine is found gone; the watch has stopped by then. */
  onGone: () => void;
  /** How the engine is checked; a gRPC health check of `address` by default (closed when the watch stops). */
  probe?: EngineProbe;
  timing?: Partial<EngineWatchTiming>;
}

export interface EngineWatch {
  stop(): void;
}

/** Checks the engine at `address` every `intervalMs` until it is gone (then calls `onGone`) or `stop()`. */
export function watchEngine(address: string, options: EngineWatchOptions): EngineWatch {
  const timing = { ...ENGINE_WATCH_TIMING, ...options.timing };
  const probe = options.probe ?? grpcHealthProbe(address, timing.probeTimeoutMs);
  let stopped = false;
  let missed = 0;
  let timer: NodeJS.Timeout | undefined;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer);
    probe.close();
  };

  const check = async () => {
    timer = undefined;
    if (stopped) return;
    const result = await probe.check().catch((): EngineProbeResult => "present");
    if (stopped) return;
    missed = result === "unreachable" ? missed + 1 : 0;
    if (missed >= timing.misses) {
      stop();
      options.onGone();
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
  return { stop };
}
