import type {
  ActiveFaultRule,
  EmulatorIntegration,
  EmulatorModes,
  FaultRule,
  RequestLogEntry,
  RequestLogSnapshot,
  StoreSnapshot,
  StoredDataSource,
  TagSource,
} from "./types";

/** A tag placed behind the client's back; the library is not consulted. */
export interface TagSeed {
  /** Dot-separated, e.g. `Discovered.PII`. */
  name: string;
  /** Who attached it; default `curated` (`sdd`: sensitive data discovery, `catalog`: an external catalog). */
  source?: TagSource;
  /** Id of the user who attached it; default the demo user's (1). */
  addedBy?: number;
}

/** A data source to place in the store directly (no permissions; names are kept as given). */
export interface DataSourceSeed {
  name: string;
  /** Canonicalised like the API does; 400 when it is not an S3 prefix. */
  prefix: string;
  /** Default: the lowest configured integration id. */
  integrationId?: number;
  /** Default `demo`; any name, configured or not. */
  owner?: string;
  /** Seed an already disabled (soft-deleted) source. */
  deleted?: boolean;
  /** Visible to every user while enabled; default false. */
  public?: boolean;
  /** Users (by name) subscribed to the source, who may see it while enabled; default none. */
  subscribers?: string[];
  /** Default null, as for sources created through the API. */
  description?: string | null;
  /** Default none. */
  tags?: TagSeed[];
  /** When it was registered (ISO 8601), e.g. by hand an hour before a test; default now. */
  createdAt?: string;
}

/** An out-of-band change (drift): rename, re-point, disable or restore, change owner, fail handler clean-up. */
export interface DataSourceMutation {
  name?: string;
  prefix?: string;
  integrationId?: number;
  deleted?: boolean;
  owner?: string;
  public?: boolean;
  /** Replaces the subscribers. */
  subscribers?: string[];
  description?: string | null;
  /** Replaces every tag. */
  tags?: TagSeed[];
  /** Returned by DELETE as `handlerDeleteErrorMessage` while set. */
  handlerDeleteErrorMessage?: string | null;
}

/**
 * An integration to add or replace; the id defaults to the next free one, account and region to the defaults'.
 * A location another integration already has is a 409 while `integrationLocations` is `unique`.
 */
export interface IntegrationSeed {
  id?: number;
  awsLocationPath: string;
  awsAccountId?: string;
  awsRegion?: string;
  /** Shown by `GET /integrations/{id}`. */
  name?: string;
  /** Shown by `GET /integrations/{id}`. */
  awsLocationRole?: string;
}

/** A control API call that did not succeed. */
export class EmulatorControlError extends Error {
  override readonly name = "EmulatorControlError";

  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly serverMessage: string,
  ) {
    super(`Emulator control request failed with status ${status}: ${method} ${path}: ${serverMessage}`);
  }
}

/** Typed client for the emulator's control API (`/__emulator/*`), built on Node's fetch. */
export class EmulatorControl {
  private readonly baseUrl: string;

  constructor(
    url: string,
    private readonly adminToken: string,
  ) {
    this.baseUrl = url.replace(/\/+$/, "");
  }

  /** Back to the configured integrations, modes and tag library; no sources, faults or logged requests. */
  async reset(): Promise<void> {
    await this.call("POST", "/reset");
  }

  store(): Promise<StoreSnapshot> {
    return this.call("GET", "/store") as Promise<StoreSnapshot>;
  }

  /** Immuta API requests received, oldest first. */
  async requests(): Promise<RequestLogEntry[]> {
    return (await this.requestLog()).requests;
  }

  /** The request log with the number of entries evicted by its cap. */
  requestLog(): Promise<RequestLogSnapshot> {
    return this.call("GET", "/requests") as Promise<RequestLogSnapshot>;
  }

  async clearRequests(): Promise<void> {
    await this.call("DELETE", "/requests");
  }

  modes(): Promise<EmulatorModes> {
    return this.call("GET", "/modes") as Promise<EmulatorModes>;
  }

  /** Changes only the modes given; returns all of them. Setting `rateLimit` starts a full bucket. */
  setModes(modes: Partial<EmulatorModes>): Promise<EmulatorModes> {
    return this.call("PATCH", "/modes", modes) as Promise<EmulatorModes>;
  }

  async faults(): Promise<ActiveFaultRule[]> {
    return ((await this.call("GET", "/faults")) as { rules: ActiveFaultRule[] }).rules;
  }

  /** Replaces the fault rules and re-seeds the PRNG (with `seed`, or the emulator's configured seed). */
  async setFaults(rules: FaultRule[], options: { seed?: number } = {}): Promise<ActiveFaultRule[]> {
    const body = options.seed === undefined ? { rules } : { rules, seed: options.seed };
    return ((await this.call("PUT", "/faults", body)) as { rules: ActiveFaultRule[] }).rules;
  }

  async clearFaults(): Promise<void> {
    await this.call("DELETE", "/faults");
  }

  /** Expires every bearer token now, so clients must re-authenticate. */
  async expireTokens(): Promise<void> {
    await this.call("DELETE", "/tokens");
  }

  seedDataSource(seed: DataSourceSeed): Promise<StoredDataSource> {
    return this.call("POST", "/data-sources", seed) as Promise<StoredDataSource>;
  }

  seedIntegration(seed: IntegrationSeed): Promise<EmulatorIntegration> {
    return this.call("POST", "/integrations", seed) as Promise<EmulatorIntegration>;
  }

  mutateDataSource(dataSourceId: number, mutation: DataSourceMutation): Promise<StoredDataSource> {
    return this.call("PATCH", `/data-sources/${dataSourceId}`, mutation) as Promise<StoredDataSource>;
  }

  /** Hard-deletes a source behind the client's back. */
  async purgeDataSource(dataSourceId: number): Promise<void> {
    await this.call("DELETE", `/data-sources/${dataSourceId}`);
  }

  /**
   * Attaches tags behind the client's back (e.g. `[{ name: "Discovered.PII", source: "sdd" }]`), after the source's
   * own; a tag already attached is left as it is.
   */
  tagDataSource(dataSourceId: number, tags: TagSeed[]): Promise<StoredDataSource> {
    return this.call("POST", `/data-sources/${dataSourceId}/tags`, { tags }) as Promise<StoredDataSource>;
  }

  /** Removes one tag behind the client's back; 404 when the source does not carry it. */
  untagDataSource(dataSourceId: number, tagName: string): Promise<StoredDataSource> {
    const path = `/data-sources/${dataSourceId}/tags/${encodeURIComponent(tagName)}`;
    return this.call("DELETE", path) as Promise<StoredDataSource>;
  }

  /** Every tag of the library, ancestors included, in name order. */
  async tagLibrary(): Promise<string[]> {
    return ((await this.call("GET", "/tags")) as { tags: string[] }).tags;
  }

  /** Adds tags (and their ancestors) to the library; returns the whole library. */
  async addLibraryTags(names: string[]): Promise<string[]> {
    return ((await this.call("POST", "/tags", { tags: names })) as { tags: string[] }).tags;
  }

  /**
   * Removes a tag and its descendants from the library (tags already attached to sources stay); returns the whole
   * library. 404 when the library lacks it.
   */
  async removeLibraryTag(name: string): Promise<string[]> {
    return ((await this.call("DELETE", `/tags/${encodeURIComponent(name)}`)) as { tags: string[] }).tags;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const fullPath = `/__emulator${path}`;
    const headers: Record<string, string> = { "x-emulator-admin-token": this.adminToken };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${this.baseUrl}${fullPath}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new EmulatorControlError(response.status, method, fullPath, messageOf(text));
    return text === "" ? undefined : (JSON.parse(text) as unknown);
  }
}

function messageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === "string") return parsed.message;
  } catch {
    // not JSON: fall back to the raw text
  }
  return text.slice(0, 200);
}
