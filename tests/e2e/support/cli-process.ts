/**
 * The `pulumi` CLI as a plain child process, with the same isolated environment as the Automation API stacks of
 * `createTestStack` (file:// backend, PULUMI_HOME, passphrase). For what the Automation API cannot do: kill the
 * CLI with SIGKILL in the middle of an operation, or run a command it does not wrap.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { pulumiBinDir } from "./pulumi-cli";
import { PASSPHRASE, type TestStack } from "./stack";

export interface CliRun {
  child: ChildProcess;
  /** Everything the CLI printed so far (stdout and stderr interleaved). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The environment `createTestStack` gives its workspace, plus the provisioned CLI first on PATH. */
export function cliEnvironment(test: TestStack, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${pulumiBinDir()}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_BACKEND_URL: `file://${test.backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_HOME: path.join(test.root, "pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    IMMUTA_URL: "",
    IMMUTA_API_KEY: "",
    ...extra,
  };
}

/**
 * Starts `pulumi <args> --non-interactive` in the stack's program directory, in a process group of its own, so a
 * test can kill the CLI alone (`child.kill`) and later the plugins it leaves behind (`killGroup`).
 */
export function spawnPulumi(test: TestStack, args: string[], extraEnv: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(path.join(pulumiBinDir(), "pulumi"), [...args, "--non-interactive"], {
    cwd: test.programDir,
    env: cliEnvironment(test, extraEnv),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Runs a CLI command to its end; resolves with its exit code and output (never rejects on a failure). */
export async function runPulumi(
  test: TestStack,
  args: string[],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; output: string }> {
  const run = spawnPulumi(test, args, extraEnv);
  const { code } = await run.exited;
  // stdio may deliver its last chunks after `exit`.
  await new Promise((resolve) => setImmediate(resolve));
  return { code, output: run.output() };
}

/** SIGKILLs every process still in the group of a CLI started by `spawnPulumi` (its plugins); ignores a gone group. */
export function killGroup(run: CliRun): void {
  if (run.child.pid === undefined) return;
  try {
    process.kill(-run.child.pid, "SIGKILL");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

/** Process ids still alive in the group of a CLI started by `spawnPulumi` (zombies left out). */
export function groupMembers(run: CliRun): number[] {
  if (run.child.pid === undefined) return [];
  const listing = execFileSync("ps", ["-eo", "pid=,pgid=,stat="], { encoding: "utf8" });
  return listing
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([, pgid, stat]) => Number(pgid) === run.child.pid && !stat?.startsWith("Z"))
    .map(([pid]) => Number(pid));
}
