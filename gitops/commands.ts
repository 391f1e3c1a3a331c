/**
 * The gitops commands as functions: each runs the engine through the Automation API, and returns the Markdown
 * report and the exit code. The CLI only parses arguments and prints.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { parseCatalogue } from "../sdk/typescript/catalogue/load";
import { CatalogueError, formatProblem } from "../sdk/typescript/catalogue/problems";
import { EngineEventRecorder, type EngineReport } from "./changes";
import { onlyAdoptions, SKIP_CHECKPOINTS_ENV } from "./checkpoints";
import { renderDrift } from "./drift-report";
import { ExitCode } from "./exit-codes";
import { evaluateGuard, type GuardPolicy, type GuardVerdict } from "./guard";
import { renderFailure, renderSummary } from "./summary-report";
import { selectStack, type StackLocation } from "../cli/stack";

export interface CommandResult {
  exitCode: ExitCode;
  /** The report, for stdout, a file or a pull-request comment. */
  markdown: string;
  report?: EngineReport;
  guard?: GuardVerdict;
}

export interface EngineOutput {
  /** Receives the engine's progress output (the CLI forwards it to stderr). */
  onOutput?: (text: string) => void;
  /** Receives every engine event, besides the report's own recorder. */
  onEvent?: (event: EngineEvent) => void;
}

export interface PreviewCommandOptions extends StackLocation, GuardPolicy, EngineOutput {
  /** Refresh before previewing (default true), so the preview shows what `up` will do. */
  refresh?: boolean;
  /** `up` only: carry on past a resource that fails, so that every other one is applied (default false). */
  continueOnError?: boolean;
}

/** Feeds the report's recorder and the caller's listener. */
function eventsTo(recorder: EngineEventRecorder, options: EngineOutput): (event: EngineEvent) => void {
  return (event) => {
    recorder.onEvent(event);
    options.onEvent?.(event);
  };
}

/** The errors of a failed operation: the engine's error diagnostics, else the `error:` lines of its output. */
function errorsOf(recorded: string[], error: unknown): string[] {
  if (recorded.length > 0) return recorded;
  const message = error instanceof Error ? error.message : String(error);
  const lines = message
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("error:"));
  return lines.length > 0 ? [...new Set(lines)] : [message.split("\n")[0]];
}

/** `summary`: a preview as Markdown; exit 0 unless the preview fails (2) or the guard trips (3). */
export async function runSummary(options: PreviewCommandOptions): Promise<CommandResult> {
  const recorder = new EngineEventRecorder();
  try {
    const stack = await selectStack(options);
    await stack.preview({
      refresh: options.refresh ?? true,
      onEvent: recorder.onEvent,
      onOutput: options.onOutput,
    });
  } catch (error) {
    const errors = errorsOf(recorder.report().errors, error);
    return { exitCode: ExitCode.error, markdown: renderFailure("preview", options.stackName, errors) };
  }
  const report = recorder.report();
  const guard = evaluateGuard(report.changes, options);
  return {
    exitCode: guard.passes ? ExitCode.ok : ExitCode.guard,
    markdown: renderSummary({ kind: "preview", stackName: options.stackName, report, guard }),
    report,
    guard,
  };
}

/**
 * `up`: a preview whose plan is saved, the guard on it, then the update constrained to that plan, so the update
 * cannot delete or replace more than the guard counted. Refreshes first by default, so drift is repaired.
 */
export async function runGuardedUp(options: PreviewCommandOptions): Promise<CommandResult> {
  const refresh = options.refresh ?? true;
  const planDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-immuta-plan-"));
  const plan = path.join(planDir, "plan.json");
  try {
    const previewRecorder = new EngineEventRecorder();
    let stack;
    try {
      stack = await selectStack(options);
      await stack.preview({
        refresh,
        plan,
        onEvent: eventsTo(previewRecorder, options),
        onOutput: options.onOutput,
      });
    } catch (error) {
      const errors = errorsOf(previewRecorder.report().errors, error);
      return { exitCode: ExitCode.error, markdown: renderFailure("preview", options.stackName, errors) };
    }
    const previewed = previewRecorder.report();
    const guard = evaluateGuard(previewed.changes, options);
    if (!guard.passes) {
      return {
        exitCode: ExitCode.guard,
        markdown: renderSummary({ kind: "preview", stackName: options.stackName, report: previewed, guard }),
        report: previewed,
        guard,
      };
    }
    const updateRecorder = new EngineEventRecorder();
    const skipCheckpoints =
      onlyAdoptions(previewed) && stack.workspace.envVars[SKIP_CHECKPOINTS_ENV] === undefined;
    if (skipCheckpoints) {
      stack.workspace.envVars[SKIP_CHECKPOINTS_ENV] = "true";
      options.onOutput?.(
        "The plan only adopts existing sources: the state is saved once, at the end. If this run is interrupted, " +
          "run up again: it adopts them again with reads only.\n",
      );
    }
    try {
      await stack.up({
        refresh,
        plan,
        ...(options.continueOnError ? { continueOnError: true } : {}),
        onEvent: eventsTo(updateRecorder, options),
        onOutput: options.onOutput,
      });
    } catch (error) {
      const report = updateRecorder.report();
      return {
        exitCode: ExitCode.error,
        markdown: renderFailure("update", options.stackName, errorsOf(report.errors, error)),
        report,
        guard,
      };
    } finally {
      if (skipCheckpoints) delete stack.workspace.envVars[SKIP_CHECKPOINTS_ENV];
    }
    const report = updateRecorder.report();
    return {
      exitCode: ExitCode.ok,
      markdown: renderSummary({ kind: "update", stackName: options.stackName, report, guard }),
      report,
      guard,
    };
  } finally {
    fs.rmSync(planDir, { recursive: true, force: true });
  }
}

/** `drift`: a preview-only refresh; exit 1 when a source differs from Immuta, 0 when none does, 2 on error. */
export async function runDrift(options: StackLocation & EngineOutput): Promise<CommandResult> {
  const recorder = new EngineEventRecorder();
  try {
    const stack = await selectStack(options);
    await stack.previewRefresh({ onEvent: recorder.onEvent, onOutput: options.onOutput });
  } catch (error) {
    const errors = errorsOf(recorder.report().errors, error);
    return { exitCode: ExitCode.error, markdown: renderFailure("drift check", options.stackName, errors) };
  }
  const report = recorder.report();
  return {
    exitCode: report.drift.length > 0 ? ExitCode.drift : ExitCode.ok,
    markdown: renderDrift(options.stackName, report),
    report,
  };
}

/** `validate`: the catalogue file alone, offline; every problem on its own line. */
export function runValidate(file: string): CommandResult {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    return { exitCode: ExitCode.error, markdown: `${file}: cannot read: ${(error as Error).message}\n` };
  }
  try {
    const catalogue = parseCatalogue(text, file);
    const count = catalogue.sources.length;
    return { exitCode: ExitCode.ok, markdown: `${file}: valid, ${count} source${count === 1 ? "" : "s"}\n` };
  } catch (error) {
    if (!(error instanceof CatalogueError)) throw error;
    return { exitCode: ExitCode.error, markdown: `${error.problems.map(formatProblem).join("\n")}\n` };
  }
}
