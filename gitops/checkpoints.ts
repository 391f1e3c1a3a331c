/**
 * When the guarded `up` may save the state once, at the end, instead of after every step.
 *
 * The engine rewrites the whole checkpoint after each step, so an update of N resources writes O(N²) bytes: adopting
 * 1,000 sources took 226 s with checkpoints and 49 s without on 2 shared CPUs (bench/adoption.js measures it).
 * Checkpoints exist so that an interrupted update remembers what it already did to the world. An adoption does
 * nothing to the world but read it (restoring a disabled source is a repeatable PUT): if the run is interrupted, the
 * next `up` adopts the same sources again by id, with reads only, and nothing is orphaned.
 */
import type { EngineReport } from "./changes";

/** Pulumi's switch for `--skip-checkpoints`: only the final state is saved (pulumi/pulumi#10668). */
export const SKIP_CHECKPOINTS_ENV = "PULUMI_SKIP_CHECKPOINTS";

/**
 * DECISION: skip checkpoints only when the previewed plan adopts sources and otherwise changes nothing: no create,
 * update, replace or delete of a data source, and no step that changes any other resource of the stack. Whatever
 * else a run does keeps Pulumi's per-step checkpoints, whose loss could orphan what was created.
 */
export function onlyAdoptions(previewed: EngineReport): boolean {
  const adopts = previewed.changes.some((change) => change.operation === "adopt");
  const passive = previewed.changes.every((change) => ["adopt", "same", "read"].includes(change.operation));
  return adopts && passive && previewed.otherChanges.length === 0;
}
