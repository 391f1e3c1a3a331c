import type { EmulatorIntegration } from "./types";

/**
 * The name Immuta gives a source in `names: generate` mode, e.g.
 * `s3://research-data-source (123*****9012/us-east-2)`.
 */
// DECISION: the account id keeps its first 3 and last 4 characters; Immuta's documented example `64*****50499`
// masks differently, which is why clients must not parse the name (docs/immuta-api.md, "Create a data source").
export function generatedDataSourceName(canonicalPrefix: string, integration: EmulatorIntegration): string {
  return `${canonicalPrefix} (${maskAccountId(integration.awsAccountId)}/${integration.awsRegion})`;
}

export function maskAccountId(accountId: string): string {
  if (accountId.length < 8) return "*".repeat(accountId.length);
  return `${accountId.slice(0, 3)}${"*".repeat(accountId.length - 7)}${accountId.slice(-4)}`;
}
