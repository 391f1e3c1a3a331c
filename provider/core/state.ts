/**
 * What the provider writes into Pulumi state (the resource's outputs), built in one place (`buildState`) from the
 * declaration and what Immuta reported, and how older shapes are read (`upgradeState`).
 *
 * Outputs carry the declaration as given (canonicalised by `check`) because `diff` receives the old outputs, not
 * the old inputs; next to it, Immuta's view of the source.
 */
import { DEFAULT_TENANT, STATE_SCHEMA_VERSION } from "./constants";
import { DATA_SOURCE } from "./definition";
import { declaredOutputNames, outputNames, type DeclaredOutputKey, type OutputsOf } from "./model";

/** The state of a data source: every output of the resource's definition. */
export type DataSourceState = OutputsOf<typeof DATA_SOURCE>;

type DeclaredKey = DeclaredOutputKey<typeof DATA_SOURCE>;

/** The declaration part of the state: what the user wrote (or, after a refresh found it moved, Immuta's values). */
export type StateDeclaration = Omit<Pick<DataSourceState, DeclaredKey>, "tenant"> & { tenant?: string };

/** What Immuta reported about the source: the outputs that are neither declared nor the provider's bookkeeping. */
export type ImmutaFacts = Omit<DataSourceState, DeclaredKey | "schemaVersion" | "appliedName">;

const DECLARED = new Set(declaredOutputNames(DATA_SOURCE));

/** The state of a source: the one place a `DataSourceState` is assembled. */
export function buildState(
  declaration: StateDeclaration,
  facts: ImmutaFacts,
  appliedName: string,
): DataSourceState {
  const declared = declaration as Record<string, unknown>;
  const reported: Record<string, unknown> = { ...facts, schemaVersion: STATE_SCHEMA_VERSION, appliedName };
  const state: Record<string, unknown> = {};
  for (const name of outputNames(DATA_SOURCE)) {
    // Optional declarations left out stay out of state; facts Immuta did not report are recorded as null.
    const value = DECLARED.has(name) ? declared[name] : (reported[name] ?? null);
    if (value !== undefined) state[name] = value;
  }
  state.tenant ??= DEFAULT_TENANT;
  return state as DataSourceState;
}

const stringList = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : undefined;

/**
 * Reads state written by any release. Version 1 (pre-release builds) stored Immuta's name as `name` and had no
 * tenant, rename baseline, location or status; version 2 no tags, description or other tags (none were managed).
 */
export function upgradeState(props: Record<string, unknown>): DataSourceState {
  const version = typeof props.schemaVersion === "number" ? props.schemaVersion : 1;
  if (version > STATE_SCHEMA_VERSION) {
    throw new Error(
      `this state was written by a newer pulumi-immuta (state schema ${version}; this release reads up to ` +
        `${STATE_SCHEMA_VERSION}). Upgrade the pulumi-immuta package in this program before running Pulumi.`,
    );
  }
  const dataSourceId = Number(props.dataSourceId);
  const immutaName = String(props.immutaName ?? props.name ?? props.dataSourceName);
  return buildState(
    {
      integrationId: Number(props.integrationId),
      prefix: String(props.prefix),
      dataSourceName: String(props.dataSourceName),
      tenant: typeof props.tenant === "string" ? props.tenant : undefined,
      adopt: props.adopt ? props.adopt : undefined,
      tags: stringList(props.tags),
      description:
        typeof props.description === "string" || props.description === null ? props.description : undefined,
    },
    {
      dataSourceId,
      otherTags: stringList(props.otherTags) ?? [],
      handlerId:
        props.handlerId === undefined || props.handlerId === null ? dataSourceId : Number(props.handlerId),
      immutaName,
      awsLocationPath: typeof props.awsLocationPath === "string" ? props.awsLocationPath : null,
      disabled: props.disabled === true,
      status: typeof props.status === "string" ? props.status : null,
    },
    typeof props.appliedName === "string" ? props.appliedName : immutaName,
  );
}

/** A state as the engine stores it (see `storedState`). */
export type StoredState = Omit<DataSourceState, "appliedName"> & { appliedName?: string };

/**
 * A state as the engine stores it: the rename baseline only where it differs from Immuta's name, which is what
 * `upgradeState` takes it to be when it is absent. Every byte is stored with every resource and rewritten on
 * every step.
 */
export function storedState(state: DataSourceState): StoredState {
  const { appliedName, ...rest } = state;
  return appliedName === state.immutaName ? rest : { ...rest, appliedName };
}

/** The declaration recorded in a state. */
export function declarationOf(state: DataSourceState): StateDeclaration {
  return Object.fromEntries(
    [...DECLARED].map((name) => [name, state[name as DeclaredKey]]),
  ) as StateDeclaration;
}

/** The Immuta facts recorded in a state. */
export function factsOf(state: DataSourceState): ImmutaFacts {
  const { schemaVersion: _version, appliedName: _baseline, ...rest } = state;
  return Object.fromEntries(Object.entries(rest).filter(([name]) => !DECLARED.has(name))) as ImmutaFacts;
}

/** The id Pulumi records for a data source: Immuta's data source id, as a string. */
export function resourceId(dataSourceId: number): string {
  return String(dataSourceId);
}
