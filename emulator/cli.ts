#!/usr/bin/env node
import { parseCliArguments, USAGE } from "./cli-args";
import { startEmulator } from "./index";

/** `immuta-emulator`: prints generated secrets, then exactly one readiness line; SIGINT/SIGTERM exit 0. */
async function main(): Promise<void> {
  const command = parseCliArguments(process.argv.slice(2), process.env);
  if (command.kind === "help") {
    process.stdout.write(USAGE);
    return;
  }
  if (command.kind === "error") {
    process.stderr.write(`immuta-emulator: ${command.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const log = command.logRequests ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  let emulator;
  try {
    emulator = await startEmulator({ ...command.options, log });
  } catch (error) {
    process.stderr.write(`immuta-emulator: could not start: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  // DECISION: generated secrets are printed first (the admin token too), so a parent waiting for the one
  // readiness line already has them; secrets given by flag or environment are never printed.
  if (command.generatedApiKey) process.stdout.write(`Demo API key: ${emulator.apiKey}\n`);
  if (command.generatedAdminToken) process.stdout.write(`Admin token: ${emulator.adminToken}\n`);
  process.stdout.write(`Immuta emulator listening on ${emulator.url}\n`);

  const running = emulator;
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`immuta-emulator: error while closing: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

void main();
