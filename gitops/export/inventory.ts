/**
 * Every Amazon S3 data source the API key's user can see, read the way the provider reads one: search hits are
 * summaries, so each source's record and its native-s3 handler are fetched (with bounded concurrency), and the
 * prefix is put in its absolute form against the integration's location (the provider's own view code).
 */
import {
  curatedTagNames,
  describeSource,
  fetchHandler,
  governanceOf,
  handlerIdOf,
  ImmutaProviderError,
  isNotFound,
  messageOf,
  otherHandlerPath,
  type DataSource,
  type Tenant,
} from "../../provider/api";
import { mapWithConcurrency } from "./pool";
import type { SkippedSource, TenantIntegration, TenantSource } from "./types";

export interface TenantInventory {
  /** Search hits: every data source the key's user can see, of any kind. */
  found: number;
  /** The S3 sources, by id. */
  sources: TenantSource[];
  /** The integrations those sources use, by id. */
  integrations: TenantIntegration[];
  /** Hits that are not S3 sources, or that could not be read as one. */
  skipped: SkippedSource[];
}

/**
 * DECISION: Immuta does not document the `blobHandlerType` of S3 sources (the emulator says `Native S3`), so every
 * hit is read unless it names another kind (one without "S3" in it, e.g. `Snowflake`), and a record whose
 * `blobHandler.url` leads to another kind of handler is left out too: its handler id would name some S3 source's
 * handler.
 */
function notS3(summary: DataSource): string | undefined {
  const type = summary.blobHandlerType;
  if (typeof type === "string" && type !== "" && !/s3/i.test(type)) return `blobHandlerType "${type}"`;
  return undefined;
}

type Reading = { source: TenantSource } | { skipped: SkippedSource };

async function readSource(tenant: Tenant, summary: DataSource): Promise<Reading> {
  const skip = (reason: SkippedSource["reason"], detail?: string): Reading => ({
    skipped: { dataSourceId: summary.id, name: summary.name, reason, ...(detail ? { detail } : {}) },
  });
  const kind = notS3(summary);
  if (kind) return skip("not-s3", kind);
  const failed = (error: unknown) =>
    new ImmutaProviderError(
      `Exporting failed while reading ${describeSource(summary.name, undefined, summary.id)}: ${messageOf(error)}`,
    );
  let dataSource: DataSource;
  try {
    dataSource = await tenant.client.getDataSource(summary.id);
  } catch (error) {
    // Deleted (or hidden) between the search and the read: nothing to adopt.
    if (isNotFound(error)) return skip("gone");
    throw failed(error);
  }
  const handlerPath = otherHandlerPath(dataSource);
  if (handlerPath) return skip("not-s3", `its handler is ${handlerPath}`);
  // Without blobHandler.url the provider falls back to the data source id as handler id (as Immuta's example
  // suggests); a handler that is missing or names another source proves the fallback wrong for this tenant, and
  // exporting that handler's prefix would adopt the wrong source.
  const fromUrl = dataSource.blobHandler?.url !== undefined;
  let view;
  try {
    view = await fetchHandler(tenant, dataSource);
  } catch (error) {
    if (!isNotFound(error)) throw failed(error);
    if (fromUrl) return skip("gone", `its handler ${handlerIdOf(dataSource)} answered 404`);
    return skip(
      "handler-unidentified",
      `Immuta gave no blobHandler.url, and handler ${dataSource.id} (the data source id) does not exist`,
    );
  }
  if (!fromUrl && view.handler.metadata.dataSourceName !== dataSource.name) {
    return skip(
      "handler-unidentified",
      `Immuta gave no blobHandler.url, and handler ${view.handlerId} (the data source id) belongs to ` +
        `"${view.handler.metadata.dataSourceName}"`,
    );
  }
  // A tenant without `GET /dataSource/{id}/tags` (404 for a source just read) exports its sources untagged.
  const governance = await governanceOf(tenant, dataSource, true).catch((error: unknown) => {
    if (isNotFound(error)) return { tags: [], description: dataSource.description ?? null };
    throw failed(error);
  });
  const tags = curatedTagNames(governance.tags);
  return {
    source: {
      dataSourceId: dataSource.id,
      dataSourceName: dataSource.name,
      prefix: view.prefix,
      integrationId: view.handler.metadata.integrationId,
      ...(tags.length > 0 ? { tags } : {}),
      ...(governance.description === null ? {} : { description: governance.description }),
      disabled: dataSource.deleted === true,
    },
  };
}

/** The integration's name, when Immuta's integrations API lets the key read it (it may not: then no name). */
async function readIntegration(tenant: Tenant, integrationId: number): Promise<TenantIntegration> {
  try {
    const integration = await tenant.client.getIntegration(integrationId);
    return { integrationId, ...(integration.name === undefined ? {} : { name: integration.name }) };
  } catch {
    return { integrationId };
  }
}

export interface InventoryOptions {
  /** Data sources read at once (each costs two sequential requests). */
  concurrency: number;
}

/** Reads the tenant's S3 sources; fails on the first error other than a source vanishing while it is read. */
export async function readInventory(tenant: Tenant, options: InventoryOptions): Promise<TenantInventory> {
  const hits = await tenant.client.searchAllDataSources({}).catch((error: unknown) => {
    throw new ImmutaProviderError(`Exporting failed while listing data sources: ${messageOf(error)}`);
  });
  const summaries = [...hits].sort((a, b) => a.id - b.id);
  const readings = await mapWithConcurrency(summaries, options.concurrency, (summary) =>
    readSource(tenant, summary),
  );
  const sources: TenantSource[] = [];
  const skipped: SkippedSource[] = [];
  for (const reading of readings) {
    if ("source" in reading) sources.push(reading.source);
    else skipped.push(reading.skipped);
  }
  const integrationIds = [...new Set(sources.map((source) => source.integrationId))].sort((a, b) => a - b);
  const integrations = await mapWithConcurrency(integrationIds, options.concurrency, (id) =>
    readIntegration(tenant, id),
  );
  return { found: summaries.length, sources, integrations, skipped };
}
