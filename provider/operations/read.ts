/**
 * `read` (pulumi refresh): Immuta's current view of a source, as drift against the declaration.
 */
import { withoutDefaults } from "../core/inputs";
import { samePrefix } from "../core/s3-naming";
import { declarationOf, factsOf, type DataSourceState } from "../core/state";
import type { Tenant } from "../core/tenants";
import { governanceOf, governedState } from "./governance";
import { describeSource, inContext } from "./messages";
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
 * - A managed tag removed, or the managed description changed: the state records Immuta's, so the next `up`
 *   attaches the tag or describes the source again. Tags attached by others show in `otherTags`.
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

  const governance = await governanceOf(tenant, view.dataSource, state.tags !== undefined).catch(
    (error: unknown) => {
      throw inContext(
        "Refreshing the tags of",
        describeSource(state.dataSourceName, state.prefix, state.dataSourceId),
        error,
      );
    },
  );
  const metadata = view.handler.metadata;
  const prefix = samePrefix(view.prefix, state.prefix) ? state.prefix : view.prefix;
  const refreshed = governedState(
    { ...declarationOf(state), integrationId: metadata.integrationId, prefix },
    governance,
    viewFacts(view, [], factsOf(state)),
    state.appliedName,
  );
  return { state: refreshed, inputs: declarationInputs(refreshed) };
}

/**
 * The declaration a state stands for, in the program's vocabulary: a source renamed behind Pulumi's back shows
 * Immuta's name, a disabled one `disabled: true`, so that the next preview shows exactly that drift.
 */
export function declarationInputs(state: DataSourceState): Record<string, unknown> {
  const renamed = state.immutaName !== state.appliedName;
  const declared = Object.entries(declarationOf(state)).filter(([, value]) => value !== undefined);
  return withoutDefaults({
    ...Object.fromEntries(declared),
    dataSourceName: renamed ? state.immutaName : state.dataSourceName,
    disabled: state.disabled,
  });
}
