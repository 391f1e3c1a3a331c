/** Public domain types shared by the emulator, its control API and its control client. */

/** Immuta permissions the emulator knows about. */
export type Permission = "CREATE_S3_DATASOURCE" | "GOVERNANCE";

/** A user of the emulated tenant, identified by its API key. */
export interface EmulatorUser {
  /** User name; becomes the `owner` of the data sources the user creates. */
  name: string;
  /** The raw API key sent as `Authorization: <apiKey>` or exchanged for a token. */
  apiKey: string;
  /** Global permissions of the user. */
  permissions: Permission[];
}

/** A configured user with the numeric id Immuta gives every user (1-based, in order of configuration). */
export interface TenantUser extends EmulatorUser {
  /** The user id, also its profile id and the `addedBy` of the tags it attaches. */
  readonly id: number;
}

/** A Native S3 integration of the emulated tenant. */
export interface EmulatorIntegration {
  /** Integration id used as `integrationId` in the native-s3 payload (the integrations API shows it as a string). */
  id: number;
  /**
   * Base S3 location sources are registered under: `s3://` (any bucket), `s3://bucket/` or `s3://bucket/team/`.
   * Unique among integrations unless `integrationLocations` is `shared`.
   */
  awsLocationPath: string;
  /** 12-digit AWS account id; masked into generated names. */
  awsAccountId: string;
  /** AWS region, appended to generated names. */
  awsRegion: string;
  /** Integration name shown by `GET /integrations/{id}`; `s3-integration-<id>` when absent. */
  name?: string;
  /** IAM role ARN of the Access Grants location shown by `GET /integrations/{id}`; derived from the account when absent. */
  awsLocationRole?: string;
}

/** `honour` keeps the requested data source name, `generate` renames like Immuta's documented example. */
export type NamesMode = "honour" | "generate";
/** `separate`: handler ids have their own counter; `same`: handlerId equals dataSourceId. */
export type HandlerIdsMode = "separate" | "same";
/** Response shape of a POST carrying several `dataSources`. */
export type MultiSourceResponseMode = "array" | "first";
/** Whether `GET /dataSource/{id}` includes `blobHandler` (clients must fall back when it is absent). */
export type BlobHandlerMode = "present" | "absent";
/**
 * How `dataSources[].prefix` is read and echoed: `relative` to the integration's `awsLocationPath` (Immuta's
 * documented example), `absolute` `s3://bucket/key` URIs, or `both` (either in, absolute out).
 */
export type PrefixFormMode = "relative" | "absolute" | "both";
/** `GET /integrations/{id}`: answered, refused with a 403 (no APPLICATION_ADMIN), or an unknown route (404). */
export type IntegrationsApiMode = "served" | "forbidden" | "absent";
/** `GET /dataSource` hits: Immuta's documented summaries, or the full data source shape. */
export type SearchHitsMode = "summary" | "full";
/** `offset` of `GET /dataSource`: a record offset, or a page index (offset × size records are skipped). */
export type SearchOffsetMode = "records" | "pages";
/** `documented`: sources are hidden from users who may not see them (404); `open`: everyone sees everything. */
export type VisibilityMode = "documented" | "open";
/** `DELETE /dataSource/{id}` body: the documented members, or those plus `hardDelete`. */
export type DeleteResponseMode = "documented" | "with-hard-delete";
/** Data source `status`: Immuta's documented `passed`, or `Ready`. */
export type DataSourceStatusMode = "passed" | "Ready";
/** Type of the handler's `metadata.integrationId`: the documented number, or a numeric string. */
export type HandlerIntegrationIdMode = "number" | "string";
/** Whether the handler body carries the documented `awsLocationPath`. */
export type HandlerLocationMode = "present" | "absent";
/** `unique`: two integrations may not share an `awsLocationPath` (409), as Immuta documents; `shared`: they may. */
export type IntegrationLocationsMode = "unique" | "shared";
/**
 * `accepted`: the API key itself is a credential (`Authorization: <api-key>`), as Immuta's create example shows;
 * `refused`: only tokens exchanged at `POST /bim/apikey/authenticate` are (a tenant that enforces the bearer flow).
 */
export type RawApiKeyMode = "accepted" | "refused";
/**
 * How the key of a prefix is read: `collapse` drops empty segments (`a//b` is `a/b`) and keeps `.`, as Immuta may
 * tolerate; `strict` refuses them as Amazon S3, which tells `a//b` from `a/b`, would (400). `..` is always refused.
 */
export type KeySegmentsMode = "collapse" | "strict";

/**
 * `POST /tag/datasource/{id}` with a tag the library lacks: `reject` answers a 400 naming every unknown tag and
 * attaches nothing; `ignore` attaches the known ones and skips the others silently.
 */
export type UnknownTagsMode = "reject" | "ignore";
/** A tag list answer (`GET /dataSource/{id}/tags`, and those of attaching and removing): a bare array, or `{tags, count}`. */
export type TagListMode = "array" | "wrapped";
/** `GET /bim/rpc/user/current`: answered, or an unknown route (404), as behind a proxy that does not expose it. */
export type CurrentUserMode = "served" | "absent";

/** A tenant-wide token bucket in front of the Immuta API (the control API is never limited). */
export interface RateLimit {
  /** Tokens added per second (fractions allowed). */
  requestsPerSecond: number;
  /** Bucket size, i.e. the largest burst; default `max(1, ceil(requestsPerSecond))`. */
  burst?: number;
}

/** Contract switches: start options, CLI flags, or `PATCH /__emulator/modes` at run time. Defaults first. */
export interface EmulatorModes {
  /** `honour` keeps requested names; `generate` renames like Immuta's example. Default `honour`. */
  names: NamesMode;
  /** Default `separate`. */
  handlerIds: HandlerIdsMode;
  /** Shape for a POST with several dataSources; default `array` (in request order). */
  multiSourceResponse: MultiSourceResponseMode;
  /** Whether `GET /dataSource/{id}` carries `blobHandler`; default `present`. */
  blobHandler: BlobHandlerMode;
  /** Default `relative` (documented). */
  prefixForm: PrefixFormMode;
  /** Default `served`. */
  integrationsApi: IntegrationsApiMode;
  /** Default `summary` (documented). */
  searchHits: SearchHitsMode;
  /** Default `records`. */
  searchOffset: SearchOffsetMode;
  /** Default `documented`. */
  visibility: VisibilityMode;
  /** Default `documented` (no `hardDelete`). */
  deleteResponse: DeleteResponseMode;
  /** Default `passed` (documented). */
  dataSourceStatus: DataSourceStatusMode;
  /** Default `number` (documented). */
  handlerIntegrationId: HandlerIntegrationIdMode;
  /** Default `present` (documented). */
  handlerLocation: HandlerLocationMode;
  /** Default `unique` (documented). */
  integrationLocations: IntegrationLocationsMode;
  /** Default `accepted` (documented). */
  rawApiKey: RawApiKeyMode;
  /** Default `collapse` (DECISION: Immuta's documentation is silent). */
  keySegments: KeySegmentsMode;
  /** Default `reject` (DECISION: Immuta documents only that no tag is processed when one is invalid). */
  unknownTags: UnknownTagsMode;
  /** Default `array` (DECISION: Immuta's pages show no answer for these endpoints). */
  tagList: TagListMode;
  /** Default `served`. */
  currentUser: CurrentUserMode;
  /** Tenant-wide rate limit on the Immuta API; off (null) by default. */
  rateLimit: RateLimit | null;
}

/** The modes chosen from a fixed list of values (all but `rateLimit`). */
export type ChoiceModeName = Exclude<keyof EmulatorModes, "rateLimit">;

/**
 * Who attached a tag: `curated` through the API or the UI, `sdd` sensitive data discovery, `catalog` an external
 * catalog.
 */
export type TagSource = "curated" | "sdd" | "catalog";

/** A tag attached to a data source, as stored (the wire adds `deleted: false`). */
export interface DataSourceTag {
  /** Dot-separated hierarchy, e.g. `Finance.PII`. */
  name: string;
  source: TagSource;
  /** Id of the user who attached it. */
  addedBy: number;
}

/** A data source as the emulator stores it (not the wire shape). Purged sources are not stored. */
export interface StoredDataSource {
  id: number;
  handlerId: number;
  name: string;
  /** Canonical prefix, e.g. `s3://bucket/key`. */
  prefix: string;
  integrationId: number;
  /** true once disabled (soft-deleted) by a first DELETE. */
  deleted: boolean;
  /** Name of the user who owns the source. */
  owner: string;
  /** Visible to every user (while enabled). */
  public: boolean;
  /** Names of the users subscribed to the source; they may see it (while enabled). */
  subscribers: string[];
  /** Free text, null until set (`PUT /dataSource/{id}` or the control API). `searchText` matches it. */
  description: string | null;
  /** Tags attached, in the order they were attached. */
  tags: DataSourceTag[];
  schemaEvolutionId: number;
  /** Returned by the next DELETE as `handlerDeleteErrorMessage` (null: clean-up succeeded). */
  handlerDeleteErrorMessage: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The next ids the counters will hand out. */
export interface NextIds {
  dataSourceId: number;
  handlerId: number;
  schemaEvolutionId: number;
}

/** What `GET /__emulator/store` returns. */
export interface StoreSnapshot {
  dataSources: StoredDataSource[];
  integrations: EmulatorIntegration[];
  nextIds: NextIds;
}

export type FaultKind =
  "latency" | "status" | "reset" | "slow" | "process-then-drop" | "invalid-json" | "schema-violation";

export type FaultStatus = 401 | 429 | 500 | 502 | 503 | 504;

/** One fault-injection rule; rules are tried in order and the first that fires applies. */
export interface FaultRule {
  /** HTTP method to match (case-insensitive); any when absent. */
  method?: string;
  /** Exact path, or a pattern where `*` matches any characters (including `/`); any when absent. */
  path?: string;
  /** How many matching requests the rule applies to; unlimited when absent. */
  times?: number;
  /** Chance (0..1) that a matching request gets the fault, drawn from a seeded PRNG; default 1. */
  probability?: number;
  kind: FaultKind;
  /** `latency`: fixed delay before processing. */
  latencyMs?: number;
  /** `latency`: extra random delay in [0, latencyJitterMs), drawn from a seeded PRNG. */
  latencyJitterMs?: number;
  /** `status`: the error status returned without processing. */
  status?: FaultStatus;
  /** `status`: value of the `Retry-After` header (seconds or an HTTP date). */
  retryAfter?: string;
  /** `status`: answer with an HTML page like a load balancer instead of a Boom envelope. */
  htmlBody?: boolean;
  /** `slow`: how long the processed response is held back. */
  slowMs?: number;
}

/** A fault rule as listed by the control API, with what is left of it. */
export interface ActiveFaultRule extends FaultRule {
  /** Applications left; null when unlimited. */
  remaining: number | null;
}

/** One Immuta API request as recorded by the emulator (control calls are not recorded). */
export interface RequestLogEntry {
  method: string;
  /** Path without the query string, as received (not decoded). */
  path: string;
  /** Raw query string without `?`, when there was one. */
  query?: string;
  /**
   * Status the emulator produced. For `process-then-drop` it is the status of the processed
   * operation that was never delivered; 0 when the connection was reset before processing.
   */
  status: number;
  durationMs: number;
  /** Name of the authenticated user, when authentication succeeded. */
  user?: string;
  /** `[REDACTED]` when an Authorization header was sent; its value is never recorded. */
  authorization?: "[REDACTED]";
  /** The fault applied to this request, if any. */
  fault?: FaultKind;
  /** The delay a `latency` or `slow` fault applied (jitter included). */
  faultDelayMs?: number;
}

/** What `GET /__emulator/requests` returns. */
export interface RequestLogSnapshot {
  requests: RequestLogEntry[];
  /** Entries evicted because the log is capped. */
  dropped: number;
}
