/**
 * `pulumi-immuta` arguments, turned into one command; never throws.
 */
import { parseArgs } from "node:util";
import { ids, STACK_OPTIONS } from "../cli/arguments";

export const USAGE = `Usage: pulumi-immuta doctor [options]

Checks, read-only, that the provider can work with the configured Immuta tenants: the URL answers over verified
TLS, the API key authenticates (and in which authMode, when the configured one fails), the integrations' locations
and the prefix form, and that the key may search and read data sources. Settings come from where the provider
reads them: the stack's immuta:* config, then IMMUTA_* environment variables. Nothing in Immuta is changed.

Options:
  -s, --stack <name>       read this stack's config and state (default: the stack selected in --cwd, if any)
  -C, --cwd <dir>          the Pulumi program directory (default: the working directory)
  --env-only               read IMMUTA_* environment variables only, no stack
  --tenant <name>          check this tenant (repeatable; default: those the stack configures or uses)
  --integration <id>       look up this integration (repeatable; default: those of the stack's sources)
  --data-source <id>       read this data source (repeatable; default: the stack's sources, else one a search finds)
  --pulumi-root <dir>      use <dir>/bin/pulumi instead of the pulumi on PATH
  --json                   print the report as JSON
  -h, --help               show this help

The backend, passphrase and PULUMI_HOME come from the environment, as for pulumi itself.
Exit codes: 0 nothing failed (warnings allowed), 1 a check failed, 2 bad arguments.
`;

export interface DoctorArguments {
  kind: "doctor";
  stackName?: string;
  workDir: string;
  pulumiRoot?: string;
  envOnly: boolean;
  tenants: string[];
  integrationIds: number[];
  dataSourceIds: number[];
  json: boolean;
}

export type CliCommand = DoctorArguments | { kind: "help" } | { kind: "error"; message: string };

export function parseCliArguments(argv: string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        ...STACK_OPTIONS,
        "env-only": { type: "boolean" },
        tenant: { type: "string", multiple: true },
        integration: { type: "string", multiple: true },
        "data-source": { type: "string", multiple: true },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    return { kind: "error", message: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return { kind: "help" };
  const [command, ...rest] = positionals;
  if (command !== "doctor")
    return { kind: "error", message: `unknown command "${command}" (expected doctor)` };
  if (rest.length > 0) return { kind: "error", message: `unexpected argument "${rest[0]}"` };
  if (values["env-only"] && values.stack !== undefined) {
    return { kind: "error", message: "--env-only and --stack exclude each other" };
  }
  const integrationIds = ids("integration", values.integration);
  if (!Array.isArray(integrationIds)) return { kind: "error", message: integrationIds.error };
  const dataSourceIds = ids("data-source", values["data-source"]);
  if (!Array.isArray(dataSourceIds)) return { kind: "error", message: dataSourceIds.error };
  const badTenant = (values.tenant ?? []).find((tenant) => !/^[A-Za-z][A-Za-z0-9_-]{0,62}$/.test(tenant));
  if (badTenant !== undefined)
    return { kind: "error", message: `--tenant "${badTenant}" is not a tenant name` };
  return {
    kind: "doctor",
    ...(values.stack === undefined ? {} : { stackName: values.stack }),
    workDir: values.cwd ?? ".",
    ...(values["pulumi-root"] === undefined ? {} : { pulumiRoot: values["pulumi-root"] }),
    envOnly: values["env-only"] === true,
    tenants: values.tenant ?? [],
    integrationIds,
    dataSourceIds,
    json: values.json === true,
  };
}
