/**
 * The vocabulary in which the resource is declared once (definition.ts): a property's name, type, description,
 * whether a change replaces the source, whether it is secret, and how it is validated. Everything else derives
 * from such a declaration: `check`, the state, `diff`'s replacement keys, the native plugin's preview, and through
 * `npm run gen` the package schema, the SDKs and the catalogue's JSON Schema.
 */

/** A JSON Schema fragment (draft-07, as ajv reads it) that validates one value. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** What `check` makes of a value its JSON Schema accepted: the canonical value, or why it is still refused. */
export type Refinement = { ok: true; value: unknown } | { ok: false; reason: string };

/** The shapes a property can have; each maps to one type in every language. */
export type ValueType =
  | { kind: "string" }
  | { kind: "integer" }
  | { kind: "boolean" }
  | { kind: "string-set" }
  | { kind: "object"; type: ObjectTypeName }
  | { kind: "map"; of: ObjectTypeName };

/** Object types the package uses, named as its schema names them (`immuta:index:<name>`). */
export type ObjectTypeName = "S3DataSourceAdoption" | "IntegrationSettings" | "TenantSettings";

/** How a property is declared by users, if it is. */
export interface InputRole {
  required: boolean;
  /** A changed value replaces the data source (Immuta's V1 API changes none of these in place). */
  replaces: boolean;
  /**
   * Immuta keeps the value unique in a tenant, disabled sources included: a replacement that keeps it must purge
   * the old source before registering the new one.
   */
  unique?: boolean;
  /** A change is applied to the source in place by `update` (it is neither a replacement nor ignored). */
  inPlace?: boolean;
  /** Never shown in SDKs or the schema: the provider's own input (see `disabled`). */
  internal?: boolean;
  /** Filled in by `check` when the declaration leaves it out. */
  default?: unknown;
  /** Validates the value's shape: the JSON Schema `check` and the catalogue share. */
  schema: JsonSchema;
  /** Why a value failed `schema`, as `check` reports it. */
  reason: string;
  /** Further rules on a value of the right shape, and its canonical form (e.g. a prefix's). */
  refine?: (value: never) => Refinement;
  /** Whether an old and a new value are the same (for `diff`); strict equality when not given. */
  same?: (a: never, b: never) => boolean;
}

/** How a property appears among the outputs (the state), if it does. */
export interface OutputRole {
  /** Always present in the state (a `null` value counts as present). */
  required: boolean;
  nullable?: boolean;
  /** Known only once Immuta answered: unknown in the preview of a create. */
  computed: boolean;
  /** May change in an in-place update (restoring, renaming back): unknown in the preview of an update. */
  changesOnUpdate?: boolean;
  /** Kept in state for the provider's own use, not exposed by the SDKs (e.g. the rename baseline). */
  internal?: boolean;
  /** A change found by `refresh` is drift to report, although it is not part of the declaration. */
  reportsDrift?: boolean;
}

export interface PropertyDefinition {
  type: ValueType;
  /** For users: the SDKs' documentation and the schema's. One text serves the input and the output. */
  description: string;
  secret?: boolean;
  input?: InputRole;
  output?: OutputRole;
}

/** A member of an object type: validated like an input (`schema`, `reason`), never required on its own. */
export interface ObjectMemberDefinition {
  type: ValueType;
  description: string;
  schema: JsonSchema;
  reason: string;
}

export interface ObjectTypeDefinition {
  description: string;
  properties: Readonly<Record<string, ObjectMemberDefinition>>;
  /** Why the value is not an object, as `check` reports it. */
  reason: string;
  /** Rules across members (e.g. "one of these, not both"). */
  refine?: (value: never) => Refinement;
}

export interface ResourceDefinition {
  /** The resource's name in the SDKs and in both type tokens (`S3DataSource`). */
  name: string;
  description: string;
  properties: Readonly<Record<string, PropertyDefinition>>;
  objectTypes: Readonly<Partial<Record<ObjectTypeName, ObjectTypeDefinition>>>;
}

/** One setting of the provider's configuration (`immuta:<name>`, or a tenant's `immuta:tenants.<t>.<name>`). */
export interface SettingDefinition {
  type: ValueType;
  description: string;
  secret?: boolean;
  /** Also read from `IMMUTA_<NAME>` (`IMMUTA_<TENANT>_<NAME>` for a named tenant) when stack config lacks it. */
  environment: boolean;
  /** A setting of each tenant (under `immuta:tenants.<t>`), not only of the provider as a whole. */
  perTenant: boolean;
}

/** Object types of the configuration (not of a resource): members described, never validated by `check`. */
export interface SettingsTypeDefinition {
  description: string;
  properties: Readonly<Record<string, { type: ValueType; description: string; secret?: boolean }>>;
}

type Entry = [string, PropertyDefinition];

const entries = (resource: ResourceDefinition): Entry[] => Object.entries(resource.properties);

/** Inputs as users declare them (the provider's internal ones left out when `publicOnly`). */
export function inputNames(resource: ResourceDefinition, publicOnly = false): string[] {
  return entries(resource)
    .filter(([, property]) => property.input && !(publicOnly && property.input.internal))
    .map(([name]) => name);
}

/** Outputs the state holds (internal ones left out when `publicOnly`). */
export function outputNames(resource: ResourceDefinition, publicOnly = false): string[] {
  return entries(resource)
    .filter(([, property]) => property.output && !(publicOnly && property.output.internal))
    .map(([name]) => name);
}

/** Inputs whose change replaces the source. */
export function replacingInputs(resource: ResourceDefinition): string[] {
  return entries(resource)
    .filter(([, property]) => property.input?.replaces)
    .map(([name]) => name);
}

/** Outputs only Immuta can tell: unknown in a create's preview. */
export function computedOutputs(resource: ResourceDefinition): string[] {
  return entries(resource)
    .filter(([, property]) => property.output?.computed)
    .map(([name]) => name);
}

/** Inputs whose change `update` applies in place. */
export function inPlaceInputs(resource: ResourceDefinition): string[] {
  return entries(resource)
    .filter(([, property]) => property.input?.inPlace)
    .map(([name]) => name);
}

/** Outputs whose change a refresh reports as drift besides the declaration's. */
export function driftReportingOutputs(resource: ResourceDefinition): string[] {
  return entries(resource)
    .filter(([, property]) => property.output?.reportsDrift)
    .map(([name]) => name);
}

/** Outputs an in-place update may change: unknown in an update's preview. */
export function outputsChangedByUpdates(resource: ResourceDefinition): string[] {
  return entries(resource)
    .filter(([, property]) => property.output?.changesOnUpdate)
    .map(([name]) => name);
}

/** Properties whose values are secret (never any today: credentials are configuration, not inputs). */
export function secretProperties(resource: ResourceDefinition): string[] {
  return entries(resource)
    .filter(([, property]) => property.secret)
    .map(([name]) => name);
}

/** The TypeScript type of a value of `type`, with object types resolved in `resource`. */
export type ValueOf<T extends ValueType, R extends ResourceDefinition> = T extends { kind: "string" }
  ? string
  : T extends { kind: "integer" }
    ? number
    : T extends { kind: "boolean" }
      ? boolean
      : T extends { kind: "string-set" }
        ? string[]
        : T extends { kind: "object"; type: infer Name extends ObjectTypeName }
          ? ObjectValue<NonNullable<R["objectTypes"][Name]>, R>
          : never;

type ObjectValue<O extends ObjectTypeDefinition, R extends ResourceDefinition> = {
  [K in keyof O["properties"]]?: ValueOf<O["properties"][K]["type"], R>;
};

type Properties<R extends ResourceDefinition> = R["properties"];
type Simplify<T> = { [K in keyof T]: T[K] } & {};

type KeysWith<R extends ResourceDefinition, Role extends "input" | "output", Required extends boolean> = {
  [K in keyof Properties<R>]: Properties<R>[K][Role] extends { required: Required } ? K : never;
}[keyof Properties<R>];

type NullIfNullable<P> = P extends { output: { nullable: true } } ? null : never;

/** The declaration as `check` hands it on: every input, required ones present. */
export type InputsOf<R extends ResourceDefinition> = Simplify<
  { [K in KeysWith<R, "input", true>]: ValueOf<Properties<R>[K]["type"], R> } & {
    [K in KeysWith<R, "input", false>]?: ValueOf<Properties<R>[K]["type"], R>;
  }
>;

/** The state the provider writes: every output. */
export type OutputsOf<R extends ResourceDefinition> = Simplify<
  {
    [K in KeysWith<R, "output", true>]:
      ValueOf<Properties<R>[K]["type"], R> | NullIfNullable<Properties<R>[K]>;
  } & {
    [K in KeysWith<R, "output", false>]?:
      ValueOf<Properties<R>[K]["type"], R> | NullIfNullable<Properties<R>[K]>;
  }
>;

/** The members of one object type. */
export type ObjectOf<R extends ResourceDefinition, Name extends ObjectTypeName> = ValueOf<
  { kind: "object"; type: Name },
  R
>;

/** Outputs that record the declaration (inputs users write that the state also holds). */
export type DeclaredOutputKey<R extends ResourceDefinition> = {
  [K in keyof Properties<R>]: Properties<R>[K] extends { input: { internal: true } }
    ? never
    : Properties<R>[K] extends { input: object; output: object }
      ? K
      : never;
}[keyof Properties<R>];

/** Names of the outputs that record the declaration, in the definition's order. */
export function declaredOutputNames(resource: ResourceDefinition): string[] {
  return Object.entries(resource.properties)
    .filter(([, property]) => property.output && property.input && !property.input.internal)
    .map(([name]) => name);
}
