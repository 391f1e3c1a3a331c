import { requireGovernanceOrOwnership } from "../auth";
import { badRequest, notFound } from "../boom";
import { userOf, type EmulatorState, type RouteRequest, type RouteSpec } from "../context";
import { DEFAULT_SEARCH_SIZE, MAX_SEARCH_SIZE } from "../defaults";
import { jsonResponse } from "../http-io";
import { dataSourceBody, deleteBody } from "../representations";
import { idParam } from "../router";
import { validateUpdateDataSourceBody, validated } from "../schemas";
import type { StoredDataSource } from "../types";

const view = (source: StoredDataSource, emulator: EmulatorState) =>
  dataSourceBody(source, emulator.baseUrl, emulator.modes.blobHandler);

function existing(request: RouteRequest, emulator: EmulatorState): StoredDataSource {
  const id = idParam(request.params, "id");
  const source = emulator.store.get(id);
  if (!source) throw notFound(`Data source ${id} not found`);
  return source;
}

/** `GET /dataSource/{id}` (DOC). Soft-deleted sources are returned with `deleted: true`; purged ones are 404. */
// DECISION: reading needs only authentication, no permission.
export const getDataSource: RouteSpec = {
  auth: true,
  body: false,
  mutates: false,
  handle: (request, emulator) => jsonResponse(view(existing(request, emulator), emulator)),
};

/** `GET /dataSource/name/{name}`: exact, case-sensitive lookup of the URL-decoded name (DOC). */
export const getDataSourceByName: RouteSpec = {
  auth: true,
  body: false,
  mutates: false,
  handle(request, emulator) {
    const name = request.params.name;
    const source = emulator.store.getByName(name);
    if (!source) throw notFound(`Data source "${name}" not found`);
    return jsonResponse(view(source, emulator));
  },
};

/** `GET /dataSource?searchText=&size=&offset=` → `{ hits, count }` (DOC). */
// DECISION: case-insensitive substring match on the name, id order, soft-deleted sources included (they
// hold their names), hits use the full data source shape, size defaults to 25 and is capped at 1000.
export const searchDataSources: RouteSpec = {
  auth: true,
  body: false,
  mutates: false,
  handle(request, emulator) {
    const searchText = request.query.get("searchText") ?? "";
    const size = Math.min(queryInteger(request.query, "size", DEFAULT_SEARCH_SIZE), MAX_SEARCH_SIZE);
    const offset = queryInteger(request.query, "offset", 0);
    const { hits, count } = emulator.store.search(searchText, size, offset);
    return jsonResponse({ hits: hits.map((source) => view(source, emulator)), count });
  },
};

/** `PUT /dataSource/{id}`: partial update; `{deleted:false}` restores, `{name}` renames (DOC, CLIENT). */
export const updateDataSource: RouteSpec = {
  auth: true,
  body: true,
  mutates: true,
  handle(request, emulator) {
    const source = existing(request, emulator);
    requireGovernanceOrOwnership(userOf(request), source.owner, `change data source ${source.id}`);
    const body = validated(validateUpdateDataSourceBody, request.body);
    // DECISION: only `name` and `deleted` are applied (`deleted: true` disables like a first DELETE); other
    // members are accepted and ignored, as a native S3 source's prefix is not changed through this endpoint.
    const { source: updated } = emulator.store.update(source.id, { name: body.name, deleted: body.deleted });
    return jsonResponse(view(updated, emulator));
  },
};

/** `DELETE /dataSource/{id}`: the first call disables, the second purges, then 404 (SEED). */
export const deleteDataSource: RouteSpec = {
  auth: true,
  body: false,
  mutates: true,
  handle(request, emulator) {
    const source = existing(request, emulator);
    requireGovernanceOrOwnership(userOf(request), source.owner, `delete data source ${source.id}`);
    const { source: deleted, outcome } = emulator.store.delete(source.id);
    return jsonResponse(deleteBody(deleted, outcome));
  },
};

function queryInteger(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  if (!/^\d{1,9}$/.test(raw)) {
    throw badRequest(`Invalid request query input: "${name}" must be a non-negative integer`, {
      source: "query",
      keys: [name],
    });
  }
  return Number(raw);
}
