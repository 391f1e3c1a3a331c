/**
 * `pulumi-immuta-gitops` arguments and environment, turned into one command; never throws.
 */
import { parseArgs } from "node:util";
import { ids, STACK_OPTIONS, stackLocationOf, wholeNumber } from "../cli/arguments";
import type { StackLocation } from "../cli/stack";
import {
  ALLOW_DESTRUCTIVE_ENV,
  DEFAULT_EXPORT_CONCURRENCY,
  DEFAULT_MAX_CLOCK_SKEW_SECONDS,
  DEFAULT_MAX_DESTRUCTIVE,
  MAX_DESTRUCTIVE_ENV,
} from "./defaults";
import { EXPORT_FORMATS, type ExportFormat } from "./export/types";

export const USAGE = `Usage: pulumi-immuta-gitops <command> [options]

Commands:
  export            write a catalogue that adopts every S3 data source Immuta holds (onboarding; reads only)
  summary           preview the stack; print a Markdown summary for a pull request; enforce the guard
  up                preview, enforce the guard, then update exactly what was previewed
  drift             refresh in preview-only mode; print what differs from Immuta
  recover           after a killed \`pulumi up\`: remove its lock (only when its process is gone), adopt the
                    sources its interrupted creates registered, and finish the update as \`up\` does
  validate <file>   check a catalogue file offline (no engine, no Immuta)

Options (summary, up, drift, recover):
  -s, --stack <name>          the stack (required)
  -C, --cwd <dir>             the Pulumi program directory (default: the working directory)
  --pulumi-root <dir>         use <dir>/bin/pulumi instead of the pulumi on PATH
Options (summary, up, recover):
  --max-destructive <n>       deletions plus replacements allowed without --allow-destructive
                              (env ${MAX_DESTRUCTIVE_ENV}; default ${DEFAULT_MAX_DESTRUCTIVE})
  --allow-destructive         allow any number (env ${ALLOW_DESTRUCTIVE_ENV}=true)
  --skip-refresh              summary, up: do not refresh before previewing (default: refresh, as up does)
Options (recover):
  --run-started-at <time>     when the interrupted run started (e.g. 2026-06-30T10:15:00Z), if its lock is
                              already gone; the lock gives it otherwise
  --max-clock-skew <seconds>  how far this machine's and Immuta's clocks may differ (default ${DEFAULT_MAX_CLOCK_SKEW_SECONDS})
  --prepare-only              stop before the update; print the \`pulumi up\` that finishes the recovery
Options (export):
  --format yaml|json|typescript
                              the catalogue as YAML (default) or JSON, or an index.ts program
  --out <file>                write it to <file> instead of stdout (its extension sets the format)
  --merge <catalogue>         add only the sources <catalogue> lacks, keeping its entries as they are
  --skip-disabled             leave out sources disabled in Immuta (default: export them; up restores them)
  --integration <id>          only sources of this integration (repeatable)
  --prefix s3://bucket/path   only sources at or under this location (repeatable)
  --tenant <name>             the configured tenant to read (default: default)
  --concurrency <n>           data sources read at once (default ${DEFAULT_EXPORT_CONCURRENCY})
  -s, --stack <name>          read immuta:* settings from this stack's config (default: IMMUTA_* variables)
  -C, --cwd, --pulumi-root    as above, with --stack
Options (all):
  -o, --output <file>         also write the report to <file> (not export: see --out)
  -h, --help                  show this help

The backend, passphrase and PULUMI_HOME come from the environment, as for pulumi itself.
Exit codes: 0 success (drift: nothing drifted), 1 drift found, 2 error, 3 guard tripped (nothing applied).
`;

export interface StackArguments extends StackLocation {
  output?: string;
}

export interface GuardArguments {
  maxDestructive: number;
  allowDestructive: boolean;
  refresh: boolean;
}

export interface ExportArguments {
  /** Where to read `immuta:*` config from; absent: the environment only. */
  stack?: StackLocation;
  tenant?: string;
  integrationIds: number[];
  prefixes: string[];
  format?: ExportFormat;
  out?: string;
  merge?: string;
  skipDisabled: boolean;
  concurrency?: number;
}

export interface RecoverArguments {
  runStartedAt?: string;
  maxClockSkewSeconds: number;
  prepareOnly: boolean;
}

export type GitopsCommand =
  | ({ kind: "summary" | "up" } & StackArguments & GuardArguments)
  | ({ kind: "recover" } & StackArguments & Omit<GuardArguments, "refresh"> & RecoverArguments)
  | ({ kind: "drift" } & StackArguments)
  | ({ kind: "export" } & ExportArguments)
  | { kind: "validate"; file: string; output?: string }
  | { kind: "help" }
  | { kind: "error"; message: string };

const COMMANDS = ["export", "summary", "up", "drift", "recover", "validate"] as const;

/** Options only some commands take; any other command refuses them by name. */
const GUARD_OPTIONS = ["max-destructive", "allow-destructive", "skip-refresh"] as const;
const RECOVER_OPTIONS = ["run-started-at", "max-clock-skew", "prepare-only"] as const;
const EXPORT_OPTIONS = [
  "format",
  "out",
  "merge",
  "skip-disabled",
  "integration",
  "prefix",
  "tenant",
  "concurrency",
] as const;

const isTrue = (value: string | undefined): boolean =>
  value !== undefined && /^(1|true|yes)$/i.test(value.trim());

const FORMAT_OF_EXTENSION: Record<string, ExportFormat> = {
  ".yaml": "yaml",
  ".yml": "yaml",
  ".json": "json",
  ".ts": "typescript",
};

function parseExport(values: ParsedValues): GitopsCommand {
  if (values.output !== undefined) {
    return { kind: "error", message: "export writes its catalogue with --out <file>, not --output" };
  }
  if (values.stack === undefined && (values.cwd !== undefined || values["pulumi-root"] !== undefined)) {
    return { kind: "error", message: "--cwd and --pulumi-root need --stack: they say where its config is" };
  }
  const integrationIds = ids("integration", values.integration);
  if (!Array.isArray(integrationIds)) return { kind: "error", message: integrationIds.error };
  let format = values.format as ExportFormat | undefined;
  if (format !== undefined && !EXPORT_FORMATS.includes(format)) {
    return {
      kind: "error",
      message: `--format must be one of ${EXPORT_FORMATS.join(", ")}, got "${format}"`,
    };
  }
  const outFormat = values.out === undefined ? undefined : FORMAT_OF_EXTENSION[extensionOf(values.out)];
  if (format === undefined && values.merge === undefined) format = outFormat;
  else if (format !== undefined && outFormat !== undefined && outFormat !== format) {
    return { kind: "error", message: `--out ${values.out} does not suit --format ${format}` };
  }
  if (values.merge !== undefined && (format === "typescript" || outFormat === "typescript")) {
    return { kind: "error", message: "--merge adds to a YAML or JSON catalogue; it cannot write TypeScript" };
  }
  const mergeFormat =
    values.merge === undefined ? undefined : (FORMAT_OF_EXTENSION[extensionOf(values.merge)] ?? "yaml");
  if (mergeFormat !== undefined && outFormat !== undefined && outFormat !== mergeFormat) {
    return {
      kind: "error",
      message: `--out ${values.out} does not suit the ${mergeFormat} catalogue --merge ${values.merge}`,
    };
  }
  const concurrency =
    values.concurrency === undefined ? undefined : wholeNumber("--concurrency", values.concurrency, 1);
  if (typeof concurrency === "object") return { kind: "error", message: concurrency.error };
  return {
    kind: "export",
    ...(values.stack === undefined ? {} : { stack: stackLocationOf({ ...values, stack: values.stack }) }),
    ...(values.tenant === undefined ? {} : { tenant: values.tenant }),
    integrationIds,
    prefixes: values.prefix ?? [],
    ...(format === undefined ? {} : { format }),
    ...(values.out === undefined ? {} : { out: values.out }),
    ...(values.merge === undefined ? {} : { merge: values.merge }),
    skipDisabled: values["skip-disabled"] === true,
    ...(concurrency === undefined ? {} : { concurrency }),
  };
}

function extensionOf(file: string): string {
  const match = /\.[^./\\]+$/.exec(file);
  return match ? match[0].toLowerCase() : "";
}

const OPTIONS = {
  ...STACK_OPTIONS,
  output: { type: "string", short: "o" },
  "max-destructive": { type: "string" },
  "allow-destructive": { type: "boolean" },
  "skip-refresh": { type: "boolean" },
  format: { type: "string" },
  out: { type: "string" },
  merge: { type: "string" },
  "skip-disabled": { type: "boolean" },
  integration: { type: "string", multiple: true },
  prefix: { type: "string", multiple: true },
  tenant: { type: "string" },
  concurrency: { type: "string" },
  "run-started-at": { type: "string" },
  "max-clock-skew": { type: "string" },
  "prepare-only": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type ParsedValues = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>["values"];

export function parseGitopsArguments(argv: string[], env: NodeJS.ProcessEnv): GitopsCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, strict: true, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    return { kind: "error", message: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return { kind: "help" };
  const [command, ...rest] = positionals;
  if (!(COMMANDS as readonly string[]).includes(command)) {
    return { kind: "error", message: `unknown command "${command}" (expected ${COMMANDS.join(", ")})` };
  }
  const misplaced = (options: readonly (keyof ParsedValues)[]) =>
    options.find((option) => values[option] !== undefined);
  if (command !== "export") {
    const exportOnly = misplaced(EXPORT_OPTIONS);
    if (exportOnly) return { kind: "error", message: `--${exportOnly} applies to export only` };
  }
  if (command !== "recover") {
    const recoverOnly = misplaced(RECOVER_OPTIONS);
    if (recoverOnly) return { kind: "error", message: `--${recoverOnly} applies to recover only` };
  }
  if (command === "validate") {
    if (rest.length !== 1) return { kind: "error", message: "validate takes one catalogue file" };
    return {
      kind: "validate",
      file: rest[0],
      ...(values.output === undefined ? {} : { output: values.output }),
    };
  }
  if (rest.length > 0) return { kind: "error", message: `unexpected argument "${rest[0]}"` };
  if (command === "export") {
    const guardOnly = misplaced(GUARD_OPTIONS);
    if (guardOnly) return { kind: "error", message: `--${guardOnly} does not apply to export` };
    return parseExport(values);
  }
  if (!values.stack) return { kind: "error", message: `${command} needs --stack <name>` };
  const stack: StackArguments = {
    ...stackLocationOf({ ...values, stack: values.stack }),
    ...(values.output === undefined ? {} : { output: values.output }),
  };
  if (command === "drift") {
    const guardOnly = misplaced(GUARD_OPTIONS);
    if (guardOnly) return { kind: "error", message: `--${guardOnly} does not apply to drift` };
    return { kind: "drift", ...stack };
  }

  const limitText = values["max-destructive"] ?? env[MAX_DESTRUCTIVE_ENV];
  const limitSource = values["max-destructive"] !== undefined ? "--max-destructive" : MAX_DESTRUCTIVE_ENV;
  const maxDestructive =
    limitText === undefined || limitText === ""
      ? DEFAULT_MAX_DESTRUCTIVE
      : wholeNumber(limitSource, limitText, 0);
  if (typeof maxDestructive === "object") return { kind: "error", message: maxDestructive.error };
  const allowDestructive = values["allow-destructive"] === true || isTrue(env[ALLOW_DESTRUCTIVE_ENV]);
  if (command === "recover") {
    // recover refreshes in any case: the refresh is what clears the interrupted creates.
    if (values["skip-refresh"] !== undefined)
      return { kind: "error", message: "--skip-refresh does not apply to recover" };
    const startedAt = values["run-started-at"];
    if (startedAt !== undefined && Number.isNaN(Date.parse(startedAt))) {
      return {
        kind: "error",
        message: `--run-started-at must be a time such as 2026-06-30T10:15:00Z, got "${startedAt}"`,
      };
    }
    const skew =
      values["max-clock-skew"] === undefined
        ? DEFAULT_MAX_CLOCK_SKEW_SECONDS
        : wholeNumber("--max-clock-skew", values["max-clock-skew"], 0, " of seconds");
    if (typeof skew === "object") return { kind: "error", message: skew.error };
    return {
      kind: "recover",
      ...stack,
      maxDestructive,
      allowDestructive,
      ...(startedAt === undefined ? {} : { runStartedAt: startedAt }),
      maxClockSkewSeconds: skew,
      prepareOnly: values["prepare-only"] === true,
    };
  }
  return {
    kind: command as "summary" | "up",
    ...stack,
    maxDestructive,
    allowDestructive,
    refresh: values["skip-refresh"] !== true,
  };
}
