/**
 * `npm run test:live`: the acceptance scenarios against the tenant the `IMMUTA_LIVE_*` variables name, through the
 * real Pulumi engine, with a sweep before (the leftovers of an earlier, killed run) and after (whatever this run
 * left, even when a scenario failed or the run was interrupted).
 *
 * The scenarios run in a jest process in its own process group. Ctrl-C reaches this launcher only: it passes the
 * interrupt on to the group, lets `pulumi` finish the operations it has in flight (so nothing is created after the
 * sweep), waits until every process of the group is gone, then sweeps. A second Ctrl-C kills the group at once; the
 * sweep still runs.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DirectImmuta } from "./support/direct-immuta";
import {
  NOT_CONFIGURED,
  newRunId,
  readLiveSettings,
  RUN_ID_VARIABLE,
  runLayout,
  type LiveSettings,
} from "./support/settings";
import { describeSweep, sweep, sweepIncomplete } from "./support/sweep";

const REPO_ROOT = path.resolve(__dirname, "../..");

/** How long an interrupted run may take to finish what Pulumi has in flight before it is killed. */
const SETTLE_TIMEOUT_MS = 150_000;

/** A second signal this soon after the first is the same Ctrl-C delivered twice (by the terminal and by npm). */
const REPEATED_SIGNAL_MS = 2_000;

export const ExitCode = { passed: 0, failed: 1, badSettings: 2, interrupted: 130 } as const;

export interface LauncherIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: LauncherIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** True once no process of the group is left (or the wait timed out: false). */
async function groupGone(groupId: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(-groupId, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ESRCH") return true;
    }
    if (Date.now() >= deadline) return false;
    await sleep(200);
  }
}

function signalGroup(groupId: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-groupId, signal);
  } catch {
    // Already gone.
  }
}

function doctorHint(settings: LiveSettings): string {
  return (
    `Check the connection with \`npx pulumi-immuta doctor --env-only --tenant live --integration ` +
    `${settings.integrationId}\` (it reads the same IMMUTA_LIVE_* variables).`
  );
}

function elapsed(startedAt: number): string {
  const seconds = Math.round((Date.now() - startedAt) / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** Runs jest on the live project in its own process group; resolves with its exit code once the group is gone. */
async function runScenarios(
  argv: string[],
  env: NodeJS.ProcessEnv,
  runId: string,
  io: LauncherIo,
): Promise<{ code: number; interrupted: boolean }> {
  const jest = spawn(process.execPath, [require.resolve("jest/bin/jest"), "--runInBand", ...argv], {
    cwd: REPO_ROOT,
    env: { ...env, TEST_TIERS: "live", [RUN_ID_VARIABLE]: runId },
    stdio: "inherit",
    detached: true,
  });
  const groupId = jest.pid!;
  let interruptedAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interruptedAt === undefined) {
      interruptedAt = Date.now();
      io.stderr(
        `\n${signal}: stopping the live run. Pulumi finishes the operations it has in flight, then the sweep ` +
          `removes what the run created (interrupt again to stop at once).\n`,
      );
      signalGroup(groupId, "SIGINT");
    } else if (Date.now() - interruptedAt > REPEATED_SIGNAL_MS) {
      io.stderr("Interrupted again: killing the run; the sweep still runs.\n");
      signalGroup(groupId, "SIGKILL");
    }
  };
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of signals) process.on(signal, onSignal);
  try {
    const code = await new Promise<number>((resolve) => {
      jest.on("exit", (exitCode, signal) => resolve(exitCode ?? (signal === null ? 1 : 128)));
    });
    // Pulumi and its plugins may outlive jest when it was interrupted.
    if (!(await groupGone(groupId, SETTLE_TIMEOUT_MS))) {
      io.stderr(`The run's processes were still busy after ${SETTLE_TIMEOUT_MS / 1000} s: killing them.\n`);
      signalGroup(groupId, "SIGKILL");
      await groupGone(groupId, 10_000);
    }
    return { code, interrupted: interruptedAt !== undefined };
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
  }
}

export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: LauncherIo = processIo,
): Promise<number> {
  const read = readLiveSettings(env);
  if (read.kind === "absent") {
    io.stdout(`${NOT_CONFIGURED}\n`);
    return ExitCode.passed;
  }
  if (read.kind === "invalid") {
    io.stderr(`test:live: ${read.message}. See docs/live-testing.md.\n`);
    return ExitCode.badSettings;
  }
  const { settings } = read;
  const startedAt = Date.now();
  const layout = runLayout(settings, newRunId());
  io.stdout(
    `Live acceptance run ${layout.runId} against ${settings.connection.resolved.tenant.root}, integration ` +
      `${settings.integrationId}: sources under ${layout.folder}/, named ${layout.namePrefix}*\n`,
  );
  const immuta = new DirectImmuta(env);
  try {
    const before = await sweep(immuta.tenant, settings.scope);
    io.stdout(describeSweep("Leftovers of earlier runs", settings.scope, before));
    if (before.errors.length > 0 && before.removed.length === 0 && before.remaining.length === 0) {
      io.stderr(`The tenant could not be searched, so no scenario was run. ${doctorHint(settings)}\n`);
      return ExitCode.failed;
    }

    const scenarios = await runScenarios(argv, env, layout.runId, io);

    const after = await sweep(immuta.tenant, settings.scope);
    io.stdout(describeSweep("After the run", settings.scope, after));
    const clean = !sweepIncomplete(after);
    const outcome = scenarios.interrupted
      ? "interrupted"
      : scenarios.code === 0
        ? "every scenario passed"
        : "a scenario failed (see above)";
    io.stdout(
      `Live run ${layout.runId}: ${outcome}; ${clean ? "nothing left behind" : "sources LEFT BEHIND (listed above)"}` +
        ` (${elapsed(startedAt)}).\n`,
    );
    if (scenarios.interrupted) return ExitCode.interrupted;
    if (scenarios.code !== 0) return scenarios.code;
    return clean ? ExitCode.passed : ExitCode.failed;
  } finally {
    immuta.close();
  }
}
