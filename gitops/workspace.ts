/**
 * The stack the commands operate on: an existing stack of a Pulumi program directory, run by the `pulumi` CLI on
 * PATH (or under `--pulumi-root`). Backend, passphrase and PULUMI_HOME come from the environment, as for `pulumi`.
 */
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";

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

/** The program's workspace, with the `pulumi` to run; no stack selected. */
export async function workspaceOf(location: StackLocation): Promise<LocalWorkspace> {
  const pulumiCommand = await PulumiCommand.get(
    location.pulumiRoot === undefined ? {} : { root: path.resolve(location.pulumiRoot) },
  );
  return LocalWorkspace.create({
    workDir: path.resolve(location.workDir),
    pulumiCommand,
    ...(location.envVars === undefined ? {} : { envVars: location.envVars }),
  });
}

export async function selectStack(location: StackLocation): Promise<Stack> {
  const pulumiCommand = await PulumiCommand.get(
    location.pulumiRoot === undefined ? {} : { root: path.resolve(location.pulumiRoot) },
  );
  return LocalWorkspace.selectStack(
    { stackName: location.stackName, workDir: path.resolve(location.workDir) },
    { pulumiCommand, ...(location.envVars === undefined ? {} : { envVars: location.envVars }) },
  );
}
