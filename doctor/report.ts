/**
 * What `pulumi-immuta doctor` found: one verdict per check, grouped by tenant, and the overall verdict that sets the
 * exit code.
 */

/**
 * `skipped`: the check could not run because one it depends on failed (or there was nothing to check); the cause is
 * reported by that other check.
 */
export type Verdict = "ok" | "warning" | "failed" | "skipped";

export interface CheckResult {
  /** Short name, e.g. `reach` or `integration 1`. */
  check: string;
  verdict: Verdict;
  /** What was found, in one sentence. */
  summary: string;
  /** What to do about it; absent when nothing is to be done. */
  fix?: string;
  /** How long the timed HTTP exchange of the check took (ms). */
  latencyMs?: number;
}

export interface TenantReport {
  /** `default`, or the name of a tenant under `immuta:tenants`. */
  tenant: string;
  /** The tenant root, once the configuration names a valid one. */
  url?: string;
  checks: CheckResult[];
}

/** Where the settings were read. */
export interface SettingsSource {
  /** The stack whose config and state were read; absent when only the environment was. */
  stack?: string;
  /** Why no stack was read, when none was. */
  note?: string;
}

export interface DoctorReport {
  source: SettingsSource;
  /** Checks about the stack itself (it could not be read), before any tenant. */
  checks: CheckResult[];
  tenants: TenantReport[];
  verdict: "ok" | "warning" | "failed";
}

/** `failed` when any check failed, else `warning` when any warned, else `ok`. */
export function overallVerdict(checks: readonly CheckResult[]): DoctorReport["verdict"] {
  if (checks.some((check) => check.verdict === "failed")) return "failed";
  if (checks.some((check) => check.verdict === "warning")) return "warning";
  return "ok";
}

/** Every check of a report, stack checks first. */
export function allChecks(report: Pick<DoctorReport, "checks" | "tenants">): CheckResult[] {
  return [...report.checks, ...report.tenants.flatMap((tenant) => tenant.checks)];
}
