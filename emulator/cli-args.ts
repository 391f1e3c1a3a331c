import { parseArgs } from "node:util";
import type { EmulatorOptions } from "./index";

export const USAGE = `Usage: immuta-emulator [options]

Starts an emulated Immuta tenant (Native S3 data sources) on loopback.

Options:
  --port <n>                     TCP port, 0 picks a free one (default 0)
  --host <addr>                  listen address (default 127.0.0.1)
  --api-key <key>                API key of the user "demo" (env IMMUTA_EMULATOR_API_KEY; random when absent)
  --admin-token <token>          guards /__emulator/* (env IMMUTA_EMULATOR_ADMIN_TOKEN; random when absent)
  --data-file <path>             persist state to this file (default: in memory)
  --names honour|generate        keep requested names, or rename like Immuta (default honour)
  --handler-ids separate|same    handler ids from their own counter, or equal to data source ids (default separate)
  --seed <n>                     seed for fault probabilities and jitter (default 1)
  --log-requests                 print one line per Immuta request on stderr
  --help                         show this help
`;

export type CliCommand =
  | {
      kind: "run";
      options: EmulatorOptions;
      logRequests: boolean;
      generatedApiKey: boolean;
      generatedAdminToken: boolean;
    }
  | { kind: "help" }
  | { kind: "error"; message: string };

/** Turns argv and the environment into emulator options; never throws. */
export function parseCliArguments(argv: string[], env: NodeJS.ProcessEnv): CliCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "api-key": { type: "string" },
        "admin-token": { type: "string" },
        "data-file": { type: "string" },
        names: { type: "string" },
        "handler-ids": { type: "string" },
        seed: { type: "string" },
        "log-requests": { type: "boolean" },
        help: { type: "boolean" },
      },
    }));
  } catch (error) {
    return { kind: "error", message: (error as Error).message };
  }
  if (values.help) return { kind: "help" };

  const options: EmulatorOptions = {};
  if (values.port !== undefined) {
    const port = integer(values.port);
    if (port === undefined || port < 0 || port > 65535)
      return { kind: "error", message: "--port must be 0..65535" };
    options.port = port;
  }
  if (values.seed !== undefined) {
    const seed = integer(values.seed);
    if (seed === undefined) return { kind: "error", message: "--seed must be an integer" };
    options.seed = seed;
  }
  if (values.names !== undefined) {
    if (values.names !== "honour" && values.names !== "generate") {
      return { kind: "error", message: "--names must be honour or generate" };
    }
    options.names = values.names;
  }
  if (values["handler-ids"] !== undefined) {
    const handlerIds = values["handler-ids"];
    if (handlerIds !== "separate" && handlerIds !== "same") {
      return { kind: "error", message: "--handler-ids must be separate or same" };
    }
    options.handlerIds = handlerIds;
  }
  if (values.host !== undefined) options.host = values.host;
  if (values["data-file"] !== undefined) options.dataFile = values["data-file"];
  // Flags win over the environment; the environment keeps secrets off the command line.
  const apiKey = values["api-key"] ?? nonEmpty(env.IMMUTA_EMULATOR_API_KEY);
  const adminToken = values["admin-token"] ?? nonEmpty(env.IMMUTA_EMULATOR_ADMIN_TOKEN);
  if (apiKey !== undefined) options.apiKey = apiKey;
  if (adminToken !== undefined) options.adminToken = adminToken;
  return {
    kind: "run",
    options,
    logRequests: values["log-requests"] === true,
    generatedApiKey: apiKey === undefined,
    generatedAdminToken: adminToken === undefined,
  };
}

function integer(text: string): number | undefined {
  return /^-?\d{1,15}$/.test(text) ? Number(text) : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
