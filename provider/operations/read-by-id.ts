/**
 * Reading a source by id alone, with nothing recorded to compare against: what `pulumi import` and
 * `ImmutaS3DataSource.get` ask for. The declaration is Immuta's own (integration, prefix, name), so a program that
 * declares the same source afterwards shows no change. Only GETs are sent.
 */
import { isNotFound } from "../client";
import { DEFAULT_TENANT } from "../core/constants";
import { ImmutaProviderError } from "../core/errors";
import type { Tenant } from "../core/tenants";
import { inContext } from "./messages";
import { curatedTagNames, governanceOf, governedState } from "./governance";
import { fetchHandler, otherHandlerPath, viewFacts } from "./immuta-view";
import { declarationInputs, type RefreshedDataSource } from "./read";

/** Which source to read: `<dataSourceId>`, or `<tenant>/<dataSourceId>` for a configured tenant. */
export interface SourceId {
  tenant: string;
  dataSourceId: number;
}

const SOURCE_ID = /^(?:([A-Za-z][A-Za-z0-9_-]{0,62})\/)?([1-9][0-9]{0,15})$/;

/**
 * True when the properties carry no declaration (recorded state always does): `pulumi import` passes none at all,
 * `ImmutaS3DataSource.get` only the provider reference and the tenant.
 */
export function isReadById(props: Record<string, unknown> | undefined): boolean {
  return (
    props === undefined ||
    (props.prefix === undefined && props.dataSourceName === undefined && props.integrationId === undefined)
  );
}

/**
 * DECISION: `pulumi import` passes nothing but the id, so a named tenant travels in it (`production/42`);
 * `ImmutaS3DataSource.get` passes the tenant as a property. The id recorded is the data source id alone, as for
 * created sources.
 */
export function parseSourceId(id: string, tenantProperty?: unknown): SourceId {
  const match = SOURCE_ID.exec(id.trim());
  const dataSourceId = match ? Number(match[2]) : NaN;
  if (!match || !Number.isSafeInteger(dataSourceId)) {
    throw new ImmutaProviderError(
      `Reading data source ${JSON.stringify(id)} failed: pulumi import and ImmutaS3DataSource.get take Immuta's ` +
        `data source id (e.g. 42), or <tenant>/<id> for a configured tenant (e.g. production/42). The id is in ` +
        `the data source's URL in Immuta's UI (/#/datasource/<id>).`,
    );
  }
  const fromId = match[1];
  const fromProperty = typeof tenantProperty === "string" ? tenantProperty : undefined;
  if (fromId !== undefined && fromProperty !== undefined && fromId !== fromProperty) {
    throw new ImmutaProviderError(
      `Reading data source "${id}" failed: the id names tenant "${fromId}" but the tenant given is ` +
        `"${fromProperty}". Give the tenant once.`,
    );
  }
  return { tenant: fromId ?? fromProperty ?? DEFAULT_TENANT, dataSourceId };
}

export function describeSourceId({ tenant, dataSourceId }: SourceId): string {
  return `data source id ${dataSourceId}${tenant === DEFAULT_TENANT ? "" : ` of tenant "${tenant}"`}`;
}

/** The source with this id as a new state, with Immuta's values as the declaration. */
export async function readById(tenant: Tenant, dataSourceId: number): Promise<RefreshedDataSource> {
  const subject = describeSourceId({ tenant: tenant.name, dataSourceId });
  const dataSource = await tenant.client.getDataSource(dataSourceId).catch((error: unknown) => {
    if (!isNotFound(error)) throw inContext("Reading", subject, error);
    throw new ImmutaProviderError(
      `Reading ${subject} failed: Immuta answered 404 to GET /dataSource/${dataSourceId}, so it holds no data ` +
        `source with that id, or hides it from the API key's user (Immuta shows a source only to its owner, to ` +
        `users with the GOVERNANCE permission, to its subscribers, or to everyone when it is public). Check the id ` +
        `and the tenant, or give the key's user access to the source.`,
    );
  });
  const handlerPath = otherHandlerPath(dataSource);
  if (handlerPath !== undefined) {
    // Its handler id would name some S3 source's handler: reading on would describe the wrong source.
    throw new ImmutaProviderError(
      `Reading ${subject} failed: "${dataSource.name}" is not an Amazon S3 data source (its handler is ` +
        `${handlerPath}); this provider manages and reads S3 data sources only.`,
    );
  }
  const view = await fetchHandler(tenant, dataSource).catch((error: unknown) => {
    throw inContext("Reading the native-s3 handler of", `${subject} ("${dataSource.name}")`, error);
  });
  const governance = await governanceOf(tenant, dataSource, true).catch((error: unknown) => {
    throw inContext("Reading the tags of", subject, error);
  });
  // The curated tags and the description are the declaration's (discovery's tags are the source's own), so that a
  // program declaring what Immuta holds shows no change; none means not managed.
  const curated = curatedTagNames(governance.tags);
  const declaration = {
    integrationId: view.handler.metadata.integrationId,
    prefix: view.prefix,
    dataSourceName: dataSource.name,
    tenant: tenant.name,
    ...(curated.length > 0 ? { tags: curated } : {}),
    ...(governance.description === null ? {} : { description: governance.description }),
  };
  const state = governedState(declaration, governance, viewFacts(view, []), dataSource.name);
  return { state, inputs: declarationInputs(state) };
}
