/**
 * `recover`: one command after a `pulumi up` that was killed (a CI runner preempted, a laptop closed). It removes
 * the lock the dead run left (only when its process is gone), repairs a checkpoint whose metadata write the kill
 * cut, records and clears the creates the run had in flight, and finishes the update through the guarded `up`
 * with a recovery file that lets the provider adopt, on the 409, exactly the sources those creates registered
 * (provider/interrupted-run.ts). It reports what it found and did.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { adoptedSourceOf, formatRecoveryFile, RECOVERY_FILE_ENV, type RecoveryFile } from "../provider/api";
import { dataSourcesOf, logicalName, pendingOperationsOf, type PendingOperations } from "./checkpoint";
import { isCutMetadataWrite, repairCutMetadataWrite } from "./checkpoint-repair";
import { runGuardedUp, type CommandResult, type EngineOutput } from "./commands";
import { DEFAULT_MAX_CLOCK_SKEW_SECONDS, PREPARED_RECOVERY_VALID_MS, RECOVERY_VALID_MS } from "./defaults";
import { ExitCode } from "./exit-codes";
import type { GuardPolicy } from "./guard";
import { renderRecovery } from "./recovery-report";
import {
  earliestLock,
  judgeLock,
  localProcesses,
  locksIn,
  type LockVerdict,
  type ProcessProbe,
} from "./stack-lock";
import { selectStack, openWorkspace, type StackLocation } from "../cli/stack";

export interface RecoverOptions extends StackLocation, GuardPolicy, EngineOutput {
  /**
   * When the interrupted run started (ISO 8601), for a stack whose lock was already removed (`pulumi cancel`); a
   * lock recover finds gives the time itself.
   */
  runStartedAt?: string;
  /** How far this machine's clock and Immuta's may differ (default 60 s). */
  maxClockSkewSeconds?: number;
  /** Stop before the update: keep the recovery file and print the `pulumi up` that finishes the recovery. */
  prepareOnly?: boolean;
  /** Tells whether a lock's process still runs; this machine's processes by default. */
  processes?: ProcessProbe;
}

/** What recover found and did, for the report and for scripts. */
export interface RecoveryFindings {
  stackName: string;
  /** Empty checkpoint metadata files deleted. */
  repairedMetadata: string[];
  /** The locks found, with whether their processes run. */
  locks: LockVerdict[];
  lockRemoved: boolean;
  /** When the interrupted run started, and where that came from. */
  runStartedAt?: string;
  runStartSource?: "lock" | "--run-started-at";
  maxClockSkewSeconds: number;
  /** Resource names of the data sources whose creates were pending. */
  pendingCreates: string[];
  /** Other pending operations (`<type> <name>`): Pulumi drops them itself. */
  otherPendingOperations: string[];
  pendingCleared: boolean;
  /** `--prepare-only`: the command that finishes the recovery, the file it needs, and until when that adopts. */
  next?: string;
  recoveryFile?: string;
  validUntil?: string;
  /** Sources taken over as the interrupted run's own: resource name and Immuta id. */
  adopted: { name: string; dataSourceId: number }[];
  /** Resources whose create Immuta refused because another source holds the name or prefix. */
  refused: string[];
  /** Why recover stopped before finishing, with what to do. */
  stopped?: string;
}

export interface RecoverResult extends CommandResult {
  findings: RecoveryFindings;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const quoted = (names: readonly string[]) => names.map((name) => `\`${name}\``).join(", ");

/** The first lines of a failed command's output that say what went wrong. */
function errorLines(error: unknown): string {
  const lines = message(error)
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("error:"));
  return lines.length > 0 ? [...new Set(lines)].join("\n") : message(error).split("\n")[0];
}

/** Why a lock may not be removed, and what to do; undefined when every lock's process is gone. */
function lockRefusal(verdicts: LockVerdict[], stackName: string): string | undefined {
  const blocking = verdicts.filter((verdict) => verdict.holder !== "gone");
  if (blocking.length === 0) return undefined;
  const since = earliestLock(verdicts.map((verdict) => verdict.lock));
  const manual =
    `If that run is gone, run \`pulumi cancel --yes --stack ${stackName}\`, then ` +
    `\`pulumi-immuta-gitops recover --stack ${stackName} --run-started-at ${since}\`.`;
  return blocking
    .map((verdict) => {
      const { lock } = verdict;
      const who = `pulumi (pid ${lock.pid} on host ${lock.host}, since ${lock.takenAt})`;
      if (verdict.holder === "elsewhere") {
        return (
          `The stack is locked by ${who}, and recover can only tell whether a process of this host ` +
          `(${os.hostname()}) is still running. ${manual}`
        );
      }
      const running = verdict.command ? ` (\`${verdict.command}\`)` : "";
      return (
        `The stack is locked by ${who}, and process ${lock.pid} is still running${running}: an update may be under ` +
        `way. Wait for it to end, or stop it, then run recover again. If pid ${lock.pid} is no longer that pulumi ` +
        `(the number was reused), run \`pulumi cancel --yes --stack ${stackName}\`, then ` +
        `\`pulumi-immuta-gitops recover --stack ${stackName} --run-started-at ${since}\`.`
      );
    })
    .join("\n\n");
}

/** Reads of a checkpoint failing with `EOF` before recover concludes it cannot read it. */
const OPEN_ATTEMPTS = 3;
const OPEN_RETRY_MS = 500;

/**
 * The stack and its checkpoint. Selecting the stack already reads the checkpoint, so a metadata file the kill left
 * empty is repaired whichever of the two finds it. A run still going (recover must then refuse, not fail) makes a
 * read fail the same way for an instant while it rewrites its checkpoint: the read is tried again.
 */
async function openStack(
  options: RecoverOptions,
  findings: RecoveryFindings,
): Promise<{ stack: Stack; deployment: unknown }> {
  const open = async () => {
    const stack = await selectStack(options);
    const deployment: unknown = (await stack.exportStack()).deployment;
    return { stack, deployment };
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (error) {
      if (!isCutMetadataWrite(message(error)) || attempt === OPEN_ATTEMPTS) throw error;
      const repaired = await repairCutMetadataWrite(await openWorkspace(options), options.stackName);
      findings.repairedMetadata.push(...repaired);
      if (repaired.length === 0) await new Promise((resolve) => setTimeout(resolve, OPEN_RETRY_MS));
    }
  }
}

/** Writes the recovery file into a folder of its own; returns the file. */
function writeRecoveryFile(recovery: RecoveryFile): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-immuta-recovery-"));
  const file = path.join(folder, "recovery.json");
  fs.writeFileSync(file, formatRecoveryFile(recovery), { mode: 0o600 });
  return file;
}

function recoveryOf(
  findings: RecoveryFindings,
  pending: PendingOperations,
  validForMs: number,
): RecoveryFile | undefined {
  if (pending.creates.length === 0 || findings.runStartedAt === undefined) return undefined;
  return {
    version: 1,
    stack: findings.stackName,
    runStartedAt: new Date(findings.runStartedAt).toISOString(),
    maxClockSkewSeconds: findings.maxClockSkewSeconds,
    validUntil: new Date(Date.now() + validForMs).toISOString(),
    pendingCreates: pending.creates,
  };
}

export async function runRecover(options: RecoverOptions): Promise<RecoverResult> {
  const findings: RecoveryFindings = {
    stackName: options.stackName,
    repairedMetadata: [],
    locks: [],
    lockRemoved: false,
    maxClockSkewSeconds: options.maxClockSkewSeconds ?? DEFAULT_MAX_CLOCK_SKEW_SECONDS,
    pendingCreates: [],
    otherPendingOperations: [],
    pendingCleared: false,
    adopted: [],
    refused: [],
  };
  const stop = (why: string): RecoverResult => {
    findings.stopped = why;
    return { exitCode: ExitCode.error, markdown: renderRecovery(findings), findings };
  };
  if (options.runStartedAt !== undefined) {
    if (Number.isNaN(Date.parse(options.runStartedAt)))
      return stop(
        `--run-started-at must be a time such as 2026-06-30T10:15:00Z, got "${options.runStartedAt}".`,
      );
    findings.runStartedAt = options.runStartedAt;
    findings.runStartSource = "--run-started-at";
  }

  let stack: Stack;
  let pending: PendingOperations;
  try {
    const opened = await openStack(options, findings);
    stack = opened.stack;
    pending = pendingOperationsOf(opened.deployment);
  } catch (error) {
    return stop(`Reading the stack's checkpoint failed:\n${errorLines(error)}`);
  }
  findings.pendingCreates = pending.creates.map((create) => logicalName(create.urn));
  findings.otherPendingOperations = pending.others;

  // The refresh is also what finds the lock. It clears the pending creates only once it is known when their run
  // started: without that time they could not be adopted, and once cleared they would be forgotten.
  const refresh = (clearPendingCreates: boolean) =>
    stack.refresh({ clearPendingCreates, ...(options.onOutput ? { onOutput: options.onOutput } : {}) });
  const startKnown = () => pending.creates.length === 0 || findings.runStartedAt !== undefined;
  try {
    const clearing = startKnown();
    await refresh(clearing);
    findings.pendingCleared = clearing && pending.creates.length > 0;
  } catch (error) {
    const locks = locksIn(message(error));
    if (locks.kind === "none") return stop(`Refreshing the stack failed:\n${errorLines(error)}`);
    if (locks.kind === "unattributed") {
      return stop(
        `The backend says an update of the stack is in progress but not which process runs it, so recover cannot ` +
          `tell whether it is gone. If it is, run \`pulumi cancel --yes --stack ${options.stackName}\`, then ` +
          `\`pulumi-immuta-gitops recover --stack ${options.stackName} --run-started-at <when it started>\`.`,
      );
    }
    const processes = options.processes ?? localProcesses(os.hostname());
    findings.locks = locks.locks.map((lock) => judgeLock(lock, processes));
    const refusal = lockRefusal(findings.locks, options.stackName);
    if (refusal) return stop(refusal);
    try {
      await stack.cancel();
      findings.lockRemoved = true;
      // The lock was taken when the interrupted command started, before any of its creates.
      findings.runStartedAt = earliestLock(locks.locks);
      findings.runStartSource = "lock";
      await refresh(true);
      findings.pendingCleared = pending.creates.length > 0;
    } catch (retryError) {
      return stop(`Refreshing the stack after removing the lock failed:\n${errorLines(retryError)}`);
    }
  }
  if (!startKnown()) {
    return stop(
      `The checkpoint holds ${pending.creates.length} create(s) an interrupted run left in flight ` +
        `(${quoted(findings.pendingCreates)}), but no lock tells when that run started (it was removed, for ` +
        `example by pulumi cancel), so the sources they registered cannot be told from others. They were kept; ` +
        `run recover again with --run-started-at <when that run started> (its lock's time, or its CI job's start).`,
    );
  }

  const recovery = recoveryOf(
    findings,
    pending,
    options.prepareOnly ? PREPARED_RECOVERY_VALID_MS : RECOVERY_VALID_MS,
  );
  const file = recovery && writeRecoveryFile(recovery);
  if (options.prepareOnly) {
    findings.next = `pulumi up --stack ${options.stackName}`;
    if (file) {
      findings.recoveryFile = file;
      findings.validUntil = recovery.validUntil;
      findings.next = `${RECOVERY_FILE_ENV}=${file} ${findings.next}`;
    }
    return { exitCode: ExitCode.ok, markdown: renderRecovery(findings), findings };
  }

  const notices: { name: string; dataSourceId: number }[] = [];
  const onEvent = (event: EngineEvent) => {
    const diagnostic = event.diagnosticEvent;
    const adopted =
      diagnostic && diagnostic.severity === "info" ? adoptedSourceOf(diagnostic.message) : undefined;
    if (adopted) notices.push(adopted);
    options.onEvent?.(event);
  };
  let update: CommandResult;
  try {
    // Continue past a failed resource: a source someone registered by hand must not stop the others.
    update = await runGuardedUp({
      ...options,
      refresh: false,
      continueOnError: true,
      ...(file ? { envVars: { ...options.envVars, [RECOVERY_FILE_ENV]: file } } : {}),
      onEvent,
    });
  } finally {
    if (file) fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
  const stateIds = await stack
    .exportStack()
    .then(({ deployment }) => dataSourcesOf(deployment))
    .catch(() => new Map<number, string>());
  findings.adopted = notices.map(({ name, dataSourceId }) => ({
    name: stateIds.get(dataSourceId) ?? name,
    dataSourceId,
  }));
  const refused = (update.report?.errors ?? []).flatMap(
    (error) =>
      /^(.+?): Creating data source .* failed: Immuta already holds a data source/s.exec(error)?.[1] ?? [],
  );
  findings.refused = [...new Set(refused)].sort((a, b) => a.localeCompare(b));
  return {
    ...update,
    markdown: `${renderRecovery(findings)}\n${update.markdown}`,
    findings,
  };
}
