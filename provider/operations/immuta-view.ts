/**
 * Immuta's view of one data source: the data source record and its native-s3 handler, and the state that
 * records them.
 */
import {
  handlerIdFromDataSource,
  isNotFound,
  type DataSource,
  type ImmutaClient,
  type NativeS3Handler,
} from "../client";
import type { DataSourceInputs } from "../inputs";
import { canonicalReportedPrefix, samePrefix } from "../s3-prefix";
import { buildState, type DataSourceState, type ImmutaFacts } from "../state";

export interface ImmutaView {
  dataSource: DataSource;
  handler: NativeS3Handler;
  handlerId: number;
}

/**
 * DECISION (contract): the handler id comes from `blobHandler.url`; when Immuta leaves that out, the data
 * source id is used, as the seed's example (where both are 1) suggests.
 */
export function handlerIdOf(dataSource: DataSource): number {
  return handlerIdFromDataSource(dataSource) ?? dataSource.id;
}

/** The handler of a data source already fetched. */
export async function fetchHandler(client: ImmutaClient, dataSource: DataSource): Promise<ImmutaView> {
  const handlerId = handlerIdOf(dataSource);
  const handler = await client.getHandler(handlerId);
  return { dataSource, handler, handlerId };
}

/**
 * Data source and handler fetched concurrently, as `read` needs them. `undefined` when the source is gone. A
 * handler id that moved (or a stale one from old state) costs one more request.
 */
export async function fetchView(
  client: ImmutaClient,
  dataSourceId: number,
  expectedHandlerId: number,
): Promise<ImmutaView | undefined> {
  const [dataSourceResult, handlerResult] = await Promise.allSettled([
    client.getDataSource(dataSourceId),
    client.getHandler(expectedHandlerId),
  ]);
  if (dataSourceResult.status === "rejected") {
    if (isNotFound(dataSourceResult.reason)) return undefined;
    throw dataSourceResult.reason;
  }
  const dataSource = dataSourceResult.value;
  const handlerId = handlerIdOf(dataSource);
  if (handlerId === expectedHandlerId && handlerResult.status === "fulfilled") {
    return { dataSource, handler: handlerResult.value, handlerId };
  }
  if (
    handlerId === expectedHandlerId &&
    handlerResult.status === "rejected" &&
    !isNotFound(handlerResult.reason)
  ) {
    throw handlerResult.reason;
  }
  return fetchHandler(client, dataSource);
}

/** Differences between a declaration and what Immuta holds, one line each, for adoption errors. */
export function mismatches(declared: DataSourceInputs, view: ImmutaView, checkName: boolean): string[] {
  const problems: string[] = [];
  const reportedPrefix = view.handler.metadata.prefix;
  if (!samePrefix(reportedPrefix, declared.prefix)) {
    problems.push(
      `prefix: Immuta has ${canonicalReportedPrefix(reportedPrefix)}, the declaration says ${declared.prefix}`,
    );
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

/** What the data source record says, on top of what was known before (the handler's location is not in it). */
export function dataSourceFacts(dataSource: DataSource, before: ImmutaFacts): ImmutaFacts {
  return {
    dataSourceId: dataSource.id,
    handlerId: handlerIdOf(dataSource),
    immutaName: dataSource.name,
    awsLocationPath: before.awsLocationPath,
    disabled: dataSource.deleted === true,
    status: dataSource.status ?? before.status,
  };
}

/** What the data source and its handler say; values Immuta left out keep what was known before. */
export function viewFacts(view: ImmutaView, before?: ImmutaFacts): ImmutaFacts {
  return {
    dataSourceId: view.dataSource.id,
    handlerId: view.handlerId,
    immutaName: view.dataSource.name,
    awsLocationPath: view.handler.awsLocationPath ?? before?.awsLocationPath ?? null,
    disabled: view.dataSource.deleted === true,
    status: view.dataSource.status ?? before?.status ?? null,
  };
}

/** State for a source whose Immuta view matches the declaration (after create or adoption). */
export function stateFromView(
  declared: DataSourceInputs,
  view: ImmutaView,
  appliedName: string,
): DataSourceState {
  return buildState(declared, viewFacts(view), appliedName);
}
