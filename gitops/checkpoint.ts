/**
 * What recover reads in a stack's checkpoint (`pulumi stack export`): the creates an interrupted run left pending,
 * and the data sources the state holds. The export's shape is Pulumi's deployment format (version 3).
 */
import { DEFAULT_TENANT, isDataSourceType, type PendingCreate } from "../provider/api";

interface ExportedResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
}

interface ExportedDeployment {
  resources?: ExportedResource[];
  pending_operations?: { type: string; resource: ExportedResource }[];
}

/** `urn:…::research` → `research`: the resource's name in the program (a catalogue key). */
export const logicalName = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);

export interface PendingOperations {
  /** Pending creates of data sources, with the declaration each was creating. */
  creates: PendingCreate[];
  /** Any other pending operation (of other resources, or updates and deletes), as `<type> <name>`. */
  others: string[];
}

function pendingCreateOf(resource: ExportedResource): PendingCreate | undefined {
  const inputs = resource.inputs ?? {};
  const { integrationId, dataSourceName, prefix } = inputs;
  const tenant = inputs.tenant ?? DEFAULT_TENANT;
  if (typeof integrationId !== "number" || typeof dataSourceName !== "string" || typeof prefix !== "string")
    return undefined;
  if (typeof tenant !== "string") return undefined;
  return { urn: resource.urn, tenant, integrationId, dataSourceName, prefix };
}

export function pendingOperationsOf(deployment: unknown): PendingOperations {
  const pending = (deployment as ExportedDeployment).pending_operations ?? [];
  const creates: PendingCreate[] = [];
  const others: string[] = [];
  for (const operation of pending) {
    const create =
      operation.type === "creating" && isDataSourceType(operation.resource.type)
        ? pendingCreateOf(operation.resource)
        : undefined;
    if (create) creates.push(create);
    else others.push(`${operation.type} ${logicalName(operation.resource.urn)}`);
  }
  return { creates, others };
}

/** The data sources the state holds: Immuta's id → the resource's name. */
export function dataSourcesOf(deployment: unknown): Map<number, string> {
  const resources = (deployment as ExportedDeployment).resources ?? [];
  return new Map(
    resources
      .filter((resource) => isDataSourceType(resource.type) && resource.id !== undefined)
      .map((resource) => [Number(resource.id), logicalName(resource.urn)]),
  );
}
