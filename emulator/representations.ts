import { prefixForResponse } from "./prefix-form";
import type { DeleteOutcome } from "./store";
import type {
  DataSourceTag,
  EmulatorIntegration,
  EmulatorModes,
  EmulatorUser,
  StoredDataSource,
  TagListMode,
  TenantUser,
} from "./types";
import { subscriptionStatusOf } from "./visibility";

/** The wire shapes of the Immuta API, built from stored sources. Each cites docs/immuta-api.md. */

/** `POST /native-s3/handler` result for one source ("Create a data source"). */
export function createdDataSourceBody(
  source: StoredDataSource,
  integration: EmulatorIntegration | undefined,
  modes: EmulatorModes,
) {
  return {
    dataSourceId: source.id,
    prefix: prefixForResponse(source.prefix, integration?.awsLocationPath, modes.prefixForm),
    dataSourceName: source.name,
  };
}

/** `GET /dataSource/{id}` ("Data source"). Undocumented extras are included on purpose: clients must ignore them. */
// DECISION: `blobHandler.url` is built on the emulator's own base URL; `deleted` tells a disabled source while
// `status` stays the health value; `connectionString` is the canonical absolute prefix in every prefix form.
export function dataSourceBody(source: StoredDataSource, baseUrl: string, modes: EmulatorModes) {
  return {
    id: source.id,
    name: source.name,
    deleted: source.deleted,
    status: modes.dataSourceStatus,
    blobHandlerType: BLOB_HANDLER_TYPE,
    ...(modes.blobHandler === "present"
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
    description: source.description,
    // Always a bare array here, whatever the tagList mode says of the tag endpoints' answers.
    tags: source.tags.map(tagBody),
  };
}

/** A tag on a data source ("Manage Tags": the answer of adding tags to a model). */
// DECISION: a removed tag leaves the list, so every tag listed has `deleted: false`.
export function tagBody(tag: DataSourceTag) {
  return { name: tag.name, source: tag.source, addedBy: tag.addedBy, deleted: false };
}

/** The answer of the tag endpoints of one source, in the tagList mode's shape. */
// DECISION (mode tagList): a bare array of tags by default; `wrapped` answers `{tags, count}`, the other plausible
// shape, so a client proves it reads both.
export function tagListBody(tags: readonly DataSourceTag[], mode: TagListMode) {
  const bodies = tags.map(tagBody);
  return mode === "wrapped" ? { tags: bodies, count: bodies.length } : bodies;
}

/** A tag of the library as `POST /tag` answers it ("Manage Tags": create a tag). */
// DECISION: the emulator's library holds names only, so its tags carry no `id`, `createdAt` or `updatedAt`.
export function libraryTagBody(name: string, createdBy: number) {
  return { name, source: "curated", deleted: false, systemCreated: false, createdBy };
}

/**
 * A hit of `GET /dataSource` in `searchHits: summary`: exactly the members of Immuta's documented search example
 * ("Search data sources"), so no `blobHandler` and no `updatedAt`. Values that have no S3 meaning are those of the
 * example (`recordFormat`, `policy`) or null.
 */
export function dataSourceSummaryBody(source: StoredDataSource, viewer: EmulatorUser, modes: EmulatorModes) {
  return {
    name: source.name,
    id: source.id,
    recordFormat: "Not Provided",
    deleted: source.deleted,
    description: source.description,
    createdAt: source.createdAt,
    subscriptionPolicy: { type: "subscription", automaticSubscription: false },
    schemaEvolutionId: source.schemaEvolutionId,
    recordCount: 0,
    status: modes.dataSourceStatus,
    subscriptionStatus: subscriptionStatusOf(viewer, source),
    blobHandlerType: BLOB_HANDLER_TYPE,
    subscriptionType: "manual",
    connectionString: source.prefix,
    sqlSchemaName: null,
    policy: "None",
    policyHandlerType: "None",
    native: null,
    workspace: null,
  };
}

/** `blobHandlerType` of every source the emulator holds (a search filter value too). */
export const BLOB_HANDLER_TYPE = "Native S3";

/** `GET /native-s3/handler/{handlerId}` ("Search Amazon S3 data sources"). */
// DECISION: `id` is the handler id (see handlerIds mode); the data source id is the extra member `dataSourceId`;
// `awsLocationPath` is the integration's as configured; `metadata.prefix` follows the prefix form.
export function handlerBody(
  source: StoredDataSource,
  integration: EmulatorIntegration | undefined,
  modes: EmulatorModes,
) {
  return {
    id: source.handlerId,
    dataSourceId: source.id,
    metadata: {
      prefix: prefixForResponse(source.prefix, integration?.awsLocationPath, modes.prefixForm),
      integrationId:
        modes.handlerIntegrationId === "string" ? String(source.integrationId) : source.integrationId,
      dataSourceName: source.name,
    },
    type: "nativeS3Handler",
    ...(modes.handlerLocation === "present" ? { awsLocationPath: integration?.awsLocationPath ?? null } : {}),
  };
}

/** `DELETE /dataSource/{id}` ("Delete an Amazon S3 data source"); `hardDelete` only in `with-hard-delete`. */
// DECISION: `handlerDeleteErrorMessage` is null unless set through the control API, and then returned by both calls.
export function deleteBody(source: StoredDataSource, outcome: DeleteOutcome, modes: EmulatorModes) {
  return {
    success: true,
    id: source.id,
    schemaEvolutionId: source.schemaEvolutionId,
    name: source.name,
    disabled: outcome === "disabled",
    ...(modes.deleteResponse === "with-hard-delete" ? { hardDelete: outcome === "purged" } : {}),
    handlerDeleteErrorMessage: source.handlerDeleteErrorMessage,
  };
}

/** `GET /integrations/{id}` ("Integrations API"): ids are strings there; no credential is ever part of it. */
// DECISION: an integration without a configured name or location role gets `s3-integration-<id>` and a role ARN in
// its account, so the documented `config` members are always present.
export function integrationBody(integration: EmulatorIntegration) {
  return {
    id: String(integration.id),
    status: "enabled",
    validationResults: { status: "passed", validationTests: [] },
    type: "Native S3",
    autoBootstrap: false,
    config: {
      name: integration.name ?? `s3-integration-${integration.id}`,
      awsAccountId: integration.awsAccountId,
      awsRegion: integration.awsRegion,
      awsLocationRole:
        integration.awsLocationRole ??
        `arn:aws:iam::${integration.awsAccountId}:role/immuta-access-grants-location`,
      awsLocationPath: integration.awsLocationPath,
      authenticationType: "auto",
    },
  };
}

/** `GET /bim/rpc/user/current`: the key's user, with its global permissions (the BIM API's user shape). */
// DECISION: the profile id is the user id, as in Immuta's BIM examples, so `addedBy` matches either; `iamid` is
// `bim` and `authorizations` empty, as the emulator models no identity manager, groups or attributes.
export function currentUserBody(user: TenantUser) {
  return {
    id: user.id,
    iamid: "bim",
    userid: user.name,
    profile: { id: user.id, name: user.name },
    permissions: [...user.permissions],
    authorizations: {},
  };
}
