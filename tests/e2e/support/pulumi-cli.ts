/**
 * The real Pulumi CLI for end-to-end tests, as scripts/provision-pulumi.sh chose it (PULUMI_CLI_DIR, a CLI on PATH
 * at or above the SDK floor, or this project's build in the per-user cache), never downloaded. The engine tiers'
 * global setup (tests/setup/pulumi-cli.js) provisions once and hands the answer to every test file in
 * PULUMI_IMMUTA_TOOLCHAIN.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";

export const REPO_ROOT = path.resolve(__dirname, "../../..");

/** `pulumi-immuta-minimal`: this project's host (tools/pulumi-cli/language-nodejs); `official`: any other. */
export type LanguageHostKind = "pulumi-immuta-minimal" | "official";

export interface PulumiToolchain {
  /** Directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`. */
  binDir: string;
  /** `cli-dir` (PULUMI_CLI_DIR), `path` (the pulumi on PATH) or `build` (this project's, in the cache). */
  source: string;
  cli: { path: string; version: string };
  languageHost: { path: string; version: string; kind: LanguageHostKind };
}

/** Reads what scripts/provision-pulumi.sh printed: KEY=value lines, then the bin directory. */
export function parseToolchain(output: string): PulumiToolchain {
  const lines = output.trim().split("\n");
  const found = new Map(
    lines
      .filter((line) => /^PULUMI_[A-Z_]+=/.test(line))
      .map((line) => line.split(/=(.*)/s, 2) as [string, string]),
  );
  const get = (key: string): string => {
    const value = found.get(key);
    if (value === undefined) throw new Error(`scripts/provision-pulumi.sh did not report ${key}:\n${output}`);
    return value;
  };
  return {
    binDir: lines[lines.length - 1],
    source: get("PULUMI_CLI_SOURCE"),
    cli: { path: get("PULUMI_CLI"), version: get("PULUMI_CLI_VERSION") },
    languageHost: {
      path: get("PULUMI_LANGUAGE_HOST"),
      version: get("PULUMI_LANGUAGE_HOST_VERSION"),
      kind: get("PULUMI_LANGUAGE_HOST_KIND") as LanguageHostKind,
    },
  };
}

/** Runs scripts/provision-pulumi.sh with `args` and the environment `env` adds; only errors and builds on stderr. */
export function provisionToolchain(args: string[] = [], env: NodeJS.ProcessEnv = {}): PulumiToolchain {
  const output = execFileSync("bash", [path.join(REPO_ROOT, "scripts/provision-pulumi.sh"), ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, PULUMI_PROVISION_QUIET: "1", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return parseToolchain(output);
}

let toolchain: PulumiToolchain | undefined;

/** The CLI and language host every e2e and reliability test runs. */
export function pulumiToolchain(): PulumiToolchain {
  toolchain ??= process.env.PULUMI_IMMUTA_TOOLCHAIN
    ? parseToolchain(process.env.PULUMI_IMMUTA_TOOLCHAIN)
    : provisionToolchain();
  return toolchain;
}

/** Directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`. */
export function pulumiBinDir(): string {
  return pulumiToolchain().binDir;
}

const commands = new Map<string, Promise<PulumiCommand>>();

/**
 * The Automation API's command for the tests' CLI, or for the one in `binDir`: asked once per file (getting one runs
 * `pulumi version`), not once per stack.
 */
export function pulumiCommand(binDir = pulumiBinDir()): Promise<PulumiCommand> {
  let command = commands.get(binDir);
  if (!command) {
    command = PulumiCommand.get({ root: path.dirname(binDir), skipVersionCheck: false });
    commands.set(binDir, command);
  }
  return command;
}
