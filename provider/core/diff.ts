/**
 * `diff`: what `pulumi preview` shows before anyone approves a change. Pure: no API call.
 */
import { UNKNOWN_VALUE } from "./constants";
import { DATA_SOURCE } from "./definition";
import type { DataSourceInputs } from "./inputs";
import type { InputRole } from "./model";
import type { DataSourceState } from "./state";

export interface DataSourceDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** Every input that differs, for a front door that can show them (the native plugin's `diffs`). */
  changed: string[];
}

const unknown = (value: unknown) => value === UNKNOWN_VALUE;

const INPUTS = Object.entries(DATA_SOURCE.properties).flatMap(([name, property]) => {
  const input = (property as { input?: InputRole }).input;
  return input ? [{ name, input }] : [];
});

/** The inputs whose change replaces the source, with how each compares. */
const REPLACING = INPUTS.filter(({ input }) => input.replaces);

/** The inputs whose change `update` applies in place (tags, description). */
const IN_PLACE = INPUTS.filter(({ input }) => input.inPlace);

function same(input: InputRole, a: unknown, b: unknown): boolean {
  return input.same ? input.same(a as never, b as never) : a === b;
}

/**
 * Compares the old outputs (which carry the declaration as given, or Immuta's values where refresh found the
 * source moved) with the new declaration.
 *
 * - A changed input that Immuta cannot change in place replaces the source; `replaces` lists exactly those keys.
 *   A value not known yet (preview) may differ, so it counts as changed.
 * - Immuta keeps names and prefixes unique in a tenant (soft-deleted sources included), so a replacement that
 *   keeps either in the same tenant must purge the old source first.
 * - A source that refresh found disabled, or renamed behind Pulumi's back, is an in-place update (restore, rename
 *   back): replacing it would purge the policies attached to it in Immuta.
 * - A changed tag list or description is an in-place update; one left out is not managed, so it changes nothing
 *   unless the stack managed it before (the update then records that it no longer does).
 */
export function diffDataSource(olds: DataSourceState, news: DataSourceInputs): DataSourceDiff {
  const before = olds as Record<string, unknown>;
  const after = news as Record<string, unknown>;
  const valueAfter = (name: string, input: InputRole) => after[name] ?? input.default;
  const replaces = REPLACING.filter(
    ({ name, input }) =>
      unknown(valueAfter(name, input)) || !same(input, before[name], valueAfter(name, input)),
  ).map(({ name }) => name);

  const sameTenant = !replaces.includes("tenant");
  // A unique value kept (or not known yet, so perhaps kept) collides with the old source: purging first is safe.
  const mayCollide = REPLACING.some(
    ({ name, input }) => input.unique && (!replaces.includes(name) || unknown(after[name])),
  );
  const deleteBeforeReplace = replaces.length > 0 && sameTenant && mayCollide;

  const renamed = olds.immutaName !== olds.appliedName;
  const inPlace = IN_PLACE.filter(
    ({ name, input }) => unknown(after[name]) || !same(input, before[name], after[name]),
  ).map(({ name }) => name);
  const changed = [
    ...replaces,
    ...inPlace,
    ...(olds.disabled ? ["disabled"] : []),
    ...(renamed && !replaces.includes("dataSourceName") ? ["dataSourceName"] : []),
  ];
  return { changes: changed.length > 0, replaces, deleteBeforeReplace, changed };
}
