/**
 * Values that are part of this product's contract with Pulumi state. Changing any of them changes URNs or
 * makes existing state unreadable, so they live in one place and never change silently.
 */

/**
 * Version of the state shape written by this release. Bump it when the outputs change shape, and teach
 * `upgradeState` in state.ts to read the previous one: delete and refresh of old stacks run today's code.
 */
export const STATE_SCHEMA_VERSION = 3;

/** The placeholder the engine sends during preview for values not known yet (pulumi/pulumi#6310). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The reserved input that carries the serialized provider. */
export const PROVIDER_KEY = "__provider";

/** Name of the tenant used when a resource names none. */
export const DEFAULT_TENANT = "default";

/**
 * DECISION: Immuta does not document a maximum data source name length; 255 is the common column size of the
 * name in Immuta's metadata database and what the UI accepts.
 */
export const MAX_DATA_SOURCE_NAME_LENGTH = 255;

/** DECISION: Immuta documents no maximum description length; 4096 characters is what its UI accepts. */
export const MAX_DESCRIPTION_LENGTH = 4096;

/** DECISION: S3 object keys are at most 1024 bytes; a prefix is a key or a part of one. */
export const MAX_S3_KEY_BYTES = 1024;

/**
 * Requests one tenant's client keeps in flight when `immuta:maxInFlight` is not set. The engine runs up to
 * `--parallel` operations at once (4 × CPUs by default) and a refresh sends two requests per resource, so the API
 * client's own default (8) halved a refresh even on a 2-CPU machine (BENCHMARKS.md). 64 covers two requests for
 * each of 32 operations, so `--parallel` bounds concurrency; lower it for a tenant with tight rate limits.
 */
export const PROVIDER_DEFAULT_MAX_IN_FLIGHT = 64;
