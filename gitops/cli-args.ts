/**
 * `pulumi-immuta-gitops` arguments and environment, turned into one command; never throws.
 */
import { parseArgs } from "node:util";
import { ALLOW_DESTRUCTIVE_ENV, DEFAULT_MAX_DESTRUCTIVE, MAX_DESTRUCTIVE_ENV } from "./defaults";

export const USAGE = `Usage: pulumi-immuta-gitops <command> [options]

Commands:
  summary           preview the stack; print a Markdown summary for a pull request; enforce the guard
  up                preview, enforce the guard, then update exactly what was previewed
  drift             refresh in preview-only mode; print what differs from Immuta
  validate <file>   check a catalogue file offline (no engine, no Immuta)

Options (summary, up, drift):
  -s, --stack <name>          the stack (required)
  -C, --cwd <dir>             the Pulumi program directory (default: the working directory)
  --pulumi-root <dir>         use <dir>/bin/pulumi instead of the pulumi on PATH
Options (summary, up):
  --max-destructive <n>       deletions plus replacements allowed without --allow-destructive
                              (env ${MAX_DESTRUCTIVE_ENV}; default ${DEFAULT_MAX_DESTRUCTIVE})
  --allow-destructive         allow any number (env ${ALLOW_DESTRUCTIVE_ENV}=true)
  --skip-refresh              do not refresh before previewing (default: refresh, as up does)
Options (all):
  -o, --output <file>         also write the report to <file>
  -h, --help                  show this help

The backend, passphrase and PULUMI_HOME come from the environment, as for pulumi itself.
Exit codes: 0 success (drift: nothing drifted), 1 drift found, 2 error, 3 guard tripped (nothing applied).
`;

export interface StackArguments {
  stackName: string;
  workDir: string;
  pulumiRoot?: string;
  output?: string;
}

export interface GuardArguments {
  maxDestructive: number;
  allowDestructive: boolean;
  refresh: boolean;
}

export type GitopsCommand =
  | ({ kind: "summary" | "up" } & StackArguments & GuardArguments)
  | ({ kind: "drift" } & StackArguments)
  | { kind: "validate"; file: string; output?: string }
  | { kind: "help" }
  | { kind: "error"; message: string };

const COMMANDS = ["summary", "up", "drift", "validate"] as const;

const isTrue = (value: string | undefined): boolean =>
  value !== undefined && /^(1|true|yes)$/i.test(value.trim());

export function parseGitopsArguments(argv: string[], env: NodeJS.ProcessEnv): GitopsCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        stack: { type: "string", short: "s" },
        cwd: { type: "string", short: "C" },
        "pulumi-root": { type: "string" },
        output: { type: "string", short: "o" },
        "max-destructive": { type: "string" },
        "allow-destructive": { type: "boolean" },
        "skip-refresh": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    return { kind: "error", message: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return { kind: "help" };
  const [command, ...rest] = positionals;
  if (!(COMMANDS as readonly string[]).includes(command)) {
    return { kind: "error", message: `unknown command "${command}" (expected ${COMMANDS.join(", ")})` };
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
  if (!values.stack) return { kind: "error", message: `${command} needs --stack <name>` };
  const stack: StackArguments = {
    stackName: values.stack,
    workDir: values.cwd ?? ".",
    ...(values["pulumi-root"] === undefined ? {} : { pulumiRoot: values["pulumi-root"] }),
    ...(values.output === undefined ? {} : { output: values.output }),
  };
  if (command === "drift") {
    const guardOnly = ["max-destructive", "allow-destructive", "skip-refresh"] as const;
    const misplaced = guardOnly.find((option) => values[option] !== undefined);
    if (misplaced) return { kind: "error", message: `--${misplaced} does not apply to drift` };
    return { kind: "drift", ...stack };
  }

  const limitText = values["max-destructive"] ?? env[MAX_DESTRUCTIVE_ENV];
  let maxDestructive = DEFAULT_MAX_DESTRUCTIVE;
  if (limitText !== undefined && limitText !== "") {
    if (!/^\d+$/.test(limitText.trim())) {
      const source = values["max-destructive"] !== undefined ? "--max-destructive" : MAX_DESTRUCTIVE_ENV;
      return { kind: "error", message: `${source} must be a whole number >= 0, got "${limitText}"` };
    }
    maxDestructive = Number(limitText.trim());
  }
  return {
    kind: command as "summary" | "up",
    ...stack,
    maxDestructive,
    allowDestructive: values["allow-destructive"] === true || isTrue(env[ALLOW_DESTRUCTIVE_ENV]),
    refresh: values["skip-refresh"] !== true,
  };
}
