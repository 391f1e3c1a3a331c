import { requireGovernanceOrOwnership } from "../auth";
import { notFound } from "../boom";
import { userOf, type EmulatorState, type RouteRequest, type RouteSpec } from "../context";
import { jsonResponse } from "../http-io";
import { BLOB_HANDLER_TYPE, dataSourceBody, dataSourceSummaryBody, deleteBody } from "../representations";
import { idParam } from "../router";
import { validateUpdateDataSourceBody, validated } from "../schemas";
import { parseSearchQuery, searchDataSources as search } from "../search";
import type { StoredDataSource } from "../types";
import { isVisibleTo } from "../visibility";

const view = (source: StoredDataSource, emulator: EmulatorState) =>
  dataSourceBody(source, emulator.baseUrl, emulator.modes);

/** The source named by `{id}`, whether or not the caller may see it (writes); 404 once purged. */
function existing(request: RouteRequest, emulator: EmulatorState): StoredDataSource {
  const id = idParam(request.params, "id");
  const source = emulator.store.get(id);
  if (!source) throw notFound(`Data source ${id} not found`);
  return source;
}

/** Reads: a source the caller may not see answers exactly like one that does not exist. */
function visible(source: StoredDataSource | undefined, request: RouteRequest, emulator: EmulatorState) {
  return source && isVisibleTo(userOf(request), source, emulator.modes.visibility) ? source : undefined;
}

/** `GET /dataSource/{id}`. Soft-deleted sources are returned (to their owner) with `deleted: true`. */
export const getDataSource: RouteSpec = {
  auth: true,
  body: false,
  mutates: false,
  handle(request, emulator) {
    const id = idParam(request.params, "id");
    const source = visible(emulator.store.get(id), request, emulator);
    if (!source) throw notFound(`Data source ${id} not found`);
    return jsonResponse(view(source, emulator));
  },
};

/** `GET /dataSource/name/{name}`: exact, case-sensitive lookup of the URL-decoded name. */
export const getDataSourceByName: RouteSpec = {
  auth: true,
  body: false,
  mutates: false,
  handle(request, emulator) {
    const name = request.params.name;
    const source = visible(emulator.store.getByName(name), request, emulator);
    if (!source) throw notFound(`Data source "${name}" not found`);
    return jsonResponse(view(source, emulator));
  },
};

/** `GET /dataSource` → `{ hits, count }` over the sources the caller may see. */
export const searchDataSources: RouteSpec = {
  auth: true,
  body: false,
  mutates: false,
  handle(request, emulator) {
    const user = userOf(request);
    const { modes } = emulator;
    const criteria = parseSearchQuery(request.query, modes.searchOffset);
    const candidates = emulator.store.list().filter((source) => isVisibleTo(user, source, modes.visibility));
    const { hits, count } = search(candidates, criteria, {
      status: modes.dataSourceStatus,
      blobHandlerType: BLOB_HANDLER_TYPE,
    });
    const body = (source: StoredDataSource) =>
      modes.searchHits === "summary" ? dataSourceSummaryBody(source, user, modes) : view(source, emulator);
    return jsonResponse({ hits: hits.map(body), count });
  },
};

/** `PUT /dataSource/{id}`: partial update; `{deleted:false}` restores, `{name}` renames. */
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

/** `DELETE /dataSource/{id}`: the first call disables, the second purges, then 404. */
export const deleteDataSource: RouteSpec = {
  auth: true,
  body: false,
  mutates: true,
  handle(request, emulator) {
    const source = existing(request, emulator);
    requireGovernanceOrOwnership(userOf(request), source.owner, `delete data source ${source.id}`);
    const { source: deleted, outcome } = emulator.store.delete(source.id);
    return jsonResponse(deleteBody(deleted, outcome, emulator.modes));
  },
};
