/**
 * Where the provider finds Immuta's URL and API key: stack config (read in `configure`), then environment
 * variables. Credentials are never resource inputs, so they never reach state.
 *
 * One program can manage several tenants (for example staging and production): a resource names its `tenant`,
 * and each tenant's connection lives in config under `immuta:tenants.<name>` or in `IMMUTA_<NAME>_*` variables.
 */
import * as fs from "node:fs";
import type { AuthMode } from "./client";
import { DEFAULT_TENANT } from "./constants";
import { ImmutaConfigurationError } from "./errors";

/** The part of Pulumi's dynamic `Config` the provider uses. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

export interface TenantConnection {
  tenant: string;
  url: string;
  apiKey: string;
  authMode: AuthMode;
  requestTimeoutMs?: number;
  operationTimeoutMs?: number;
  /** Requests the tenant's client keeps in flight at once (the provider's default when absent). */
  maxInFlight?: number;
  allowInsecureHttp: boolean;
  caBundle?: string;
}

interface TenantSettings {
  url?: string;
  apiKey?: string;
  authMode?: string;
  requestTimeoutMs?: string | number;
  operationTimeoutMs?: string | number;
  maxInFlight?: string | number;
  allowInsecureHttp?: string | boolean;
  caBundle?: string;
}

/** `IMMUTA_` for the default tenant, `IMMUTA_<TENANT>_` for a named one (upper-cased, `-` as `_`). */
export function environmentPrefix(tenant: string): string {
  return tenant === DEFAULT_TENANT ? "IMMUTA_" : `IMMUTA_${tenant.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_`;
}

function configKey(tenant: string, setting: string): string {
  return tenant === DEFAULT_TENANT ? `immuta:${setting}` : `immuta:tenants.${tenant}.${setting}`;
}

function parseTenants(config: ConfigSource | undefined): Record<string, TenantSettings> {
  const raw = config?.get("immuta:tenants");
  if (raw === undefined || raw === "") return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      return parsed as Record<string, TenantSettings>;
    }
  } catch {
    // fall through to the error below; the raw value may hold a key, so it is not quoted
  }
  throw new ImmutaConfigurationError(
    "stack config immuta:tenants must be an object of tenants, e.g. set with " +
      "`pulumi config set --path immuta:tenants.production.url https://...`",
  );
}

function settingsFor(tenant: string, config: ConfigSource | undefined): TenantSettings {
  if (tenant !== DEFAULT_TENANT) return parseTenants(config)[tenant] ?? {};
  const read = (name: string) => {
    const value = config?.get(`immuta:${name}`);
    return value === "" ? undefined : value;
  };
  return {
    url: read("url"),
    apiKey: read("apiKey"),
    authMode: read("authMode"),
    requestTimeoutMs: read("requestTimeoutMs"),
    operationTimeoutMs: read("operationTimeoutMs"),
    maxInFlight: read("maxInFlight"),
    allowInsecureHttp: read("allowInsecureHttp"),
    caBundle: read("caBundle"),
  };
}

function positiveMilliseconds(value: string | number | undefined, where: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) {
    throw new ImmutaConfigurationError(`${where} must be a positive number of milliseconds`);
  }
  return number;
}

function positiveInteger(value: string | number | undefined, where: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number <= 0) {
    throw new ImmutaConfigurationError(`${where} must be a positive integer`);
  }
  return number;
}

/** A PEM bundle given inline, or the path of a file holding one. */
function readCaBundle(value: string | undefined, where: string): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (value.includes("-----BEGIN")) return value;
  try {
    return fs.readFileSync(value, "utf8");
  } catch (error) {
    throw new ImmutaConfigurationError(
      `${where} names a CA bundle file that cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}): ${value}`,
    );
  }
}

/**
 * Resolves the connection for a tenant. Stack config wins over the environment. A missing URL or key is an
 * error that names both places it can be set.
 */
export function resolveTenantConnection(
  tenant: string,
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
): TenantConnection {
  const settings = settingsFor(tenant, config);
  const envPrefix = environmentPrefix(tenant);
  const fromEnv = (name: string) => {
    const value = env[`${envPrefix}${name}`];
    return value === "" ? undefined : value;
  };
  const url = settings.url ?? fromEnv("URL");
  const apiKey = settings.apiKey ?? fromEnv("API_KEY");
  const tenantLabel = tenant === DEFAULT_TENANT ? "" : ` for tenant "${tenant}"`;
  if (!url) {
    throw new ImmutaConfigurationError(
      `The Immuta URL${tenantLabel} is not configured. Set it with \`pulumi config set ${configKey(tenant, "url")} ` +
        `https://your-tenant.immutacloud.com\`${tenant === DEFAULT_TENANT ? "" : " --path"} or the environment variable ${envPrefix}URL.`,
    );
  }
  if (!apiKey) {
    throw new ImmutaConfigurationError(
      `The Immuta API key${tenantLabel} is not configured. Set it with \`pulumi config set --secret ` +
        `${tenant === DEFAULT_TENANT ? "" : "--path "}${configKey(tenant, "apiKey")} <key>\` or the environment variable ${envPrefix}API_KEY.`,
    );
  }
  const authMode = settings.authMode ?? fromEnv("AUTH_MODE") ?? "apiKey";
  if (authMode !== "apiKey" && authMode !== "bearer") {
    throw new ImmutaConfigurationError(
      `${configKey(tenant, "authMode")} must be "apiKey" (send the key itself) or "bearer" (exchange it for a token), not "${authMode}"`,
    );
  }
  const allowInsecure = String(settings.allowInsecureHttp ?? fromEnv("ALLOW_INSECURE_HTTP") ?? "false");
  return {
    tenant,
    url,
    apiKey,
    authMode,
    requestTimeoutMs: positiveMilliseconds(
      settings.requestTimeoutMs ?? fromEnv("REQUEST_TIMEOUT_MS"),
      configKey(tenant, "requestTimeoutMs"),
    ),
    operationTimeoutMs: positiveMilliseconds(
      settings.operationTimeoutMs ?? fromEnv("OPERATION_TIMEOUT_MS"),
      configKey(tenant, "operationTimeoutMs"),
    ),
    maxInFlight: positiveInteger(
      settings.maxInFlight ?? fromEnv("MAX_IN_FLIGHT"),
      configKey(tenant, "maxInFlight"),
    ),
    allowInsecureHttp: allowInsecure === "true",
    caBundle: readCaBundle(settings.caBundle ?? fromEnv("CA_BUNDLE"), configKey(tenant, "caBundle")),
  };
}
