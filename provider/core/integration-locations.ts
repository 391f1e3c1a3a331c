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

/** Why Immuta's integrations API did not give the location, when it did not. */
export interface UnreadLocation {
  /** `forbidden` (403), `not-found` (404) or `no-location` (answered without an awsLocationPath). */
  kind: "forbidden" | "not-found" | "no-location";
  /** For messages: `Immuta's integrations API could not be read (HTTP 403: "...")`. */
  reason: string;
  error?: ImmutaError;
}

/** A location as learned, with what Immuta said about the integration on the way. */
export interface LearnedLocation extends IntegrationLocation {
  /** The integration's type as Immuta reports it, when its integrations API answered. */
  integrationType?: string;
  /** The location as Immuta wrote it (before canonicalisation), when its integrations API gave one. */
  reportedPath?: string;
  /** Set when the location is a fallback (stack config or the default). */
  unread?: UnreadLocation;
}

/** Answers that say "you may not read integrations here": fall back instead of failing. */
function unreadable(error: unknown): error is ImmutaError {
  return isNotFound(error) || (error as ImmutaError | undefined)?.kind === "forbidden";
}

/**
 * The one order in which an integration's location is learned: Immuta's integrations API (`GET /integrations/{id}`);
 * when that answers 403 or 404 or gives no location, the location set in stack config; else `s3://`. Another failure
 * (e.g. Immuta unreachable after retries) is thrown. The provider and doctor both learn locations through this.
 */
export async function learnLocation(
  client: ImmutaClient,
  integrationId: number,
  configured: ReadonlyMap<number, string>,
): Promise<LearnedLocation> {
  let unread: UnreadLocation;
  let integrationType: string | undefined;
  try {
    const found = await client.getIntegration(integrationId);
    integrationType = found.type;
    if (found.awsLocationPath !== undefined) {
      return {
        awsLocationPath: canonicalLocation(found.awsLocationPath),
        reportedPath: found.awsLocationPath,
        source: "integrations API",
        ...(integrationType === undefined ? {} : { integrationType }),
      };
    }
    unread = { kind: "no-location", reason: "Immuta's integrations API answered without an awsLocationPath" };
  } catch (error) {
    if (!unreadable(error)) throw error;
    const said = error.immutaMessage === undefined ? "" : `: ${JSON.stringify(error.immutaMessage)}`;
    unread = {
      kind: error.kind === "forbidden" ? "forbidden" : "not-found",
      reason: `Immuta's integrations API could not be read (HTTP ${error.status ?? "error"}${said})`,
      error,
    };
  }
  const fromConfig = configured.get(integrationId);
  const typed = integrationType === undefined ? {} : { integrationType };
  return fromConfig !== undefined
    ? { awsLocationPath: canonicalLocation(fromConfig), source: "stack config", unread, ...typed }
    : { awsLocationPath: S3_ROOT, source: "default", unread, ...typed };
}

/** The command that sets an integration's location in stack config. */
export function setLocationCommand(configKey: string, integrationId: number): string {
  return `pulumi config set --path '${configKey}["${integrationId}"].awsLocationPath' s3://bucket/path/`;
}

export class IntegrationLocations {
  readonly #known = new Map<number, Promise<IntegrationLocation>>();

  constructor(private readonly options: IntegrationLocationsOptions) {}

  /**
   * The integration's location (see {@link learnLocation}), learned once per integration: concurrent operations
   * share one request. The engine log says which source was used. A failure is not remembered.
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
    const learned = await learnLocation(client, integrationId, configured);
    const { awsLocationPath, source } = learned;
    if (!learned.unread)
      log.info(`${integration}: awsLocationPath ${awsLocationPath} (read from Immuta's integrations API).`);
    else if (source === "stack config")
      log.warn(
        `${integration}: ${learned.unread.reason}; using awsLocationPath ${awsLocationPath} from ${configKey}.`,
      );
    else
      log.warn(
        `${integration}: ${learned.unread.reason}; assuming awsLocationPath ${S3_ROOT}. If the integration's ` +
          `location is narrower, set it with \`${setLocationCommand(configKey, integrationId)}\`.`,
      );
    return { awsLocationPath, source };
  }
}
