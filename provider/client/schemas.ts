import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import type { AuthenticateResponse, CreateS3DataSourceResponse, DeleteDataSourceResponse } from "./types";

/**
 * JSON schemas of every Immuta response the client reads. Unknown fields are allowed everywhere (Immuta: "Additional
 * fields may be included", docs/immuta-api.md); documented fields are typed. Optional data source fields also accept
 * `null` (Immuta serialises absent values as null on some versions); the client turns those into absent fields.
 */

const createS3DataSource = {
  type: "object",
  required: ["dataSourceId", "prefix", "dataSourceName"],
  properties: {
    dataSourceId: { type: "integer" },
    prefix: { type: "string" },
    dataSourceName: { type: "string" },
  },
} as const;

const nullable = (type: string) => ({ type: [type, "null"] });

const dataSource = {
  type: "object",
  required: ["id", "name"],
  properties: {
    id: { type: "integer" },
    name: { type: "string" },
    deleted: nullable("boolean"),
    status: nullable("string"),
    blobHandlerType: nullable("string"),
    blobHandler: { type: ["object", "null"], properties: { url: nullable("string") } },
    connectionString: nullable("string"),
    createdAt: nullable("string"),
    updatedAt: nullable("string"),
  },
} as const;

const schemas = {
  /** `POST /native-s3/handler` with one source. */
  createS3DataSource,
  /** `POST /native-s3/handler` answered as an array (DECISION: accepted when it holds exactly our one source). */
  createS3DataSourceList: { type: "array", minItems: 1, maxItems: 1, items: createS3DataSource },
  /** `GET /native-s3/handler/{handlerId}`. */
  nativeS3Handler: {
    type: "object",
    required: ["id", "metadata", "type"],
    properties: {
      id: { type: "integer" },
      metadata: {
        type: "object",
        required: ["prefix", "integrationId", "dataSourceName"],
        properties: {
          prefix: { type: "string" },
          // A number in Immuta's documented example; some tenants send it as a numeric string.
          integrationId: { anyOf: [{ type: "integer" }, { type: "string", pattern: "^[0-9]+$" }] },
          dataSourceName: { type: "string" },
        },
      },
      type: { type: "string" },
      awsLocationPath: nullable("string"),
    },
  },
  /** `GET /integrations/{id}`: the location is in `config` (documented); a top-level one is accepted too. */
  integration: {
    type: "object",
    required: ["id"],
    properties: {
      id: { type: ["string", "integer"] },
      type: { type: "string" },
      config: { type: "object", properties: { awsLocationPath: nullable("string") } },
      awsLocationPath: nullable("string"),
    },
  },
  /** `GET /dataSource/{id}`, `GET /dataSource/name/{name}`, `PUT /dataSource/{id}`. */
  dataSource,
  /** `GET /dataSource?searchText=&size=&offset=`. */
  dataSourceSearch: {
    type: "object",
    required: ["hits", "count"],
    properties: { hits: { type: "array", items: dataSource }, count: { type: "integer", minimum: 0 } },
  },
  /** `DELETE /dataSource/{id}`. */
  deleteDataSource: {
    type: "object",
    required: ["success", "id"],
    properties: {
      success: { type: "boolean" },
      id: { type: "integer" },
      name: { type: "string" },
      disabled: { type: "boolean" },
      hardDelete: { type: "boolean" },
      schemaEvolutionId: nullable("integer"),
      handlerDeleteErrorMessage: nullable("string"),
    },
  },
  /** `POST /bim/apikey/authenticate`. */
  authenticate: {
    type: "object",
    required: ["authenticated", "token"],
    properties: { authenticated: { type: "boolean" }, token: { type: "string", minLength: 1 } },
  },
} as const;

/** Raw (pre-normalisation) data source as validated; documented optional fields may be `null`. */
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

/** TypeScript type each schema guarantees. */
export interface SchemaTypes {
  createS3DataSource: CreateS3DataSourceResponse;
  createS3DataSourceList: [CreateS3DataSourceResponse];
  nativeS3Handler: RawNativeS3Handler;
  integration: RawIntegration;
  dataSource: RawDataSource;
  dataSourceSearch: { hits: RawDataSource[]; count: number };
  deleteDataSource: DeleteDataSourceResponse;
  authenticate: AuthenticateResponse;
}

export type SchemaName = keyof typeof schemas & keyof SchemaTypes;

/** Result of a check: the typed value, or where and why it failed. */
export type SchemaCheck<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      /** JSON pointer of the first problem (`""` = the whole body). */
      jsonPath: string;
      /** Every problem found, each as "<path> <what is wrong>", e.g. `/dataSourceId must be integer`. */
      problems: string[];
    };

// Compiled lazily, once per process: this module is loaded by the provider at run time and never serialised.
let ajv: Ajv | undefined;
const validators = new Map<SchemaName, ValidateFunction>();

function validatorFor(name: SchemaName): ValidateFunction {
  ajv ??= new Ajv({ allErrors: true, allowUnionTypes: true, strict: true });
  if (!validators.has(name)) validators.set(name, ajv.compile(schemas[name]));
  return validators.get(name)!;
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

/** A successful check with its value mapped (normalised), or the failed check as it was. */
export function mapCheck<A, B>(check: SchemaCheck<A>, map: (value: A) => B): SchemaCheck<B> {
  return check.ok ? { ok: true, value: map(check.value) } : check;
}
