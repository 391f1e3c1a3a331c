/**
 * The one place that validates and names connection settings. Stack config, the environment and a program that
 * builds a client directly all pass through `resolveConnection`; its errors name the setting the way the caller
 * knows it (`immuta:requestTimeoutMs`, `IMMUTA_REQUEST_TIMEOUT_MS`, or the option name).
 */
import * as fs from "node:fs";
import { parseBaseUrl, type TenantRoot } from "./base-url";
import { realClock } from "./clock";
import {
  DEFAULT_AUTH_MODE,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_OPERATION_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_RETRY_JITTER,
  DEFAULT_RETRY_MAX_ATTEMPTS,
  DEFAULT_RETRY_MAX_DELAY_MS,
  DEFAULT_USER_AGENT,
} from "./defaults";
import { configError } from "./error-message";
import type {
  AuthMode,
  Clock,
  ConnectionSettings,
  ImmutaClientOptions,
  RetryEvent,
  RetryPolicy,
} from "./types";

/** A connection setting's name. */
export type SettingName = keyof ConnectionSettings;

/** How errors name a setting; by default its option name. */
export type SettingNamer = (setting: SettingName) => string;

/** Connection settings with every default applied and every value checked. */
export interface ResolvedConnection {
  tenant: TenantRoot;
  apiKey: string;
  authMode: AuthMode;
  requestTimeoutMs: number;
  operationTimeoutMs: number;
  maxInFlight: number;
  allowInsecureHttp: boolean;
  /** PEM text (a path given as the setting is read here). */
  caBundle?: string;
}

/** Client options with every default applied and every value checked. */
export interface ResolvedOptions extends ResolvedConnection {
  retry: RetryPolicy;
  clock: Clock;
  random: () => number;
  userAgent: string;
  onRetry?: (event: RetryEvent) => void;
}

/** An absent or empty setting is "not set". */
function given<T>(value: T | undefined): value is T {
  return value !== undefined && value !== "";
}

function positiveInteger(
  name: string,
  value: number | string | undefined,
  fallback: number,
  unit: string,
): number {
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

/** Applies the defaults of `defaults.ts` to connection settings and validates them. */
export function resolveConnection(
  settings: ConnectionSettings,
  nameOf: SettingNamer = (setting) => setting,
): ResolvedConnection {
  if (typeof settings.apiKey !== "string" || settings.apiKey.trim() === "") {
    throw configError(`The Immuta API key is empty (${nameOf("apiKey")}).`);
  }
  const authMode = given(settings.authMode) ? settings.authMode : DEFAULT_AUTH_MODE;
  if (authMode !== "apiKey" && authMode !== "bearer") {
    throw configError(
      `${nameOf("authMode")} must be "apiKey" (send the key itself) or "bearer" (exchange it for a token), not "${authMode}".`,
    );
  }
  const allowInsecureHttp = flag(nameOf("allowInsecureHttp"), settings.allowInsecureHttp);
  const pem = caBundle(nameOf("caBundle"), settings.caBundle);
  return {
    tenant: parseBaseUrl(settings.url, allowInsecureHttp, nameOf("url")),
    apiKey: settings.apiKey,
    authMode,
    requestTimeoutMs: positiveInteger(
      nameOf("requestTimeoutMs"),
      settings.requestTimeoutMs,
      DEFAULT_REQUEST_TIMEOUT_MS,
      "number of milliseconds",
    ),
    operationTimeoutMs: positiveInteger(
      nameOf("operationTimeoutMs"),
      settings.operationTimeoutMs,
      DEFAULT_OPERATION_TIMEOUT_MS,
      "number of milliseconds",
    ),
    maxInFlight: positiveInteger(
      nameOf("maxInFlight"),
      settings.maxInFlight,
      DEFAULT_MAX_IN_FLIGHT,
      "integer",
    ),
    allowInsecureHttp,
    ...(pem === undefined ? {} : { caBundle: pem }),
  };
}

function resolveRetry(retry: Partial<RetryPolicy> | undefined): RetryPolicy {
  const policy: RetryPolicy = {
    maxAttempts: retry?.maxAttempts ?? DEFAULT_RETRY_MAX_ATTEMPTS,
    baseDelayMs: retry?.baseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS,
    maxDelayMs: retry?.maxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS,
    jitter: retry?.jitter ?? DEFAULT_RETRY_JITTER,
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

/** Applies the defaults of `defaults.ts` and validates; throws `ImmutaError` (`invalid-config` / `insecure-url`). */
export function resolveOptions(options: ImmutaClientOptions): ResolvedOptions {
  return {
    ...resolveConnection(options, options.settingNames),
    retry: resolveRetry(options.retry),
    clock: options.clock ?? realClock,
    random: options.random ?? Math.random,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
  };
}
