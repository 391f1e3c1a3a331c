/**
 * Taking over what an interrupted `pulumi up` registered. When `pulumi` dies during an update, the creates it had
 * in flight stay in the checkpoint as pending operations, and Immuta may have registered those sources anyway: the
 * next `up` then gets a 409 for each. The recovery (`pulumi-immuta-gitops recover`) writes the pending creates and
 * the time the run started to a file, and names it in PULUMI_IMMUTA_RECOVERY_FILE for its own `pulumi up` (the
 * provider process inherits the CLI's environment).
 *
 * DECISION: a source whose create was in flight when the run died is the stack's own and is adopted on the 409;
 * any other existing source never is. So a 409's holder is adopted only when all of these hold: a pending create of
 * the interrupted run has exactly this declaration (tenant, integration, name, prefix); the holder has the declared
 * prefix and integration (its name may be Immuta's own); Immuta created it after the run started, less the clock
 * skew allowed between this machine and Immuta; it is enabled; and the file is still valid. Without the variable
 * nothing is ever adopted on a 409, and an unreadable or expired file adopts nothing and says so in the error.
 */
import * as fs from "node:fs";
import type { DataSourceInputs } from "../core/inputs";
import { describeSource } from "./messages";
import { mismatches, type ImmutaView } from "./immuta-view";
import { samePrefix } from "../core/s3-naming";

/** Names the recovery file; set only for the `pulumi up` of a recovery. */
export const RECOVERY_FILE_ENV = "PULUMI_IMMUTA_RECOVERY_FILE";

/** One create the interrupted run had in flight: the declaration as the checkpoint recorded it. */
export interface PendingCreate {
  urn: string;
  tenant: string;
  integrationId: number;
  dataSourceName: string;
  prefix: string;
}

/** What the recovery hands to the provider. */
export interface RecoveryFile {
  version: 1;
  /** The stack, for messages. */
  stack: string;
  /** When the interrupted run started (ISO 8601): its lock's timestamp. */
  runStartedAt: string;
  /** How far this machine's clock and Immuta's may differ. */
  maxClockSkewSeconds: number;
  /** After this (ISO 8601) the file adopts nothing. */
  validUntil: string;
  pendingCreates: PendingCreate[];
}

export function formatRecoveryFile(recovery: RecoveryFile): string {
  return `${JSON.stringify(recovery, null, 2)}\n`;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isTime = (value: unknown): value is string =>
  typeof value === "string" && !Number.isNaN(Date.parse(value));

function pendingCreateProblem(value: unknown, index: number): string | undefined {
  const where = `pendingCreates[${index}]`;
  if (!isRecord(value)) return `${where} is not an object`;
  for (const key of ["urn", "tenant", "dataSourceName", "prefix"] as const) {
    if (typeof value[key] !== "string" || value[key] === "")
      return `${where}.${key} is not a non-empty string`;
  }
  if (!Number.isSafeInteger(value.integrationId) || (value.integrationId as number) < 1)
    return `${where}.integrationId is not a positive whole number`;
  return undefined;
}

/** The recovery file's content, or what is wrong with it. */
export function parseRecoveryFile(text: string): RecoveryFile | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `is not JSON (${(error as Error).message})` };
  }
  if (!isRecord(value)) return { problem: "is not a JSON object" };
  if (value.version !== 1) return { problem: `has version ${JSON.stringify(value.version)}, not 1` };
  if (typeof value.stack !== "string") return { problem: "has no stack" };
  if (!isTime(value.runStartedAt)) return { problem: "has no valid runStartedAt time" };
  if (!isTime(value.validUntil)) return { problem: "has no valid validUntil time" };
  const skew = value.maxClockSkewSeconds;
  if (typeof skew !== "number" || !Number.isFinite(skew) || skew < 0)
    return { problem: "has no maxClockSkewSeconds >= 0" };
  if (!Array.isArray(value.pendingCreates)) return { problem: "has no pendingCreates list" };
  const problem = value.pendingCreates.map(pendingCreateProblem).find((found) => found !== undefined);
  if (problem) return { problem };
  return value as unknown as RecoveryFile;
}

/** Whether a 409's holder is taken over, and why. */
export type Verdict = { adopt: true; notice: string } | { adopt: false; reason: string };

const NOTICE_START = "Adopted ";
const NOTICE_MIDDLE = ", which the interrupted run registered";

/**
 * What the provider logs when it adopts a source, e.g. `Adopted data source "x" (s3://b/x, id 17), which the
 * interrupted run registered: ...`. The recovery reads these lines back (see {@link adoptedSourceOf}).
 */
function adoptionNotice(view: ImmutaView, createdAt: string, recovery: RecoveryFile): string {
  return (
    `${NOTICE_START}${describeSource(view.dataSource.name, view.prefix, view.dataSource.id)}${NOTICE_MIDDLE}: ` +
    `Immuta created it at ${createdAt}, after that run started at ${recovery.runStartedAt} (allowing ` +
    `${recovery.maxClockSkewSeconds} s of clock skew), and its create was in flight when the run ended.`
  );
}

/** The Immuta name and id of the source an adoption notice is about; undefined for any other message. */
export function adoptedSourceOf(message: string): { name: string; dataSourceId: number } | undefined {
  const match = /^Adopted data source "(.*)" \(.*, id (\d+)\), which the interrupted run registered: /s.exec(
    message.trim(),
  );
  return match ? { name: match[1], dataSourceId: Number(match[2]) } : undefined;
}

/** The interrupted run named by PULUMI_IMMUTA_RECOVERY_FILE, read when first needed. */
export class InterruptedRun {
  #recovery: RecoveryFile | { problem: string } | undefined;

  constructor(
    readonly file: string,
    private readonly now: () => number = Date.now,
    private readonly readFile: (file: string) => string = (file) => fs.readFileSync(file, "utf8"),
  ) {}

  /** The interrupted run the environment names; undefined when it names none (every ordinary run). */
  static fromEnvironment(env: NodeJS.ProcessEnv): InterruptedRun | undefined {
    const file = env[RECOVERY_FILE_ENV]?.trim();
    return file ? new InterruptedRun(file) : undefined;
  }

  #load(): RecoveryFile | { problem: string } {
    if (!this.#recovery) {
      try {
        this.#recovery = parseRecoveryFile(this.readFile(this.file));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        this.#recovery = {
          problem:
            code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? (error as Error).message})`,
        };
      }
    }
    return this.#recovery;
  }

  /** Whether `holder`, the source Immuta holds under the declared name or prefix (a 409), is taken over. */
  judge(declared: DataSourceInputs, holder: ImmutaView | undefined): Verdict {
    const recovery = this.#load();
    const setting = `${RECOVERY_FILE_ENV}=${this.file}`;
    if ("problem" in recovery)
      return { adopt: false, reason: `the recovery file (${setting}) ${recovery.problem}` };
    if (this.now() > Date.parse(recovery.validUntil)) {
      return {
        adopt: false,
        reason: `the recovery file (${setting}) expired at ${recovery.validUntil}; run the recovery again`,
      };
    }
    const pending = recovery.pendingCreates.some(
      (create) =>
        create.tenant === declared.tenant &&
        create.integrationId === declared.integrationId &&
        create.dataSourceName === declared.dataSourceName &&
        samePrefix(create.prefix, declared.prefix),
    );
    if (!pending) {
      return {
        adopt: false,
        reason: `the interrupted run of stack ${recovery.stack} had no create of this declaration in flight`,
      };
    }
    if (!holder) return { adopt: false, reason: "Immuta did not tell which source holds the name or prefix" };
    if (mismatches(declared, holder, false).length > 0) {
      return { adopt: false, reason: "the source holding the name or prefix is not the declared one" };
    }
    const createdAt = holder.dataSource.createdAt;
    if (!isTime(createdAt))
      return { adopt: false, reason: "Immuta did not tell when it created that source" };
    const earliest = Date.parse(recovery.runStartedAt) - recovery.maxClockSkewSeconds * 1000;
    if (Date.parse(createdAt) < earliest) {
      return {
        adopt: false,
        reason:
          `Immuta created it at ${createdAt}, before the interrupted run started at ${recovery.runStartedAt} ` +
          `(allowing ${recovery.maxClockSkewSeconds} s of clock skew), so that run did not register it`,
      };
    }
    if (holder.dataSource.deleted === true) {
      return {
        adopt: false,
        reason: "it is disabled in Immuta, so someone acted on it after the interrupted run registered it",
      };
    }
    return { adopt: true, notice: adoptionNotice(holder, createdAt, recovery) };
  }
}
