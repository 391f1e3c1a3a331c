/**
 * Provider configuration as the engine hands it to `Configure`: variables named `immuta:config:<key>`, with secrets
 * already decrypted and objects (e.g. `tenants`, `integrations`) JSON-encoded. The core reads them through the same
 * `ConfigSource` as the dynamic resource's stack config, as `immuta:<key>`.
 *
 * DECISION: only these variables configure the plugin, never `PULUMI_CONFIG` (the engine gives every plugin process
 * the whole stack config there, which is wrong for an explicit provider with its own settings). The environment
 * variables (IMMUTA_URL, ...) remain the fallback, as for the dynamic resource.
 */
import type { ConfigSource } from "../core/settings";

export function configFromVariables(variables: ReadonlyMap<string, string>): ConfigSource {
  return {
    get(key: string): string | undefined {
      const separator = key.indexOf(":");
      if (separator < 0) return undefined;
      return variables.get(`${key.slice(0, separator)}:config:${key.slice(separator + 1)}`);
    },
  };
}
