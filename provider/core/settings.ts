/**
 * Where the provider finds Immuta's URL and API key: stack config (read in `configure`), then environment
 * variables. Credentials are never resource inputs, so they never reach state.
 *
 * One program can manage several tenants (for example staging and production): a resource names its `tenant`,
 * and each tenant's connection lives in config under `immuta:tenants.<name>` or in `IMMUTA_<NAME>_*` variables.
 * This module only gathers the values and remembers where each came from; `resolveConnection` in the client
 * validates them, naming each setting by the config key or variable the user set.
 */
import {
  ImmutaError,
  resolveConnection,
  type ConnectionSettings,
  type ResolvedConnection,
  type SettingName,
} from "../client";
import { DEFAULT_TENANT, PROVIDER_DEFAULT_MAX_IN_FLIGHT } from "./constants";
import { SETTINGS } from "./definition";
import { ImmutaConfigurationError } from "./errors";

/** The part of Pulumi's dynamic `Config` the provider uses. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/**
 * How prefixes travel on the wire: `relative` to the integration's `awsLocationPath`, as Immuta's documentation
 * shows (the default), or `absolute` `s3://` URIs, for a tenant that turns out to want those.
 */
export type PrefixForm = "relative" | "absolute";

export const PREFIX_FORMS: readonly PrefixForm[] = ["relative", "absolute"];

/** One tenant's connection: the settings as given (for comparing configurations) and validated. */
export interface TenantConnection {
  tenant: string;
  settings: ConnectionSettings;
  resolved: ResolvedConnection;
  prefixForm: PrefixForm;
  /** `awsLocationPath` per integration id from stack config, used when Immuta's integrations API cannot be read. */
  locations: ReadonlyMap<number, string>;
  /** Where the locations above are set, for messages: `immuta:integrations` or `immuta:tenants.<name>.integrations`. */
  locationsKey: string;
}

/** The settings of the connection itself: those the API client validates (every one but `prefixForm` and maps). */
type ConnectionSettingName = Exclude<
  {
    [K in keyof typeof SETTINGS]: (typeof SETTINGS)[K]["type"]["kind"] extends "map" ? never : K;
  }[keyof typeof SETTINGS],
  "prefixForm"
>;

// The definition and the client's options must name the same settings: each direction fails to compile otherwise.
const sameSettings: [ConnectionSettingName] extends [SettingName]
  ? [SettingName] extends [ConnectionSettingName]
    ? true
    : never
  : never = true;

const CONNECTION_SETTINGS = (Object.keys(SETTINGS) as (keyof typeof SETTINGS)[]).filter(
  (name): name is ConnectionSettingName =>
    sameSettings && name !== "prefixForm" && SETTINGS[name].type.kind !== "map",
);

/** `IMMUTA_` for the default tenant, `IMMUTA_<TENANT>_` for a named one (upper-cased, `-` as `_`). */
export function environmentPrefix(tenant: string): string {
  return tenant === DEFAULT_TENANT ? "IMMUTA_" : `IMMUTA_${tenant.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_`;
}

/** `requestTimeoutMs` → `REQUEST_TIMEOUT_MS`. */
export function environmentSuffix(setting: string): string {
  return setting.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

/** `immuta:<setting>` for the default tenant, `immuta:tenants.<tenant>.<setting>` for a named one. */
export function configKey(tenant: string, setting: string): string {
  return tenant === DEFAULT_TENANT ? `immuta:${setting}` : `immuta:tenants.${tenant}.${setting}`;
}

/** A setting of the tenant as stack config holds it (parsed JSON for objects), before any validation. */
function rawSetting(tenant: string, config: ConfigSource | undefined, setting: string): unknown {
  if (tenant !== DEFAULT_TENANT) return parseTenants(config)[tenant]?.[setting];
  const raw = config?.get(`immuta:${setting}`);
  if (raw === undefined || raw === "") return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function prefixFormOf(tenant: string, config: ConfigSource | undefined, env: NodeJS.ProcessEnv): PrefixForm {
  const configured = rawSetting(tenant, config, "prefixForm");
  const variable = `${environmentPrefix(tenant)}PREFIX_FORM`;
  const value = configured ?? (env[variable] === "" ? undefined : env[variable]) ?? "relative";
  if (!PREFIX_FORMS.includes(value as PrefixForm)) {
    const name = configured === undefined ? variable : configKey(tenant, "prefixForm");
    throw new ImmutaConfigurationError(
      `${name} must be "relative" (prefixes relative to the integration's awsLocationPath, as Immuta documents) ` +
        `or "absolute" (s3:// URIs), not ${JSON.stringify(value)}`,
    );
  }
  return value as PrefixForm;
}

/** `immuta:integrations.<id>.awsLocationPath` (or the tenant's), validated. */
function locationsOf(tenant: string, config: ConfigSource | undefined): Map<number, string> {
  const key = configKey(tenant, "integrations");
  const raw = rawSetting(tenant, config, "integrations");
  const locations = new Map<number, string>();
  if (raw === undefined || raw === null) return locations;
  if (typeof raw !== "object") {
    throw new ImmutaConfigurationError(
      `${key} must be an object keyed by integration id, e.g. set with ` +
        `\`pulumi config set --path '${key}["1"].awsLocationPath' s3://my-bucket/\``,
    );
  }
  for (const [id, entry] of Object.entries(raw as Record<string, unknown>)) {
    const location = (entry as { awsLocationPath?: unknown } | null)?.awsLocationPath;
    const integrationId = Number(id);
    if (
      !Number.isSafeInteger(integrationId) ||
      integrationId <= 0 ||
      typeof location !== "string" ||
      !/^s3:\/\//i.test(location)
    ) {
      throw new ImmutaConfigurationError(
        `${key}["${id}"].awsLocationPath must be an S3 location such as s3:// or s3://my-bucket/team/, keyed by a ` +
          `positive integration id`,
      );
    }
    locations.set(integrationId, location);
  }
  return locations;
}

function parseTenants(config: ConfigSource | undefined): Record<string, Record<string, unknown>> {
  const raw = config?.get("immuta:tenants");
  if (raw === undefined || raw === "") return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      return parsed as Record<string, Record<string, unknown>>;
    }
  } catch {
    // fall through to the error below; the raw value may hold a key, so it is not quoted
  }
  throw new ImmutaConfigurationError(
    "stack config immuta:tenants must be an object of tenants, e.g. set with " +
      "`pulumi config set --path immuta:tenants.production.url https://...`",
  );
}

/** One setting as stack config holds it: a string, or a number/boolean inside `immuta:tenants`. */
function fromConfig(
  tenant: string,
  config: ConfigSource | undefined,
  setting: SettingName,
): string | undefined {
  const value =
    tenant === DEFAULT_TENANT ? config?.get(`immuta:${setting}`) : parseTenants(config)[tenant]?.[setting];
  if (value === undefined || value === null || value === "") return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Resolves the connection for a tenant. Stack config wins over the environment. A missing URL or key is an
 * error that names both places it can be set; an invalid value names the one it came from.
 */
export function resolveTenantConnection(
  tenant: string,
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
): TenantConnection {
  const envPrefix = environmentPrefix(tenant);
  const values: Partial<Record<SettingName, string>> = {};
  const names: Partial<Record<SettingName, string>> = {};
  for (const setting of CONNECTION_SETTINGS) {
    const configured = fromConfig(tenant, config, setting);
    const variable = `${envPrefix}${environmentSuffix(setting)}`;
    const fromEnv = env[variable] === "" ? undefined : env[variable];
    values[setting] = configured ?? fromEnv;
    names[setting] =
      configured === undefined && fromEnv !== undefined ? variable : configKey(tenant, setting);
  }

  const tenantLabel = tenant === DEFAULT_TENANT ? "" : ` for tenant "${tenant}"`;
  const path = tenant === DEFAULT_TENANT ? "" : "--path ";
  if (values.url === undefined) {
    throw new ImmutaConfigurationError(
      `The Immuta URL${tenantLabel} is not configured. Set it with \`pulumi config set ${path}` +
        `${configKey(tenant, "url")} https://your-tenant.immutacloud.com\` or the environment variable ${envPrefix}URL.`,
    );
  }
  if (values.apiKey === undefined) {
    throw new ImmutaConfigurationError(
      `The Immuta API key${tenantLabel} is not configured. Set it with \`pulumi config set --secret ${path}` +
        `${configKey(tenant, "apiKey")} <key>\` or the environment variable ${envPrefix}API_KEY.`,
    );
  }
  const settings: ConnectionSettings = {
    ...values,
    url: values.url,
    apiKey: values.apiKey,
    maxInFlight: values.maxInFlight ?? PROVIDER_DEFAULT_MAX_IN_FLIGHT,
  };
  try {
    const resolved = resolveConnection(settings, (setting) => names[setting] ?? setting);
    return {
      tenant,
      settings,
      resolved,
      prefixForm: prefixFormOf(tenant, config, env),
      locations: locationsOf(tenant, config),
      locationsKey: configKey(tenant, "integrations"),
    };
  } catch (error) {
    // One error type for every configuration problem the provider reports; the message names the setting.
    if (error instanceof ImmutaError) throw new ImmutaConfigurationError(error.message);
    throw error;
  }
}
