/**
 * The `pulumi` CLI as a plain child process, with the same isolated environment as the Automation API stacks of
 * `createTestStack` (file:// backend, PULUMI_HOME, passphrase). For what the Automation API cannot do: kill the
 * CLI with SIGKILL in the middle of an operation, or run a command it does not wrap.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
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

/**
 * A process a CLI started, directly or not. Pulumi starts each plugin (language host, providers) in a process group
 * of its own, so the CLI's group alone does not hold them; its descendants, and their groups, do.
 */
export interface StartedProcess {
  pid: number;
  /** Process group: a plugin and the children it starts share one. */
  pgid: number;
  /** Start time in clock ticks since boot: tells a reused pid from the process. */
  startTicks: number;
  command: string;
}

interface ProcStat {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  startTicks: number;
}

/** Every process on the machine, from /proc (Linux). */
function processTable(): ProcStat[] {
  if (!fs.existsSync("/proc/self/stat")) throw new Error("process tracking needs /proc (Linux)");
  const table: ProcStat[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let text: string;
    try {
      text = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    // `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses, so split after its last ')'.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    table.push({
      pid: Number(entry),
      state: fields[0],
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      startTicks: Number(fields[19]),
    });
  }
  return table;
}

function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return "";
  }
}

/** The processes a CLI started by `spawnPulumi` runs now, itself excluded; take it while the CLI is alive. */
export function processFamily(run: CliRun): StartedProcess[] {
  const root = run.child.pid;
  if (root === undefined) return [];
  const table = processTable();
  const family = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const process of table) {
      if (!family.has(process.pid) && family.has(process.ppid)) {
        family.add(process.pid);
        grew = true;
      }
    }
  }
  return table
    .filter((process) => process.pid !== root && family.has(process.pid))
    .map(({ pid, pgid, startTicks }) => ({ pid, pgid, startTicks, command: commandOf(pid) }));
}

/**
 * Those still running of the processes in `family`, or of processes started later in their process groups (a
 * plugin's children); zombies left out.
 */
export function stillRunning(family: readonly StartedProcess[]): StartedProcess[] {
  const known = new Map(family.map((process) => [process.pid, process.startTicks]));
  const groups = new Set(family.map((process) => process.pgid));
  return processTable()
    .filter((process) => process.state !== "Z")
    .filter((process) => known.get(process.pid) === process.startTicks || groups.has(process.pgid))
    .map(({ pid, pgid, startTicks }) => ({ pid, pgid, startTicks, command: commandOf(pid) }));
}

/** SIGKILLs whatever still runs of `family` (a test's clean-up); ignores processes already gone. */
export function killFamily(family: readonly StartedProcess[]): void {
  for (const process of stillRunning(family)) {
    try {
      globalThis.process.kill(process.pid, "SIGKILL");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  }
}
