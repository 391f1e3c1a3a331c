/**
 * How the doctor names a tenant's settings in its messages: the stack config key and the environment variable the
 * provider reads, and which of them a value came from.
 */
import {
  configKey,
  DEFAULT_TENANT,
  environmentPrefix,
  environmentSuffix,
  type ConfigSource,
  type SettingName,
} from "../provider/api";

/** A connection setting, or one of the provider's own settings that has a variable too. */
export type DoctorSetting = SettingName | "prefixForm";

export function variableOf(tenant: string, setting: DoctorSetting): string {
  return `${environmentPrefix(tenant)}${environmentSuffix(setting)}`;
}

/** `immuta:caBundle / IMMUTA_CA_BUNDLE`, or the tenant's forms. */
export function bothNames(tenant: string, setting: DoctorSetting): string {
  return `${configKey(tenant, setting)} / ${variableOf(tenant, setting)}`;
}

/** The command that sets a setting in stack config, e.g. `pulumi config set immuta:authMode bearer`. */
export function configCommand(tenant: string, setting: DoctorSetting, value: string, secret = false): string {
  const flags = `${secret ? "--secret " : ""}${tenant === DEFAULT_TENANT ? "" : "--path "}`;
  return `pulumi config set ${flags}${configKey(tenant, setting)} ${value}`;
}

/** The settings of a named tenant as `immuta:tenants` holds them; `{}` when absent or unreadable. */
function tenantSettings(config: ConfigSource | undefined, tenant: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(config?.get("immuta:tenants") ?? "{}") as Record<string, unknown>;
    const settings = parsed[tenant];
    return typeof settings === "object" && settings !== null ? (settings as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The tenants `immuta:tenants` configures. */
export function configuredTenants(config: ConfigSource | undefined): string[] {
  try {
    const parsed: unknown = JSON.parse(config?.get("immuta:tenants") ?? "{}");
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? Object.keys(parsed) : [];
  } catch {
    return [];
  }
}

/** The stack config key or environment variable a setting was read from (stack config first), if any. */
export function settingOrigin(
  tenant: string,
  setting: DoctorSetting,
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const configured =
    tenant === DEFAULT_TENANT
      ? config?.get(configKey(tenant, setting))
      : tenantSettings(config, tenant)[setting];
  if (configured !== undefined && configured !== null && configured !== "") return configKey(tenant, setting);
  const variable = variableOf(tenant, setting);
  const fromEnv = env[variable];
  return fromEnv === undefined || fromEnv === "" ? undefined : variable;
}
