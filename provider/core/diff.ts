/**
 * `diff`: what `pulumi preview` shows before anyone approves a change. Pure: no API call.
 */
import { DEFAULT_TENANT, UNKNOWN_VALUE } from "./constants";
import type { DataSourceInputs } from "./inputs";
import { samePrefix } from "./s3-prefix";
import type { DataSourceState } from "./state";

export interface DataSourceDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

const unknown = (value: unknown) => value === UNKNOWN_VALUE;

/**
 * Compares the old outputs (which carry the declaration as given, or Immuta's values where refresh found the
 * source moved) with the new declaration.
 *
 * - A different integration, prefix, name or tenant replaces the source; `replaces` lists exactly those keys.
 * - Immuta keeps names and prefixes unique (soft-deleted sources included), so a replacement that keeps either
 *   in the same tenant must purge the old source first.
 * - A source that refresh found disabled, or renamed behind Pulumi's back, is an in-place update (restore, rename
 *   back): replacing it would purge the policies attached to it in Immuta.
 */
export function diffDataSource(olds: DataSourceState, news: DataSourceInputs): DataSourceDiff {
  const replaces: string[] = [];
  const newTenant = news.tenant ?? DEFAULT_TENANT;
  if (unknown(news.integrationId) || olds.integrationId !== news.integrationId)
    replaces.push("integrationId");
  if (unknown(news.prefix) || !samePrefix(olds.prefix, news.prefix)) replaces.push("prefix");
  if (unknown(news.dataSourceName) || olds.dataSourceName !== news.dataSourceName)
    replaces.push("dataSourceName");
  if (unknown(newTenant) || olds.tenant !== newTenant) replaces.push("tenant");

  const sameTenant = !replaces.includes("tenant");
  const keepsName = !replaces.includes("dataSourceName");
  const keepsPrefix = !replaces.includes("prefix");
  // An unknown value may turn out equal, so it counts as kept: purging first is the safe order.
  const nameMayCollide = keepsName || unknown(news.dataSourceName);
  const prefixMayCollide = keepsPrefix || unknown(news.prefix);
  const deleteBeforeReplace = replaces.length > 0 && sameTenant && (nameMayCollide || prefixMayCollide);

  const driftToRepair = olds.disabled || olds.immutaName !== olds.appliedName;
  return { changes: replaces.length > 0 || driftToRepair, replaces, deleteBeforeReplace };
}
