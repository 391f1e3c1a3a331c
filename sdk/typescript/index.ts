/**
 * `pulumi-immuta`: manage Immuta's Amazon S3 data sources with Pulumi.
 *
 * ```ts
 * import { ImmutaS3DataSource } from "pulumi-immuta";
 * new ImmutaS3DataSource("research", { integrationId: 1, dataSourceName: "research", prefix: "s3://acme-research/raw" });
 * ```
 */
export { STATE_SCHEMA_VERSION } from "../../provider/core/constants";
export { TYPE_TOKEN } from "../../provider/core/resource-kind";
export { PROVIDER_REFERENCE } from "./provider-reference";
export { ImmutaS3DataSource } from "./resource";
export type {
  ImmutaS3DataSourceAdoption,
  ImmutaS3DataSourceArgs,
  ImmutaS3DataSourceGetOptions,
} from "./resource";
export * from "./catalogue";
