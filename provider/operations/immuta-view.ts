/**
 * Immuta's view of one data source: the data source record and its native-s3 handler, the prefix in its absolute
 * form, and the state that records them.
 */
import { handlerIdFromDataSource, isNotFound, type DataSource, type NativeS3Handler } from "../client";
import type { DataSourceInputs } from "../core/inputs";
import { canonicalLocation, canonicalReportedPrefix, samePrefix } from "../core/s3-naming";
import type { DataSourceState, ImmutaFacts } from "../core/state";
import type { Tenant } from "../core/tenants";

export interface ImmutaView {
  dataSource: DataSource;
  handler: NativeS3Handler;
  handlerId: number;
  /** The integration's location (canonical), as the handler reports it or as learned from the integration. */
  awsLocationPath: string;
  /** The handler's prefix in canonical absolute form, whichever form Immuta answered in. */
  prefix: string;
}

/**
 * DECISION: the handler id comes from `blobHandler.url` (docs/immuta-api.md); when Immuta leaves that out, the
 * data source id is used, as Immuta's example (where both are 1) suggests. Search hits are summaries without
 * `blobHandler`: fetch the data source itself before asking for its handler.
 */
export function handlerIdOf(dataSource: DataSource): number {
  return handlerIdFromDataSource(dataSource) ?? dataSource.id;
}

const NATIVE_S3_HANDLER_PATH = /\/native-s3\/handler\/\d+\/?(?:[?#].*)?$/;

/**
 * Where a data source's `blobHandler.url` leads when that is not a native-s3 handler (a Snowflake table, say),
 * else `undefined`. Its handler id would name some S3 source's handler, so such a source is not read as S3.
 */
export function otherHandlerPath(dataSource: DataSource): string | undefined {
  const url = dataSource.blobHandler?.url;
  if (typeof url !== "string" || NATIVE_S3_HANDLER_PATH.test(url)) return undefined;
  return url.replace(/^[a-z]+:\/\/[^/]+/i, "");
}

/** The view of a handler: its location (the handler's own, else the integration's) and absolute prefix. */
async function viewOf(
  tenant: Tenant,
  dataSource: DataSource,
  handler: NativeS3Handler,
  handlerId: number,
): Promise<ImmutaView> {
  const awsLocationPath =
    handler.awsLocationPath !== undefined
      ? canonicalLocation(handler.awsLocationPath)
      : (await tenant.locations.locationOf(handler.metadata.integrationId)).awsLocationPath;
  const prefix = canonicalReportedPrefix(handler.metadata.prefix, awsLocationPath);
  return { dataSource, handler, handlerId, awsLocationPath, prefix };
}

/** The handler of a data source already fetched whole (not a search hit). */
export async function fetchHandler(tenant: Tenant, dataSource: DataSource): Promise<ImmutaView> {
  const handlerId = handlerIdOf(dataSource);
  const handler = await tenant.client.getHandler(handlerId);
  return viewOf(tenant, dataSource, handler, handlerId);
}

/**
 * Thrown when Immuta hides a source from the key's user: refreshing must not drop a source that still exists. The
 * operation adds what it was doing and for which resource.
 */
function hiddenSourceError(dataSourceId: number, handlerId: number): Error {
  return new Error(
    `the API key's user cannot see it: Immuta answered 404 to GET /dataSource/${dataSourceId}, but its handler ` +
      `(GET /native-s3/handler/${handlerId}) still exists, so it was not deleted. Immuta shows a data source only ` +
      `to its owner, to users with the GOVERNANCE permission, to its subscribers, or to everyone when it is public, ` +
      `and a disabled source only to its owner. Give the key's user the GOVERNANCE permission or ownership of the ` +
      `source, then run pulumi refresh again.`,
  );
}

/**
 * Data source and handler fetched concurrently, as `read` needs them; `undefined` when the source is gone. A
 * handler id that moved (or a stale one from old state) costs one more request. A 404 for the data source whose
 * handler still answers (with the recorded prefix) means Immuta hides the source from this user: an error, never
 * "gone".
 */
export async function fetchView(
  tenant: Tenant,
  recorded: Pick<DataSourceState, "dataSourceId" | "handlerId" | "prefix">,
): Promise<ImmutaView | undefined> {
  const { client } = tenant;
  const [dataSourceResult, handlerResult] = await Promise.allSettled([
    client.getDataSource(recorded.dataSourceId),
    client.getHandler(recorded.handlerId),
  ]);
  if (dataSourceResult.status === "rejected") {
    if (!isNotFound(dataSourceResult.reason)) throw dataSourceResult.reason;
    if (handlerResult.status === "rejected") {
      if (isNotFound(handlerResult.reason)) return undefined;
      throw handlerResult.reason;
    }
    const dataSource = { id: recorded.dataSourceId, name: handlerResult.value.metadata.dataSourceName };
    const view = await viewOf(tenant, dataSource, handlerResult.value, recorded.handlerId);
    // A handler id recorded by an old release may belong to another source: only our own prefix proves it.
    if (samePrefix(view.prefix, recorded.prefix))
      throw hiddenSourceError(recorded.dataSourceId, recorded.handlerId);
    return undefined;
  }
  const dataSource = dataSourceResult.value;
  const handlerId = handlerIdOf(dataSource);
  if (handlerId === recorded.handlerId) {
    if (handlerResult.status === "fulfilled")
      return viewOf(tenant, dataSource, handlerResult.value, handlerId);
    if (!isNotFound(handlerResult.reason)) throw handlerResult.reason;
  }
  return fetchHandler(tenant, dataSource);
}

/** Differences between a declaration and what Immuta holds, one line each, for adoption errors. */
export function mismatches(declared: DataSourceInputs, view: ImmutaView, checkName: boolean): string[] {
  const problems: string[] = [];
  if (!samePrefix(view.prefix, declared.prefix)) {
    problems.push(`prefix: Immuta has ${view.prefix}, the declaration says ${declared.prefix}`);
  }
  if (view.handler.metadata.integrationId !== declared.integrationId) {
    problems.push(
      `integrationId: Immuta has ${view.handler.metadata.integrationId}, the declaration says ${declared.integrationId}`,
    );
  }
  if (checkName && view.dataSource.name !== declared.dataSourceName) {
    problems.push(
      `name: Immuta has "${view.dataSource.name}", the declaration says "${declared.dataSourceName}"`,
    );
  }
  return problems;
}

/**
 * What the data source record says, on top of what was known before (the handler's location is not in it);
 * `otherTags` are the tags it holds that the stack does not manage.
 */
export function dataSourceFacts(
  dataSource: DataSource,
  before: ImmutaFacts,
  otherTags: string[],
): ImmutaFacts {
  return {
    dataSourceId: dataSource.id,
    handlerId: handlerIdOf(dataSource),
    immutaName: dataSource.name,
    otherTags,
    awsLocationPath: before.awsLocationPath,
    disabled: dataSource.deleted === true,
    status: dataSource.status ?? before.status,
  };
}

/** What the data source and its handler say; values Immuta left out keep what was known before. */
export function viewFacts(view: ImmutaView, otherTags: string[], before?: ImmutaFacts): ImmutaFacts {
  return {
    dataSourceId: view.dataSource.id,
    handlerId: view.handlerId,
    immutaName: view.dataSource.name,
    otherTags,
    awsLocationPath: view.awsLocationPath,
    disabled: view.dataSource.deleted === true,
    status: view.dataSource.status ?? before?.status ?? null,
  };
}
