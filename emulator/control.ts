import { badRequest, notFound, unprocessable } from "./boom";
import type { EmulatorState, RouteSpec } from "./context";
import { DEFAULT_INTEGRATIONS, DEMO_USER_NAME } from "./defaults";
import { jsonResponse, noContent } from "./http-io";
import { idParam, Router } from "./router";
import { parsePrefix } from "./prefix-form";
import {
  validated,
  validateAttachTagSeedsBody,
  validateLibraryTagsBody,
  validateModesPatch,
  validateMutateDataSourceBody,
  validateSeedDataSourceBody,
  validateSeedIntegrationBody,
  validateSetFaultsBody,
  type TagSeedBody,
} from "./schemas";
import { withTags } from "./tagging";
import type { DataSourceTag } from "./types";

/**
 * The control API under `/__emulator/`, for tests and demos. The server checks the admin token before any
 * of these run and never records them in the request log.
 */
// DECISION: seeds and mutations obey the Immuta API's uniqueness and placement rules (409/422) but not its
// permissions; seeded names are kept as given whatever the names mode, and prefixes are absolute whatever the
// prefix form (the control API speaks the stored form).
// DECISION: tags placed through the control API need not be in the library (a test may model a tag attached before
// it left the library), nor be leaves; their source defaults to `curated` and `addedBy` to the demo user's id.
export function controlRouter(): Router<RouteSpec> {
  const route = (body: boolean, mutates: boolean, handle: RouteSpec["handle"]): RouteSpec => ({
    auth: false,
    body,
    mutates,
    handle,
  });
  return new Router<RouteSpec>()
    .add(
      "POST",
      "/__emulator/reset",
      route(false, true, (_request, emulator) => {
        resetEmulator(emulator);
        return noContent();
      }),
    )
    .add(
      "GET",
      "/__emulator/store",
      route(false, false, (_request, emulator) => jsonResponse(emulator.store.snapshot())),
    )
    .add(
      "GET",
      "/__emulator/requests",
      route(false, false, (_request, emulator) => jsonResponse(emulator.requestLog.snapshot())),
    )
    .add(
      "DELETE",
      "/__emulator/requests",
      route(false, false, (_request, emulator) => {
        emulator.requestLog.clear();
        return noContent();
      }),
    )
    .add(
      "GET",
      "/__emulator/modes",
      route(false, false, (_request, emulator) => jsonResponse(emulator.modes)),
    )
    .add(
      "PATCH",
      "/__emulator/modes",
      route(true, false, (request, emulator) => {
        const patch = validated(validateModesPatch, request.body);
        Object.assign(emulator.modes, patch);
        // Setting a rate limit (even the same one) starts a full bucket, so a test is not charged for earlier ones.
        if (patch.rateLimit !== undefined) emulator.rateLimiter.reset();
        return jsonResponse(emulator.modes);
      }),
    )
    .add(
      "GET",
      "/__emulator/faults",
      route(false, false, (_request, emulator) => jsonResponse({ rules: emulator.faults.list() })),
    )
    .add(
      "PUT",
      "/__emulator/faults",
      route(true, false, (request, emulator) => {
        const body = validated(validateSetFaultsBody, request.body);
        emulator.faults.setRules(body.rules, body.seed ?? emulator.initial.seed);
        return jsonResponse({ rules: emulator.faults.list() });
      }),
    )
    .add(
      "DELETE",
      "/__emulator/faults",
      route(false, false, (_request, emulator) => {
        emulator.faults.setRules([], emulator.initial.seed);
        return noContent();
      }),
    )
    .add(
      "DELETE",
      "/__emulator/tokens",
      route(false, false, (_request, emulator) => {
        emulator.auth.expireAllTokens();
        return noContent();
      }),
    )
    .add(
      "POST",
      "/__emulator/data-sources",
      route(true, true, (request, emulator) => {
        const body = validated(validateSeedDataSourceBody, request.body);
        const [source] = emulator.store.create(
          [
            {
              name: body.name,
              prefix: canonicalPrefix(body.prefix, emulator),
              integrationId: body.integrationId ?? defaultIntegrationId(emulator),
              owner: body.owner ?? DEMO_USER_NAME,
              deleted: body.deleted,
              public: body.public,
              subscribers: body.subscribers,
              description: body.description,
              tags: body.tags && tagsOf(body.tags, emulator),
              createdAt: body.createdAt === undefined ? undefined : new Date(body.createdAt).toISOString(),
            },
          ],
          emulator.modes.handlerIds,
        );
        return jsonResponse(source, 201);
      }),
    )
    .add(
      "PATCH",
      "/__emulator/data-sources/{id}",
      route(true, true, (request, emulator) => {
        const id = idParam(request.params, "id");
        const body = validated(validateMutateDataSourceBody, request.body);
        const prefix = body.prefix === undefined ? undefined : canonicalPrefix(body.prefix, emulator);
        const tags = body.tags && tagsOf(body.tags, emulator);
        return jsonResponse(emulator.store.update(id, { ...body, prefix, tags }).source);
      }),
    )
    .add(
      "POST",
      "/__emulator/data-sources/{id}/tags",
      route(true, true, (request, emulator) => {
        const id = idParam(request.params, "id");
        const body = validated(validateAttachTagSeedsBody, request.body);
        const source = emulator.store.get(id);
        if (!source) throw notFound(`Data source ${id} not found`);
        const tags = withTags(source.tags, tagsOf(body.tags, emulator));
        return jsonResponse(emulator.store.update(id, { tags }).source);
      }),
    )
    .add(
      "DELETE",
      "/__emulator/data-sources/{id}/tags/{name}",
      route(false, true, (request, emulator) => {
        const id = idParam(request.params, "id");
        const source = emulator.store.get(id);
        if (!source) throw notFound(`Data source ${id} not found`);
        const name = request.params.name;
        if (!source.tags.some((tag) => tag.name === name)) {
          throw notFound(`Tag "${name}" is not on data source ${id}`);
        }
        const tags = source.tags.filter((tag) => tag.name !== name);
        return jsonResponse(emulator.store.update(id, { tags }).source);
      }),
    )
    .add(
      "DELETE",
      "/__emulator/data-sources/{id}",
      route(false, true, (request, emulator) => {
        emulator.store.purge(idParam(request.params, "id"));
        return noContent();
      }),
    )
    .add(
      "POST",
      "/__emulator/integrations",
      route(true, true, (request, emulator) => {
        const body = validated(validateSeedIntegrationBody, request.body);
        const id = body.id ?? emulator.store.nextIntegrationId();
        const replaced = emulator.store.getIntegration(id) !== undefined;
        const integration = emulator.store.upsertIntegration({
          id,
          awsLocationPath: body.awsLocationPath,
          awsAccountId: body.awsAccountId ?? DEFAULT_INTEGRATIONS[0].awsAccountId,
          awsRegion: body.awsRegion ?? DEFAULT_INTEGRATIONS[0].awsRegion,
          ...(body.name === undefined ? {} : { name: body.name }),
          ...(body.awsLocationRole === undefined ? {} : { awsLocationRole: body.awsLocationRole }),
        });
        return jsonResponse(integration, replaced ? 200 : 201);
      }),
    )
    .add(
      "GET",
      "/__emulator/tags",
      route(false, false, (_request, emulator) => jsonResponse({ tags: emulator.tagLibrary.list() })),
    )
    .add(
      "POST",
      "/__emulator/tags",
      route(true, true, (request, emulator) => {
        const body = validated(validateLibraryTagsBody, request.body);
        emulator.tagLibrary.add(body.tags);
        return jsonResponse({ tags: emulator.tagLibrary.list() });
      }),
    )
    .add(
      "DELETE",
      "/__emulator/tags/{name}",
      // DECISION: removing a library tag removes its descendants, keeps its ancestors, and leaves the tags already
      // attached to sources in place.
      route(false, true, (request, emulator) => {
        const name = request.params.name;
        if (emulator.tagLibrary.remove(name).length === 0) {
          throw notFound(`Tag "${name}" does not exist in the tag library`);
        }
        return jsonResponse({ tags: emulator.tagLibrary.list() });
      }),
    );
}

// DECISION: reset restores the configured modes, integrations and tag library, empties data sources and counters,
// clears faults and the request log, refills the rate limit's bucket; users and issued tokens survive, so a client
// need not re-authenticate.
export function resetEmulator(emulator: EmulatorState): void {
  Object.assign(emulator.modes, structuredClone(emulator.initial.modes));
  emulator.store.reset(emulator.initial.integrations);
  emulator.tagLibrary.replace(emulator.initial.tagLibrary);
  emulator.faults.setRules([], emulator.initial.seed);
  emulator.requestLog.clear();
  emulator.rateLimiter.reset();
}

/** A seeded prefix as Immuta would store it, read under the same rules as a registered one. */
function canonicalPrefix(prefix: string, emulator: EmulatorState): string {
  const parsed = parsePrefix(prefix, emulator.modes.keySegments);
  if (!parsed.ok)
    throw badRequest(`Invalid prefix: ${parsed.reason}`, { source: "payload", keys: ["prefix"] });
  return parsed.prefix;
}

/** Control tags as stored; a name given twice is a 400, as a test that does so has a typo. */
function tagsOf(seeds: readonly TagSeedBody[], emulator: EmulatorState): DataSourceTag[] {
  const addedBy = emulator.auth.userNamed(DEMO_USER_NAME)?.id ?? 1;
  const names = new Set<string>();
  return seeds.map((seed, index) => {
    if (names.has(seed.name)) {
      throw badRequest(`Tag "${seed.name}" is given twice`, {
        source: "payload",
        keys: [`tags.${index}.name`],
      });
    }
    names.add(seed.name);
    return { name: seed.name, source: seed.source ?? "curated", addedBy: seed.addedBy ?? addedBy };
  });
}

/** Seeds without an integrationId use the lowest configured integration. */
function defaultIntegrationId(emulator: EmulatorState): number {
  const ids = emulator.store.integrationIds();
  if (ids.length === 0) throw unprocessable("No integration is configured");
  return Math.min(...ids);
}
