/**
 * `integration <id>`: the Native S3 integration as the provider learns it (Immuta's integrations API, else the
 * location set in stack config, else `s3://`), its `awsLocationPath`, and the form in which a prefix under it is sent.
 */
import { NATIVE_S3_INTEGRATION_TYPE } from "../../provider/client/defaults";
import type { ImmutaClient } from "../../provider/client";
import type { PrefixForm, TenantConnection } from "../../provider/core/settings";
import { canonicalLocation, relativeTo, S3_ROOT } from "../../provider/core/s3-naming";
import { briefly, kindOf, since } from "../client";
import type { CheckResult } from "../report";

/** `s3://my-bucket/raw is sent as "my-bucket/raw"`: what the configured form does to a prefix under `location`. */
export function wireExample(location: string, prefixForm: PrefixForm): string {
  const base = canonicalLocation(location);
  const declared = base === S3_ROOT ? "s3://my-bucket/raw" : `${base}/raw`;
  const sent = prefixForm === "relative" ? relativeTo(declared, base) : declared;
  return `with prefixForm ${prefixForm}, a declared ${declared} is sent as ${JSON.stringify(sent)}`;
}

function setLocationCommand(connection: TenantConnection, integrationId: number): string {
  return `pulumi config set --path '${connection.locationsKey}["${integrationId}"].awsLocationPath' s3://bucket/path/`;
}

export async function checkIntegration(
  client: ImmutaClient,
  connection: TenantConnection,
  integrationId: number,
): Promise<CheckResult> {
  const check = `integration ${integrationId}`;
  const configured = connection.locations.get(integrationId);
  const startedAt = Date.now();
  try {
    const integration = await client.getIntegration(integrationId);
    const latencyMs = since(startedAt);
    if (integration.type !== undefined && integration.type !== NATIVE_S3_INTEGRATION_TYPE) {
      return {
        check,
        verdict: "failed",
        summary: `integration ${integrationId} is a ${JSON.stringify(integration.type)} integration, not ${NATIVE_S3_INTEGRATION_TYPE}`,
        fix: "Declare the id of the tenant's Native S3 integration as integrationId.",
        latencyMs,
      };
    }
    if (integration.awsLocationPath === undefined) {
      const used = configured ?? S3_ROOT;
      return {
        check,
        verdict: "warning",
        summary: `Immuta's integrations API answered without an awsLocationPath; the provider uses ${canonicalLocation(used)} (${configured === undefined ? "assumed" : connection.locationsKey}): ${wireExample(used, connection.prefixForm)}`,
        ...(configured === undefined
          ? {
              fix: `If the location is narrower, set it: \`${setLocationCommand(connection, integrationId)}\`.`,
            }
          : {}),
        latencyMs,
      };
    }
    return {
      check,
      verdict: "ok",
      summary: `${NATIVE_S3_INTEGRATION_TYPE}, awsLocationPath ${integration.awsLocationPath}: ${wireExample(integration.awsLocationPath, connection.prefixForm)}`,
      latencyMs,
    };
  } catch (error) {
    const latencyMs = since(startedAt);
    const kind = kindOf(error);
    if (kind !== "forbidden" && kind !== "not-found") {
      return {
        check,
        verdict: "failed",
        summary: `reading integration ${integrationId} failed: ${briefly(error)}`,
        fix: "Run doctor again; if it persists, report the message above.",
        latencyMs,
      };
    }
    if (configured !== undefined) {
      return {
        check,
        verdict: "warning",
        summary:
          `Immuta's integrations API cannot be read (${briefly(error)}); the provider uses awsLocationPath ` +
          `${canonicalLocation(configured)} from ${connection.locationsKey}: ${wireExample(configured, connection.prefixForm)}. ` +
          `Whether integration ${integrationId} exists is not checked`,
        latencyMs,
      };
    }
    if (kind === "forbidden") {
      return {
        check,
        verdict: "warning",
        summary:
          `Immuta's integrations API refuses the key's user (${briefly(error)}); the provider assumes awsLocationPath ` +
          `${S3_ROOT}: ${wireExample(S3_ROOT, connection.prefixForm)}`,
        fix: `If the integration's location is narrower than ${S3_ROOT}, set it: \`${setLocationCommand(connection, integrationId)}\`.`,
        latencyMs,
      };
    }
    return {
      check,
      verdict: "failed",
      summary: `Immuta has no integration ${integrationId} (${briefly(error)})`,
      fix:
        `Check the id of the tenant's Native S3 integration (Immuta's integrations API lists them). If this tenant ` +
        `does not serve the integrations API at all, set the location: \`${setLocationCommand(connection, integrationId)}\`.`,
      latencyMs,
    };
  }
}

/** `integrations`: no id to look up. */
export function noIntegrations(): CheckResult {
  return {
    check: "integrations",
    verdict: "skipped",
    summary:
      "no integration id to look up: pass --integration <id>, or run in a stack whose state holds sources",
  };
}
