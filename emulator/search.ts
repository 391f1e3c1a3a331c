import { badRequest } from "./boom";
import { DEFAULT_SEARCH_SIZE, MAX_SEARCH_SIZE } from "./defaults";
import type { SearchOffsetMode, StoredDataSource } from "./types";

/** What `GET /dataSource` asks for, validated. */
export interface SearchCriteria {
  searchText: string;
  nameOnly: boolean;
  connectionStrings: string[];
  blobHandlerTypes: string[];
  statuses: string[];
  dataSourceIds: number[];
  size: number;
  /** Records to skip (a page index has already been turned into records). */
  skip: number;
  sortField: SortField;
  sortOrder: "asc" | "desc";
}

/** What a source shows to the filters: the values its representations carry. */
export interface SearchableValues {
  status: string;
  blobHandlerType: string;
}

const SORT_FIELDS = ["id", "name", "createdAt", "status", "blobHandlerType", "connectionString"] as const;
type SortField = (typeof SORT_FIELDS)[number];

// DECISION: documented filters the emulator does not implement are a 400 naming the parameter, never ignored:
// a client relying on them must not see a silently unfiltered answer.
const UNIMPLEMENTED_FILTERS = ["subscription", "tag", "column", "schema", "idOnly", "selectFields"];

/**
 * Parses the query of `GET /dataSource` (see docs/immuta-api.md, "Search data sources"). Array parameters may be
 * repeated (`status=a&status=b`) or bracketed (`status[]=a`); values of one parameter are alternatives (OR), and
 * different parameters narrow together (AND).
 */
// DECISION: without sortField hits come in id (creation) order; sortOrder defaults to asc; ties break on id.
export function parseSearchQuery(query: URLSearchParams, offsetMode: SearchOffsetMode): SearchCriteria {
  for (const name of UNIMPLEMENTED_FILTERS) {
    if (query.has(name) || query.has(`${name}[]`)) {
      throw badRequest(`The emulator does not implement the "${name}" search parameter`, {
        source: "query",
        keys: [name],
      });
    }
  }
  const size = Math.min(integer(query, "size", DEFAULT_SEARCH_SIZE), MAX_SEARCH_SIZE);
  const offset = integer(query, "offset", 0);
  return {
    searchText: query.get("searchText") ?? "",
    nameOnly: boolean(query, "nameOnly", false),
    connectionStrings: values(query, "connectionString"),
    blobHandlerTypes: values(query, "blobHandlerType"),
    statuses: values(query, "status"),
    dataSourceIds: values(query, "dataSourceIds").map((value) => parseInteger(value, "dataSourceIds")),
    size,
    skip: offsetMode === "pages" ? offset * size : offset,
    sortField: oneOf(query, "sortField", SORT_FIELDS, "id"),
    sortOrder: oneOf(query, "sortOrder", ["asc", "desc"] as const, "asc"),
  };
}

/** Filters, sorts and pages the sources the caller may see; `count` is the number of matches before paging. */
// DECISION: searchText matches, case-insensitively, a substring of the name and (unless nameOnly=true) of the
// description: of the name, description, category and organization Immuta's older page lists, the only ones an S3
// source has. The connectionString is matched by its own filter, exactly, like blobHandlerType and status.
export function searchDataSources(
  sources: readonly StoredDataSource[],
  criteria: SearchCriteria,
  shown: SearchableValues,
): { hits: StoredDataSource[]; count: number } {
  const needle = criteria.searchText.toLowerCase();
  const matches = sources.filter(
    (source) =>
      (source.name.toLowerCase().includes(needle) ||
        (!criteria.nameOnly && (source.description ?? "").toLowerCase().includes(needle))) &&
      anyOf(criteria.connectionStrings, source.prefix) &&
      anyOf(criteria.blobHandlerTypes, shown.blobHandlerType) &&
      anyOf(criteria.statuses, shown.status) &&
      anyOf(criteria.dataSourceIds, source.id),
  );
  const sortKey = sortKeyOf(criteria.sortField, shown);
  const direction = criteria.sortOrder === "asc" ? 1 : -1;
  matches.sort((a, b) => direction * (compare(sortKey(a), sortKey(b)) || a.id - b.id));
  return { hits: matches.slice(criteria.skip, criteria.skip + criteria.size), count: matches.length };
}

function sortKeyOf(field: SortField, shown: SearchableValues): (source: StoredDataSource) => string | number {
  switch (field) {
    case "id":
      return (source) => source.id;
    case "name":
      // DECISION: names sort case-insensitively, as a user reading a list expects.
      return (source) => source.name.toLowerCase();
    case "createdAt":
      return (source) => source.createdAt;
    case "connectionString":
      return (source) => source.prefix;
    case "status":
      return () => shown.status;
    case "blobHandlerType":
      return () => shown.blobHandlerType;
  }
}

function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function anyOf<T>(wanted: readonly T[], value: T): boolean {
  return wanted.length === 0 || wanted.includes(value);
}

function values(query: URLSearchParams, name: string): string[] {
  return [...query.getAll(name), ...query.getAll(`${name}[]`)];
}

function integer(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  return raw === null || raw === "" ? fallback : parseInteger(raw, name);
}

function parseInteger(raw: string, name: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw invalidQuery(name, "must be a non-negative integer");
  return Number(raw);
}

function boolean(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  if (/^true$/i.test(raw)) return true;
  if (/^false$/i.test(raw)) return false;
  throw invalidQuery(name, "must be true or false");
}

function oneOf<T extends string>(
  query: URLSearchParams,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw invalidQuery(name, `must be one of ${allowed.join(", ")} (the values the emulator implements)`);
}

function invalidQuery(name: string, problem: string) {
  return badRequest(`Invalid request query input: "${name}" ${problem}`, { source: "query", keys: [name] });
}
