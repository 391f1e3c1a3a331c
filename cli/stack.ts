/**
 * The stack a command-line tool works on: an existing stack of a Pulumi program directory, run by the `pulumi` CLI
 * on PATH (or under `--pulumi-root`), never downloaded. Backend, passphrase and PULUMI_HOME come from the
 * environment, as for `pulumi` itself. The one way both CLIs (gitops, doctor) open a stack.
 */
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import type { ConfigSource } from "../provider/api";

export interface StackLocation {
  /** The stack's name, e.g. `production` or `org/project/production`. */
  stackName: string;
  /** The Pulumi program directory (holding Pulumi.yaml). */
  workDir: string;
  /** A directory whose `bin/pulumi` to use instead of the `pulumi` on PATH. Never downloaded. */
  pulumiRoot?: string;
  /** Variables added to the environment of `pulumi`, and so of the provider it starts. */
  envVars?: Record<string, string>;
}

type WorkspaceLocation = Omit<StackLocation, "stackName">;

/** The `pulumi` to run: `<pulumiRoot>/bin/pulumi`, or the one on PATH (the Automation API checks its version). */
export function pulumiCommandOf(location: Pick<StackLocation, "pulumiRoot">): Promise<PulumiCommand> {
  return PulumiCommand.get(
    location.pulumiRoot === undefined ? {} : { root: path.resolve(location.pulumiRoot) },
  );
}

/** The program's workspace, with the `pulumi` to run; no stack selected. */
export async function openWorkspace(location: WorkspaceLocation): Promise<LocalWorkspace> {
  return LocalWorkspace.create({
    workDir: path.resolve(location.workDir),
    pulumiCommand: await pulumiCommandOf(location),
    ...(location.envVars === undefined ? {} : { envVars: location.envVars }),
  });
}

export async function selectStack(location: StackLocation): Promise<Stack> {
  return LocalWorkspace.selectStack(
    { stackName: location.stackName, workDir: path.resolve(location.workDir) },
    {
      pulumiCommand: await pulumiCommandOf(location),
      ...(location.envVars === undefined ? {} : { envVars: location.envVars }),
    },
  );
}

/**
 * A stack's `immuta:*` settings: the stack config the provider reads, decrypted by the Pulumi CLI
 * (`pulumi config --show-secrets`), so a tool needs no credential the stack does not already have.
 */
export async function stackConfig(workspace: LocalWorkspace, stackName: string): Promise<ConfigSource> {
  const all = await workspace.getAllConfig(stackName);
  return { get: (key) => all[key]?.value };
}

/** The `stderr` part of an Automation API error (its message also holds the command's stdout), on one line. */
export function pulumiError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const stderr = /\n stderr: ([\s\S]*?)\n err\?:/.exec(message)?.[1]?.trim();
  const text = stderr !== undefined && stderr !== "" ? stderr : message.split("\n")[0];
  return text.replace(/\s+/g, " ").slice(0, 400);
}
