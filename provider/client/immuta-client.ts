import { normalizeDataSource, normalizeHandler } from "./data-source";
import { NATIVE_S3_INTEGRATION_TYPE } from "./defaults";
import { configError } from "./error-message";
import { isNotFound } from "./errors";
import { resolveOptions } from "./options";
import { RequestRunner, type RequestSpec } from "./request-runner";
import { checkResponse, mapCheck, type SchemaCheck } from "./schemas";
import type { HttpMethod } from "./transport";
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

/** A client method as errors name it, and the endpoint it calls: method and path, `{name}` for a parameter. */
interface Operation extends OperationDescriptor {
  endpoint: `${HttpMethod} /${string}`;
}

const OPERATIONS = {
  create: {
    name: "create S3 data source",
    access: "create",
    endpoint: "POST /native-s3/handler",
    ambiguityHint:
      "before creating it again, look it up by name (GET /dataSource/name/{name}) or prefix to avoid a duplicate.",
  },
  getHandler: { name: "get S3 handler", access: "read", endpoint: "GET /native-s3/handler/{handlerId}" },
  getDataSource: { name: "get data source", access: "read", endpoint: "GET /dataSource/{dataSourceId}" },
  getDataSourceByName: {
    name: "get data source by name",
    access: "read",
    endpoint: "GET /dataSource/name/{dataSourceName}",
  },
  search: { name: "search data sources", access: "read", endpoint: "GET /dataSource" },
  getIntegration: { name: "get integration", access: "read", endpoint: "GET /integrations/{integrationId}" },
  restore: { name: "restore data source", access: "write", endpoint: "PUT /dataSource/{dataSourceId}" },
  rename: { name: "rename data source", access: "write", endpoint: "PUT /dataSource/{dataSourceId}" },
  hardDelete: {
    name: "hard-delete data source",
    access: "write",
    endpoint: "DELETE /dataSource/{dataSourceId}",
  },
} as const satisfies Record<string, Operation>;

/** Hits per page when a search is read to its end. */
const SEARCH_PAGE_SIZE = 100;

/** Most DELETEs a hard delete sends that Immuta answers with success: one to disable, one to purge. */
const MAX_SUCCESSFUL_DELETES = 2;

/** What a request adds to its endpoint: path parameters (by name), a query string, a JSON body. */
interface RequestParts {
  params?: Record<string, number | string>;
  query?: string;
  body?: unknown;
}

/**
 * The request of `operation`. Only a POST is never resent after an ambiguous failure: a resent GET or PUT does no
 * harm, and a resent DELETE of a hard delete lands on disable or purge, both "gone".
 */
function request<T>(
  operation: Operation,
  check: (body: unknown) => SchemaCheck<T>,
  parts: RequestParts = {},
): RequestSpec<T> {
  const [method, template] = operation.endpoint.split(" ") as [HttpMethod, string];
  const path = template.replace(/\{(\w+)\}/g, (_match, name: string) =>
    encodeURIComponent(parts.params?.[name] ?? ""),
  );
  return {
    operation,
    method,
    path: parts.query ? `${path}?${parts.query}` : path,
    endpoint: operation.endpoint,
    body: parts.body,
    idempotent: method !== "POST",
    credentials: "session",
    check,
  };
}

// DECISION: Immuta documents no PUT response for S3 sources; it is read as the updated data source.
const dataSourceCheck = (body: unknown) => mapCheck(checkResponse("dataSource", body), normalizeDataSource);

/** DECISION: a create answered with an array is accepted when it holds exactly the one source posted. */
function createdCheck(body: unknown): SchemaCheck<CreateS3DataSourceResponse> {
  if (!Array.isArray(body)) return checkResponse("createS3DataSource", body);
  return mapCheck(checkResponse("createS3DataSourceList", body), ([only]) => only);
}

function requireId(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

function requireText(name: string, value: string): string {
  if (typeof value !== "string" || value === "") throw new TypeError(`${name} must be a non-empty string`);
  return value;
}

/**
 * DECISION: Immuta's documented DELETE response has no `hardDelete` (docs/immuta-api.md); some tenants add it. When
 * it is absent, `disabled: false` on a successful DELETE means the source was purged rather than disabled.
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
  #closed = false;

  constructor(options: ImmutaClientOptions) {
    this.#runner = new RequestRunner(resolveOptions(options));
  }

  /** `POST /native-s3/handler` with exactly one source. The returned name may differ from the requested one. */
  async createS3DataSource(source: CreateS3DataSourceRequest): Promise<CreateS3DataSourceResponse> {
    const integrationId = requireId("integrationId", source.integrationId);
    const dataSourceName = requireText("dataSourceName", source.dataSourceName);
    const prefix = requireText("prefix", source.prefix);
    const dataSources = [{ dataSourceName, prefix }];
    const body = { type: NATIVE_S3_INTEGRATION_TYPE, integrationId, dataSources };
    const created = await this.#run(request(OPERATIONS.create, createdCheck, { body }));
    return {
      dataSourceId: created.dataSourceId,
      prefix: created.prefix,
      dataSourceName: created.dataSourceName,
    };
  }

  /** `GET /native-s3/handler/{handlerId}`. */
  async getHandler(handlerId: number): Promise<NativeS3Handler> {
    const params = { handlerId: requireId("handlerId", handlerId) };
    const check = (body: unknown) => mapCheck(checkResponse("nativeS3Handler", body), normalizeHandler);
    return this.#run(request(OPERATIONS.getHandler, check, { params }));
  }

  /** `GET /dataSource/{dataSourceId}`; 404 (`isNotFound`) once hard-deleted. */
  async getDataSource(dataSourceId: number): Promise<DataSource> {
    const params = { dataSourceId: requireId("dataSourceId", dataSourceId) };
    return this.#run(request(OPERATIONS.getDataSource, dataSourceCheck, { params }));
  }

  /** `GET /dataSource/name/{name}`: exact lookup; 404 (`isNotFound`) if no source has that name. */
  async getDataSourceByName(name: string): Promise<DataSource> {
    const params = { dataSourceName: requireText("name", name) };
    return this.#run(request(OPERATIONS.getDataSourceByName, dataSourceCheck, { params }));
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
    const check = (body: unknown) =>
      mapCheck(checkResponse("dataSourceSearch", body), ({ hits, count }) => ({
        hits: hits.map(normalizeDataSource),
        count,
      }));
    return this.#run(request(OPERATIONS.search, check, { query: params.toString() }));
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
    const params = { integrationId: requireId("integrationId", integrationId) };
    const check = (body: unknown) =>
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
      });
    return this.#run(request(OPERATIONS.getIntegration, check, { params }));
  }

  /** `PUT /dataSource/{id}` with `{deleted: false}`: re-enables a soft-deleted source. */
  async restoreDataSource(dataSourceId: number): Promise<DataSource> {
    const params = { dataSourceId: requireId("dataSourceId", dataSourceId) };
    return this.#run(request(OPERATIONS.restore, dataSourceCheck, { params, body: { deleted: false } }));
  }

  /** `PUT /dataSource/{id}` with `{name}`. */
  async renameDataSource(dataSourceId: number, name: string): Promise<DataSource> {
    const params = { dataSourceId: requireId("dataSourceId", dataSourceId) };
    const body = { name: requireText("name", name) };
    return this.#run(request(OPERATIONS.rename, dataSourceCheck, { params, body }));
  }

  /**
   * Deletes for good: `DELETE` until Immuta reports `hardDelete: true` or 404. Two calls for a live source, one for a
   * disabled source, never more than two successful ones; 404 on the first call means it was already gone.
   */
  async hardDeleteDataSource(dataSourceId: number): Promise<HardDeleteResult> {
    const params = { dataSourceId: requireId("dataSourceId", dataSourceId) };
    const spec = request(OPERATIONS.hardDelete, (body) => checkResponse("deleteDataSource", body), {
      params,
    });
    const deadlineAt = this.#runner.deadlineFromNow();
    const handlerDeleteErrorMessages: string[] = [];
    const done = (calls: number, alreadyGone: boolean): HardDeleteResult => {
      return { dataSourceId: params.dataSourceId, calls, alreadyGone, handlerDeleteErrorMessages };
    };
    const invalid = (jsonPath: string, problem: string, attempts: number) =>
      this.#runner.errors.invalidResponse(spec, { jsonPath, problem, attempts, ambiguous: false });
    for (let call = 1; call <= MAX_SUCCESSFUL_DELETES; call++) {
      const response = await this.#run(spec, deadlineAt).catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
      if (response === undefined) return done(call, call === 1);
      const handlerMessage = response.handlerDeleteErrorMessage;
      if (typeof handlerMessage === "string" && handlerMessage.trim() !== "") {
        handlerDeleteErrorMessages.push(handlerMessage);
      }
      if (!response.success) {
        const quoted = handlerMessage ? ` (${JSON.stringify(handlerMessage)})` : "";
        throw invalid("/success", `DELETE call ${call} answered success: false${quoted}`, call);
      }
      if (isHardDelete(response)) return done(call, false);
    }
    const problem = `Immuta did not report hardDelete: true after ${MAX_SUCCESSFUL_DELETES} successful DELETE calls; not sending more`;
    throw invalid("/hardDelete", problem, MAX_SUCCESSFUL_DELETES);
  }

  /** Destroys the keep-alive sockets; the client cannot be used afterwards. */
  close(): void {
    this.#closed = true;
    this.#runner.close();
  }

  #run<T>(spec: RequestSpec<T>, deadlineAt?: number): Promise<T> {
    if (!this.#closed) return this.#runner.run(spec, deadlineAt);
    const { operation, method, path } = spec;
    const message = `${operation.name} failed: the Immuta client was closed.`;
    return Promise.reject(configError(message, { operation: operation.name, method, path }));
  }
}
