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

/**
 * DECISION: `export` reads this many data sources at once (two sequential GETs each). Enough to read thousands of
 * sources in seconds, well under the client's in-flight limit (`immuta:maxInFlight`, 64) and gentle on a tenant;
 * `--concurrency` changes it, and 429s are retried as everywhere else.
 */
export const DEFAULT_EXPORT_CONCURRENCY = 16;

/**
 * DECISION: how far this machine's clock and Immuta's may differ when recover decides that Immuta created a source
 * after the interrupted run started (that run's lock is stamped by this machine's clock, `createdAt` by Immuta's).
 * A minute covers clocks that are not synchronised to the second while keeping the window in which a source
 * registered by hand could pass for the run's own short; `--max-clock-skew` changes it.
 */
export const DEFAULT_MAX_CLOCK_SKEW_SECONDS = 60;

/**
 * DECISION: the recovery file `recover --prepare-only` leaves for the `pulumi up` it prints stops adopting after an
 * hour, so that a variable left set in a shell cannot make a much later `up` adopt anything. The file recover
 * writes for its own update is deleted when the update ends; its day of validity only bounds a crash of recover.
 */
export const PREPARED_RECOVERY_VALID_MS = 60 * 60 * 1000;
export const RECOVERY_VALID_MS = 24 * 60 * 60 * 1000;
