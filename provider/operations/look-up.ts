/**
 * `ImmutaS3DataSource.get`: the engine reads a source the program only references, by id and with no state to
 * compare against. Its outputs are Immuta's view, in the vocabulary of a declaration; nothing is written, and the
 * engine never updates or deletes such a resource.
 */
import { isNotFound } from "../client";
import { DEFAULT_TENANT } from "../constants";
import { ImmutaProviderError } from "../errors";
import { buildState, type DataSourceState } from "../state";
import type { Tenant } from "../tenants";
import { inContext } from "./context";
import { fetchHandler, otherHandlerPath, viewFacts } from "./immuta-view";

/** True for a read by id alone: the properties carry no declaration (state always holds one). */
export function isLookUp(props: Record<string, unknown>): boolean {
  return (
    props.prefix === undefined && props.dataSourceName === undefined && props.integrationId === undefined
  );
}

/** A data source id as `get` received it (the engine passes ids as strings). */
export function lookUpId(id: string): number {
  const dataSourceId = /^[1-9]\d*$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(dataSourceId)) {
    throw new ImmutaProviderError(
      `ImmutaS3DataSource.get needs an Immuta data source id (a whole number >= 1), not ${JSON.stringify(id)}.`,
    );
  }
  return dataSourceId;
}

export async function lookUpDataSource(tenant: Tenant, dataSourceId: number): Promise<DataSourceState> {
  const subject = `data source id ${dataSourceId}${tenant.name === DEFAULT_TENANT ? "" : ` in tenant "${tenant.name}"`}`;
  const dataSource = await tenant.client.getDataSource(dataSourceId).catch((error: unknown) => {
    if (!isNotFound(error)) throw inContext("Reading", subject, error);
    throw new ImmutaProviderError(
      `Reading ${subject} failed: Immuta answered 404, so it holds no data source with that id, or hides it from ` +
        `the API key's user (Immuta shows a source only to its owner, to users with the GOVERNANCE permission, to ` +
        `its subscribers, or to everyone when it is public). Check the id passed to ImmutaS3DataSource.get and ` +
        `the tenant, or give the key's user access to the source.`,
    );
  });
  const handlerPath = otherHandlerPath(dataSource);
  if (handlerPath !== undefined) {
    throw new ImmutaProviderError(
      `Reading ${subject} failed: "${dataSource.name}" is not an Amazon S3 data source (its handler is ` +
        `${handlerPath}). ImmutaS3DataSource.get reads S3 data sources only.`,
    );
  }
  const view = await fetchHandler(tenant, dataSource).catch((error: unknown) => {
    throw inContext("Reading the native-s3 handler of", `${subject} ("${dataSource.name}")`, error);
  });
  const declaration = {
    integrationId: view.handler.metadata.integrationId,
    prefix: view.prefix,
    dataSourceName: dataSource.name,
    tenant: tenant.name,
  };
  return buildState(declaration, viewFacts(view), dataSource.name);
}
