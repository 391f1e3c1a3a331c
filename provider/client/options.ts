import * as fs from "node:fs";
import { isIP } from "node:net";
import * as defaults from "./defaults";
import { configError } from "./error-message";
import type { ConnectionSettings, ImmutaClientOptions, RetryPolicy } from "./types";

export type SettingName = keyof ConnectionSettings;

/** How errors name a setting, e.g. `immuta:requestTimeoutMs` or `IMMUTA_REQUEST_TIMEOUT_MS`; by default its option name. */
export type SettingNamer = (setting: SettingName) => string;

export interface TenantRoot {
  /** Origin plus any base path, without a trailing slash, e.g. `https://acme.hosted.immutacloud.com`. */
  root: string;
  protocol: "http:" | "https:";
}

/** Connection settings with defaults applied; `caBundle` is PEM text (a path given as the setting is read here). */
export type ResolvedConnection = ReturnType<typeof resolveConnection>;

export type ResolvedOptions = ReturnType<typeof resolveOptions>;

/** `true` for `localhost`, 127.0.0.0/8 and `::1`: traffic that never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || host === "0:0:0:0:0:0:0:1";
  return false;
}

/** The tenant root without a trailing slash. The URL itself is never echoed: it might embed credentials. */
function parseBaseUrl(baseUrl: string, allowInsecureHttp: boolean, name: string): TenantRoot {
  const expected = "expected the tenant root, e.g. https://acme.hosted.immutacloud.com.";
  if (typeof baseUrl !== "string" || baseUrl.trim() === "")
    throw configError(`${name} is not set; ${expected}`);
  if (!URL.canParse(baseUrl.trim())) throw configError(`${name} is not a valid URL; ${expected}`);
  const url = new URL(baseUrl.trim());
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw configError(`${name} must use https:// (got ${url.protocol}//).`);
  }
  if (url.username !== "" || url.password !== "") {
    throw configError(`${name} must not contain credentials; pass the API key as the API key setting.`);
  }
  if (url.search !== "" || url.hash !== "") {
    throw configError(`${name} must not contain a query or fragment; use the tenant root.`);
  }
  if (url.protocol === "http:" && !allowInsecureHttp && !isLoopbackHost(url.hostname)) {
    throw configError(`Refusing to send the Immuta API key over plain HTTP to ${url.hostname}.`, {
      kind: "insecure-url",
    });
  }
  return { root: `${url.origin}${url.pathname.replace(/\/+$/, "")}`, protocol: url.protocol };
}

function given<T>(value: T | undefined): value is T {
  return value !== undefined && value !== "";
}

function positiveInteger(name: string, value: number | string | undefined, fallback: number, unit: string) {
  if (!given(value)) return fallback;
  const number = typeof value === "number" ? value : Number(value.trim());
  if (!Number.isSafeInteger(number) || number <= 0) throw configError(`${name} must be a positive ${unit}.`);
  return number;
}

function flag(name: string, value: boolean | string | undefined): boolean {
  if (!given(value)) return false;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw configError(`${name} must be true or false.`);
}

/** A PEM bundle given inline, or the path of a file holding one. */
function caBundle(name: string, value: string | undefined): string | undefined {
  if (!given(value)) return undefined;
  let pem = value;
  if (!value.includes("-----BEGIN")) {
    try {
      pem = fs.readFileSync(value, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "error";
      throw configError(`${name} names a CA bundle file that cannot be read (${code}): ${value}.`);
    }
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
    throw configError(
      `${name} must hold PEM certificates (-----BEGIN CERTIFICATE-----), inline or in a file.`,
    );
  }
  return pem;
}

/**
 * The one place that applies defaults to connection settings and validates them, whether they come from stack config,
 * the environment or a program; errors name a setting as `nameOf` says.
 */
export function resolveConnection(settings: ConnectionSettings, nameOf: SettingNamer = (setting) => setting) {
  if (typeof settings.apiKey !== "string" || settings.apiKey.trim() === "") {
    throw configError(`The Immuta API key is empty (${nameOf("apiKey")}).`);
  }
  const requested = given(settings.authMode) ? settings.authMode : defaults.DEFAULT_AUTH_MODE;
  const authMode = (["apiKey", "bearer"] as const).find((mode) => mode === requested);
  if (authMode === undefined) {
    throw configError(
      `${nameOf("authMode")} must be "apiKey" (send the key itself) or "bearer" (exchange it for a token), not "${requested}".`,
    );
  }
  const allowInsecureHttp = flag(nameOf("allowInsecureHttp"), settings.allowInsecureHttp);
  const pem = caBundle(nameOf("caBundle"), settings.caBundle);
  const count = (
    setting: "requestTimeoutMs" | "operationTimeoutMs" | "maxInFlight",
    fallback: number,
    unit = "number of milliseconds",
  ) => positiveInteger(nameOf(setting), settings[setting], fallback, unit);
  return {
    tenant: parseBaseUrl(settings.url, allowInsecureHttp, nameOf("url")),
    apiKey: settings.apiKey,
    authMode,
    requestTimeoutMs: count("requestTimeoutMs", defaults.DEFAULT_REQUEST_TIMEOUT_MS),
    operationTimeoutMs: count("operationTimeoutMs", defaults.DEFAULT_OPERATION_TIMEOUT_MS),
    maxInFlight: count("maxInFlight", defaults.DEFAULT_MAX_IN_FLIGHT, "integer"),
    allowInsecureHttp,
    ...(pem === undefined ? {} : { caBundle: pem }),
  };
}

function resolveRetry(retry: Partial<RetryPolicy> | undefined): RetryPolicy {
  const policy: RetryPolicy = {
    maxAttempts: retry?.maxAttempts ?? defaults.DEFAULT_RETRY_MAX_ATTEMPTS,
    baseDelayMs: retry?.baseDelayMs ?? defaults.DEFAULT_RETRY_BASE_DELAY_MS,
    maxDelayMs: retry?.maxDelayMs ?? defaults.DEFAULT_RETRY_MAX_DELAY_MS,
    jitter: retry?.jitter ?? defaults.DEFAULT_RETRY_JITTER,
  };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw configError("retry.maxAttempts must be an integer >= 1.");
  }
  if (!(policy.baseDelayMs >= 0) || !(policy.maxDelayMs >= 0)) {
    throw configError("retry.baseDelayMs and retry.maxDelayMs must be >= 0.");
  }
  if (!(policy.jitter >= 0 && policy.jitter <= 1)) throw configError("retry.jitter must be between 0 and 1.");
  return policy;
}

/** Applies the defaults and validates; throws `ImmutaError` (`invalid-config` / `insecure-url`). */
export function resolveOptions(options: ImmutaClientOptions) {
  return {
    ...resolveConnection(options, options.settingNames),
    retry: resolveRetry(options.retry),
    clock: options.clock ?? defaults.realClock,
    random: options.random ?? Math.random,
    userAgent: options.userAgent ?? defaults.DEFAULT_USER_AGENT,
    onRetry: options.onRetry,
  };
}
