/**
 * `pulumi-immuta/gitops`: the commands behind `pulumi-immuta-gitops` as functions, for CI scripts that want the
 * reports and verdicts as data, and `exportCatalogue` for onboarding a tenant that already holds data sources.
 */
export { runDrift, runGuardedUp, runSummary, runValidate } from "./commands";
export { exportCatalogue, ExportOptionsError } from "./export/export";
export type { ExportOptions, ExportResult } from "./export/export";
export { runExport } from "./export/command";
export { EXPORT_FORMATS } from "./export/types";
export type {
  ExportEntry,
  ExportFormat,
  ExportIntegration,
  ExportPlan,
  SkippedSource,
  SkipReason,
  TenantSource,
} from "./export/types";
export { runRecover } from "./recover";
export type { RecoverOptions, RecoverResult, RecoveryFindings } from "./recover";
export { renderRecovery } from "./recovery-report";
export { locksIn, judgeLock, localProcesses } from "./stack-lock";
export type { LockReport, LockVerdict, ProcessProbe, StackLock } from "./stack-lock";
export type { CommandResult, EngineOutput, PreviewCommandOptions } from "./commands";
export { EngineEventRecorder, changedInputs } from "./changes";
export type { EngineReport, PropertyChange, SourceChange, SourceDrift, SourceOperation } from "./changes";
export { evaluateGuard, isDestructive } from "./guard";
export { onlyAdoptions, SKIP_CHECKPOINTS_ENV } from "./checkpoints";
export type { GuardPolicy, GuardVerdict } from "./guard";
export { renderSummary, renderFailure } from "./summary-report";
export type { SummaryReportInput } from "./summary-report";
export { renderDrift } from "./drift-report";
export { parseGitopsArguments, USAGE } from "./cli-args";
export type { ExportArguments, GitopsCommand } from "./cli-args";
export { ExitCode } from "./exit-codes";
export {
  ALLOW_DESTRUCTIVE_ENV,
  DEFAULT_EXPORT_CONCURRENCY,
  DEFAULT_MAX_CLOCK_SKEW_SECONDS,
  DEFAULT_MAX_DESTRUCTIVE,
  MAX_DESTRUCTIVE_ENV,
} from "./defaults";
export { RECOVERY_FILE_ENV } from "../provider/api";
export type { StackLocation } from "../cli/stack";
