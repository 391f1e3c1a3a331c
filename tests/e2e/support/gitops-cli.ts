/**
 * Runs `pulumi-immuta-gitops` as a user does: the compiled CLI from the package installed in the program's
 * node_modules, in the program directory, with the stack's backend, passphrase and PULUMI_HOME in the environment.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { pulumiBinDir } from "./pulumi-cli";
import { PASSPHRASE, type TestStack } from "./stack";

export interface GitopsRun {
  exitCode: number;
  /** The Markdown report. */
  stdout: string;
  /** The engine's progress and usage errors. */
  stderr: string;
}

/** The environment a user's shell gives a CLI of the package for this stack: offline, its backend and home. */
export function stackEnvironment(test: TestStack, pathVariable: string | undefined): NodeJS.ProcessEnv {
  return {
    PATH: pathVariable,
    HOME: process.env.HOME,
    PULUMI_BACKEND_URL: `file://${test.backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_HOME: path.join(test.root, "pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
}

export function runGitops(
  test: TestStack,
  args: string[],
  env: Record<string, string> = {},
): Promise<GitopsRun> {
  const cli = path.join(test.programDir, "node_modules/pulumi-immuta/dist/gitops/cli.js");
  const pulumiRoot = path.dirname(pulumiBinDir());
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args, "--stack", test.stack.name, "--pulumi-root", pulumiRoot],
      {
        cwd: test.programDir,
        env: { ...stackEnvironment(test, process.env.PATH), ...env },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ exitCode, stdout, stderr });
      },
    );
  });
}
