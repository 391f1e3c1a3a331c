/** How the API key is presented to Immuta. */
export type AuthMode = "apiKey" | "bearer";

/** Injectable time source, so retry and deadline behaviour can be tested without real waiting. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** Retry budget and backoff shape for requests that may be retried. */
export interface RetryPolicy {
  /** HTTP attempts per request, the first one included. */
  maxAttempts: number;
  /** Backoff before the first retry (ms); doubles on each further retry. */
  baseDelayMs: number;
  /** Cap of a computed backoff (ms). */
  maxDelayMs: number;
  /** Fraction 0..1 by which a backoff is randomly shortened. */
  jitter: number;
}

/** What the provider learns about a retry, for logging. Never contains credentials. */
export interface RetryEvent {
  /** HTTP method of the retried request. */
  method: string;
  /** Request path (and query) relative to the tenant root. */
  path: string;
  /** Number (1-based) of the attempt that just failed. */
  attempt: number;
  /** Wait before the next attempt (ms). */
  delayMs: number;
  /** Short reason, e.g. `HTTP 503 Service Unavailable` or `ECONNRESET`. */
  reason: string;
}

/**
 * How to reach and authenticate to one Immuta tenant. Numbers and flags may also be given as the strings stack
 * config and environment variables hold; `resolveConnection` (options.ts) parses and checks every one.
 */
export interface ConnectionSettings {
  /** Tenant root, e.g. `https://acme.hosted.immutacloud.com`; a trailing slash is tolerated. */
  url: string;
  /** Immuta API key. Never logged, never part of an error. */
  apiKey: string;
  /**
   * `"apiKey"` (default) sends the raw key in `Authorization`; `"bearer"` exchanges it at
   * `POST /bim/apikey/authenticate`, sends `Bearer <token>` and re-authenticates once on 401.
   */
  authMode?: string;
  /** Per HTTP request timeout (ms). Default `DEFAULT_REQUEST_TIMEOUT_MS`. */
  requestTimeoutMs?: number | string;
  /** Overall budget of one client method call, retries included (ms). Default `DEFAULT_OPERATION_TIMEOUT_MS`. */
  operationTimeoutMs?: number | string;
  /** Concurrent requests per client. Default `DEFAULT_MAX_IN_FLIGHT`. */
  maxInFlight?: number | string;
  /** Permit `http://` to a non-loopback host. Off by default: the API key would travel in clear text. */
  allowInsecureHttp?: boolean | string;
  /**
   * Extra CA certificates (PEM text, or the path of a PEM file) trusted in addition to Node's root certificates.
   * TLS verification is always on.
   */
  caBundle?: string;
}

export interface ImmutaClientOptions extends ConnectionSettings {
  /** Overrides of the retry policy; missing fields take the `DEFAULT_RETRY_*` values. */
  retry?: Partial<RetryPolicy>;
  /** Time source for deadlines and backoff waits. Default: real time. */
  clock?: Clock;
  /** Jitter source returning values in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** `User-Agent` header. Default `DEFAULT_USER_AGENT`. */
  userAgent?: string;
  /** Called before each retry wait, for logging. */
  onRetry?: (event: RetryEvent) => void;
  /** How configuration errors name a setting (e.g. `immuta:requestTimeoutMs`); default the option name. */
  settingNames?: (setting: keyof ConnectionSettings) => string;
}

/** One Amazon S3 data source to create (the client posts exactly one per request). */
export interface CreateS3DataSourceRequest {
  /** Id of the Native S3 integration (a number in the native-s3 API). */
  integrationId: number;
  /** Requested name; Immuta may store another one, see `CreateS3DataSourceResponse.dataSourceName`. */
  dataSourceName: string;
  /** S3 URI of the bucket, prefix or object. */
  prefix: string;
}

export interface CreateS3DataSourceResponse {
  dataSourceId: number;
  prefix: string;
  /** The name Immuta actually stored, which may differ from the requested one. */
  dataSourceName: string;
}

/** `GET /native-s3/handler/{handlerId}`. */
export interface NativeS3Handler {
  id: number;
  /** `prefix` as Immuta echoes it: relative to the integration's `awsLocationPath`, or an absolute `s3://` URI. */
  metadata: { prefix: string; integrationId: number; dataSourceName: string };
  type: string;
  awsLocationPath?: string;
}

/** `GET /dataSource/{dataSourceId}`: the fields this project uses; all others are kept as they came. */
export interface DataSource {
  id: number;
  name: string;
  /** `true` once soft-deleted (disabled). */
  deleted?: boolean;
  status?: string;
  blobHandlerType?: string;
  /** `url` ends in `/handler/<handlerId>`. */
  blobHandler?: { url?: string };
  connectionString?: string;
  createdAt?: string;
  updatedAt?: string;
  [extra: string]: unknown;
}

/** Filters of `GET /dataSource` (Immuta's documented query parameters); only those given are sent. */
export interface DataSourceSearchQuery {
  /** Text to match; names and other fields unless `nameOnly`. */
  searchText?: string;
  /** Match `searchText` against names only. */
  nameOnly?: boolean;
  connectionString?: string[];
  blobHandlerType?: string[];
  size?: number;
  offset?: number;
}

/** `GET /integrations/{id}`: the part of an integration this project uses. */
export interface Integration {
  /** Integration ids are strings in the integrations API (numbers in the native-s3 payload). */
  id: string;
  type?: string;
  /** The integration's name (`config.name`), unique among S3 integrations, when Immuta gives one. */
  name?: string;
  /** The base S3 location sources of this integration are registered under, e.g. `s3://` or `s3://bucket/team/`. */
  awsLocationPath?: string;
}

export interface DataSourceSearchResult {
  hits: DataSource[];
  count: number;
}

/** `DELETE /dataSource/{dataSourceId}`. */
export interface DeleteDataSourceResponse {
  success: boolean;
  id: number;
  name?: string;
  /** `true` after the first (soft) delete. */
  disabled?: boolean;
  /** `true` after the second (hard) delete. */
  hardDelete?: boolean;
  schemaEvolutionId?: number | null;
  /** Non-null when Immuta could not clean up the handler. */
  handlerDeleteErrorMessage?: string | null;
}

export interface HardDeleteResult {
  dataSourceId: number;
  /** DELETE operations issued (each may have been retried at the HTTP level). */
  calls: number;
  /** The first DELETE answered 404: the source was gone before this call. */
  alreadyGone: boolean;
  /** Every non-empty `handlerDeleteErrorMessage` Immuta returned, in order. */
  handlerDeleteErrorMessages: string[];
}

/** `POST /bim/apikey/authenticate`. */
export interface AuthenticateResponse {
  authenticated: boolean;
  token: string;
}

/** What an operation does, which decides the actionable hint of its errors. */
export type OperationAccess = "create" | "read" | "write" | "authenticate";

/** A client method as named in errors, e.g. `create S3 data source`. */
export interface OperationDescriptor {
  /** Human name, e.g. `get data source`. */
  name: string;
  access: OperationAccess;
  /** What to do when the request may have been processed although it failed. */
  ambiguityHint?: string;
}
