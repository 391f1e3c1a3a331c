/**
 * The checks of one tenant, in order; a check that needs an earlier one which failed is reported as skipped.
 */
import { type ConfigSource, type NativeS3Handler } from "../provider/api";
import { checkAuthentication, checkSearch } from "./checks/authentication";
import { checkConfiguration } from "./checks/configuration";
import { checkIntegration, noIntegrations } from "./checks/integration";
import { checkPermissions } from "./checks/permissions";
import { checkPrefixForm } from "./checks/prefix-form";
import { checkReach } from "./checks/reach";
import { checkRead, nothingToRead, sampleTarget, type ReadTarget } from "./checks/read";
import type { CheckResult, TenantReport } from "./report";
import type { TenantTargets } from "./targets";

export interface TenantDiagnosis {
  report: TenantReport;
  /** The tenant's API key, so that the rendered report can be scrubbed of it. */
  apiKey?: string;
}

function skipped(reason: string): CheckResult {
  return { check: "remaining checks", verdict: "skipped", summary: reason };
}

export async function diagnoseTenant(
  targets: TenantTargets,
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
): Promise<TenantDiagnosis> {
  const { tenant } = targets;
  const checks: CheckResult[] = [];
  const configuration = checkConfiguration(tenant, config, env);
  checks.push(configuration.result);
  const { connection } = configuration;
  if (!connection) {
    checks.push(skipped("they need a valid configuration"));
    return { report: { tenant, checks } };
  }
  const report: TenantReport = { tenant, url: connection.resolved.tenant.root, checks };
  const diagnosis = { report, apiKey: connection.settings.apiKey };

  const reach = await checkReach(connection, env);
  checks.push(reach);
  if (reach.verdict === "failed") {
    checks.push(skipped("they need Immuta to be reachable"));
    return diagnosis;
  }
  const authentication = await checkAuthentication(connection);
  checks.push(authentication.result);
  const { client, search } = authentication;
  if (!client || !search) {
    checks.push(skipped("they need Immuta to accept the API key"));
    return diagnosis;
  }
  try {
    checks.push(await checkPermissions(client));
    checks.push(checkSearch(search));
    let reads: ReadTarget[] = targets.reads;
    if (reads.length === 0 && search.ok) {
      const sample = sampleTarget(search.found);
      if (sample) reads = [sample];
      else checks.push(nothingToRead());
    }
    const handlers: NativeS3Handler[] = [];
    for (const target of reads) {
      const read = await checkRead(client, target);
      checks.push(read.result);
      if (read.handler) handlers.push(read.handler);
    }
    // Without ids given or in the state, the integrations of the sources just read.
    const integrationIds =
      targets.integrationIds.length > 0
        ? targets.integrationIds
        : [...new Set(handlers.map((handler) => handler.metadata.integrationId))];
    for (const integrationId of integrationIds) {
      checks.push(await checkIntegration(client, connection, integrationId));
    }
    if (integrationIds.length === 0) checks.push(noIntegrations());
    checks.push(checkPrefixForm(connection, handlers));
  } finally {
    client.close();
  }
  return diagnosis;
}
