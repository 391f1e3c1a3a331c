/**
 * One API client per tenant for the life of the provider process, so that every resource of an `up` shares
 * keep-alive connections and the in-flight limit.
 */
import { ImmutaClient, type ConnectionSettings, type ImmutaClientOptions } from "./client";
import { resolveTenantConnection, type ConfigSource, type TenantConnection } from "./config";

export { PROVIDER_DEFAULT_MAX_IN_FLIGHT } from "./constants";

interface PooledClient {
  client: ImmutaClient;
  connection: TenantConnection;
}

function sameConnection(a: TenantConnection, b: TenantConnection): boolean {
  const keys = new Set([...Object.keys(a.settings), ...Object.keys(b.settings)]) as Set<
    keyof ConnectionSettings
  >;
  return [...keys].every((key) => a.settings[key] === b.settings[key]);
}

export class ClientPool {
  private readonly clients = new Map<string, PooledClient>();
  /** Clients replaced by a new configuration; requests may still run on them, so they close with the pool. */
  private readonly retired = new Set<ImmutaClient>();
  private config: ConfigSource | undefined;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly overrides: Partial<ImmutaClientOptions> = {},
  ) {}

  /**
   * Called from `configure`: later clients use the stack's config. The engine's host calls `configure` once per
   * distinct `__provider` string, and resources written by different releases may load this same provider, so it
   * can come while operations run: a client whose connection is unchanged is kept, a changed one is retired but
   * not closed under the requests still using it.
   */
  configure(config: ConfigSource): void {
    this.config = config;
    for (const [tenant, pooled] of this.clients) {
      let connection: TenantConnection | undefined;
      try {
        connection = resolveTenantConnection(tenant, config, this.env);
      } catch {
        connection = undefined; // reported by the next forTenant, from the operation that needs it
      }
      if (connection && sameConnection(connection, pooled.connection)) continue;
      this.clients.delete(tenant);
      this.retired.add(pooled.client);
    }
  }

  forTenant(tenant: string): ImmutaClient {
    let pooled = this.clients.get(tenant);
    if (!pooled) {
      const connection = resolveTenantConnection(tenant, this.config, this.env);
      const { settings, resolved } = connection;
      const client = new ImmutaClient({
        ...settings,
        // The PEM text, not a path: the file was read once, when the connection was resolved.
        caBundle: resolved.caBundle,
        userAgent: "pulumi-immuta",
        ...this.overrides,
      });
      pooled = { client, connection };
      this.clients.set(tenant, pooled);
    }
    return pooled.client;
  }

  close(): void {
    for (const { client } of this.clients.values()) client.close();
    for (const client of this.retired) client.close();
    this.clients.clear();
    this.retired.clear();
  }
}
