/**
 * The report as text for a terminal, or as JSON for CI. Both pass through the scrubber of every credential the run
 * knew, as a last line of defence: no check puts one in a message in the first place.
 */
import { SecretScrubber } from "../provider/api";
import { allChecks, type CheckResult, type DoctorReport } from "./report";

const VERDICT_WIDTH = 9;
const CHECK_WIDTH = 22;

function checkLines(check: CheckResult): string[] {
  const latency = check.latencyMs === undefined ? "" : ` (${check.latencyMs} ms)`;
  const label = check.check.length >= CHECK_WIDTH ? `${check.check} ` : check.check.padEnd(CHECK_WIDTH);
  const lines = [`  ${check.verdict.padEnd(VERDICT_WIDTH)}${label}${check.summary}${latency}`];
  if (check.fix !== undefined) lines.push(`  ${" ".repeat(VERDICT_WIDTH)}fix: ${check.fix}`);
  return lines;
}

function describeSource(report: DoctorReport): string {
  const { stack, note } = report.source;
  if (stack !== undefined)
    return `stack "${stack}" (immuta:* stack config, then IMMUTA_* environment variables)`;
  return `IMMUTA_* environment variables only${note === undefined ? "" : ` (${note})`}`;
}

function summaryLine(report: DoctorReport): string {
  const checks = allChecks(report);
  const failed = checks.filter((check) => check.verdict === "failed").length;
  const warnings = checks.filter((check) => check.verdict === "warning").length;
  const counts = `${failed} failed, ${warnings} warning${warnings === 1 ? "" : "s"}`;
  return `Result: ${report.verdict} (${counts}). Read-only: nothing was changed in Immuta.`;
}

export function renderText(report: DoctorReport, secrets: readonly string[]): string {
  const lines = [`pulumi-immuta doctor: settings from ${describeSource(report)}`];
  if (report.checks.length > 0) {
    lines.push("");
    for (const check of report.checks) lines.push(...checkLines(check));
  }
  for (const tenant of report.tenants) {
    lines.push("", `Tenant "${tenant.tenant}"${tenant.url === undefined ? "" : ` at ${tenant.url}`}`);
    for (const check of tenant.checks) lines.push(...checkLines(check));
  }
  lines.push("", summaryLine(report), "");
  return new SecretScrubber(secrets).scrub(lines.join("\n"));
}

export function renderJson(report: DoctorReport, secrets: readonly string[]): string {
  return new SecretScrubber(secrets).scrub(`${JSON.stringify(report, null, 2)}\n`);
}
