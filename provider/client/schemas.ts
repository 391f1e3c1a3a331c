import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";

// JSON schemas of every response the client reads; `FromSchema` derives the TypeScript type of each, so a field is
// declared once. Unknown fields are allowed everywhere (Immuta: "Additional fields may be included",
// docs/immuta-api.md). Optional data source fields also accept `null` (some versions send it).

const INTEGER = { type: "integer" } as const;
const STRING = { type: "string" } as const;
const BOOLEAN = { type: "boolean" } as const;
const nullable = <const T extends string>(type: T) => ({ type: [type, "null"] }) as const;

function object<const R extends object, const O extends object = object>(required: R, optional?: O) {
  const properties = { ...required, ...optional } as R & O;
  return { type: "object", required: Object.keys(required) as (keyof R)[], properties } as const;
}

const createS3DataSource = object({ dataSourceId: INTEGER, prefix: STRING, dataSourceName: STRING });

export const TAG_SCHEMA = object({ name: STRING }, { source: nullable("string") });
const TAGS = { type: "array", items: TAG_SCHEMA } as const;

export const DATA_SOURCE_SCHEMA = object(
  { id: INTEGER, name: STRING },
  {
    /** `true` once soft-deleted (disabled). */
    deleted: nullable("boolean"),
    status: nullable("string"),
    blobHandlerType: nullable("string"),
    /** `url` ends in `/handler/<handlerId>`. */
    blobHandler: { type: ["object", "null"], properties: { url: nullable("string") } },
    connectionString: nullable("string"),
    createdAt: nullable("string"),
    updatedAt: nullable("string"),
    tags: { type: ["array", "null"], items: TAG_SCHEMA },
    description: nullable("string"),
  },
);

const schemas = {
  createS3DataSource,
  createS3DataSourceList: { type: "array", minItems: 1, maxItems: 1, items: createS3DataSource },
  nativeS3Handler: object(
    {
      id: INTEGER,
      metadata: object({
        /** As Immuta echoes it: relative to the integration's `awsLocationPath`, or an absolute `s3://` URI. */
        prefix: STRING,
        // A number in Immuta's documented example; some tenants send it as a numeric string.
        integrationId: { anyOf: [INTEGER, { type: "string", pattern: "^[0-9]+$" }] },
        dataSourceName: STRING,
      }),
      type: STRING,
    },
    { awsLocationPath: nullable("string") },
  ),
  // The location is in `config` (documented); a top-level one is accepted too.
  integration: object(
    { id: { type: ["string", "integer"] } },
    {
      type: STRING,
      config: { type: "object", properties: { awsLocationPath: nullable("string") } },
      awsLocationPath: nullable("string"),
    },
  ),
  dataSource: DATA_SOURCE_SCHEMA,
  dataSourceSearch: object({
    hits: { type: "array", items: DATA_SOURCE_SCHEMA },
    count: { type: "integer", minimum: 0 },
  }),
  deleteDataSource: object(
    { success: BOOLEAN, id: INTEGER },
    {
      name: STRING,
      /** `true` after the first (soft) delete. */
      disabled: BOOLEAN,
      /** `true` after the second (hard) delete (not in Immuta's documented answer). */
      hardDelete: BOOLEAN,
      schemaEvolutionId: nullable("integer"),
      /** Non-null when Immuta could not clean up the handler. */
      handlerDeleteErrorMessage: nullable("string"),
    },
  ),
  authenticate: object({ authenticated: BOOLEAN, token: { type: "string", minLength: 1 } }),
  // DECISION: a tag list is read as a bare array (docs/immuta-api.md) or wrapped as `{ tags }`.
  tagList: { anyOf: [TAGS, object({ tags: TAGS })] },
  currentUser: object(
    { permissions: { type: "array", items: STRING } },
    { id: INTEGER, profile: { type: "object", properties: { id: INTEGER, name: STRING } } },
  ),
} as const;

type JsonTypes = { integer: number; string: string; boolean: boolean; null: null };

/** The TypeScript type of what a schema admits (the part of JSON Schema used here). Objects keep unknown fields. */
export type FromSchema<S> = S extends { anyOf: readonly (infer Option)[] }
  ? FromSchema<Option>
  : S extends { type: infer T }
    ? OfType<T extends readonly (infer Each)[] ? Each : T, S>
    : unknown;

type OfType<T, S> = T extends keyof JsonTypes
  ? JsonTypes[T]
  : T extends "array"
    ? FromSchema<S extends { items: infer Item } ? Item : unknown>[]
    : Fields<
        S extends { properties: infer P } ? P : object,
        S extends { required: readonly (infer R)[] } ? R : never
      >;

type Fields<P, Required> = {
  -readonly [K in keyof P as K extends Required ? K : never]: FromSchema<P[K]>;
} & {
  -readonly [K in keyof P as K extends Required ? never : K]?: FromSchema<P[K]>;
} & Record<string, unknown>;

export type SchemaName = keyof typeof schemas;

/** A response as the named schema validated it, before any normalisation. */
export type ResponseOf<K extends SchemaName> = FromSchema<(typeof schemas)[K]>;

/** The typed value, or the JSON pointer of the first problem and every problem (`/dataSourceId must be integer`). */
export type SchemaCheck<T> = { ok: true; value: T } | { ok: false; jsonPath: string; problems: string[] };

// Compiled lazily, once per process (Ajv caches by schema object): this module is never serialised by Pulumi.
let ajv: Ajv | undefined;

function validatorFor(name: SchemaName): ValidateFunction {
  ajv ??= new Ajv({ allErrors: true, allowUnionTypes: true, strict: true });
  return ajv.compile(schemas[name]);
}

function pointerOf(error: ErrorObject): string {
  if (error.keyword !== "required") return error.instancePath;
  return `${error.instancePath}/${(error.params as { missingProperty: string }).missingProperty}`;
}

function describe(error: ErrorObject): string {
  const pointer = pointerOf(error);
  const where = pointer === "" ? "the body" : pointer;
  if (error.keyword === "required") return `${where} is missing`;
  const message = error.message ?? "is invalid";
  // ajv words a union type as "must be boolean,null".
  return `${where} ${error.keyword === "type" ? message.replace(/,/g, " or ") : message}`;
}

/** Checks `value` against the named response schema. Problem texts never quote response values. */
export function checkResponse<K extends SchemaName>(name: K, value: unknown): SchemaCheck<ResponseOf<K>> {
  const validator = validatorFor(name);
  if (validator(value)) return { ok: true, value: value as ResponseOf<K> };
  const errors = validator.errors ?? [];
  const problems = errors.length > 0 ? errors.map(describe) : ["the body is invalid"];
  return { ok: false, jsonPath: errors[0] ? pointerOf(errors[0]) : "", problems };
}

export function mapCheck<A, B>(check: SchemaCheck<A>, map: (value: A) => B): SchemaCheck<B> {
  return check.ok ? { ok: true, value: map(check.value) } : check;
}

/** Checks a body against the named schema and maps (normalises) the value. */
export function checkAs<K extends SchemaName, T>(name: K, map: (value: ResponseOf<K>) => T) {
  return (body: unknown): SchemaCheck<T> => mapCheck(checkResponse(name, body), map);
}
