import { DATA_SOURCE_SCHEMA, type ResponseOf } from "./schemas";
import type { DataSource, Integration, NativeS3Handler } from "./immuta-client";

/** A validated data source whose documented fields sent as `null` are removed; every other field is kept. */
export function normalizeDataSource(raw: ResponseOf<"dataSource">): DataSource {
  const dataSource: Record<string, unknown> = { ...raw };
  for (const field of Object.keys(DATA_SOURCE_SCHEMA.properties)) {
    if (dataSource[field] === null) delete dataSource[field];
  }
  const blobHandler = dataSource["blobHandler"] as Record<string, unknown> | undefined;
  if (blobHandler && blobHandler["url"] === null) {
    const { url: _url, ...rest } = blobHandler;
    dataSource["blobHandler"] = rest;
  }
  return dataSource as DataSource;
}

const HANDLER_URL = /\/handler\/(\d+)\/?(?:[?#].*)?$/;

/** The handler id ending `blobHandler.url` (`.../handler/<id>`), as Immuta's clients find it (docs/immuta-api.md). */
export function handlerIdFromDataSource(dataSource: DataSource): number | undefined {
  const handlerId = Number(HANDLER_URL.exec(dataSource.blobHandler?.url ?? "")?.[1]);
  return Number.isSafeInteger(handlerId) ? handlerId : undefined;
}

export function normalizeHandler(raw: ResponseOf<"nativeS3Handler">): NativeS3Handler {
  const { awsLocationPath, ...rest } = raw;
  return {
    ...rest,
    metadata: { ...raw.metadata, integrationId: Number(raw.metadata.integrationId) },
    ...(typeof awsLocationPath === "string" ? { awsLocationPath } : {}),
  };
}

export function normalizeIntegration(raw: ResponseOf<"integration">): Integration {
  const location = raw.config?.awsLocationPath ?? raw.awsLocationPath;
  const name = raw.config?.name;
  return {
    id: String(raw.id),
    ...(raw.type === undefined ? {} : { type: raw.type }),
    // Read leniently: a name is a nicety, never a reason to fail a request that is about the location.
    ...(typeof name === "string" && name !== "" ? { name } : {}),
    ...(typeof location === "string" ? { awsLocationPath: location } : {}),
  };
}
