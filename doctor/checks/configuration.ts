/**
 * `configuration`: the tenant's settings resolved exactly as the provider resolves them (stack config wins over the
 * environment), and where the URL and the key came from.
 */
import { resolveTenantConnection, type ConfigSource, type TenantConnection } from "../../provider/api";
import type { CheckResult } from "../report";
import { settingOrigin, type DoctorSetting } from "../settings";

export interface ConfigurationOutcome {
  result: CheckResult;
  connection?: TenantConnection;
}

export function checkConfiguration(
  tenant: string,
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
): ConfigurationOutcome {
  let connection: TenantConnection;
  try {
    connection = resolveTenantConnection(tenant, config, env);
  } catch (error) {
    // The provider's configuration errors name the setting and how to set it.
    return {
      result: {
        check: "configuration",
        verdict: "failed",
        summary: error instanceof Error ? error.message : String(error),
      },
    };
  }
  const origin = (setting: DoctorSetting) => settingOrigin(tenant, setting, config, env) ?? "default";
  const ca =
    connection.resolved.caBundle === undefined ? "" : `, extra CA certificates from ${origin("caBundle")}`;
  return {
    connection,
    result: {
      check: "configuration",
      verdict: "ok",
      summary:
        `URL from ${origin("url")}, API key from ${origin("apiKey")}, authMode ${connection.resolved.authMode} ` +
        `(${origin("authMode")}), prefixForm ${connection.prefixForm} (${origin("prefixForm")})${ca}`,
    },
  };
}
