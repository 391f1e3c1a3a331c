import { notFound } from "../boom";
import { userOf, type EmulatorState, type RouteRequest } from "../context";
import { idParam } from "../router";
import type { StoredDataSource } from "../types";
import { isVisibleTo } from "../visibility";

/** The source named by the path's `{param}`, whether or not the caller may see it (PUT, DELETE); 404 once purged. */
export function existingSource(
  request: RouteRequest,
  emulator: EmulatorState,
  param = "id",
): StoredDataSource {
  return namedSource(request, emulator, param, (source) => source);
}

/** The source named by the path's `{param}` if the caller may see it; a hidden one is a 404 like a missing one. */
export function visibleSource(
  request: RouteRequest,
  emulator: EmulatorState,
  param = "id",
): StoredDataSource {
  return namedSource(request, emulator, param, (source) => visibleOrUndefined(source, request, emulator));
}

function namedSource(
  request: RouteRequest,
  emulator: EmulatorState,
  param: string,
  seen: (source: StoredDataSource | undefined) => StoredDataSource | undefined,
): StoredDataSource {
  const id = idParam(request.params, param);
  const source = seen(emulator.store.get(id));
  if (!source) throw notFound(`Data source ${id} not found`);
  return source;
}

/** Reads: a source the caller may not see is treated exactly like one that does not exist. */
export function visibleOrUndefined(
  source: StoredDataSource | undefined,
  request: RouteRequest,
  emulator: EmulatorState,
): StoredDataSource | undefined {
  return source && isVisibleTo(userOf(request), source, emulator.modes.visibility) ? source : undefined;
}
