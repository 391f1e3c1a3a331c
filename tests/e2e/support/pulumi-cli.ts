/**
 * The real Pulumi CLI for end-to-end tests: provisioned by scripts/provision-pulumi.sh (PULUMI_CLI_DIR's when set,
 * else built from Go modules when missing and cached afterwards), never downloaded.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";

export const REPO_ROOT = path.resolve(__dirname, "../../..");

/** `pulumi-immuta-minimal`: this project's host (tools/pulumi-cli/language-nodejs); `official`: any other. */
export type LanguageHostKind = "pulumi-immuta-minimal" | "official";

export interface PulumiToolchain {
  /** Directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`. */
  binDir: string;
  cli: { path: string; version: string };
  languageHost: { path: string; version: string; kind: LanguageHostKind };
}

let toolchain: PulumiToolchain | undefined;

/** The CLI and language host every e2e and reliability test runs, announced once per jest run. */
export function pulumiToolchain(): PulumiToolchain {
  if (!toolchain) {
    // Quiet: only errors and build progress reach stderr; what was found comes back on stdout.
    const output = execFileSync("bash", [path.join(REPO_ROOT, "scripts/provision-pulumi.sh")], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: { ...process.env, PULUMI_PROVISION_QUIET: "1" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const lines = output.trim().split("\n");
    const found = new Map(
      lines
        .filter((line) => /^PULUMI_[A-Z_]+=/.test(line))
        .map((line) => line.split(/=(.*)/s, 2) as [string, string]),
    );
    const get = (key: string): string => {
      const value = found.get(key);
      if (value === undefined)
        throw new Error(`scripts/provision-pulumi.sh did not report ${key}:\n${output}`);
      return value;
    };
    toolchain = {
      binDir: lines[lines.length - 1],
      cli: { path: get("PULUMI_CLI"), version: get("PULUMI_CLI_VERSION") },
      languageHost: {
        path: get("PULUMI_LANGUAGE_HOST"),
        version: get("PULUMI_LANGUAGE_HOST_VERSION"),
        kind: get("PULUMI_LANGUAGE_HOST_KIND") as LanguageHostKind,
      },
    };
    announceOncePerJestRun(toolchain);
  }
  return toolchain;
}

/** Directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`. */
export function pulumiBinDir(): string {
  return pulumiToolchain().binDir;
}

export function pulumiCommand(): Promise<PulumiCommand> {
  return PulumiCommand.get({ root: path.dirname(pulumiBinDir()), skipVersionCheck: false });
}

/**
 * Prints which CLI and language host run the tests, at the top of a jest run and only once: every test file
 * provisions (in its own worker), so the first one to get here leaves a marker for the others.
 */
function announceOncePerJestRun(found: PulumiToolchain): void {
  const markers = path.join(os.tmpdir(), "pulumi-immuta-toolchain-announced");
  fs.mkdirSync(markers, { recursive: true });
  try {
    fs.writeFileSync(path.join(markers, jestRunId()), "", { flag: "wx" });
  } catch {
    return; // another test file of this run announced it
  }
  const host =
    found.languageHost.kind === "official"
      ? "not this project's host (the official one)"
      : "pulumi-immuta's minimal host: no policy packs, code generation or package managers other than npm";
  process.stderr.write(
    [
      "",
      `Pulumi CLI:    ${found.cli.path} v${found.cli.version}`,
      `Language host: ${found.languageHost.path} v${found.languageHost.version}, ${host}`,
      "(set PULUMI_CLI_DIR to run on another CLI: docs/official-cli.md)",
      "",
      "",
    ].join("\n"),
  );
}

/**
 * The jest process of this run, with its start time so that a reused pid is a new run: test files run in workers
 * forked by jest (with an IPC channel), or in the jest process itself when it runs them in band.
 */
function jestRunId(): string {
  const jestPid =
    process.send !== undefined && process.env.JEST_WORKER_ID !== undefined ? process.ppid : process.pid;
  let started = "";
  try {
    // Field 22 of /proc/<pid>/stat, counted after the parenthesised command name (which may hold spaces).
    started = fs.readFileSync(`/proc/${jestPid}/stat`, "utf8").split(") ")[1].split(" ")[19];
  } catch {
    // Not Linux: the pid alone.
  }
  return `${jestPid}-${started}`;
}
