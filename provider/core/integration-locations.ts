/**
 * The `awsLocationPath` of each Native S3 integration: the base S3 location Immuta registers that integration's
 * sources under, which decides the wire form of a prefix (Immuta documents it relative to this location). Learned
 * once per provider process and integration: concurrent operations share one request.
 */
import { isNotFound, type ImmutaClient, type ImmutaError } from "../client";
import type { EngineLog } from "../runtime/engine-log";
import { canonicalLocation, S3_ROOT } from "./s3-naming";

/** Where a location came from, for the message that reports it. */
export type LocationSource = "integrations API" | "stack config" | "default";

export interface IntegrationLocation {
  /** Canonical: `s3://`, `s3://bucket` or `s3://bucket/key`. */
  awsLocationPath: string;
  source: LocationSource;
}

export interface IntegrationLocationsOptions {
  client: ImmutaClient;
  /** Locations set in stack config, used when the integrations API cannot be read. */
  configured: ReadonlyMap<number, string>;
  /** Where `configured` is set, e.g. `immuta:integrations`. */
  configKey: string;
  log: EngineLog;
  /** `""` for the default tenant, ` of tenant "production"` for a named one. */
  tenantLabel: string;
}

/** Answers that say "you may not read integrations here": fall back instead of failing the operation. */
function unreadable(error: unknown): error is ImmutaError {
  return isNotFound(error) || (error as ImmutaError | undefined)?.kind === "forbidden";
}

export class IntegrationLocations {
  readonly #known = new Map<number, Promise<IntegrationLocation>>();

  constructor(private readonly options: IntegrationLocationsOptions) {}

  /**
   * The integration's location: from Immuta's integrations API (`GET /integrations/{id}`); when that answers 403 or
   * 404, from `<configKey>["<id>"].awsLocationPath`; else `s3://`. The engine log says which one was used.
   * Another failure (e.g. Immuta unreachable after retries) fails the operation and is not remembered.
   */
  locationOf(integrationId: number): Promise<IntegrationLocation> {
    let known = this.#known.get(integrationId);
    if (!known) {
      known = this.#learn(integrationId);
      this.#known.set(integrationId, known);
      known.catch(() => this.#known.delete(integrationId));
    }
    return known;
  }

  async #learn(integrationId: number): Promise<IntegrationLocation> {
    const { client, configured, configKey, log, tenantLabel } = this.options;
    const integration = `Integration ${integrationId}${tenantLabel}`;
    let reason: string;
    try {
      const found = await client.getIntegration(integrationId);
      if (found.awsLocationPath !== undefined) {
        const awsLocationPath = canonicalLocation(found.awsLocationPath);
        log.info(`${integration}: awsLocationPath ${awsLocationPath} (read from Immuta's integrations API).`);
        return { awsLocationPath, source: "integrations API" };
      }
      reason = "Immuta's integrations API answered without an awsLocationPath";
    } catch (error) {
      if (!unreadable(error)) throw error;
      const said = error.immutaMessage === undefined ? "" : `: ${JSON.stringify(error.immutaMessage)}`;
      reason = `Immuta's integrations API could not be read (HTTP ${error.status ?? "error"}${said})`;
    }
    const fromConfig = configured.get(integrationId);
    if (fromConfig !== undefined) {
      const awsLocationPath = canonicalLocation(fromConfig);
      log.warn(`${integration}: ${reason}; using awsLocationPath ${awsLocationPath} from ${configKey}.`);
      return { awsLocationPath, source: "stack config" };
    }
    log.warn(
      `${integration}: ${reason}; assuming awsLocationPath ${S3_ROOT}. If the integration's location is narrower, ` +
        `set it with \`pulumi config set --path '${configKey}["${integrationId}"].awsLocationPath' s3://bucket/path/\`.`,
    );
    return { awsLocationPath: S3_ROOT, source: "default" };
  }
}
