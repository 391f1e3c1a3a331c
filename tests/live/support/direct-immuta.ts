/**
 * The live tenant reached directly, not through Pulumi: what the suite changes "behind Pulumi's back" and what it
 * checks Immuta holds. Reads, registrations and purges use the provider's own client and operations with the
 * `IMMUTA_LIVE_*` settings, so they speak exactly the wire forms the provider speaks.
 */
import https from "node:https";
import tls from "node:tls";
import axios, { type AxiosInstance } from "axios";
import { isNotFound, type HardDeleteResult } from "../../../provider/client";
import { resolveTenantConnection, type TenantConnection } from "../../../provider/core/settings";
import { silentLog } from "../../../provider/runtime/engine-log";
import { createDataSource } from "../../../provider/operations/create";
import { curatedTagNames, governanceOf } from "../../../provider/operations/governance";
import { fetchHandler } from "../../../provider/operations/immuta-view";
import type { DataSourceState } from "../../../provider/core/state";
import { Tenants, type Tenant } from "../../../provider/core/tenants";
import { LIVE_TENANT } from "./settings";

/** A source's governance metadata as Immuta holds it: its curated tags (sorted) and description. */
export interface HeldGovernance {
  tags: string[];
  description: string | null;
}

/** A data source as Immuta holds it. */
export interface HeldSource {
  dataSourceId: number;
  name: string;
  /** Canonical absolute prefix. */
  prefix: string;
  disabled: boolean;
}

/** DELETEs sent to disable one source before giving up (each only after Immuta showed it still enabled). */
const MAX_DISABLE_ATTEMPTS = 4;

export class DirectImmuta {
  readonly #tenants: Tenants;
  readonly #connection: TenantConnection;
  readonly #http: AxiosInstance;
  readonly #agent: https.Agent;
  #token: string | undefined;
  readonly tenant: Tenant;

  constructor(env: NodeJS.ProcessEnv) {
    this.#tenants = new Tenants(env, silentLog);
    this.tenant = this.#tenants.get(LIVE_TENANT);
    this.#connection = resolveTenantConnection(LIVE_TENANT, undefined, env);
    const { caBundle, requestTimeoutMs, tenant } = this.#connection.resolved;
    this.#agent = new https.Agent({
      keepAlive: false,
      rejectUnauthorized: true,
      ...(caBundle === undefined ? {} : { ca: [...tls.rootCertificates, caBundle] }),
    });
    this.#http = axios.create({
      baseURL: tenant.root,
      httpsAgent: this.#agent,
      timeout: requestTimeoutMs,
      maxRedirects: 0,
      validateStatus: () => true,
      headers: { Accept: "application/json", "User-Agent": "pulumi-immuta-live-tests" },
    });
  }

  /**
   * Disables a source as a user would in Immuta: its first `DELETE /dataSource/{id}`. The provider's client has no
   * such call on purpose (its delete always purges), so it is sent here. A second DELETE would purge the source, so
   * after any failure Immuta is asked first, and the DELETE is sent again only while the source is still enabled.
   */
  async disable(dataSourceId: number): Promise<void> {
    const failures: string[] = [];
    for (let attempt = 1; attempt <= MAX_DISABLE_ATTEMPTS; attempt++) {
      try {
        await this.#deleteOnce(dataSourceId);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
      const held = await this.held(dataSourceId);
      if (held === undefined) throw new Error(`data source ${dataSourceId} was purged while being disabled`);
      if (held.disabled) return;
    }
    throw new Error(`could not disable data source ${dataSourceId}: ${failures.join("; ")}`);
  }

  /** DELETE until purged. */
  purge(dataSourceId: number): Promise<HardDeleteResult> {
    return this.tenant.client.hardDeleteDataSource(dataSourceId);
  }

  /** Registers a source the way the provider's create does (the same wire form of the prefix). */
  register(source: {
    integrationId: number;
    dataSourceName: string;
    prefix: string;
  }): Promise<DataSourceState> {
    return createDataSource(this.tenant, { ...source, tenant: LIVE_TENANT, disabled: false });
  }

  /** The source with this id and its handler's prefix; `undefined` once Immuta answers 404. */
  async held(dataSourceId: number): Promise<HeldSource | undefined> {
    try {
      const dataSource = await this.tenant.client.getDataSource(dataSourceId);
      const view = await fetchHandler(this.tenant, dataSource);
      return {
        dataSourceId,
        name: dataSource.name,
        prefix: view.prefix,
        disabled: dataSource.deleted === true,
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** The source's curated tags and its description, as the provider reads them. */
  async governance(dataSourceId: number): Promise<HeldGovernance> {
    const dataSource = await this.tenant.client.getDataSource(dataSourceId);
    const { tags, description } = await governanceOf(this.tenant, dataSource, true);
    return { tags: curatedTagNames(tags), description };
  }

  /** Removes a tag from a source as a user would in Immuta's UI. */
  async untag(dataSourceId: number, tagName: string): Promise<void> {
    await this.tenant.client.untagDataSource(dataSourceId, tagName);
  }

  /** Edits a source's description as a user would in Immuta's UI. */
  async describe(dataSourceId: number, description: string): Promise<void> {
    await this.tenant.client.describeDataSource(dataSourceId, description);
  }

  close(): void {
    this.#tenants.close();
    this.#agent.destroy();
  }

  /** One DELETE; errors carry method, path, status and Immuta's message, never a header. */
  async #deleteOnce(dataSourceId: number): Promise<void> {
    const path = `/dataSource/${dataSourceId}`;
    const answer = await this.#send("DELETE", path, await this.#authorization());
    if (answer.status === 401 && this.#connection.resolved.authMode === "bearer") this.#token = undefined;
    if (answer.status !== 200)
      throw new Error(`DELETE ${path} answered HTTP ${answer.status}: ${answer.said}`);
  }

  /** The `Authorization` value of the configured mode: the key itself, or a token exchanged for it. */
  async #authorization(): Promise<string> {
    const { apiKey, authMode } = this.#connection.resolved;
    if (authMode === "apiKey") return apiKey;
    if (this.#token === undefined) {
      const path = "/bim/apikey/authenticate";
      const answer = await this.#send("POST", path, apiKey, { apikey: apiKey });
      const token = (answer.body as { token?: unknown } | undefined)?.token;
      if (answer.status !== 200 || typeof token !== "string") {
        throw new Error(`POST ${path} answered HTTP ${answer.status}: ${answer.said}`);
      }
      this.#token = token;
    }
    return `Bearer ${this.#token}`;
  }

  async #send(
    method: "DELETE" | "POST",
    path: string,
    authorization: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown; said: string }> {
    try {
      const response = await this.#http.request<unknown>({
        method,
        url: path,
        data: body,
        headers: { Authorization: authorization },
      });
      const message = (response.data as { message?: unknown } | undefined)?.message;
      return {
        status: response.status,
        body: response.data,
        said: typeof message === "string" ? message : "(no message)",
      };
    } catch (error) {
      // Axios errors hold the request's headers: only the network error's code and message leave this method.
      const code = axios.isAxiosError(error) ? (error.code ?? "") : "";
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${method} ${path} failed on the network (${code}${code ? ": " : ""}${message})`);
    }
  }
}
