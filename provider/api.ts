/**
 * The provider's public API for the tools around it. The GitOps CLI (gitops/), doctor (doctor/) and the benchmark
 * (bench/) use the provider only through this module, and a lint rule refuses deeper imports, so that the
 * provider's layout can change without breaking them. Loading it has no side effects: unlike the package entry
 * (index.ts, `pulumi-immuta/provider`), it creates no provider and watches no engine.
 */

// The resource: its one definition, its type tokens, and the check every declaration passes.
export { DATA_SOURCE, SETTINGS } from "./core/definition";
export { driftReportingOutputs, inputNames, outputNames } from "./core/model";
export type { JsonSchema, ResourceDefinition, PropertyDefinition } from "./core/model";
export {
  checkInputs,
  inputSchema,
  withDefaults,
  type AdoptionInput,
  type CheckFailure,
  type DataSourceInputs,
} from "./core/inputs";
export type { DataSourceState } from "./core/state";
export * from "./core/resource-kind";
export { DEFAULT_TENANT, PROVIDER_KEY, STATE_SCHEMA_VERSION, UNKNOWN_VALUE } from "./core/constants";

// Connection settings and tenants, read as the provider reads them.
export {
  configKey,
  environmentPrefix,
  environmentSuffix,
  resolveTenantConnection,
  type ConfigSource,
  type PrefixForm,
  type TenantConnection,
} from "./core/settings";
export { Tenants, type Tenant } from "./core/tenants";
export {
  IntegrationLocations,
  learnLocation,
  setLocationCommand,
  type IntegrationLocation,
  type LearnedLocation,
  type LocationSource,
} from "./core/integration-locations";
export { silentLog, type EngineLog } from "./runtime/engine-log";

// Amazon S3 naming rules and location arithmetic.
export {
  canonicalLocation,
  isWithinLocation,
  parseDeclaredPrefix,
  relativeTo,
  S3_ROOT,
} from "./core/s3-naming";

// Reading a source as the provider does.
export { describeSource } from "./operations/messages";
export { curatedTagNames, governanceOf, type Governance } from "./operations/governance";
export { fetchHandler, handlerIdOf, otherHandlerPath, type ImmutaView } from "./operations/immuta-view";

// Recovering from an interrupted `pulumi up`: the file the GitOps CLI hands the provider.
export {
  adoptedSourceOf,
  formatRecoveryFile,
  RECOVERY_FILE_ENV,
  type PendingCreate,
  type RecoveryFile,
} from "./operations/interrupted-run";

// The provider object and the errors it raises.
export { createProvider, type ImmutaResourceProvider, type ProviderOptions } from "./resource-provider";
export * from "./core/errors";

// Immuta's V1 API.
export * from "./client";
