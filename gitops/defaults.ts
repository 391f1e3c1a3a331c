/**
 * Every default and environment variable of the gitops commands, in one place.
 */

/**
 * DECISION: a preview may delete or replace at most this many sources before the guard trips. One is a routine
 * change (a re-pointed prefix, a removed source); more usually means a bad merge or a changed integration, which
 * deserves an explicit `--allow-destructive`. `--max-destructive 0` requires it for every deletion.
 */
export const DEFAULT_MAX_DESTRUCTIVE = 1;

/** Overrides the limit, like `--max-destructive`. */
export const MAX_DESTRUCTIVE_ENV = "IMMUTA_GITOPS_MAX_DESTRUCTIVE";

/** `true` or `1` allows any number of deletions and replacements, like `--allow-destructive`. */
export const ALLOW_DESTRUCTIVE_ENV = "IMMUTA_GITOPS_ALLOW_DESTRUCTIVE";

/** The resource type the commands report on (other resources of the stack are left out). */
export { TYPE_TOKEN as DATA_SOURCE_TYPE } from "../provider/constants";

/**
 * DECISION: `export` reads this many data sources at once (two sequential GETs each). Enough to read thousands of
 * sources in seconds, well under the client's in-flight limit (`immuta:maxInFlight`, 64) and gentle on a tenant;
 * `--concurrency` changes it, and 429s are retried as everywhere else.
 */
export const DEFAULT_EXPORT_CONCURRENCY = 16;
