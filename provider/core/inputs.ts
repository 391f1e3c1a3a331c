/**
 * The declaration a user writes, and `check`: every failure named by its property, before any API call. What is
 * checked comes from the resource's definition (definition.ts): each input's JSON Schema and message, then its
 * further rules and canonical form.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { PROVIDER_KEY, UNKNOWN_VALUE } from "./constants";
import { DATA_SOURCE } from "./definition";
import type {
  InputsOf,
  JsonSchema,
  ObjectOf,
  ObjectTypeDefinition,
  PropertyDefinition,
  Refinement,
  ResourceDefinition,
} from "./model";

/** How `create` takes over a data source that already exists instead of registering a new one. */
export type AdoptionInput = ObjectOf<typeof DATA_SOURCE, "S3DataSourceAdoption">;

/** Inputs as they reach the provider (after the SDK resolved every `Input<>`). */
export type DataSourceInputs = InputsOf<typeof DATA_SOURCE>;

export interface CheckFailure {
  property: string;
  reason: string;
}

const inputs = (
  resource: ResourceDefinition,
): [string, PropertyDefinition & Required<Pick<PropertyDefinition, "input">>][] =>
  Object.entries(resource.properties).filter(
    (entry): entry is [string, PropertyDefinition & Required<Pick<PropertyDefinition, "input">>] =>
      entry[1].input !== undefined,
  );

const objectTypeOf = (
  resource: ResourceDefinition,
  property: PropertyDefinition,
): ObjectTypeDefinition | undefined =>
  property.type.kind === "object" ? resource.objectTypes[property.type.type] : undefined;

/**
 * The JSON Schema of a declaration: every input with its description, nothing else. Shared with the catalogue's
 * JSON Schema.
 */
export function inputSchema(resource: ResourceDefinition = DATA_SOURCE): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, property] of inputs(resource)) {
    const objectType = objectTypeOf(resource, property);
    const members = Object.entries(objectType?.properties ?? {}).map(([member, definition]) => [
      member,
      { description: definition.description, ...definition.schema },
    ]);
    properties[name] = {
      description: property.description,
      ...property.input.schema,
      ...(objectType ? { additionalProperties: false, properties: Object.fromEntries(members) } : {}),
    };
  }
  return {
    type: "object",
    additionalProperties: false,
    required: inputs(resource)
      .filter(([, property]) => property.input.required)
      .map(([name]) => name),
    properties,
  };
}

/** `check`'s message per property path (`adopt.byName` for an object type's member). */
function reasons(resource: ResourceDefinition): Map<string, string> {
  const byPath = new Map<string, string>();
  for (const [name, property] of inputs(resource)) {
    const objectType = objectTypeOf(resource, property);
    byPath.set(name, objectType?.reason ?? property.input.reason);
    for (const [member, definition] of Object.entries(objectType?.properties ?? {}))
      byPath.set(`${name}.${member}`, definition.reason);
  }
  return byPath;
}

let validateInputs: ValidateFunction | undefined;
let reasonOf: Map<string, string> | undefined;

function inputValidator(): ValidateFunction {
  // Compiled on first use: this module is loaded by the provider process only, never serialized into state.
  validateInputs ??= new Ajv({ allErrors: true, strict: true }).compile(inputSchema());
  return validateInputs;
}

const isUnknown = (value: unknown): boolean => value === UNKNOWN_VALUE;

/** Drops preview's unknown placeholders (at any depth) so that validation judges only what is known. */
function knownPart(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(knownPart);
  if (value === null || typeof value !== "object") return value;
  const known: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!isUnknown(item)) known[key] = knownPart(item);
  }
  return known;
}

function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (value === null || typeof value !== "object") return false;
  return Object.values(value).some(containsUnknown);
}

function unknownKeys(values: Record<string, unknown>): Set<string> {
  return new Set(Object.keys(values).filter((key) => isUnknown(values[key])));
}

function describeAjvError(error: ErrorObject): CheckFailure {
  const path = error.instancePath.split("/").filter(Boolean).join(".");
  if (error.keyword === "required") {
    const missing = String(error.params.missingProperty);
    return { property: missing, reason: `${missing} is required` };
  }
  if (error.keyword === "additionalProperties") {
    const extra = String(error.params.additionalProperty);
    const property = path ? `${path}.${extra}` : extra;
    return { property, reason: `${property} is not a property of ImmutaS3DataSource (check its spelling)` };
  }
  const property = path || "(inputs)";
  reasonOf ??= reasons(DATA_SOURCE);
  return { property, reason: reasonOf.get(property) ?? `${property} ${error.message ?? "is invalid"}` };
}

export interface CheckResult {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
}

/** A refinement of `value`, unless it already failed (a member of it included) or is not (wholly) known yet. */
function refined(
  refine: ((value: never) => Refinement) | undefined,
  value: unknown,
  failed: boolean,
): Refinement | undefined {
  if (!refine || failed || value === undefined || containsUnknown(value)) return undefined;
  return refine(value as never);
}

/**
 * Validates a declaration and returns it canonicalised (prefix in canonical form). Makes no API call: `pulumi
 * preview` of an invalid declaration must fail without touching Immuta.
 *
 * Defaults stay out of the checked inputs, which the engine stores with every resource: `declaredInputs` fills
 * them in where they count. A default is written only where the previous inputs (`olds`) hold another value, so
 * that the preview shows that change as `old => default`.
 */
export function checkInputs(news: Record<string, unknown>, olds: Record<string, unknown> = {}): CheckResult {
  const declared: Record<string, unknown> = { ...news };
  // The engine's own key (the dynamic provider's reference) and an output an older SDK sent are no user errors.
  delete declared[PROVIDER_KEY];
  delete declared.schemaVersion;
  const unknown = unknownKeys(declared);
  const known = knownPart(declared) as Record<string, unknown>;

  const validate = inputValidator();
  const failures: CheckFailure[] = [];
  if (!validate(known)) {
    for (const error of validate.errors ?? []) {
      const failure = describeAjvError(error);
      // A required property that is merely unknown during preview is not missing.
      if (error.keyword === "required" && unknown.has(failure.property)) continue;
      if (!failures.some((f) => f.property === failure.property)) failures.push(failure);
    }
  }

  const checked: Record<string, unknown> = { ...declared };
  // A member already reported (e.g. `adopt.byName: "true"`) is not reported again as a rule of its object.
  const failed = (property: string) =>
    failures.some((f) => f.property === property || f.property.startsWith(`${property}.`));
  for (const [name, property] of inputs(DATA_SOURCE)) {
    const refine = property.input.refine ?? objectTypeOf(DATA_SOURCE, property)?.refine;
    const result = refined(refine, declared[name], failed(name));
    if (result?.ok === false) failures.push({ property: name, reason: result.reason });
    else if (result?.ok) checked[name] = result.value;
    const fallback = property.input.default;
    if (
      checked[name] === undefined &&
      fallback !== undefined &&
      olds[name] !== undefined &&
      olds[name] !== fallback
    )
      checked[name] = fallback;
  }
  return { inputs: checked, failures };
}

/** The declared part of inputs or outputs: what `diff` compares, defaults filled in. */
export function declaredInputs(values: Record<string, unknown>): DataSourceInputs {
  const declaration: Record<string, unknown> = {};
  for (const [name, property] of inputs(DATA_SOURCE)) {
    // `disabled` is what refresh found, not what is declared: a declaration describes an enabled source.
    const value = property.input.internal ? undefined : values[name];
    declaration[name] = value ?? property.input.default;
  }
  return declaration as DataSourceInputs;
}

/** Inputs with every absent default filled in: two sets of stored inputs compared as what they mean. */
export function withDefaults(values: Record<string, unknown>): Record<string, unknown> {
  const filled = { ...values };
  for (const [name, property] of inputs(DATA_SOURCE))
    if (property.input.default !== undefined) filled[name] ??= property.input.default;
  return filled;
}

/** Inputs as the engine stores them: a value equal to its default is left out (`withDefaults` restores it). */
export function withoutDefaults(values: Record<string, unknown>): Record<string, unknown> {
  const stored = { ...values };
  for (const [name, property] of inputs(DATA_SOURCE))
    if (property.input.default !== undefined && stored[name] === property.input.default) delete stored[name];
  return stored;
}
