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

/** A Native S3 integration of the emulated tenant. */
export interface EmulatorIntegration {
  /** Integration id used as `integrationId` in the native-s3 payload. */
  id: number;
  /** Base S3 location sources are registered under; `s3://` allows any bucket. */
  awsLocationPath: string;
  /** 12-digit AWS account id; masked into generated names. */
  awsAccountId: string;
  /** AWS region, appended to generated names. */
  awsRegion: string;
}

/** `honour` keeps the requested data source name, `generate` renames like the seed example. */
export type NamesMode = "honour" | "generate";
/** `separate`: handler ids have their own counter; `same`: handlerId equals dataSourceId. */
export type HandlerIdsMode = "separate" | "same";
/** Response shape of a POST carrying several `dataSources`. */
export type MultiSourceResponseMode = "array" | "first";
/** Whether `GET /dataSource/{id}` includes `blobHandler` (clients must fall back when it is absent). */
export type BlobHandlerMode = "present" | "absent";

/** Contract switches that can be changed at run time. */
export interface EmulatorModes {
  names: NamesMode;
  handlerIds: HandlerIdsMode;
  multiSourceResponse: MultiSourceResponseMode;
  blobHandler: BlobHandlerMode;
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
  /** Chance (0..1) that a matching request gets the fault, drawn from the seeded PRNG; default 1. */
  probability?: number;
  kind: FaultKind;
  /** `latency`: fixed delay before processing. */
  latencyMs?: number;
  /** `latency`: extra random delay in [0, latencyJitterMs), drawn from the seeded PRNG. */
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
