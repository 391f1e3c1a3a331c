/**
 * `pulumi-immuta/provider`: the dynamic provider the Pulumi engine runs. Resources reference it by package name
 * at run time, so this module's exports are part of the state contract: keep `provider` here.
 */
import { endWithEngine } from "./engine-lifetime";
import { ProviderOperations } from "./operation-drain";
import { createProvider } from "./resource-provider";

const operations = new ProviderOperations();

/** The provider every `ImmutaS3DataSource` uses, created once per provider process. */
export const provider = createProvider({ operations });

/**
 * Ends this process once the Pulumi engine that started it is gone: only when this process is Pulumi's
 * dynamic-provider host (undefined in tests and scripts, which create providers with `createProvider`).
 */
export const engineWatch = endWithEngine(operations);

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
