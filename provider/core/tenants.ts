/**
 * One API client per tenant for the life of the provider process, so that every resource of an `up` shares
 * keep-alive connections, the in-flight limit and what was learned about the tenant's integrations.
 */
import { ImmutaClient, type ImmutaClientOptions } from "../client";
import {
  resolveTenantConnection,
  type ConfigSource,
  type PrefixForm,
  type TenantConnection,
} from "./settings";
import { DEFAULT_TENANT } from "./constants";
import type { EngineLog } from "../runtime/engine-log";
import { IntegrationLocations } from "./integration-locations";

export { PROVIDER_DEFAULT_MAX_IN_FLIGHT } from "./constants";

/** What operations need of a tenant. */
export interface Tenant {
  name: string;
  client: ImmutaClient;
  /** The wire form of prefixes (`immuta:prefixForm`). */
  prefixForm: PrefixForm;
  locations: IntegrationLocations;
}

interface Pooled {
  tenant: Tenant;
  connection: TenantConnection;
}

function sameConnection(a: TenantConnection, b: TenantConnection): boolean {
  const keys = new Set([...Object.keys(a.settings), ...Object.keys(b.settings)]);
  const settings = [...keys].every(
    (key) => a.settings[key as keyof typeof a.settings] === b.settings[key as keyof typeof b.settings],
  );
  const locations =
    a.locations.size === b.locations.size &&
    [...a.locations].every(([id, location]) => b.locations.get(id) === location);
  return settings && locations && a.prefixForm === b.prefixForm;
}

export class Tenants {
  private readonly pooled = new Map<string, Pooled>();
  /** Clients replaced by a new configuration; requests may still run on them, so they close with the pool. */
  private readonly retired = new Set<ImmutaClient>();
  private config: ConfigSource | undefined;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: EngineLog,
    private readonly overrides: Partial<ImmutaClientOptions> = {},
  ) {}

  /**
   * Called from `configure`: later clients use the stack's config. The engine's host calls `configure` once per
   * distinct `__provider` string, and resources written by different releases may load this same provider, so it
   * can come while operations run: a tenant whose connection is unchanged is kept, a changed one is retired but
   * its client is not closed under the requests still using it.
   */
  configure(config: ConfigSource): void {
    this.config = config;
    for (const [name, pooled] of this.pooled) {
      let connection: TenantConnection | undefined;
      try {
        connection = resolveTenantConnection(name, config, this.env);
      } catch {
        connection = undefined; // reported by the next `get`, from the operation that needs it
      }
      if (connection && sameConnection(connection, pooled.connection)) continue;
      this.pooled.delete(name);
      this.retired.add(pooled.tenant.client);
    }
  }

  get(name: string): Tenant {
    let pooled = this.pooled.get(name);
    if (!pooled) {
      const connection = resolveTenantConnection(name, this.config, this.env);
      const client = new ImmutaClient({
        ...connection.settings,
        // The PEM text, not a path: the file was read once, when the connection was resolved.
        caBundle: connection.resolved.caBundle,
        userAgent: "pulumi-immuta",
        ...this.overrides,
      });
      const locations = new IntegrationLocations({
        client,
        configured: connection.locations,
        configKey: connection.locationsKey,
        log: this.log,
        tenantLabel: name === DEFAULT_TENANT ? "" : ` of tenant "${name}"`,
      });
      pooled = { tenant: { name, client, prefixForm: connection.prefixForm, locations }, connection };
      this.pooled.set(name, pooled);
    }
    return pooled.tenant;
  }

  close(): void {
    for (const { tenant } of this.pooled.values()) tenant.client.close();
    for (const client of this.retired) client.close();
    this.pooled.clear();
    this.retired.clear();
  }
}
