import { normalizeDataSource, normalizeHandler, normalizeIntegration } from "./data-source";
import { NATIVE_S3_INTEGRATION_TYPE } from "./defaults";
import { ImmutaError, isNotFound } from "./errors";
import { resolveOptions } from "./options";
import { request, requireId, RequestRunner, type RequestSpec } from "./request-runner";
import { checkAs, checkResponse, mapCheck, type SchemaCheck } from "./schemas";
import type { FromSchema, ResponseOf, TAG_SCHEMA } from "./schemas";
import type { ImmutaClientOptions } from "./types";

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

/** Validated fields that Immuta sent as `null` removed (the normalisers in data-source.ts remove them). */
type WithoutNulls<T> = { [Field in keyof T]: Exclude<T[Field], null> };

/** `GET /native-s3/handler/{handlerId}`, its integration id read as a number and a `null` location removed. */
export type NativeS3Handler = WithoutNulls<ResponseOf<"nativeS3Handler">> & {
  metadata: { integrationId: number };
};

/**
 * `GET /dataSource/{dataSourceId}`: the documented fields (`DATA_SOURCE_SCHEMA`) Immuta sent as `null` removed, down
 * to `blobHandler.url`; all other fields are kept as they came.
 */
export type DataSource = WithoutNulls<ResponseOf<"dataSource">> & { blobHandler?: { url?: string } };

/** A tag on a data source. `source` tells who attached it: `curated` through the API or the UI, others discovery. */
export type DataSourceTag = FromSchema<typeof TAG_SCHEMA>;

/** `GET /bim/rpc/user/current`: the API key's user and its global permissions. */
export type CurrentUser = ResponseOf<"currentUser">;

/** Filters of `GET /dataSource` (Immuta's documented query parameters); only those given are sent. */
export interface DataSourceSearchQuery {
  /** Text to match; names and other fields unless `nameOnly`. */
  searchText?: string;
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

export interface HardDeleteResult {
  dataSourceId: number;
  /** DELETE operations issued (each may have been retried at the HTTP level). */
  calls: number;
  /** The first DELETE answered 404: the source was gone before this call. */
  alreadyGone: boolean;
  /** Every non-empty `handlerDeleteErrorMessage` Immuta returned, in order. */
  handlerDeleteErrorMessages: string[];
}

const OPERATIONS = {
  create: {
    name: "create S3 data source",
    access: "create",
    endpoint: "POST /native-s3/handler",
    ambiguityHint:
      "before creating it again, look it up by name (GET /dataSource/name/{name}) or prefix to avoid a duplicate.",
  },
  getHandler: { name: "get S3 handler", endpoint: "GET /native-s3/handler/{handlerId}" },
  getDataSource: { name: "get data source", endpoint: "GET /dataSource/{dataSourceId}" },
  getDataSourceByName: { name: "get data source by name", endpoint: "GET /dataSource/name/{dataSourceName}" },
  search: { name: "search data sources", endpoint: "GET /dataSource" },
  getIntegration: { name: "get integration", endpoint: "GET /integrations/{integrationId}" },
  restore: { name: "restore data source", endpoint: "PUT /dataSource/{dataSourceId}" },
  rename: { name: "rename data source", endpoint: "PUT /dataSource/{dataSourceId}" },
  hardDelete: { name: "hard-delete data source", endpoint: "DELETE /dataSource/{dataSourceId}" },
  tag: {
    name: "tag data source",
    access: "tag",
    endpoint: "POST /tag/datasource/{dataSourceId}",
    idempotent: true,
  },
  untag: {
    name: "untag data source",
    access: "tag",
    endpoint: "DELETE /tag/datasource/{dataSourceId}/{tagName}",
  },
  getTags: { name: "get data source tags", endpoint: "GET /dataSource/{dataSourceId}/tags" },
  describe: { name: "describe data source", endpoint: "PUT /dataSource/{dataSourceId}" },
  currentUser: { name: "get current user", endpoint: "GET /bim/rpc/user/current" },
} as const;

/** Hits per page when a search is read to its end. */
const SEARCH_PAGE_SIZE = 100;

/** Most DELETEs a hard delete sends that Immuta answers with success: one to disable, one to purge. */
const MAX_SUCCESSFUL_DELETES = 2;

/** The query parameters of `GET /dataSource`, in the order they are sent. */
const SEARCH_PARAMETERS = ["searchText", "nameOnly", "connectionString", "blobHandlerType", "size", "offset"];

const tagsCheck = checkAs("tagList", (tags) => (Array.isArray(tags) ? tags : tags.tags));
const searchCheck = checkAs("dataSourceSearch", ({ hits, count }) => ({
  hits: hits.map(normalizeDataSource),
  count,
}));

// DECISION: Immuta documents no PUT response for S3 sources; it is read as the updated data source.
const dataSourceCheck = checkAs("dataSource", normalizeDataSource);

/** DECISION: a create answered with an array is accepted when it holds exactly the one source posted. */
function createdCheck(body: unknown): SchemaCheck<CreateS3DataSourceResponse> {
  const created = Array.isArray(body)
    ? mapCheck(checkResponse("createS3DataSourceList", body), ([only]) => only)
    : checkResponse("createS3DataSource", body);
  return mapCheck(created, ({ dataSourceId, prefix, dataSourceName }) => ({
    dataSourceId,
    prefix,
    dataSourceName,
  }));
}

function requireText(name: string, value: unknown): string {
  if (typeof value !== "string" || value === "") throw new TypeError(`${name} must be a non-empty string`);
  return value;
}

/**
 * DECISION: Immuta's documented DELETE response has no `hardDelete` (docs/immuta-api.md); some tenants add it. When
 * it is absent, `disabled: false` on a successful DELETE means the source was purged rather than disabled.
 */
function isHardDelete(response: ResponseOf<"deleteDataSource">): boolean {
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
    return this.#run(request(OPERATIONS.create, createdCheck, { body }));
  }

  async getHandler(handlerId: number): Promise<NativeS3Handler> {
    const check = checkAs("nativeS3Handler", normalizeHandler);
    return this.#run(request(OPERATIONS.getHandler, check, { params: { handlerId } }));
  }

  /** `GET /dataSource/{dataSourceId}`; 404 (`isNotFound`) once hard-deleted. */
  async getDataSource(dataSourceId: number): Promise<DataSource> {
    return this.#run(request(OPERATIONS.getDataSource, dataSourceCheck, { params: { dataSourceId } }));
  }

  /** `GET /dataSource/name/{name}`: exact lookup; 404 (`isNotFound`) if no source has that name. */
  async getDataSourceByName(name: string): Promise<DataSource> {
    const params = { dataSourceName: requireText("name", name) };
    return this.#run(request(OPERATIONS.getDataSourceByName, dataSourceCheck, { params }));
  }

  /**
   * The data source named exactly `name`, or `undefined`. DECISION: a name with `/` (as Immuta generates them) may
   * not reach `GET /dataSource/name/{name}` intact through proxies: it is found by search, then fetched whole.
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
  async searchDataSources(search: DataSourceSearchQuery): Promise<DataSourceSearchResult> {
    if (search.size !== undefined) requireId("size", search.size);
    if (search.offset !== undefined) requireId("offset", search.offset);
    const query = new URLSearchParams();
    for (const name of SEARCH_PARAMETERS) {
      const values = search[name as keyof DataSourceSearchQuery] ?? [];
      for (const value of [values].flat()) query.append(name, String(value));
    }
    return this.#run(request(OPERATIONS.search, searchCheck, { query }));
  }

  /**
   * Every hit of a search, page by page (`pageSize` hits each, at least 1). Hits are deduplicated by id; paging
   * stops at a short or empty page, at `count`, or when a page adds nothing new.
   */
  async searchAllDataSources(
    query: Omit<DataSourceSearchQuery, "size" | "offset">,
    pageSize = SEARCH_PAGE_SIZE,
  ): Promise<DataSource[]> {
    if (!Number.isSafeInteger(pageSize) || pageSize < 1) {
      throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
    }
    const first = await this.searchDataSources({ ...query, size: pageSize, offset: 0 });
    const hits = new Map(first.hits.map((hit) => [hit.id, hit]));
    if (first.hits.length < pageSize || hits.size >= first.count) return [...hits.values()];
    // With one-hit pages a page index and a record offset are the same number: nothing to probe.
    const pageIndex = pageSize > 1 && (await this.#offsetIsPageIndex(query, first.hits));
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

  /** The integration's S3 location and name (Immuta's integrations API, whose ids are strings). */
  async getIntegration(integrationId: number): Promise<Integration> {
    const check = checkAs("integration", normalizeIntegration);
    return this.#run(request(OPERATIONS.getIntegration, check, { params: { integrationId } }));
  }

  /** `PUT /dataSource/{id}` with `{deleted: false}`: re-enables a soft-deleted source. */
  async restoreDataSource(dataSourceId: number): Promise<DataSource> {
    const parts = { params: { dataSourceId }, body: { deleted: false } };
    return this.#run(request(OPERATIONS.restore, dataSourceCheck, parts));
  }

  async renameDataSource(dataSourceId: number, name: string): Promise<DataSource> {
    const parts = { params: { dataSourceId }, body: { name: requireText("name", name) } };
    return this.#run(request(OPERATIONS.rename, dataSourceCheck, parts));
  }

  /** `PUT /dataSource/{id}` with `{description}` (a partial body, as Immuta's clients send). */
  async describeDataSource(dataSourceId: number, description: string): Promise<DataSource> {
    const parts = { params: { dataSourceId }, body: { description } };
    return this.#run(request(OPERATIONS.describe, dataSourceCheck, parts));
  }

  /**
   * `POST /tag/datasource/{id}`: attaches tags as `curated`; answers the source's tags after the call. Immuta
   * processes none when one is invalid, and ignores a tag that is not a leaf: callers compare the answer.
   */
  async tagDataSource(dataSourceId: number, names: readonly string[]): Promise<DataSourceTag[]> {
    const body = names.map((name) => ({ name: requireText("tag name", name), source: "curated" }));
    return this.#run(request(OPERATIONS.tag, tagsCheck, { params: { dataSourceId }, body }));
  }

  /** `DELETE /tag/datasource/{id}/{tagName}`; `false` when the source did not carry the tag (404). */
  async untagDataSource(dataSourceId: number, tagName: string): Promise<boolean> {
    const params = {
      dataSourceId: requireId("dataSourceId", dataSourceId),
      tagName: requireText("tag name", tagName),
    };
    try {
      await this.#run(request(OPERATIONS.untag, (body) => ({ ok: true, value: body }), { params }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** `GET /dataSource/{id}/tags`, for a tenant whose `GET /dataSource/{id}` leaves `tags` out. */
  async getDataSourceTags(dataSourceId: number): Promise<DataSourceTag[]> {
    return this.#run(request(OPERATIONS.getTags, tagsCheck, { params: { dataSourceId } }));
  }

  /** `GET /bim/rpc/user/current`: the API key's user and its global permissions. */
  async getCurrentUser(): Promise<CurrentUser> {
    return this.#run(
      request(
        OPERATIONS.currentUser,
        checkAs("currentUser", (user) => user),
      ),
    );
  }

  /**
   * Deletes for good: `DELETE` until Immuta reports `hardDelete: true` or 404. Two calls for a live source, one for a
   * disabled source, never more than two successful ones; 404 on the first call means it was already gone.
   */
  async hardDeleteDataSource(dataSourceId: number): Promise<HardDeleteResult> {
    const check = checkAs("deleteDataSource", (response) => response);
    const spec = request(OPERATIONS.hardDelete, check, { params: { dataSourceId } });
    const deadlineAt = this.#runner.deadlineFromNow();
    const handlerDeleteErrorMessages: string[] = [];
    const invalid = (jsonPath: string, problem: string, calls: number) =>
      this.#runner.errors.invalidResponse(spec, { jsonPath, problem, attempts: calls, ambiguous: false });
    for (let calls = 1; calls <= MAX_SUCCESSFUL_DELETES; calls++) {
      const response = await this.#run(spec, deadlineAt).catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
      if (!response) return { dataSourceId, calls, alreadyGone: calls === 1, handlerDeleteErrorMessages };
      const message = response.handlerDeleteErrorMessage;
      if (message?.trim()) handlerDeleteErrorMessages.push(message);
      if (!response.success) {
        const quoted = message ? ` (${JSON.stringify(message)})` : "";
        throw invalid("/success", `DELETE call ${calls} answered success: false${quoted}`, calls);
      }
      if (isHardDelete(response))
        return { dataSourceId, calls, alreadyGone: false, handlerDeleteErrorMessages };
    }
    const problem = `Immuta did not report hardDelete: true after ${MAX_SUCCESSFUL_DELETES} successful DELETE calls; not sending more`;
    throw invalid("/hardDelete", problem, MAX_SUCCESSFUL_DELETES);
  }

  /** Destroys the keep-alive sockets; the client cannot be used afterwards. */
  close(): void {
    this.#closed = true;
    this.#runner.close();
  }

  async #run<T>(spec: RequestSpec<T>, deadlineAt?: number): Promise<T> {
    if (!this.#closed) return this.#runner.run(spec, deadlineAt);
    const { operation, method, path } = spec;
    const message = `${operation.name} failed: the Immuta client was closed. Calling a client after close() is a bug in the calling code; create a new client.`;
    throw new ImmutaError(message, { kind: "invalid-config", operation: operation.name, method, path });
  }

  /**
   * DECISION: Immuta's clients disagree on the `offset` of a search (a record offset for most, a page index for one
   * of Immuta's own). A two-hit probe at offset 1 tells them apart: a record offset answers the second hit, a page
   * index the third, taken from the first page, or from a three-hit request when pages are smaller.
   */
  async #offsetIsPageIndex(query: DataSourceSearchQuery, firstPage: DataSource[]): Promise<boolean> {
    const third = firstPage[2] ?? (await this.searchDataSources({ ...query, size: 3, offset: 0 })).hits[2];
    const probe = await this.searchDataSources({ ...query, size: 2, offset: 1 });
    return probe.hits[0] !== undefined && probe.hits[0].id === third?.id;
  }
}
