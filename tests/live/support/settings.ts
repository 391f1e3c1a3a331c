/**
 * The live suite's settings: the tenant named by `IMMUTA_LIVE_*` variables, and where one run's sources live.
 *
 * The tenant is the provider's named tenant `live`, so `IMMUTA_LIVE_URL` and `IMMUTA_LIVE_API_KEY` are read by the
 * provider's own configuration code, and so are its optional settings (`IMMUTA_LIVE_AUTH_MODE`,
 * `IMMUTA_LIVE_CA_BUNDLE`, `IMMUTA_LIVE_PREFIX_FORM`, `IMMUTA_LIVE_REQUEST_TIMEOUT_MS`, ...).
 *
 * Every source a run creates lies under `<IMMUTA_LIVE_PREFIX>/pulumi-immuta-live/<run id>/` and its name starts
 * with `pulumi-immuta-live-<run id>-`: the fixed parent and the marker let a later run find what a killed one left.
 */
import { randomBytes } from "node:crypto";
import { resolveTenantConnection, type TenantConnection } from "../../../provider/core/settings";
import { parseDeclaredPrefix } from "../../../provider/core/s3-naming";

/** The provider tenant whose variables (`IMMUTA_LIVE_*`) name the live tenant. */
export const LIVE_TENANT = "live";

/** The variables the suite needs; without all of them it runs nothing. */
export const REQUIRED_VARIABLES = [
  "IMMUTA_LIVE_URL",
  "IMMUTA_LIVE_API_KEY",
  "IMMUTA_LIVE_INTEGRATION_ID",
  "IMMUTA_LIVE_PREFIX",
] as const;

/**
 * Optional: two leaf tags of the tenant's tag library (`Team.Research,Sensitivity.Internal`), for the tag and
 * description scenarios; without them those scenarios are skipped.
 */
export const TAGS_VARIABLE = "IMMUTA_LIVE_TAGS";

/** Set by the launcher for the jest run it starts. */
export const RUN_ID_VARIABLE = "IMMUTA_LIVE_RUN_ID";

/** In every source's prefix (as the fixed parent folder) and name (as their start). */
export const RUN_MARKER = "pulumi-immuta-live";

/** The line printed when the variables are not set. */
export const NOT_CONFIGURED =
  `Live tests not run: set ${REQUIRED_VARIABLES.join(", ")} to run them against an Immuta tenant ` +
  `(docs/live-testing.md).`;

export interface LiveSettings {
  connection: TenantConnection;
  integrationId: number;
  /** Where every run's folder lies: `<IMMUTA_LIVE_PREFIX>/pulumi-immuta-live`, canonical. */
  scope: string;
  /** Two leaf tags of the tenant's library, when given: the tag scenarios need them. */
  tags?: [string, string];
}

export type LiveSettingsResult =
  { kind: "absent" } | { kind: "invalid"; message: string } | { kind: "ok"; settings: LiveSettings };

export function readLiveSettings(env: NodeJS.ProcessEnv): LiveSettingsResult {
  const missing = REQUIRED_VARIABLES.filter((name) => (env[name] ?? "") === "");
  if (missing.length === REQUIRED_VARIABLES.length) return { kind: "absent" };
  if (missing.length > 0)
    return { kind: "invalid", message: `${missing.join(", ")} not set (all four are needed)` };
  const integrationText = env.IMMUTA_LIVE_INTEGRATION_ID!.trim();
  const integrationId = /^\d{1,15}$/.test(integrationText) ? Number(integrationText) : NaN;
  if (!(integrationId > 0)) {
    return {
      kind: "invalid",
      message: "IMMUTA_LIVE_INTEGRATION_ID must be the positive id of a Native S3 integration",
    };
  }
  const prefix = parseDeclaredPrefix(env.IMMUTA_LIVE_PREFIX!.trim());
  if (!prefix.ok) return { kind: "invalid", message: `IMMUTA_LIVE_PREFIX ${prefix.reason}` };
  const tagNames = (env[TAGS_VARIABLE] ?? "")
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
  if (tagNames.length !== 0 && (tagNames.length !== 2 || tagNames[0] === tagNames[1])) {
    return {
      kind: "invalid",
      message: `${TAGS_VARIABLE} must name two different leaf tags, comma-separated`,
    };
  }
  const tags = tagNames.length === 2 ? { tags: tagNames as [string, string] } : {};
  try {
    const connection = resolveTenantConnection(LIVE_TENANT, undefined, env);
    return {
      kind: "ok",
      settings: { connection, integrationId, scope: `${prefix.canonical}/${RUN_MARKER}`, ...tags },
    };
  } catch (error) {
    return { kind: "invalid", message: error instanceof Error ? error.message : String(error) };
  }
}

/** `20261129-113200-3fa1`: sortable, readable in a tenant's UI, unique enough for runs that never overlap. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}

/** Where one run's sources live, and what they are called. */
export interface RunLayout {
  runId: string;
  /** `<scope>/<run id>`. */
  folder: string;
  /** `pulumi-immuta-live-<run id>-`. */
  namePrefix: string;
  prefixOf(key: string): string;
  nameOf(key: string): string;
}

export function runLayout(settings: LiveSettings, runId: string): RunLayout {
  const folder = `${settings.scope}/${runId}`;
  const namePrefix = `${RUN_MARKER}-${runId}-`;
  return {
    runId,
    folder,
    namePrefix,
    prefixOf: (key) => `${folder}/${key}`,
    nameOf: (key) => `${namePrefix}${key}`,
  };
}
