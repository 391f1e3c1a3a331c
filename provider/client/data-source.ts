import type { RawDataSource, RawNativeS3Handler } from "./schemas";
import type { DataSource, NativeS3Handler } from "./types";

/** Documented optional fields that Immuta may send as `null`; `null` becomes "absent" to match `DataSource`. */
const NULLABLE_FIELDS = [
  "deleted",
  "status",
  "blobHandlerType",
  "blobHandler",
  "connectionString",
  "createdAt",
  "updatedAt",
] as const;

/** A validated data source with `null` documented fields removed; every other field is kept as received. */
export function normalizeDataSource(raw: RawDataSource): DataSource {
  const dataSource: Record<string, unknown> = { ...raw };
  for (const field of NULLABLE_FIELDS) {
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

/**
 * The handler id at the end of `blobHandler.url` (`.../handler/<id>`), or `undefined` when the field is absent or
 * does not end that way. (How existing Immuta clients find the handler of a data source: docs/immuta-api.md.)
 */
export function handlerIdFromDataSource(dataSource: DataSource): number | undefined {
  const url = dataSource.blobHandler?.url;
  if (typeof url !== "string") return undefined;
  const match = HANDLER_URL.exec(url);
  if (!match?.[1]) return undefined;
  const handlerId = Number(match[1]);
  return Number.isSafeInteger(handlerId) ? handlerId : undefined;
}

/** A validated handler with its integration id as a number and an absent location for `null`. */
export function normalizeHandler(raw: RawNativeS3Handler): NativeS3Handler {
  const { awsLocationPath, ...rest } = raw;
  return {
    ...rest,
    metadata: { ...raw.metadata, integrationId: Number(raw.metadata.integrationId) },
    ...(typeof awsLocationPath === "string" ? { awsLocationPath } : {}),
  };
}
