import type { DeleteOutcome } from "./store";
import type { BlobHandlerMode, EmulatorIntegration, StoredDataSource } from "./types";

/** The wire shapes of the Immuta API, built from stored sources. */

/** `POST /native-s3/handler` result for one source (SEED). */
export function createdDataSourceBody(source: StoredDataSource) {
  return { dataSourceId: source.id, prefix: source.prefix, dataSourceName: source.name };
}

/** `GET /dataSource/{id}` (DOC). Extra, undocumented members are included on purpose: clients must ignore them. */
// DECISION: `blobHandler.url` is built on the emulator's own base URL; `status` is always "Ready" (`deleted`
// is what tells a disabled source); `connectionString` is the canonical prefix.
export function dataSourceBody(source: StoredDataSource, baseUrl: string, blobHandler: BlobHandlerMode) {
  return {
    id: source.id,
    name: source.name,
    deleted: source.deleted,
    status: "Ready",
    blobHandlerType: "Native S3",
    ...(blobHandler === "present"
      ? { blobHandler: { url: `${baseUrl}/native-s3/handler/${source.handlerId}` } }
      : {}),
    connectionString: source.prefix,
    createdAt: source.createdAt,
    updatedAt: source.updatedAt,
    // Undocumented extras, as a real tenant returns many.
    type: "ingested",
    policyHandlerType: "Builder",
    subscriptionType: "manual",
    schemaEvolutionId: source.schemaEvolutionId,
    description: null,
  };
}

/** `GET /native-s3/handler/{handlerId}` (SEED). */
// DECISION: `id` is the handler id (see handlerIds mode); the data source id is the extra member `dataSourceId`;
// `awsLocationPath` is the integration's, as configured.
export function handlerBody(source: StoredDataSource, integration: EmulatorIntegration | undefined) {
  return {
    id: source.handlerId,
    dataSourceId: source.id,
    metadata: { prefix: source.prefix, integrationId: source.integrationId, dataSourceName: source.name },
    type: "nativeS3Handler",
    awsLocationPath: integration?.awsLocationPath ?? null,
  };
}

/** `DELETE /dataSource/{id}` (SEED, plus `hardDelete` from the swagger model). */
// DECISION: `handlerDeleteErrorMessage` is null unless set through the control API, and then returned by both calls.
export function deleteBody(source: StoredDataSource, outcome: DeleteOutcome) {
  return {
    success: true,
    id: source.id,
    name: source.name,
    disabled: outcome === "disabled",
    hardDelete: outcome === "purged",
    schemaEvolutionId: source.schemaEvolutionId,
    handlerDeleteErrorMessage: source.handlerDeleteErrorMessage,
  };
}
