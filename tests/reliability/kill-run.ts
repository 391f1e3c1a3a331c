/**
 * Killing `pulumi up` with SIGKILL at a chosen moment, and watching what it leaves behind: the processes it had
 * started (which must all end on their own) and its checkpoint.
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  processFamily,
  spawnPulumi,
  stillRunning,
  type CliRun,
  type StartedProcess,
} from "../e2e/support/cli-process";
import type { TestStack } from "../e2e/support/stack";

export interface KilledRun {
  run: CliRun;
  /** What the CLI had started (language host, program, providers) just before the kill. */
  family: StartedProcess[];
  killedAt: number;
}

/**
 * Starts `pulumi up --continue-on-error` and SIGKILLs it as soon as `moment()` holds. Fails when the run ends first
 * or `timeoutMs` passes, with what the CLI printed. `--continue-on-error`: a create that fails (a name someone
 * registered by hand) must not end the run before the moment comes; the engine otherwise stops starting creates at
 * the first failure, and it starts them roughly, not exactly, in the program's order.
 */
export async function killUpWhen(
  test: TestStack,
  moment: () => Promise<boolean>,
  timeoutMs = 180_000,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<KilledRun> {
  const run = spawnPulumi(
    test,
    ["up", "--yes", "--skip-preview", "--continue-on-error", "--stack", test.stack.name],
    extraEnv,
  );
  const giveUpAt = Date.now() + timeoutMs;
  while (!(await moment())) {
    if (Date.now() > giveUpAt || run.child.exitCode !== null) {
      run.child.kill("SIGKILL");
      throw new Error(`pulumi up never reached the moment of the kill:\n${run.output()}`);
    }
    await sleep(25);
  }
  const family = processFamily(run);
  run.child.kill("SIGKILL");
  const killedAt = Date.now();
  const exited = await run.exited;
  if (exited.signal !== "SIGKILL") throw new Error(`pulumi ended before the kill:\n${run.output()}`);
  return { run, family, killedAt };
}

/**
 * Waits until nothing the killed CLI started still runs (but what `mayLinger` allows), for at most `limitMs` after
 * the kill; returns how long after the kill the last one ended, and whatever still runs at the limit.
 */
export async function processesEnded(
  killed: KilledRun,
  limitMs = 60_000,
  mayLinger: (process: StartedProcess) => boolean = () => false,
): Promise<{ endedAfterMs: number; survivors: StartedProcess[] }> {
  for (;;) {
    const survivors = stillRunning(killed.family).filter((process) => !mayLinger(process));
    const elapsed = Date.now() - killed.killedAt;
    if (survivors.length === 0 || elapsed >= limitMs) return { endedAfterMs: elapsed, survivors };
    await sleep(100);
  }
}

/** The creates the checkpoint file holds as pending right now (file backend), 0 while it cannot be read. */
export function pendingCreatesNow(test: TestStack): number {
  try {
    const latest = (
      JSON.parse(test.stateFileText()) as {
        checkpoint: { latest?: { pending_operations?: { type: string }[] } };
      }
    ).checkpoint.latest;
    return (latest?.pending_operations ?? []).filter((operation) => operation.type === "creating").length;
  } catch {
    return 0; // not written yet, or caught mid-write
  }
}
