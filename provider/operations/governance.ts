/**
 * A source's governance metadata, tags and description: what the declaration manages of them, and how `create`,
 * `update` and adoption make Immuta hold it. Declared left out, each is not managed. Of the tags, only those the
 * declaration holds or once held are ever removed, and never one that discovery or a catalog attached.
 */
import { ImmutaError, type DataSource, type DataSourceTag } from "../client";
import { ImmutaProviderError, PartialFailureError } from "../core/errors";
import type { DataSourceInputs } from "../core/inputs";
import {
  buildState,
  resourceId,
  storedState,
  type DataSourceState,
  type ImmutaFacts,
  type StateDeclaration,
} from "../core/state";
import type { Tenant } from "../core/tenants";
import { describeSource, inContext } from "./messages";

/** The source of tags attached through the API or Immuta's UI; discovery and catalogs use others. */
const CURATED = "curated";

/** What Immuta holds of a source's metadata. */
export interface Governance {
  tags: DataSourceTag[];
  /** `null` when unset. */
  description: string | null;
}

/** What a declaration asks for; a member left out is not managed. */
export interface DeclaredGovernance {
  tags?: string[];
  description?: string;
}

const sortedNames = (tags: readonly DataSourceTag[]): string[] => tags.map((tag) => tag.name).sort();

/**
 * A source's tags and description, from the data source itself. When it leaves `tags` out, they are asked for
 * (one more request) only if the stack manages tags; otherwise none are known.
 */
export async function governanceOf(
  tenant: Tenant,
  dataSource: DataSource,
  managesTags: boolean,
): Promise<Governance> {
  const tags = dataSource.tags ?? (managesTags ? await tenant.client.getDataSourceTags(dataSource.id) : []);
  return { tags, description: dataSource.description ?? null };
}

/**
 * The tags as state records them: those the stack manages that the source carries (sorted; undefined when tags are
 * not managed), and every other tag on it.
 */
export function recordedTags(
  managed: readonly string[] | undefined,
  held: readonly DataSourceTag[],
): { tags?: string[]; otherTags: string[] } {
  const names = sortedNames(held);
  if (managed === undefined) return { otherTags: names };
  return {
    tags: names.filter((name) => managed.includes(name)),
    otherTags: names.filter((name) => !managed.includes(name)),
  };
}

/** Curated tags only: what `pulumi import` and an export declare (discovery's are the source's own). */
export function curatedTagNames(tags: readonly DataSourceTag[]): string[] {
  return sortedNames(tags.filter((tag) => (tag.source ?? CURATED) === CURATED));
}

function refusedTags(subject: string, names: readonly string[], cause: string): ImmutaProviderError {
  const quoted = names.map((name) => `"${name}"`).join(", ");
  return new ImmutaProviderError(
    `Tagging ${subject} failed: Immuta did not attach ${quoted} (${cause}). A tag must exist in Immuta's tag ` +
      `library and be a leaf tag (one without children): create it there, or fix its spelling in the declaration.`,
  );
}

/**
 * Makes Immuta hold the declared metadata: one `PUT` for a changed description, one `POST` with the tags to add,
 * one `DELETE` per managed tag to remove; nothing when nothing differs. `previouslyManaged` is what the declaration
 * held before. Returns what Immuta holds afterwards. A tag Immuta refuses fails naming the tag.
 */
export async function applyGovernance(
  tenant: Tenant,
  dataSourceId: number,
  declared: DeclaredGovernance,
  held: Governance,
  previouslyManaged: readonly string[] | undefined,
  subject: string,
  notify: (message: string) => void,
): Promise<Governance> {
  const { client } = tenant;
  let { tags, description } = held;
  if (declared.description !== undefined && declared.description !== description) {
    const described = await client
      .describeDataSource(dataSourceId, declared.description)
      .catch((error: unknown) => Promise.reject(inContext("Describing", subject, error)));
    description = described.description ?? declared.description;
  }
  if (declared.tags === undefined) return { tags, description };

  const wanted = declared.tags;
  const toAdd = wanted.filter((name) => !tags.some((tag) => tag.name === name));
  if (toAdd.length > 0) {
    tags = await client.tagDataSource(dataSourceId, toAdd).catch((error: unknown) => {
      if (error instanceof ImmutaError && error.kind === "bad-request")
        throw refusedTags(subject, toAdd, `HTTP 400: ${error.immutaMessage ?? error.message}`);
      throw inContext("Tagging", subject, error);
    });
    // Immuta answers 200 for a tag that is not a leaf, and ignores it; a tenant may ignore unknown tags likewise.
    const missing = toAdd.filter((name) => !tags.some((tag) => tag.name === name));
    if (missing.length > 0) throw refusedTags(subject, missing, "Immuta answered 200 without them");
  }
  for (const name of previouslyManaged ?? []) {
    const tag = tags.find((held) => held.name === name);
    if (wanted.includes(name) || !tag) continue;
    if ((tag.source ?? CURATED) !== CURATED) {
      notify(`Kept tag "${name}" on ${subject}: ${tag.source} attached it, so Pulumi does not remove it.`);
      continue;
    }
    await client
      .untagDataSource(dataSourceId, name)
      .catch((error: unknown) => Promise.reject(inContext("Untagging", subject, error)));
    tags = tags.filter((held) => held.name !== name);
  }
  return { tags, description };
}

/**
 * State for a source whose Immuta view matches the declaration (after create, adoption or a read by id), with the
 * declared metadata as Immuta now holds it: managed tags it carries, every other tag, the managed description.
 */
export function governedState(
  declaration: StateDeclaration,
  governance: Governance,
  facts: ImmutaFacts,
  appliedName: string,
): DataSourceState {
  const { tags, otherTags } = recordedTags(declaration.tags, governance.tags);
  const description = declaration.description === undefined ? undefined : governance.description;
  return buildState({ ...declaration, tags, description }, { ...facts, otherTags }, appliedName);
}

/**
 * The declared tags and description on a source that now exists, and its state. A failure here leaves the source in
 * state (a partial failure) with none of the metadata recorded as applied: the next `up` reads what Immuta holds and
 * finishes through `update`, never registering it again.
 */
export async function finishWithGovernance(
  tenant: Tenant,
  declared: DataSourceInputs,
  dataSource: DataSource,
  facts: ImmutaFacts,
  notify: (message: string) => void,
): Promise<DataSourceState> {
  const subject = describeSource(declared.dataSourceName, declared.prefix, dataSource.id);
  try {
    const held = await governanceOf(tenant, dataSource, declared.tags !== undefined);
    const governance = await applyGovernance(
      tenant,
      dataSource.id,
      declared,
      held,
      undefined,
      subject,
      notify,
    );
    return governedState(declared, governance, facts, dataSource.name);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PartialFailureError(
      `${subject} is registered in Immuta, but applying its tags or description failed: ${reason} Pulumi keeps the ` +
        `source in state; run pulumi up again to finish once the cause is fixed.`,
      resourceId(dataSource.id),
      storedState(governedState(declared, { tags: [], description: null }, facts, dataSource.name)),
    );
  }
}
