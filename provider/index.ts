/**
 * `pulumi-immuta/provider`: the dynamic provider the Pulumi engine runs. Resources reference it by package name
 * at run time, so this module's exports are part of the state contract: keep `provider` here.
 */
export { provider, engineWatch } from "./dynamic/host";

export { createProvider, type ImmutaResourceProvider, type ProviderOptions } from "./resource-provider";
export { checkInputs, type DataSourceInputs, type AdoptionInput, type CheckFailure } from "./core/inputs";
export { diffDataSource } from "./core/diff";
export { upgradeState, type DataSourceState } from "./core/state";
export {
  resolveTenantConnection,
  environmentPrefix,
  type TenantConnection,
  type ConfigSource,
} from "./core/settings";
export * from "./core/constants";
export * from "./core/resource-kind";
export * from "./core/errors";
export * as client from "./client";
