/**
 * `prefix form`: the configured `prefixForm` against the form in which Immuta echoed the prefixes of the sources
 * that were read. A tenant that echoes relative prefixes reads them relative (as Immuta documents); one that echoes
 * absolute `s3://` URIs may refuse relative ones. Only a create could prove it, and the doctor creates nothing.
 */
import { type NativeS3Handler, type PrefixForm, type TenantConnection } from "../../provider/api";
import type { CheckResult } from "../report";
import { bothNames, configCommand } from "../settings";

function formOf(prefix: string): PrefixForm {
  return /^s3:\/\//i.test(prefix) ? "absolute" : "relative";
}

export function checkPrefixForm(
  connection: TenantConnection,
  handlers: readonly NativeS3Handler[],
): CheckResult {
  const configured = connection.prefixForm;
  const setting = bothNames(connection.tenant, "prefixForm");
  const evidence = handlers[0];
  if (evidence === undefined) {
    return {
      check: "prefix form",
      verdict: "ok",
      summary:
        `prefixes are sent ${configured} (${setting}); not compared with the tenant, since no S3 source was read` +
        (configured === "relative" ? " (relative is what Immuta documents)" : ""),
    };
  }
  const echoed = formOf(evidence.metadata.prefix);
  const example = `handler ${evidence.id} echoes ${JSON.stringify(evidence.metadata.prefix)}`;
  if (echoed === configured) {
    return {
      check: "prefix form",
      verdict: "ok",
      summary: `Immuta echoes prefixes ${echoed} (${example}), the form ${setting} sends`,
    };
  }
  return {
    check: "prefix form",
    verdict: "warning",
    summary: `Immuta echoes prefixes ${echoed} (${example}), but ${setting} sends them ${configured}`,
    fix:
      echoed === "absolute"
        ? `A tenant that echoes absolute prefixes may refuse relative ones (a 400 about the prefix on create): \`${configCommand(connection.tenant, "prefixForm", "absolute")}\`.`
        : `A tenant that echoes relative prefixes reads them relative to the integration's awsLocationPath, as Immuta documents: \`${configCommand(connection.tenant, "prefixForm", "relative")}\`.`,
  };
}
