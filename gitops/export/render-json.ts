/**
 * The catalogue as JSON. JSON has no comments, so a disabled source carries its note in `$comment`, which the
 * catalogue's schema allows for that purpose.
 */
import { disabledNote, SCHEMA_REFERENCE } from "./notes";
import { declaredFields, type ExportEntry, type ExportIntegration, type ExportPlan } from "./types";

export function jsonIntegration(integration: ExportIntegration): Record<string, unknown> {
  return {
    integrationId: integration.integrationId,
    ...(integration.tenant === undefined ? {} : { tenant: integration.tenant }),
  };
}

export function jsonSource(entry: ExportEntry): Record<string, unknown> {
  return {
    ...(entry.source.disabled ? { $comment: disabledNote(entry) } : {}),
    integration: entry.integration,
    ...Object.fromEntries(declaredFields(entry.source)),
    adopt: { dataSourceId: entry.source.dataSourceId },
  };
}

export function renderJson(plan: ExportPlan): string {
  const document = {
    $schema: SCHEMA_REFERENCE,
    integrations: Object.fromEntries(plan.integrations.map((i) => [i.key, jsonIntegration(i)])),
    sources: Object.fromEntries(plan.entries.map((entry) => [entry.key, jsonSource(entry)])),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
