import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { badRequest, type BoomValidation } from "./boom";
import {
  MAX_DESCRIPTION_LENGTH,
  MAX_NAME_LENGTH,
  MAX_PREFIX_LENGTH,
  MAX_RATE_LIMIT_PER_SECOND,
  MAX_TAG_NAME_LENGTH,
  MAX_TAGS_PER_REQUEST,
} from "./defaults";
import { MODE_CHOICES } from "./modes";
import { TAG_NAME_PATTERN } from "./tag-library";
import type {
  EmulatorIntegration,
  EmulatorModes,
  FaultRule,
  NextIds,
  StoredDataSource,
  TagSource,
} from "./types";

// allErrors stays off: the first error is enough for a 400 and keeps huge invalid arrays cheap.
// DECISION: no type coercion — `"integrationId": "1"` is a 400, so a client sending strings fails here first.
const ajv = new Ajv({ allErrors: false, coerceTypes: false, useDefaults: false, strict: true });

const id = { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;
// DECISION: a name has 1..255 characters, a visible one among them, and no control characters.
const name = {
  type: "string",
  minLength: 1,
  maxLength: MAX_NAME_LENGTH,
  pattern: "^(?=.*\\S)[^\\u0000-\\u001f\\u007f]+$",
} as const;
const prefix = { type: "string", minLength: 1, maxLength: MAX_PREFIX_LENGTH } as const;
// An empty relative prefix names the integration's location itself; the prefix form decides whether it is valid.
const requestedPrefix = { type: "string", maxLength: MAX_PREFIX_LENGTH } as const;
const userName = { type: "string", minLength: 1, maxLength: MAX_NAME_LENGTH } as const;
// A tag the library may hold: dot-separated, non-empty levels (tag-library.ts).
const tagName = {
  type: "string",
  minLength: 1,
  maxLength: MAX_TAG_NAME_LENGTH,
  pattern: TAG_NAME_PATTERN,
} as const;
const TAG_SOURCES: readonly TagSource[] = ["curated", "sdd", "catalog"];

// ---- Immuta API bodies.
// DECISION: unknown members are allowed in Immuta bodies (clients may send more than documented) and rejected
// in control bodies (a typo in a test must fail loudly).

export interface CreateNativeS3Body {
  type: "Native S3";
  integrationId: number;
  dataSources: { dataSourceName: string; prefix: string }[];
}

export const validateCreateNativeS3Body = ajv.compile<CreateNativeS3Body>({
  type: "object",
  required: ["type", "integrationId", "dataSources"],
  properties: {
    type: { const: "Native S3" },
    integrationId: id,
    dataSources: {
      type: "array",
      minItems: 1,
      maxItems: 1000,
      items: {
        type: "object",
        required: ["dataSourceName", "prefix"],
        properties: { dataSourceName: name, prefix: requestedPrefix },
      },
    },
  },
});

export interface UpdateDataSourceBody {
  name?: string;
  deleted?: boolean;
  description?: string | null;
}

// DECISION: a description has at most 4,096 characters (Immuta documents no limit); null clears it.
const description = { type: ["string", "null"], maxLength: MAX_DESCRIPTION_LENGTH } as const;

export const validateUpdateDataSourceBody = ajv.compile<UpdateDataSourceBody>({
  type: "object",
  properties: { name, deleted: { type: "boolean" }, description },
});

/** `POST /tag/datasource/{id}`: the tags to attach; members other than `name` (`source`, ...) are ignored. */
export type AttachTagsBody = { name: string }[];

// DECISION: any non-empty name passes the schema; one the library lacks is refused (or skipped) by name afterwards.
export const validateAttachTagsBody = ajv.compile<AttachTagsBody>({
  type: "array",
  maxItems: MAX_TAGS_PER_REQUEST,
  items: { type: "object", required: ["name"], properties: { name: { type: "string", minLength: 1 } } },
});

/** `POST /tag`: tags to create in the library, with their ancestors. */
export interface CreateTagsBody {
  tags: { name: string }[];
  rootTag?: { name: string };
}

export const validateCreateTagsBody = ajv.compile<CreateTagsBody>({
  type: "object",
  required: ["tags"],
  properties: {
    tags: {
      type: "array",
      minItems: 1,
      maxItems: MAX_TAGS_PER_REQUEST,
      items: { type: "object", required: ["name"], properties: { name: tagName } },
    },
    rootTag: { type: "object", required: ["name"], properties: { name: tagName } },
  },
});

export interface AuthenticateBody {
  apikey?: string;
}

export const validateAuthenticateBody = ajv.compile<AuthenticateBody>({
  type: "object",
  properties: { apikey: { type: "string" } },
});

// ---- Control API bodies. Unknown members are rejected so a typo in a test fails loudly.

const subscribers = { type: "array", maxItems: 1000, uniqueItems: true, items: userName } as const;

/** A tag the control API attaches: `source` defaults to `curated`, `addedBy` to the demo user's id. */
export interface TagSeedBody {
  name: string;
  source?: TagSource;
  addedBy?: number;
}

const tagSeeds = {
  type: "array",
  maxItems: MAX_TAGS_PER_REQUEST,
  items: {
    type: "object",
    required: ["name"],
    additionalProperties: false,
    properties: { name: tagName, source: { enum: TAG_SOURCES }, addedBy: { ...id, minimum: 1 } },
  },
} as const;

export interface SeedDataSourceBody {
  name: string;
  /** Absolute and canonicalised: the control API speaks the stored form whatever the prefix form. */
  prefix: string;
  integrationId?: number;
  owner?: string;
  deleted?: boolean;
  public?: boolean;
  subscribers?: string[];
  description?: string | null;
  tags?: TagSeedBody[];
  /** ISO 8601; a source registered earlier, e.g. by hand before a test's run. */
  createdAt?: string;
}

export const validateSeedDataSourceBody = ajv.compile<SeedDataSourceBody>({
  type: "object",
  required: ["name", "prefix"],
  additionalProperties: false,
  properties: {
    name,
    prefix,
    integrationId: id,
    owner: userName,
    deleted: { type: "boolean" },
    public: { type: "boolean" },
    subscribers,
    description,
    tags: tagSeeds,
    createdAt: {
      type: "string",
      pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$",
    },
  },
});

export interface MutateDataSourceBody {
  name?: string;
  prefix?: string;
  integrationId?: number;
  deleted?: boolean;
  owner?: string;
  public?: boolean;
  subscribers?: string[];
  description?: string | null;
  /** Replaces every tag. */
  tags?: TagSeedBody[];
  handlerDeleteErrorMessage?: string | null;
}

export const validateMutateDataSourceBody = ajv.compile<MutateDataSourceBody>({
  type: "object",
  additionalProperties: false,
  properties: {
    name,
    prefix,
    integrationId: id,
    deleted: { type: "boolean" },
    owner: userName,
    public: { type: "boolean" },
    subscribers,
    description,
    tags: tagSeeds,
    handlerDeleteErrorMessage: { type: ["string", "null"] },
  },
});

export interface AttachTagSeedsBody {
  tags: TagSeedBody[];
}

export const validateAttachTagSeedsBody = ajv.compile<AttachTagSeedsBody>({
  type: "object",
  required: ["tags"],
  additionalProperties: false,
  properties: { tags: tagSeeds },
});

export interface LibraryTagsBody {
  tags: string[];
}

export const validateLibraryTagsBody = ajv.compile<LibraryTagsBody>({
  type: "object",
  required: ["tags"],
  additionalProperties: false,
  properties: { tags: { type: "array", minItems: 1, maxItems: MAX_TAGS_PER_REQUEST, items: tagName } },
});

export interface SeedIntegrationBody {
  id?: number;
  awsLocationPath: string;
  awsAccountId?: string;
  awsRegion?: string;
  name?: string;
  awsLocationRole?: string;
}

const shortText = { type: "string", minLength: 1, maxLength: 64 } as const;

export const validateSeedIntegrationBody = ajv.compile<SeedIntegrationBody>({
  type: "object",
  required: ["awsLocationPath"],
  additionalProperties: false,
  properties: {
    id: { ...id, minimum: 1 },
    awsLocationPath: prefix,
    awsAccountId: shortText,
    awsRegion: shortText,
    name: { type: "string", minLength: 1, maxLength: MAX_NAME_LENGTH },
    awsLocationRole: { type: "string", minLength: 1, maxLength: 2048 },
  },
});

const rateLimit = {
  anyOf: [
    { type: "null" },
    {
      type: "object",
      required: ["requestsPerSecond"],
      additionalProperties: false,
      properties: {
        requestsPerSecond: { type: "number", exclusiveMinimum: 0, maximum: MAX_RATE_LIMIT_PER_SECOND },
        burst: { type: "integer", minimum: 1, maximum: MAX_RATE_LIMIT_PER_SECOND },
      },
    },
  ],
} as const;

export const validateModesPatch = ajv.compile<Partial<EmulatorModes>>({
  type: "object",
  additionalProperties: false,
  properties: {
    ...Object.fromEntries(Object.entries(MODE_CHOICES).map(([mode, values]) => [mode, { enum: values }])),
    rateLimit,
  },
});

const faultStatus = { enum: [401, 429, 500, 502, 503, 504] } as const;

const faultRule = {
  type: "object",
  required: ["kind"],
  additionalProperties: false,
  properties: {
    method: { type: "string", minLength: 1, maxLength: 16 },
    path: { type: "string", minLength: 1, maxLength: 2048 },
    times: { type: "integer", minimum: 1 },
    probability: { type: "number", minimum: 0, maximum: 1 },
    kind: {
      enum: ["latency", "status", "reset", "slow", "process-then-drop", "invalid-json", "schema-violation"],
    },
    latencyMs: { type: "integer", minimum: 0, maximum: 600_000 },
    latencyJitterMs: { type: "integer", minimum: 0, maximum: 600_000 },
    status: faultStatus,
    retryAfter: { type: "string", minLength: 1, maxLength: 64, pattern: "^[\\x20-\\x7e]+$" },
    htmlBody: { type: "boolean" },
    slowMs: { type: "integer", minimum: 0, maximum: 600_000 },
  },
  // A status rule without a status would be a silent no-op; make it a 400 instead.
  if: { properties: { kind: { const: "status" } } },
  then: { required: ["status"], properties: { status: faultStatus } },
} as const;

export interface SetFaultsBody {
  rules: FaultRule[];
  seed?: number;
}

export const validateSetFaultsBody = ajv.compile<SetFaultsBody>({
  type: "object",
  required: ["rules"],
  additionalProperties: false,
  properties: {
    rules: { type: "array", maxItems: 1000, items: faultRule },
    seed: { type: "integer" },
  },
});

// ---- The persisted state file.

/**
 * Files written before sources had `public`, `subscribers`, `description` and `tags` lack them (private, none, null,
 * none).
 */
export type PersistedDataSource = Omit<StoredDataSource, "public" | "subscribers" | "description" | "tags"> &
  Partial<Pick<StoredDataSource, "public" | "subscribers" | "description" | "tags">>;

export interface StateFileContent {
  format: "immuta-emulator-state";
  version: 1;
  dataSources: PersistedDataSource[];
  integrations: EmulatorIntegration[];
  nextIds: NextIds;
  /** Every tag of the library; absent from files written before the emulator had one. */
  tagLibrary?: string[];
}

const persistedTag = {
  type: "object",
  required: ["name", "source", "addedBy"],
  properties: { name: tagName, source: { enum: TAG_SOURCES }, addedBy: id },
} as const;

const integration = {
  type: "object",
  required: ["id", "awsLocationPath", "awsAccountId", "awsRegion"],
  properties: {
    id,
    awsLocationPath: { type: "string" },
    awsAccountId: { type: "string" },
    awsRegion: { type: "string" },
    name: { type: "string" },
    awsLocationRole: { type: "string" },
  },
} as const;

export const validateStateFile = ajv.compile<StateFileContent>({
  type: "object",
  required: ["format", "version", "dataSources", "integrations", "nextIds"],
  properties: {
    format: { const: "immuta-emulator-state" },
    version: { const: 1 },
    dataSources: {
      type: "array",
      items: {
        type: "object",
        required: [
          "id",
          "handlerId",
          "name",
          "prefix",
          "integrationId",
          "deleted",
          "owner",
          "schemaEvolutionId",
          "handlerDeleteErrorMessage",
          "createdAt",
          "updatedAt",
        ],
        properties: {
          id,
          handlerId: id,
          name: { type: "string" },
          prefix: { type: "string" },
          integrationId: id,
          deleted: { type: "boolean" },
          owner: { type: "string" },
          public: { type: "boolean" },
          subscribers: { type: "array", items: { type: "string" } },
          description: { type: ["string", "null"] },
          tags: { type: "array", items: persistedTag },
          schemaEvolutionId: id,
          handlerDeleteErrorMessage: { type: ["string", "null"] },
          createdAt: { type: "string" },
          updatedAt: { type: "string" },
        },
      },
    },
    integrations: { type: "array", items: integration },
    nextIds: {
      type: "object",
      required: ["dataSourceId", "handlerId", "schemaEvolutionId"],
      properties: { dataSourceId: id, handlerId: id, schemaEvolutionId: id },
    },
    tagLibrary: { type: "array", items: tagName },
  },
});

/** Returns `value` typed by the validator, or throws a 400 Boom naming the offending key. */
export function validated<T>(
  validate: ValidateFunction<T>,
  value: unknown,
  source: BoomValidation["source"] = "payload",
): T {
  if (validate(value)) return value;
  const error = validate.errors?.[0];
  const key = error ? errorKey(error) : "";
  const detail = error ? `"${key || "value"}" ${error.message ?? "is invalid"}` : "is invalid";
  throw badRequest(`Invalid request ${source} input: ${detail}`, { source, keys: key ? [key] : [] });
}

/** hapi reports keys as dotted paths (`dataSources.0.prefix`). */
// DECISION: 400s carry hapi's `validation: { source, keys }` with the first offending key only.
function errorKey(error: ErrorObject): string {
  const parts = error.instancePath.split("/").filter((part) => part !== "");
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (error.keyword === "required" && params.missingProperty) parts.push(params.missingProperty);
  if (error.keyword === "additionalProperties" && params.additionalProperty)
    parts.push(params.additionalProperty);
  return parts.join(".");
}
