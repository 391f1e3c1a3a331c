/**
 * `pulumi-immuta/provider`: the dynamic provider the Pulumi engine runs. Resources reference it by package name
 * at run time, so this module's exports are part of the state contract: keep `provider` here.
 */
import { createProvider } from "./resource-provider";

/** The provider every `ImmutaS3DataSource` uses, created once per provider process. */
export const provider = createProvider();

export { createProvider, type ImmutaResourceProvider, type ProviderOptions } from "./resource-provider";
export { checkInputs, type DataSourceInputs, type AdoptionInput, type CheckFailure } from "./inputs";
export { diffDataSource } from "./diff";
export { upgradeState, type DataSourceState } from "./state";
export {
  resolveTenantConnection,
  environmentPrefix,
  type TenantConnection,
  type ConfigSource,
} from "./config";
export * from "./constants";
export * from "./errors";
export * as client from "./client";
