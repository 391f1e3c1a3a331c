import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import type {
  AuthenticateResponse,
  CreateS3DataSourceResponse,
  CurrentUser,
  DataSourceTag,
  DeleteDataSourceResponse,
} from "./immuta-client";

// JSON schemas of every response the client reads. Unknown fields are allowed everywhere (Immuta: "Additional fields
// may be included", docs/immuta-api.md). Optional data source fields also accept `null` (some versions send it).

const INTEGER = { type: "integer" };
const STRING = { type: "string" };
const BOOLEAN = { type: "boolean" };
const nullable = (type: string) => ({ type: [type, "null"] });

function object(required: Record<string, object>, optional: Record<string, object> = {}) {
  return { type: "object", required: Object.keys(required), properties: { ...required, ...optional } };
}

const createS3DataSource = object({ dataSourceId: INTEGER, prefix: STRING, dataSourceName: STRING });
const TAGS = { type: "array", items: object({ name: STRING }, { source: nullable("string") }) };

export const DATA_SOURCE_SCHEMA = object(
  { id: INTEGER, name: STRING },
  {
    deleted: nullable("boolean"),
    status: nullable("string"),
    blobHandlerType: nullable("string"),
    blobHandler: { type: ["object", "null"], properties: { url: nullable("string") } },
    connectionString: nullable("string"),
    createdAt: nullable("string"),
    updatedAt: nullable("string"),
    tags: { type: ["array", "null"], items: TAGS.items },
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
      disabled: BOOLEAN,
      hardDelete: BOOLEAN,
      schemaEvolutionId: nullable("integer"),
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
};

/** A data source as validated, before normalisation: documented optional fields may be `null`. */
export interface RawDataSource {
  id: number;
  name: string;
  [field: string]: unknown;
}

/** Raw handler as validated: the integration id may be a numeric string, the location `null`. */
export interface RawNativeS3Handler {
  id: number;
  metadata: { prefix: string; integrationId: number | string; dataSourceName: string };
  type: string;
  awsLocationPath?: string | null;
  [field: string]: unknown;
}

export interface RawIntegration {
  id: string | number;
  type?: string;
  config?: { awsLocationPath?: string | null; name?: unknown };
  awsLocationPath?: string | null;
}

export interface SchemaTypes {
  createS3DataSource: CreateS3DataSourceResponse;
  createS3DataSourceList: [CreateS3DataSourceResponse];
  nativeS3Handler: RawNativeS3Handler;
  integration: RawIntegration;
  dataSource: RawDataSource;
  dataSourceSearch: { hits: RawDataSource[]; count: number };
  deleteDataSource: DeleteDataSourceResponse;
  authenticate: AuthenticateResponse;
  tagList: DataSourceTag[] | { tags: DataSourceTag[] };
  currentUser: CurrentUser;
}

export type SchemaName = keyof typeof schemas & keyof SchemaTypes;

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
export function checkResponse<K extends SchemaName>(name: K, value: unknown): SchemaCheck<SchemaTypes[K]> {
  const validator = validatorFor(name);
  if (validator(value)) return { ok: true, value: value as SchemaTypes[K] };
  const errors = validator.errors ?? [];
  const problems = errors.length > 0 ? errors.map(describe) : ["the body is invalid"];
  return { ok: false, jsonPath: errors[0] ? pointerOf(errors[0]) : "", problems };
}

export function mapCheck<A, B>(check: SchemaCheck<A>, map: (value: A) => B): SchemaCheck<B> {
  return check.ok ? { ok: true, value: map(check.value) } : check;
}

/** Checks a body against the named schema and maps (normalises) the value. */
export function checkAs<K extends SchemaName, T>(name: K, map: (value: SchemaTypes[K]) => T) {
  return (body: unknown): SchemaCheck<T> => mapCheck(checkResponse(name, body), map);
}
