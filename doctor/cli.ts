#!/usr/bin/env node
/**
 * `pulumi-immuta`: the package's command line. `pulumi-immuta doctor` diagnoses, read-only, the connection to the
 * configured Immuta tenants before a first `pulumi up` (or when one fails). The report goes to stdout.
 */
import { parseCliArguments, USAGE } from "./cli-args";
import { runDoctor } from "./doctor";
import { renderJson, renderText } from "./render";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Exit codes: CI jobs branch on them. */
export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const;

export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: CliIo = processIo,
): Promise<number> {
  const command = parseCliArguments(argv);
  if (command.kind === "help") {
    io.stdout(USAGE);
    return ExitCode.ok;
  }
  if (command.kind === "error") {
    io.stderr(`pulumi-immuta: ${command.message}\n\n${USAGE}`);
    return ExitCode.usage;
  }
  const { report, secrets } = await runDoctor({ ...command, env });
  io.stdout(command.json ? renderJson(report, secrets) : renderText(report, secrets));
  return report.verdict === "failed" ? ExitCode.failed : ExitCode.ok;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (exitCode) => {
      process.exitCode = exitCode;
    },
    (error: unknown) => {
      process.stderr.write(
        `pulumi-immuta: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = ExitCode.failed;
    },
  );
}
