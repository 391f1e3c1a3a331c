/**
 * `pulumi-immuta doctor`: read-only checks that the provider can work with the configured tenants, from the same
 * settings it reads (a stack's `immuta:*` config, then `IMMUTA_*` environment variables). Nothing is created,
 * changed or deleted.
 */
import { type ConfigSource } from "../provider/api";
import { diagnoseTenant } from "./diagnose-tenant";
import { allChecks, overallVerdict, type DoctorReport, type SettingsSource } from "./report";
import { readStack, type StateSource } from "./stack-context";
import { chooseTargets, type Requested } from "./targets";

export interface DoctorOptions extends Requested {
  /** `--stack`; without it, the stack selected in `workDir`, if any. */
  stackName?: string;
  workDir: string;
  pulumiRoot?: string;
  /** Read the environment only, never a stack. */
  envOnly: boolean;
  env: NodeJS.ProcessEnv;
}

export interface DoctorRun {
  report: DoctorReport;
  /** Every API key the run used, for scrubbing the rendered report. */
  secrets: string[];
}

export async function runDoctor(options: DoctorOptions): Promise<DoctorRun> {
  let config: ConfigSource | undefined;
  let state: StateSource[] = [];
  let source: SettingsSource;
  if (options.envOnly) {
    source = { note: "--env-only" };
  } else {
    const lookup = await readStack(options);
    if (lookup.kind === "error") {
      const checks = [{ check: "stack", verdict: "failed" as const, summary: lookup.message }];
      return { report: { source: {}, checks, tenants: [], verdict: "failed" }, secrets: [] };
    }
    if (lookup.kind === "stack") {
      ({ config, sources: state } = lookup.context);
      source = { stack: lookup.context.stackName };
    } else {
      source = { note: lookup.reason };
    }
  }
  const tenants = [];
  const secrets: string[] = [];
  for (const targets of chooseTargets(options, config, options.env, state)) {
    const diagnosis = await diagnoseTenant(targets, config, options.env);
    tenants.push(diagnosis.report);
    if (diagnosis.apiKey !== undefined) secrets.push(diagnosis.apiKey);
  }
  const report: DoctorReport = { source, checks: [], tenants, verdict: "ok" };
  report.verdict = overallVerdict(allChecks(report));
  return { report, secrets };
}
