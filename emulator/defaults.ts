import type { EmulatorIntegration, EmulatorModes, Permission } from "./types";

/** Every default of the emulator, named in one place. */

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 0;

/** Name of the admin-like user owning the configured `apiKey`. */
export const DEMO_USER_NAME = "demo";
export const DEMO_USER_PERMISSIONS: readonly Permission[] = ["CREATE_S3_DATASOURCE", "GOVERNANCE"];

/**
 * The tag library a tenant starts with: a few hierarchies of leaf tags (their roots are implied). Replaced by the
 * `tagLibrary` start option.
 */
export const DEFAULT_TAG_LIBRARY: readonly string[] = [
  "Finance.PII",
  "Finance.Public",
  "Sensitivity.Confidential",
  "Sensitivity.Internal",
  "Sensitivity.Public",
  "Discovered.PII",
  "Discovered.Email",
  "Team.Research",
  "Team.Marketing",
];

export const DEFAULT_INTEGRATIONS: readonly EmulatorIntegration[] = [
  { id: 1, awsLocationPath: "s3://", awsAccountId: "123456789012", awsRegion: "us-east-2" },
];

/** Immuta's documented behaviour wherever the documentation states it (docs/immuta-api.md). */
export const DEFAULT_MODES: Readonly<EmulatorModes> = {
  names: "honour",
  handlerIds: "separate",
  multiSourceResponse: "array",
  blobHandler: "present",
  prefixForm: "relative",
  integrationsApi: "served",
  searchHits: "summary",
  searchOffset: "records",
  visibility: "documented",
  deleteResponse: "documented",
  dataSourceStatus: "passed",
  handlerIntegrationId: "number",
  handlerLocation: "present",
  integrationLocations: "unique",
  rawApiKey: "accepted",
  keySegments: "collapse",
  unknownTags: "reject",
  tagList: "array",
  currentUser: "served",
  rateLimit: null,
};

export const DEFAULT_TOKEN_TTL_MS = 60 * 60 * 1000;
export const DEFAULT_SEED = 1;

// DECISION: data sources count from 1 and handlers from 1001, so a client that uses one id for the other
// hits a 404 instead of passing by accident.
export const FIRST_DATA_SOURCE_ID = 1;
export const FIRST_HANDLER_ID = 1001;
export const FIRST_SCHEMA_EVOLUTION_ID = 1;

/** Largest accepted request body (hapi's default payload limit). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Request log cap, so long runs do not grow memory without bound. */
export const REQUEST_LOG_CAPACITY = 50_000;

export const DEFAULT_SEARCH_SIZE = 25;
export const MAX_SEARCH_SIZE = 1000;

/** Upper bounds of the rate limit, so a typo cannot overflow the token arithmetic. */
export const MAX_RATE_LIMIT_PER_SECOND = 1_000_000;

export const MAX_NAME_LENGTH = 255;
/** A fully qualified tag name (`Finance.PII`), every level included. */
export const MAX_TAG_NAME_LENGTH = 255;
/** Most tags one request may attach or create. */
export const MAX_TAGS_PER_REQUEST = 1000;
/** Longest data source description `PUT /dataSource/{id}` accepts. */
export const MAX_DESCRIPTION_LENGTH = 4096;
/** S3 object keys are at most 1024 bytes; the URI adds scheme and bucket. */
export const MAX_PREFIX_LENGTH = 1100;

/** Header that guards `/__emulator/*`. */
export const ADMIN_TOKEN_HEADER = "x-emulator-admin-token";
export const CONTROL_PATH_PREFIX = "/__emulator/";
