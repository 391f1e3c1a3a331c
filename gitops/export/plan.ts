/**
 * The output's shape: one integration entry per integration, then the sources grouped by integration (in the
 * integrations' order) and ordered by key, so the same tenant always gives the same text.
 */
import { DEFAULT_TENANT } from "../../provider/api";
import { assignKeys } from "./keys";
import type { ExportEntry, ExportIntegration, ExportPlan, TenantIntegration, TenantSource } from "./types";

/** Keys an existing catalogue uses, and the keys of the integrations it declares for this tenant. */
export interface ExistingKeys {
  integrationKeys: ReadonlySet<string>;
  /** Current and previous keys of its sources. */
  sourceKeys: ReadonlySet<string>;
  /** Key of each integration (by id) the catalogue already declares for the exported tenant. */
  integrationKeyOf: ReadonlyMap<number, string>;
}

export const NO_EXISTING_KEYS: ExistingKeys = {
  integrationKeys: new Set(),
  sourceKeys: new Set(),
  integrationKeyOf: new Map(),
};

export interface PlanInput {
  sources: readonly TenantSource[];
  integrations: readonly TenantIntegration[];
  tenant: string;
  existing?: ExistingKeys;
}

/**
 * Integrations new to the output get keys from their Immuta names (`integration-<id>` without one); integrations
 * the existing catalogue declares keep their keys and are not declared again.
 */
export function planExport({
  sources,
  integrations,
  tenant,
  existing = NO_EXISTING_KEYS,
}: PlanInput): ExportPlan {
  const used = new Set(sources.map((source) => source.integrationId));
  const needed = integrations
    .filter((integration) => used.has(integration.integrationId))
    .sort((a, b) => a.integrationId - b.integrationId);
  const fresh = needed.filter((integration) => !existing.integrationKeyOf.has(integration.integrationId));
  const freshKeys = assignKeys(
    fresh.map((integration) => ({
      name: integration.name ?? `integration-${integration.integrationId}`,
      id: integration.integrationId,
      fallback: `integration-${integration.integrationId}`,
    })),
    existing.integrationKeys,
  );
  const keyOf = new Map(existing.integrationKeyOf);
  const declaredIntegrations: ExportIntegration[] = fresh.map((integration, index) => {
    keyOf.set(integration.integrationId, freshKeys[index]);
    return {
      key: freshKeys[index],
      integrationId: integration.integrationId,
      ...(tenant === DEFAULT_TENANT ? {} : { tenant }),
    };
  });

  const sourceKeys = assignKeys(
    sources.map((source) => ({
      name: source.dataSourceName,
      id: source.dataSourceId,
      fallback: `source-${source.dataSourceId}`,
    })),
    existing.sourceKeys,
  );
  const groupOrder = new Map(needed.map((integration, index) => [integration.integrationId, index]));
  const entries: ExportEntry[] = sources
    .map((source, index) => {
      const integration = keyOf.get(source.integrationId);
      if (integration === undefined) {
        throw new Error(
          `internal error: integration ${source.integrationId} of source ${source.dataSourceId} has no key`,
        );
      }
      return { key: sourceKeys[index], integration, source };
    })
    .sort(
      (a, b) =>
        (groupOrder.get(a.source.integrationId) ?? 0) - (groupOrder.get(b.source.integrationId) ?? 0) ||
        compareKeys(a.key, b.key),
    );
  return { integrations: declaredIntegrations, entries };
}

/** Plain code-unit order: the same on every machine and locale. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
