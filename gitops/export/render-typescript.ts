/**
 * The same declarations as a Pulumi program (`index.ts`) instead of a catalogue: one `ImmutaS3DataSource` per
 * source, named by the key the catalogue would give it, adopting it by id.
 */
import { disabledNote, groupNote, headerLines } from "./notes";
import { declaredFields, type ExportPlan } from "./types";

const literal = (value: string): string => JSON.stringify(value);

export function renderTypescript(plan: ExportPlan): string {
  const integrations = plan.integrations.map(
    (integration) =>
      `  ${literal(integration.key)}: { integrationId: ${integration.integrationId}` +
      `${integration.tenant === undefined ? "" : `, tenant: ${literal(integration.tenant)}`} },`,
  );
  const sources: string[] = [];
  let group: string | undefined;
  for (const entry of plan.entries) {
    if (entry.integration !== group) {
      group = entry.integration;
      sources.push(`  // ${groupNote(entry.integration, entry.source.integrationId)}`);
    }
    if (entry.source.disabled) sources.push(`  // ${disabledNote(entry)}`);
    sources.push(
      `  ${literal(entry.key)}: new ImmutaS3DataSource(${literal(entry.key)}, {`,
      `    ...integrations[${literal(entry.integration)}],`,
      ...declaredFields(entry.source).map(([name, value]) => `    ${name}: ${JSON.stringify(value)},`),
      `    adopt: { dataSourceId: ${entry.source.dataSourceId} },`,
      "  }),",
    );
  }
  return [
    ...headerLines("program").map((line) => `// ${line}`),
    'import { ImmutaS3DataSource } from "pulumi-immuta";',
    "",
    "const integrations = {",
    ...integrations,
    "} as const;",
    "",
    "const sources: Record<string, ImmutaS3DataSource> = {",
    ...sources,
    "};",
    "",
    "export const dataSourceIds = Object.fromEntries(",
    "  Object.entries(sources).map(([key, source]) => [key, source.dataSourceId]),",
    ");",
    "",
  ].join("\n");
}
