/**
 * `read` (pulumi refresh): Immuta's current view of a source, as drift against the declaration.
 */
import { samePrefix } from "../s3-prefix";
import { buildState, declarationOf, factsOf, type DataSourceState } from "../state";
import type { Tenant } from "../tenants";
import { describeSource, inContext } from "./context";
import { fetchView, viewFacts } from "./immuta-view";

export interface RefreshedDataSource {
  state: DataSourceState;
  /** The declaration as Immuta holds it now: the next preview shows exactly the drift against the program. */
  inputs: Record<string, unknown>;
}

/**
 * Returns `undefined` when the source is gone (purged behind Pulumi's back): the resource then leaves the state
 * and the next `up` creates it again.
 *
 * - Disabled: `disabled` becomes true (the next `up` restores it).
 * - Renamed: `immutaName` differs from `appliedName` (the next `up` renames it back). A name Immuta chose itself
 *   at creation is the baseline, so sources Immuta renames never show a perpetual diff.
 * - Moved to another prefix or integration: the state records Immuta's values, so the next `up` replaces it.
 */
export async function readDataSource(
  tenant: Tenant,
  state: DataSourceState,
): Promise<RefreshedDataSource | undefined> {
  const view = await fetchView(tenant, state).catch((error: unknown) => {
    throw inContext(
      "Refreshing",
      describeSource(state.dataSourceName, state.prefix, state.dataSourceId),
      error,
    );
  });
  if (!view) return undefined;

  const metadata = view.handler.metadata;
  const prefix = samePrefix(view.prefix, state.prefix) ? state.prefix : view.prefix;
  const refreshed = buildState(
    { ...declarationOf(state), integrationId: metadata.integrationId, prefix },
    viewFacts(view, factsOf(state)),
    state.appliedName,
  );
  const renamed = refreshed.immutaName !== refreshed.appliedName;
  const inputs: Record<string, unknown> = {
    integrationId: refreshed.integrationId,
    prefix: refreshed.prefix,
    dataSourceName: renamed ? refreshed.immutaName : refreshed.dataSourceName,
    tenant: refreshed.tenant,
    disabled: refreshed.disabled,
    ...(refreshed.adopt ? { adopt: refreshed.adopt } : {}),
  };
  return { state: refreshed, inputs };
}
