import { requireGovernanceOrOwnership, requirePermission } from "../auth";
import { badRequest, notFound } from "../boom";
import { userOf, type RouteSpec } from "../context";
import { jsonResponse } from "../http-io";
import { libraryTagBody, tagListBody } from "../representations";
import { validateAttachTagsBody, validateCreateTagsBody, validated } from "../schemas";
import { planAttach, unknownTagsMessage } from "../tagging";
import { visibleSource } from "./lookup";

// DECISION: the tag endpoints of a data source read it as `GET /dataSource/{id}` does (a source the caller may not
// see, or one purged, is a 404), and changing its tags needs GOVERNANCE or ownership, as its other changes do.

/** `POST /tag/datasource/{dataSourceId}`: attaches leaf tags of the library; answers the source's tags. */
export const attachTags: RouteSpec = {
  auth: true,
  body: true,
  mutates: true,
  handle(request, emulator) {
    const user = userOf(request);
    const source = visibleSource(request, emulator, "dataSourceId");
    requireGovernanceOrOwnership(user, source.owner, `tag data source ${source.id}`);
    const body = validated(validateAttachTagsBody, request.body);
    const plan = planAttach(
      source.tags,
      body.map((tag) => tag.name),
      emulator.tagLibrary,
      user.id,
    );
    // DECISION (mode unknownTags): Immuta processes no tag when one is invalid; a tag the library lacks is invalid,
    // so `reject` answers a 400 naming every unknown tag and attaches nothing. `ignore` attaches the known ones.
    if (plan.unknown.length > 0 && emulator.modes.unknownTags === "reject") {
      const keys = body.flatMap((tag, index) => (plan.unknown.includes(tag.name) ? [`${index}.name`] : []));
      throw badRequest(unknownTagsMessage(plan.unknown), { source: "payload", keys });
    }
    const { source: tagged } = emulator.store.update(source.id, { tags: plan.tags });
    return jsonResponse(tagListBody(tagged.tags, emulator.modes.tagList));
  },
};

/** `DELETE /tag/datasource/{dataSourceId}/{tagName}`: removes one tag, whoever attached it. */
export const removeTag: RouteSpec = {
  auth: true,
  body: false,
  mutates: true,
  handle(request, emulator) {
    const source = visibleSource(request, emulator, "dataSourceId");
    requireGovernanceOrOwnership(userOf(request), source.owner, `untag data source ${source.id}`);
    // The router has decoded the name, so `Finance.PII` and `Finance%2EPII` name the same tag.
    const name = request.params.tagName;
    if (!source.tags.some((tag) => tag.name === name)) {
      throw notFound(`Tag "${name}" is not on data source ${source.id}`);
    }
    const tags = source.tags.filter((tag) => tag.name !== name);
    const { source: untagged } = emulator.store.update(source.id, { tags });
    return jsonResponse(tagListBody(untagged.tags, emulator.modes.tagList));
  },
};

/** `GET /dataSource/{id}/tags`: the source's tags, in the tagList mode's shape. */
export const getDataSourceTags: RouteSpec = {
  auth: true,
  body: false,
  mutates: false,
  handle(request, emulator) {
    const source = visibleSource(request, emulator);
    return jsonResponse(tagListBody(source.tags, emulator.modes.tagList));
  },
};

/** `POST /tag`: creates tags in the library, with their ancestors; answers the tags created. */
// DECISION: creating tags needs GOVERNANCE. A `rootTag` that already exists is Immuta's 400 "overlap with existing
// hierarchies" (the answer real clients treat as "already there"); a tag outside the given `rootTag` is a 400.
// Without `rootTag`, tags that exist already are left alone and are not in the answer.
export const createTags: RouteSpec = {
  auth: true,
  body: true,
  mutates: true,
  handle(request, emulator) {
    const user = userOf(request);
    requirePermission(user, "GOVERNANCE", "create tags");
    const body = validated(validateCreateTagsBody, request.body);
    const names = body.tags.map((tag) => tag.name);
    const root = body.rootTag?.name;
    if (root !== undefined) {
      names.forEach((name, index) => {
        if (name !== root && !name.startsWith(`${root}.`)) {
          throw badRequest(`Tag "${name}" is not under the root tag "${root}"`, {
            source: "payload",
            keys: [`tags.${index}.name`],
          });
        }
      });
      if (emulator.tagLibrary.has(root)) {
        throw badRequest(
          `Tags ${names.map((name) => `"${name}"`).join(", ")} overlap with existing hierarchies (root tag "${root}" exists)`,
        );
      }
    }
    const created = emulator.tagLibrary.add(names);
    return jsonResponse(created.map((name) => libraryTagBody(name, user.id)));
  },
};
