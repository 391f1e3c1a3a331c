/**
 * Ties a provider process's life to the Pulumi engine's: once the engine that started it is gone, no new operation
 * starts, the running ones may finish, and the process exits within `EXIT_WITHIN_MS` of the engine going away. The
 * one watch-and-drain both front doors use (the dynamic-provider host and the native plugin).
 */
import { detectionBoundMs, ENGINE_WATCH_TIMING, watchEngine, type EngineWatch } from "./engine-watch";
import { drainThenExit, type ProviderOperations } from "./operation-drain";

/** The process exits at most this long after the engine went away. */
export const EXIT_WITHIN_MS = 30_000;

/**
 * What is left of `EXIT_WITHIN_MS` for running operations once the engine is found gone: the time to notice, and
 * a second of margin for a loaded machine, come off it.
 */
export const DRAIN_WITHIN_MS = EXIT_WITHIN_MS - detectionBoundMs(ENGINE_WATCH_TIMING) - 1_000;

/** Watches the engine at `address`; once it is gone, drains `operations`, then calls `exit`. */
export function endWithEngine(
  address: string,
  operations: ProviderOperations,
  exit: () => void,
): EngineWatch {
  return watchEngine(address, {
    onGone: () => void drainThenExit(operations, DRAIN_WITHIN_MS, exit),
  });
}
