#!/usr/bin/env node
/**
 * `pulumi-immuta-gitops`: a catalogue exported from Immuta, pull-request summaries, a guarded `up` and a drift check
 * for a catalogue of Immuta data sources. The Markdown report (or the exported catalogue) goes to stdout (and
 * `--output`, or `--out` for export); the engine's progress and the export's summary go to stderr.
 */
import * as fs from "node:fs";
import { parseGitopsArguments, USAGE } from "./cli-args";
import { runDrift, runGuardedUp, runSummary, runValidate, type CommandResult } from "./commands";
import { runRecover } from "./recover";
import { ExitCode } from "./exit-codes";
import { runExport } from "./export/command";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io = processIo,
): Promise<number> {
  const command = parseGitopsArguments(argv, env);
  if (command.kind === "help") {
    io.stdout(USAGE);
    return ExitCode.ok;
  }
  if (command.kind === "error") {
    io.stderr(`pulumi-immuta-gitops: ${command.message}\n\n${USAGE}`);
    return ExitCode.error;
  }
  if (command.kind === "export") return runExport(command, env, io);
  const onOutput = io.stderr;
  let result: CommandResult;
  switch (command.kind) {
    case "validate":
      result = runValidate(command.file);
      break;
    case "drift":
      result = await runDrift({ ...command, onOutput });
      break;
    case "summary":
      result = await runSummary({ ...command, onOutput });
      break;
    case "up":
      result = await runGuardedUp({ ...command, onOutput });
      break;
    case "recover":
      result = await runRecover({ ...command, onOutput });
      break;
  }
  io.stdout(result.markdown);
  if (command.output !== undefined) fs.writeFileSync(command.output, result.markdown);
  return result.exitCode;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (exitCode) => {
      process.exitCode = exitCode;
    },
    (error: unknown) => {
      process.stderr.write(
        `pulumi-immuta-gitops: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = ExitCode.error;
    },
  );
}
