import { parseArgs } from "node:util";
import { DEFAULT_MODES, MAX_RATE_LIMIT_PER_SECOND } from "./defaults";
import type { EmulatorOptions } from "./index";
import { CHOICE_MODE_NAMES, describeChoices, flagOf, MODE_CHOICES } from "./modes";
import type { ChoiceModeName } from "./types";

/** One line of help per mode flag; the values come from MODE_CHOICES, the defaults from DEFAULT_MODES. */
const MODE_HELP: Record<ChoiceModeName, string> = {
  names: "keep requested names, or rename like Immuta",
  handlerIds: "handler ids from their own counter, or equal to data source ids",
  multiSourceResponse: "answer to a POST with several sources: an array, or the first object",
  blobHandler: "whether GET /dataSource/{id} carries blobHandler",
  prefixForm: "prefixes relative to the integration's awsLocationPath, absolute s3:// URIs, or either",
  integrationsApi: "GET /integrations/{id}: answered, 403, or an unknown route",
  searchHits: "GET /dataSource hits: documented summaries, or the full data source shape",
  searchOffset: "GET /dataSource offset: a record offset, or a page index",
  visibility: "hide sources from users who may not see them, or show everything to everyone",
  deleteResponse: "DELETE body: documented members, or with hardDelete",
  dataSourceStatus: "the status of a data source",
  handlerIntegrationId: "type of the handler's metadata.integrationId",
  handlerLocation: "whether the handler body carries awsLocationPath",
  integrationLocations: "whether two integrations may share an awsLocationPath",
  rawApiKey: "whether the API key itself authenticates, or only tokens exchanged for it",
  keySegments: "a prefix's empty segments (a//b) collapsed, or refused as S3 tells them apart",
  unknownTags: "attaching a tag the library lacks: a 400 that attaches nothing, or skipped silently",
  tagList: "tag list answers: a bare array, or {tags, count}",
  currentUser: "GET /bim/rpc/user/current: answered, or an unknown route",
};

const modeUsage = CHOICE_MODE_NAMES.map((mode) => {
  const flag = `  --${flagOf(mode)} ${MODE_CHOICES[mode].join("|")}`;
  return `${flag.padEnd(55)} ${MODE_HELP[mode]} (default ${DEFAULT_MODES[mode]})`;
}).join("\n");

export const USAGE = `Usage: immuta-emulator [options]

Starts an emulated Immuta tenant (Native S3 data sources) on loopback. Defaults follow Immuta's documentation.

Options:
  --port <n>                     TCP port, 0 picks a free one (default 0)
  --host <addr>                  listen address (default 127.0.0.1)
  --api-key <key>                API key of the user "demo" (env IMMUTA_EMULATOR_API_KEY; random when absent)
  --admin-token <token>          guards /__emulator/* (env IMMUTA_EMULATOR_ADMIN_TOKEN; random when absent)
  --data-file <path>             persist state to this file (default: in memory)
  --seed <n>                     seed for fault probabilities and jitter (default 1)
  --rate-limit <per-second>      tenant-wide limit on Immuta API requests, 429 above it (default off)
  --rate-limit-burst <n>         largest burst under --rate-limit (default: one second's worth)
  --log-requests                 print one line per Immuta request on stderr
  --help                         show this help

Modes (also settable at run time with PATCH /__emulator/modes):
${modeUsage}
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
  let values: Record<string, string | boolean | undefined>;
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
        seed: { type: "string" },
        "rate-limit": { type: "string" },
        "rate-limit-burst": { type: "string" },
        "log-requests": { type: "boolean" },
        help: { type: "boolean" },
        ...Object.fromEntries(CHOICE_MODE_NAMES.map((mode) => [flagOf(mode), { type: "string" as const }])),
      },
    }));
  } catch (error) {
    return { kind: "error", message: (error as Error).message };
  }
  if (values.help) return { kind: "help" };
  const text = (flag: string): string | undefined => {
    const value = values[flag];
    return typeof value === "string" ? value : undefined;
  };

  const options: EmulatorOptions = {};
  const port = text("port");
  if (port !== undefined) {
    const parsed = integer(port);
    if (parsed === undefined || parsed < 0 || parsed > 65535)
      return { kind: "error", message: "--port must be 0..65535" };
    options.port = parsed;
  }
  const seed = text("seed");
  if (seed !== undefined) {
    const parsed = integer(seed);
    if (parsed === undefined) return { kind: "error", message: "--seed must be an integer" };
    options.seed = parsed;
  }
  for (const mode of CHOICE_MODE_NAMES) {
    const value = text(flagOf(mode));
    if (value === undefined) continue;
    const choices: readonly string[] = MODE_CHOICES[mode];
    if (!choices.includes(value)) {
      return { kind: "error", message: `--${flagOf(mode)} must be ${describeChoices(choices)}` };
    }
    Object.assign(options, { [mode]: value });
  }
  const rateLimit = rateLimitOf(text("rate-limit"), text("rate-limit-burst"));
  if (typeof rateLimit === "string") return { kind: "error", message: rateLimit };
  if (rateLimit) options.rateLimit = rateLimit;
  const host = text("host");
  const dataFile = text("data-file");
  if (host !== undefined) options.host = host;
  if (dataFile !== undefined) options.dataFile = dataFile;
  // Flags win over the environment; the environment keeps secrets off the command line.
  const apiKey = text("api-key") ?? nonEmpty(env.IMMUTA_EMULATOR_API_KEY);
  const adminToken = text("admin-token") ?? nonEmpty(env.IMMUTA_EMULATOR_ADMIN_TOKEN);
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

/** The rate limit of `--rate-limit` and `--rate-limit-burst`, undefined when off, or what is wrong with them. */
function rateLimitOf(
  perSecond: string | undefined,
  burst: string | undefined,
): EmulatorOptions["rateLimit"] | string {
  if (perSecond === undefined) {
    return burst === undefined ? undefined : "--rate-limit-burst needs --rate-limit";
  }
  const requestsPerSecond = /^\d{1,7}(\.\d{1,6})?$/.test(perSecond) ? Number(perSecond) : NaN;
  if (!(requestsPerSecond > 0 && requestsPerSecond <= MAX_RATE_LIMIT_PER_SECOND)) {
    return `--rate-limit must be a number of requests per second above 0, at most ${MAX_RATE_LIMIT_PER_SECOND}`;
  }
  if (burst === undefined) return { requestsPerSecond };
  const parsedBurst = integer(burst);
  if (parsedBurst === undefined || parsedBurst < 1 || parsedBurst > MAX_RATE_LIMIT_PER_SECOND) {
    return `--rate-limit-burst must be an integer from 1 to ${MAX_RATE_LIMIT_PER_SECOND}`;
  }
  return { requestsPerSecond, burst: parsedBurst };
}

function integer(text: string): number | undefined {
  return /^-?\d{1,15}$/.test(text) ? Number(text) : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
