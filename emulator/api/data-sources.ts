import { requireGovernanceOrOwnership } from "../auth";
import { notFound } from "../boom";
import { userOf, type EmulatorState, type RouteSpec } from "../context";
import { jsonResponse } from "../http-io";
import { BLOB_HANDLER_TYPE, dataSourceBody, dataSourceSummaryBody, deleteBody } from "../representations";
import { validateUpdateDataSourceBody, validated } from "../schemas";
import { parseSearchQuery, searchDataSources as search } from "../search";
import type { StoredDataSource } from "../types";
import { isVisibleTo } from "../visibility";
import { existingSource, visibleOrUndefined, visibleSource } from "./lookup";

const view = (source: StoredDataSource, emulator: EmulatorState) =>
  dataSourceBody(source, emulator.baseUrl, emulator.modes);

/** `GET /dataSource/{id}`. Soft-deleted sources are returned (to their owner) with `deleted: true`. */
export const getDataSource: RouteSpec = {
  auth: true,
  body: false,
  mutates: false,
  handle(request, emulator) {
    return jsonResponse(view(visibleSource(request, emulator), emulator));
  },
};

/** `GET /dataSource/name/{name}`: exact, case-sensitive lookup of the URL-decoded name. */
export const getDataSourceByName: RouteSpec = {
  auth: true,
  body: false,
  mutates: false,
  handle(request, emulator) {
    const name = request.params.name;
    const source = visibleOrUndefined(emulator.store.getByName(name), request, emulator);
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

/** `PUT /dataSource/{id}`: partial update; `{deleted:false}` restores, `{name}` renames, `{description}` describes. */
export const updateDataSource: RouteSpec = {
  auth: true,
  body: true,
  mutates: true,
  handle(request, emulator) {
    const source = existingSource(request, emulator);
    requireGovernanceOrOwnership(userOf(request), source.owner, `change data source ${source.id}`);
    const body = validated(validateUpdateDataSourceBody, request.body);
    // DECISION: only `name`, `deleted` and `description` are applied (`deleted: true` disables like a first DELETE,
    // `description: null` clears it); other members are accepted and ignored, as a native S3 source's prefix is not
    // changed through this endpoint.
    const { source: updated } = emulator.store.update(source.id, {
      name: body.name,
      deleted: body.deleted,
      description: body.description,
    });
    return jsonResponse(view(updated, emulator));
  },
};

/** `DELETE /dataSource/{id}`: the first call disables, the second purges, then 404. */
export const deleteDataSource: RouteSpec = {
  auth: true,
  body: false,
  mutates: true,
  handle(request, emulator) {
    const source = existingSource(request, emulator);
    requireGovernanceOrOwnership(userOf(request), source.owner, `delete data source ${source.id}`);
    const { source: deleted, outcome } = emulator.store.delete(source.id);
    return jsonResponse(deleteBody(deleted, outcome, emulator.modes));
  },
};
