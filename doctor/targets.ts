/**
 * What to check: which tenants, and per tenant which integrations to look up and which data sources to read. Given
 * on the command line, or taken from the stack's config and state.
 */
import { DEFAULT_TENANT, type ConfigSource } from "../provider/api";
import type { ReadTarget } from "./checks/read";
import { MAX_STATE_SOURCES_READ } from "./defaults";
import { configuredTenants, settingOrigin } from "./settings";
import type { StateSource } from "./stack-context";

export interface Requested {
  tenants: readonly string[];
  integrationIds: readonly number[];
  dataSourceIds: readonly number[];
}

export interface TenantTargets {
  tenant: string;
  integrationIds: number[];
  reads: ReadTarget[];
}

/**
 * DECISION: without `--tenant`, every tenant the stack uses or configures is checked, and the default tenant when
 * its URL is set (or when nothing else is), so a program with only named tenants gets no spurious failure.
 */
function tenantsToCheck(
  requested: readonly string[],
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
  state: readonly StateSource[],
): string[] {
  if (requested.length > 0) return [...new Set(requested)];
  const named = new Set([...configuredTenants(config), ...state.map((source) => source.tenant)]);
  named.delete(DEFAULT_TENANT);
  const defaultUsed =
    state.some((source) => source.tenant === DEFAULT_TENANT) ||
    settingOrigin(DEFAULT_TENANT, "url", config, env) !== undefined ||
    named.size === 0;
  return [...(defaultUsed ? [DEFAULT_TENANT] : []), ...[...named].sort()];
}

/** `--integration` and `--data-source` apply to every tenant checked; narrow with `--tenant`. */
export function chooseTargets(
  requested: Requested,
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
  state: readonly StateSource[],
): TenantTargets[] {
  return tenantsToCheck(requested.tenants, config, env, state).map((tenant) => {
    const ofTenant = state.filter((source) => source.tenant === tenant);
    const integrationIds =
      requested.integrationIds.length > 0
        ? [...new Set(requested.integrationIds)]
        : [...new Set(ofTenant.flatMap((source) => source.integrationId ?? []))].sort((a, b) => a - b);
    const reads: ReadTarget[] =
      requested.dataSourceIds.length > 0
        ? [...new Set(requested.dataSourceIds)].map((dataSourceId) => ({
            dataSourceId,
            from: "--data-source",
          }))
        : ofTenant.slice(0, MAX_STATE_SOURCES_READ).map((source) => ({
            dataSourceId: source.dataSourceId,
            ...(source.handlerId === undefined ? {} : { handlerId: source.handlerId }),
            from: "state",
          }));
    return { tenant, integrationIds, reads };
  });
}
