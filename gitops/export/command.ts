/**
 * `pulumi-immuta-gitops export`: the catalogue to stdout or `--out`, the summary (found, exported, skipped and
 * why) to stderr. Exit 0 when the export was written, 2 when it could not be.
 */
import * as fs from "node:fs";
import type { ExportArguments } from "../cli-args";
import { ExitCode } from "../exit-codes";
import { exportCatalogue } from "./export";
import { exportStackConfig } from "./stack-config";

export interface ExportIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export async function runExport(
  args: ExportArguments,
  env: NodeJS.ProcessEnv,
  io: ExportIo,
): Promise<ExitCode> {
  try {
    const merge =
      args.merge === undefined ? undefined : { file: args.merge, text: readCatalogue(args.merge) };
    const config = args.stack === undefined ? undefined : await exportStackConfig(args.stack);
    const result = await exportCatalogue({
      ...(args.tenant === undefined ? {} : { tenant: args.tenant }),
      ...(config === undefined ? {} : { config }),
      env,
      integrationIds: args.integrationIds,
      prefixes: args.prefixes,
      skipDisabled: args.skipDisabled,
      ...(args.format === undefined ? {} : { format: args.format }),
      ...(merge === undefined ? {} : { merge }),
      ...(args.concurrency === undefined ? {} : { concurrency: args.concurrency }),
      onWarning: (message) => io.stderr(`warning: ${message}\n`),
    });
    if (args.out === undefined) io.stdout(result.output);
    else fs.writeFileSync(args.out, result.output);
    io.stderr(result.summary);
    return ExitCode.ok;
  } catch (error) {
    // Every error says what failed and what to do; a CatalogueError (--merge) lists each problem with its position.
    io.stderr(`pulumi-immuta-gitops export: ${error instanceof Error ? error.message : String(error)}\n`);
    return ExitCode.error;
  }
}

function readCatalogue(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read the catalogue to merge into, ${file}: ${(error as Error).message}`);
  }
}
