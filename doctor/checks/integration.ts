/**
 * `integration <id>`: the Native S3 integration as the provider learns it (the provider's own order: Immuta's
 * integrations API, else the location set in stack config, else `s3://`), its `awsLocationPath`, and the form in
 * which a prefix under it is sent.
 */
import {
  canonicalLocation,
  learnLocation,
  NATIVE_S3_INTEGRATION_TYPE,
  relativeTo,
  S3_ROOT,
  setLocationCommand,
  type ImmutaClient,
  type PrefixForm,
  type TenantConnection,
} from "../../provider/api";
import { briefly, since } from "../client";
import type { CheckResult } from "../report";

/** `s3://my-bucket/raw is sent as "my-bucket/raw"`: what the configured form does to a prefix under `location`. */
export function wireExample(location: string, prefixForm: PrefixForm): string {
  const base = canonicalLocation(location);
  const declared = base === S3_ROOT ? "s3://my-bucket/raw" : `${base}/raw`;
  const sent = prefixForm === "relative" ? relativeTo(declared, base) : declared;
  return `with prefixForm ${prefixForm}, a declared ${declared} is sent as ${JSON.stringify(sent)}`;
}

export async function checkIntegration(
  client: ImmutaClient,
  connection: TenantConnection,
  integrationId: number,
): Promise<CheckResult> {
  const check = `integration ${integrationId}`;
  const setLocation = `\`${setLocationCommand(connection.locationsKey, integrationId)}\``;
  const startedAt = Date.now();
  let learned: Awaited<ReturnType<typeof learnLocation>>;
  try {
    learned = await learnLocation(client, integrationId, connection.locations);
  } catch (error) {
    return {
      check,
      verdict: "failed",
      summary: `reading integration ${integrationId} failed: ${briefly(error)}`,
      fix: "Run doctor again; if it persists, report the message above.",
      latencyMs: since(startedAt),
    };
  }
  const latencyMs = since(startedAt);
  const { awsLocationPath, source, unread, integrationType } = learned;
  const wire = wireExample(awsLocationPath, connection.prefixForm);
  if (integrationType !== undefined && integrationType !== NATIVE_S3_INTEGRATION_TYPE) {
    return {
      check,
      verdict: "failed",
      summary: `integration ${integrationId} is a ${JSON.stringify(integrationType)} integration, not ${NATIVE_S3_INTEGRATION_TYPE}`,
      fix: "Declare the id of the tenant's Native S3 integration as integrationId.",
      latencyMs,
    };
  }
  if (!unread) {
    const location = learned.reportedPath ?? awsLocationPath;
    return {
      check,
      verdict: "ok",
      summary: `${NATIVE_S3_INTEGRATION_TYPE}, awsLocationPath ${location}: ${wire}`,
      latencyMs,
    };
  }
  const fromConfig = source === "stack config";
  if (unread.kind === "no-location") {
    return {
      check,
      verdict: "warning",
      summary: `${unread.reason}; the provider uses ${awsLocationPath} (${fromConfig ? connection.locationsKey : "assumed"}): ${wire}`,
      ...(fromConfig ? {} : { fix: `If the location is narrower, set it: ${setLocation}.` }),
      latencyMs,
    };
  }
  const said = briefly(unread.error);
  if (fromConfig) {
    return {
      check,
      verdict: "warning",
      summary:
        `Immuta's integrations API cannot be read (${said}); the provider uses awsLocationPath ${awsLocationPath} ` +
        `from ${connection.locationsKey}: ${wire}. Whether integration ${integrationId} exists is not checked`,
      latencyMs,
    };
  }
  if (unread.kind === "forbidden") {
    return {
      check,
      verdict: "warning",
      summary: `Immuta's integrations API refuses the key's user (${said}); the provider assumes awsLocationPath ${S3_ROOT}: ${wire}`,
      fix: `If the integration's location is narrower than ${S3_ROOT}, set it: ${setLocation}.`,
      latencyMs,
    };
  }
  return {
    check,
    verdict: "failed",
    summary: `Immuta has no integration ${integrationId} (${said})`,
    fix:
      `Check the id of the tenant's Native S3 integration (Immuta's integrations API lists them). If this tenant ` +
      `does not serve the integrations API at all, set the location: ${setLocation}.`,
    latencyMs,
  };
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
