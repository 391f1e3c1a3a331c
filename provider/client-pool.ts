/**
 * One API client per tenant for the life of the provider process, so that every resource of an `up` shares
 * keep-alive connections and the in-flight limit.
 */
import { ImmutaClient, type ImmutaClientOptions } from "./client";
import { resolveTenantConnection, type ConfigSource } from "./config";

export class ClientPool {
  private readonly clients = new Map<string, ImmutaClient>();
  private config: ConfigSource | undefined;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly overrides: Partial<ImmutaClientOptions> = {},
  ) {}

  /** Called from `configure`: later clients use the stack's config. */
  configure(config: ConfigSource): void {
    this.config = config;
    this.close();
  }

  forTenant(tenant: string): ImmutaClient {
    let client = this.clients.get(tenant);
    if (!client) {
      const connection = resolveTenantConnection(tenant, this.config, this.env);
      client = new ImmutaClient({
        baseUrl: connection.url,
        apiKey: connection.apiKey,
        authMode: connection.authMode,
        requestTimeoutMs: connection.requestTimeoutMs,
        operationDeadlineMs: connection.operationTimeoutMs,
        allowInsecureHttp: connection.allowInsecureHttp,
        caBundle: connection.caBundle,
        userAgent: "pulumi-immuta",
        ...this.overrides,
      });
      this.clients.set(tenant, client);
    }
    return client;
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}
