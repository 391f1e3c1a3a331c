/**
 * The guard against a bad merge wiping the catalogue: a change that deletes or replaces more sources than allowed
 * fails before anything is applied, unless explicitly allowed.
 */
import type { SourceChange } from "./changes";

export interface GuardPolicy {
  /** Most deletions plus replacements a change may make without `allowDestructive`. */
  maxDestructive: number;
  /** Allows any number (`--allow-destructive`). */
  allowDestructive: boolean;
}

export interface GuardVerdict {
  /** The sources the change would delete or replace. */
  destructive: SourceChange[];
  maxDestructive: number;
  /** False when the guard trips: nothing may be applied. */
  passes: boolean;
  /** True when the limit is exceeded but `allowDestructive` lets the change through. */
  overridden: boolean;
}

/** Deleting a source purges it, and replacing one drops its policies in Immuta: both count. */
export function isDestructive(change: SourceChange): boolean {
  return change.operation === "delete" || change.operation === "replace";
}

export function evaluateGuard(changes: readonly SourceChange[], policy: GuardPolicy): GuardVerdict {
  const destructive = changes.filter(isDestructive);
  const exceeded = destructive.length > policy.maxDestructive;
  return {
    destructive,
    maxDestructive: policy.maxDestructive,
    passes: !exceeded || policy.allowDestructive,
    overridden: exceeded && policy.allowDestructive,
  };
}
