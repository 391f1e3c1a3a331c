/** Runs `pulumi-immuta` in-process against the emulator and captures what it prints. */
import { main } from "../../doctor/cli";
import type { DoctorReport } from "../../doctor/report";

export interface DoctorOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI with `env` as its whole environment (nothing of the developer's leaks in). */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<DoctorOutput> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, env, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

/** `doctor --env-only --json ...`, its report parsed. */
export async function doctorJson(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; report: DoctorReport; stdout: string }> {
  const output = await runCli(["doctor", "--env-only", "--json", ...args], env);
  return { code: output.code, report: JSON.parse(output.stdout) as DoctorReport, stdout: output.stdout };
}

/** `check → verdict` of the only tenant of a report. */
export function verdicts(report: DoctorReport): Record<string, string> {
  const [tenant] = report.tenants;
  return Object.fromEntries((tenant?.checks ?? []).map((check) => [check.check, check.verdict]));
}

/** The check named `name` of the only tenant. */
export function checkNamed(report: DoctorReport, name: string) {
  const check = report.tenants[0]?.checks.find((candidate) => candidate.check === name);
  if (!check) throw new Error(`no check "${name}" in ${JSON.stringify(report, null, 2)}`);
  return check;
}
