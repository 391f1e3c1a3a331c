import { Authenticator } from "./auth";
import { normalizeDataSource, normalizeHandler } from "./data-source";
import { AUTHENTICATE_PATH, DEFAULT_RATE_PACING, NATIVE_S3_INTEGRATION_TYPE } from "./defaults";
import { configError, ErrorFactory } from "./error-message";
import { isNotFound } from "./errors";
import { InFlightLimiter } from "./limiter";
import { resolveOptions } from "./options";
import { RatePacer } from "./rate-pacer";
import { SecretScrubber } from "./redact";
import { RequestRunner, type RequestSpec } from "./request-runner";
import { checkResponse, type SchemaCheck } from "./schemas";
import { HttpTransport } from "./transport";
import type {
  CreateS3DataSourceRequest,
  CreateS3DataSourceResponse,
  DataSource,
  DataSourceSearchQuery,
  DataSourceSearchResult,
  DeleteDataSourceResponse,
  HardDeleteResult,
  ImmutaClientOptions,
  Integration,
  NativeS3Handler,
  OperationDescriptor,
} from "./types";

const OPERATIONS = {
  authenticate: { name: "authenticate API key", access: "authenticate" },
  create: {
    name: "create S3 data source",
    access: "create",
    ambiguityHint:
      "before creating it again, look it up by name (GET /dataSource/name/{name}) or prefix to avoid a duplicate.",
  },
  getHandler: { name: "get S3 handler", access: "read" },
  getDataSource: { name: "get data source", access: "read" },
  getDataSourceByName: { name: "get data source by name", access: "read" },
  search: { name: "search data sources", access: "read" },
  getIntegration: { name: "get integration", access: "read" },
  restore: { name: "restore data source", access: "write" },
  rename: { name: "rename data source", access: "write" },
  hardDelete: { name: "hard-delete data source", access: "write" },
} as const satisfies Record<string, OperationDescriptor>;

/** Hits per page when a search is read to its end. */
const SEARCH_PAGE_SIZE = 100;

/** Most DELETEs a hard delete sends that Immuta answers with success: one to disable, one to purge. */
const MAX_SUCCESSFUL_DELETES = 2;

function requireId(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

function requireText(name: string, value: string): string {
  if (typeof value !== "string" || value === "") throw new TypeError(`${name} must be a non-empty string`);
  return value;
}

function mapCheck<A, B>(check: SchemaCheck<A>, map: (value: A) => B): SchemaCheck<B> {
  return check.ok ? { ok: true, value: map(check.value) } : check;
}

/**
 * DECISION: Immuta's documented DELETE response has no `hardDelete` (docs/immuta-api.md); some tenants add it. When it is absent,
 * `disabled: false` on a successful DELETE means the source was purged rather than disabled.
 */
function isHardDelete(response: DeleteDataSourceResponse): boolean {
  return response.hardDelete === true || (response.hardDelete === undefined && response.disabled === false);
}

/**
 * Typed client of the Immuta V1 endpoints this project uses. Configuration comes only from the options; the
 * client holds its own keep-alive agents, in-flight limit and (in bearer mode) token cache. Call `close()` when done.
 */
export class ImmutaClient {
  readonly #runner: RequestRunner;
  readonly #transport: HttpTransport;
  readonly #errors: ErrorFactory;
  #closed = false;

  constructor(options: ImmutaClientOptions) {
    const resolved = resolveOptions(options);
    const scrubber = new SecretScrubber();
    this.#errors = new ErrorFactory(scrubber);
    this.#transport = new HttpTransport({
      tenant: resolved.tenant,
      userAgent: resolved.userAgent,
      ...(resolved.caBundle === undefined ? {} : { caBundle: resolved.caBundle }),
    });
    const authenticator: Authenticator = new Authenticator({
      mode: resolved.authMode,
      apiKey: resolved.apiKey,
      scrubber,
      exchange: (deadlineAt) => this.#authenticate(resolved.apiKey, deadlineAt),
    });
    this.#runner = new RequestRunner({
      transport: this.#transport,
      limiter: new InFlightLimiter(resolved.maxInFlight),
      pacer: new RatePacer(resolved.clock, DEFAULT_RATE_PACING),
      authenticator,
      scrubber,
      clock: resolved.clock,
      random: resolved.random,
      retry: resolved.retry,
      requestTimeoutMs: resolved.requestTimeoutMs,
      operationTimeoutMs: resolved.operationTimeoutMs,
      ...(resolved.onRetry === undefined ? {} : { onRetry: resolved.onRetry }),
    });
  }

  /** `POST /native-s3/handler` with exactly one source. The returned name may differ from the requested one. */
  async createS3DataSource(request: CreateS3DataSourceRequest): Promise<CreateS3DataSourceResponse> {
    const integrationId = requireId("integrationId", request.integrationId);
    const dataSourceName = requireText("dataSourceName", request.dataSourceName);
    const prefix = requireText("prefix", request.prefix);
    const created = await this.#run({
      operation: OPERATIONS.create,
      method: "POST",
      path: "/native-s3/handler",
      endpoint: "POST /native-s3/handler",
      body: { type: NATIVE_S3_INTEGRATION_TYPE, integrationId, dataSources: [{ dataSourceName, prefix }] },
      idempotent: false,
      credentials: "session",
      check: (body) =>
        Array.isArray(body)
          ? mapCheck(checkResponse("createS3DataSourceList", body), ([only]) => only)
          : checkResponse("createS3DataSource", body),
    });
    return {
      dataSourceId: created.dataSourceId,
      prefix: created.prefix,
      dataSourceName: created.dataSourceName,
    };
  }

  /** `GET /native-s3/handler/{handlerId}`. */
  async getHandler(handlerId: number): Promise<NativeS3Handler> {
    const id = requireId("handlerId", handlerId);
    return this.#run({
      ...this.#read(OPERATIONS.getHandler, `/native-s3/handler/${id}`, "GET /native-s3/handler/{handlerId}"),
      check: (body) => mapCheck(checkResponse("nativeS3Handler", body), normalizeHandler),
    });
  }

  /** `GET /dataSource/{dataSourceId}`; 404 (`isNotFound`) once hard-deleted. */
  async getDataSource(dataSourceId: number): Promise<DataSource> {
    const id = requireId("dataSourceId", dataSourceId);
    return this.#run({
      ...this.#read(OPERATIONS.getDataSource, `/dataSource/${id}`, "GET /dataSource/{dataSourceId}"),
      check: (body) => mapCheck(checkResponse("dataSource", body), normalizeDataSource),
    });
  }

  /** `GET /dataSource/name/{name}`: exact lookup; 404 (`isNotFound`) if no source has that name. */
  async getDataSourceByName(name: string): Promise<DataSource> {
    const path = `/dataSource/name/${encodeURIComponent(requireText("name", name))}`;
    return this.#run({
      ...this.#read(OPERATIONS.getDataSourceByName, path, "GET /dataSource/name/{dataSourceName}"),
      check: (body) => mapCheck(checkResponse("dataSource", body), normalizeDataSource),
    });
  }

  /**
   * The data source named exactly `name`, or `undefined`. DECISION: a name containing `/` (Immuta's generated names
   * do: `s3://bucket/key (…)`) is looked up by an exact-match search instead of `GET /dataSource/name/{name}`,
   * whose single path segment such a name may not reach intact through proxies; the hit, a summary, is then
   * fetched whole.
   */
  async findDataSourceByName(name: string): Promise<DataSource | undefined> {
    try {
      if (!name.includes("/")) return await this.getDataSourceByName(name);
      const hits = await this.searchAllDataSources({ searchText: name, nameOnly: true });
      const exact = hits.find((hit) => hit.name === name);
      return exact && (await this.getDataSource(exact.id));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** `GET /dataSource?…`: one page of search hits (summaries: no `blobHandler`). Only given parameters are sent. */
  async searchDataSources(query: DataSourceSearchQuery): Promise<DataSourceSearchResult> {
    const params = new URLSearchParams();
    if (query.searchText !== undefined) params.set("searchText", query.searchText);
    if (query.nameOnly !== undefined) params.set("nameOnly", String(query.nameOnly));
    for (const value of query.connectionString ?? []) params.append("connectionString", value);
    for (const value of query.blobHandlerType ?? []) params.append("blobHandlerType", value);
    if (query.size !== undefined) params.set("size", String(requireId("size", query.size)));
    if (query.offset !== undefined) params.set("offset", String(requireId("offset", query.offset)));
    const search = params.toString();
    return this.#run({
      ...this.#read(
        OPERATIONS.search,
        search === "" ? "/dataSource" : `/dataSource?${search}`,
        "GET /dataSource",
      ),
      check: (body) =>
        mapCheck(checkResponse("dataSourceSearch", body), (result) => ({
          hits: result.hits.map(normalizeDataSource),
          count: result.count,
        })),
    });
  }

  /**
   * Every hit of a search, page by page. DECISION: Immuta's clients disagree on `offset` (a record offset for most,
   * a page index for one of Immuta's own), so when more than one page is needed a two-record probe at offset 1
   * tells which reading this tenant uses: a record offset answers the first page's second hit, a page index its
   * third. Hits are deduplicated by id; paging stops at a short or empty page, at `count`, or when a page adds
   * nothing new.
   */
  async searchAllDataSources(
    query: Omit<DataSourceSearchQuery, "size" | "offset">,
    pageSize = SEARCH_PAGE_SIZE,
  ): Promise<DataSource[]> {
    const first = await this.searchDataSources({ ...query, size: pageSize, offset: 0 });
    const hits = new Map(first.hits.map((hit) => [hit.id, hit]));
    if (first.hits.length < pageSize || hits.size >= first.count) return [...hits.values()];
    const probe = await this.searchDataSources({ ...query, size: 2, offset: 1 });
    const pageIndex = probe.hits[0] !== undefined && probe.hits[0].id === first.hits[2]?.id;
    const maxPages = Math.ceil(first.count / pageSize) + 1;
    for (let page = 1; page <= maxPages && hits.size < first.count; page++) {
      const offset = pageIndex ? page : page * pageSize;
      const next = await this.searchDataSources({ ...query, size: pageSize, offset });
      const before = hits.size;
      for (const hit of next.hits) if (!hits.has(hit.id)) hits.set(hit.id, hit);
      if (next.hits.length < pageSize || hits.size === before) break;
    }
    return [...hits.values()];
  }

  /** `GET /integrations/{id}` (Immuta's integrations API, whose ids are strings): the integration's S3 location and name. */
  async getIntegration(integrationId: number): Promise<Integration> {
    const id = requireId("integrationId", integrationId);
    return this.#run({
      ...this.#read(OPERATIONS.getIntegration, `/integrations/${id}`, "GET /integrations/{integrationId}"),
      check: (body) =>
        mapCheck(checkResponse("integration", body), (integration) => {
          const location = integration.config?.awsLocationPath ?? integration.awsLocationPath;
          const name = integration.config?.name;
          return {
            id: String(integration.id),
            ...(integration.type === undefined ? {} : { type: integration.type }),
            // Read leniently: a name is a nicety, never a reason to fail a request that is about the location.
            ...(typeof name === "string" && name !== "" ? { name } : {}),
            ...(typeof location === "string" ? { awsLocationPath: location } : {}),
          };
        }),
    });
  }

  /** `PUT /dataSource/{id}` with `{deleted: false}`: re-enables a soft-deleted source. */
  async restoreDataSource(dataSourceId: number): Promise<DataSource> {
    return this.#put(OPERATIONS.restore, dataSourceId, { deleted: false });
  }

  /** `PUT /dataSource/{id}` with `{name}`. */
  async renameDataSource(dataSourceId: number, name: string): Promise<DataSource> {
    return this.#put(OPERATIONS.rename, dataSourceId, { name: requireText("name", name) });
  }

  /**
   * Deletes for good: `DELETE` until Immuta reports `hardDelete: true` or 404. Two calls for a live source, one for a
   * disabled source, never more than two successful ones; 404 on the first call means it was already gone.
   */
  async hardDeleteDataSource(dataSourceId: number): Promise<HardDeleteResult> {
    const id = requireId("dataSourceId", dataSourceId);
    // Here a resent DELETE is harmless: whichever step it lands on (disable or purge), the goal is "gone".
    const spec: RequestSpec<DeleteDataSourceResponse> = {
      operation: OPERATIONS.hardDelete,
      method: "DELETE",
      path: `/dataSource/${id}`,
      endpoint: "DELETE /dataSource/{dataSourceId}",
      idempotent: true,
      credentials: "session",
      check: (body) => checkResponse("deleteDataSource", body),
    };
    const deadlineAt = this.#runner.deadlineFromNow();
    const handlerDeleteErrorMessages: string[] = [];
    for (let call = 1; call <= MAX_SUCCESSFUL_DELETES; call++) {
      let response: DeleteDataSourceResponse;
      try {
        response = await this.#run(spec, deadlineAt);
      } catch (error) {
        if (isNotFound(error)) {
          return { dataSourceId: id, calls: call, alreadyGone: call === 1, handlerDeleteErrorMessages };
        }
        throw error;
      }
      const handlerMessage = response.handlerDeleteErrorMessage;
      if (typeof handlerMessage === "string" && handlerMessage.trim() !== "") {
        handlerDeleteErrorMessages.push(handlerMessage);
      }
      if (!response.success) {
        throw this.#errors.invalidResponse(spec, {
          jsonPath: "/success",
          problem: `DELETE call ${call} answered success: false${handlerMessage ? ` (${JSON.stringify(handlerMessage)})` : ""}`,
          attempts: call,
          ambiguous: false,
        });
      }
      if (isHardDelete(response)) {
        return { dataSourceId: id, calls: call, alreadyGone: false, handlerDeleteErrorMessages };
      }
    }
    throw this.#errors.invalidResponse(spec, {
      jsonPath: "/hardDelete",
      problem: `Immuta did not report hardDelete: true after ${MAX_SUCCESSFUL_DELETES} successful DELETE calls; not sending more`,
      attempts: MAX_SUCCESSFUL_DELETES,
      ambiguous: false,
    });
  }

  /** Destroys the keep-alive sockets; the client cannot be used afterwards. */
  close(): void {
    this.#closed = true;
    this.#transport.close();
  }

  #authenticate(apiKey: string, deadlineAt: number): Promise<string> {
    return this.#runner.run(
      {
        operation: OPERATIONS.authenticate,
        method: "POST",
        path: AUTHENTICATE_PATH,
        endpoint: `POST ${AUTHENTICATE_PATH}`,
        // DECISION: the key goes in the Authorization header (current docs) and in the body (older docs).
        body: { apikey: apiKey },
        // Exchanging the key again only mints another token, so resending is harmless.
        idempotent: true,
        credentials: "apiKey",
        sensitiveResponse: true,
        check: (body) => {
          const checked = checkResponse("authenticate", body);
          if (checked.ok && checked.value.authenticated !== true) {
            return { ok: false, jsonPath: "/authenticated", problems: ["/authenticated is false"] };
          }
          return mapCheck(checked, (response) => response.token);
        },
      },
      deadlineAt,
    );
  }

  #read(operation: OperationDescriptor, path: string, endpoint: string) {
    return { operation, method: "GET", path, endpoint, idempotent: true, credentials: "session" } as const;
  }

  #put(
    operation: OperationDescriptor,
    dataSourceId: number,
    body: Record<string, unknown>,
  ): Promise<DataSource> {
    const id = requireId("dataSourceId", dataSourceId);
    return this.#run({
      operation,
      method: "PUT",
      path: `/dataSource/${id}`,
      endpoint: "PUT /dataSource/{dataSourceId}",
      body,
      idempotent: true,
      credentials: "session",
      // DECISION: Immuta documents no PUT response for S3 sources; it is read as the updated data source.
      check: (response) => mapCheck(checkResponse("dataSource", response), normalizeDataSource),
    });
  }

  #run<T>(spec: RequestSpec<T>, deadlineAt?: number): Promise<T> {
    if (!this.#closed) return this.#runner.run(spec, deadlineAt);
    const { operation, method, path } = spec;
    const message = `${operation.name} failed: the Immuta client was closed.`;
    return Promise.reject(configError(message, { operation: operation.name, method, path }));
  }
}
