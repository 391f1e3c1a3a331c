import type { TagLibrary } from "./tag-library";
import type { DataSourceTag } from "./types";

/** What attaching some tag names to a source gives: its tags afterwards, and the names the library lacks. */
export interface AttachPlan {
  tags: DataSourceTag[];
  /** Names the library lacks, each once, in request order. */
  unknown: string[];
}

/**
 * The tags of a source after `POST /tag/datasource/{id}` attaches `names` for the user `addedBy`, ignoring the
 * unknown ones (the caller decides whether they refuse the request). A tag with children in the library is
 * ignored, as Immuta applies only leaf tags; a tag already attached is kept as it is (same source, same
 * `addedBy`); new ones are `curated` and come last, in request order.
 */
export function planAttach(
  current: readonly DataSourceTag[],
  names: readonly string[],
  library: TagLibrary,
  addedBy: number,
): AttachPlan {
  const requested = [...new Set(names)];
  const unknown = requested.filter((name) => !library.has(name));
  const leaves = requested.filter((name) => library.isLeaf(name));
  return {
    tags: withTags(
      current,
      leaves.map((name): DataSourceTag => ({ name, source: "curated", addedBy })),
    ),
    unknown,
  };
}

/** `current` followed by the `additions` whose names it does not carry yet (the first of a repeated name wins). */
export function withTags(
  current: readonly DataSourceTag[],
  additions: readonly DataSourceTag[],
): DataSourceTag[] {
  const tags = current.map((tag) => ({ ...tag }));
  const names = new Set(tags.map((tag) => tag.name));
  for (const tag of additions) {
    if (names.has(tag.name)) continue;
    names.add(tag.name);
    tags.push({ ...tag });
  }
  return tags;
}

/** The 400 message for tags the library lacks: names every one of them. */
export function unknownTagsMessage(unknown: readonly string[]): string {
  const quoted = unknown.map((name) => `"${name}"`);
  return quoted.length === 1
    ? `Tag ${quoted[0]} does not exist in the tag library`
    : `Tags ${quoted.join(", ")} do not exist in the tag library`;
}
