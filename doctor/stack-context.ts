/**
 * The stack `doctor` reads settings from: its config (`pulumi config --show-secrets --json`, what the provider's
 * `configure` receives) and, from its state, the integrations and data sources it manages. Read through the
 * Automation API with the `pulumi` CLI on PATH (or under `--pulumi-root`); backend, passphrase and PULUMI_HOME come
 * from the environment, as for `pulumi` itself.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { openWorkspace, pulumiCommandOf, pulumiError, stackConfig } from "../cli/stack";
import { DEFAULT_TENANT, isDataSourceType, type ConfigSource } from "../provider/api";

/** A data source the stack's state holds. */
export interface StateSource {
  tenant: string;
  dataSourceId: number;
  handlerId?: number;
  integrationId?: number;
}

export interface StackContext {
  stackName: string;
  config: ConfigSource;
  sources: StateSource[];
}

export type StackLookup =
  | { kind: "stack"; context: StackContext }
  /** No stack to read: the reason is shown, and the environment alone is used. */
  | { kind: "none"; reason: string }
  /** A stack was asked for (`--stack`) or found, and could not be read. */
  | { kind: "error"; message: string };

export interface StackRequest {
  /** `--stack`; without it, the stack selected in `workDir`, if any. */
  stackName?: string;
  workDir: string;
  pulumiRoot?: string;
  env: NodeJS.ProcessEnv;
}

const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml"];

function definedStrings(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function positiveInteger(value: unknown): number | undefined {
  const number = typeof value === "string" ? Number(value) : value;
  return typeof number === "number" && Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

/** This product's resources in an exported deployment. */
export function sourcesOfDeployment(deployment: unknown): StateSource[] {
  const resources = (deployment as { resources?: unknown } | undefined)?.resources;
  if (!Array.isArray(resources)) return [];
  const sources: StateSource[] = [];
  for (const resource of resources as { type?: unknown; id?: unknown; outputs?: Record<string, unknown> }[]) {
    if (!isDataSourceType(resource.type)) continue;
    const outputs = resource.outputs ?? {};
    const dataSourceId = positiveInteger(resource.id ?? outputs.dataSourceId);
    if (dataSourceId === undefined) continue;
    const tenant =
      typeof outputs.tenant === "string" && outputs.tenant !== "" ? outputs.tenant : DEFAULT_TENANT;
    const handlerId = positiveInteger(outputs.handlerId);
    const integrationId = positiveInteger(outputs.integrationId);
    sources.push({
      tenant,
      dataSourceId,
      ...(handlerId === undefined ? {} : { handlerId }),
      ...(integrationId === undefined ? {} : { integrationId }),
    });
  }
  return sources;
}

export async function readStack(request: StackRequest): Promise<StackLookup> {
  const workDir = path.resolve(request.workDir);
  const asked = request.stackName !== undefined;
  if (!PROJECT_FILES.some((file) => fs.existsSync(path.join(workDir, file)))) {
    const reason = `no Pulumi project (Pulumi.yaml) in ${workDir}`;
    return asked
      ? { kind: "error", message: `cannot read stack "${request.stackName}": ${reason}; pass --cwd <dir>` }
      : { kind: "none", reason };
  }
  try {
    // The CLI is looked for first, so that a missing one is told apart from a stack that cannot be read.
    await pulumiCommandOf(request);
  } catch (error) {
    const reason = /ENOENT/.test(String(error))
      ? "the pulumi CLI is not on PATH"
      : `the pulumi CLI could not be run (${pulumiError(error)})`;
    return asked
      ? {
          kind: "error",
          message: `cannot read stack "${request.stackName}": ${reason}; put it on PATH or pass --pulumi-root`,
        }
      : { kind: "none", reason };
  }
  let stackName = request.stackName;
  try {
    const workspace = await openWorkspace({
      workDir,
      ...(request.pulumiRoot === undefined ? {} : { pulumiRoot: request.pulumiRoot }),
      envVars: definedStrings(request.env),
    });
    stackName ??= (await workspace.stack())?.name;
    if (stackName === undefined) return { kind: "none", reason: `no stack selected in ${workDir}` };
    const config = await stackConfig(workspace, stackName);
    const exported = await workspace.exportStack(stackName);
    return {
      kind: "stack",
      context: { stackName, config, sources: sourcesOfDeployment(exported.deployment) },
    };
  } catch (error) {
    const which = stackName === undefined ? "the selected stack" : `stack "${stackName}"`;
    return {
      kind: "error",
      message:
        `cannot read ${which} in ${workDir}: ${pulumiError(error)}. Check --stack, and that the backend ` +
        `(PULUMI_BACKEND_URL or pulumi login) and PULUMI_CONFIG_PASSPHRASE are those the stack uses, or pass --env-only`,
    };
  }
}
