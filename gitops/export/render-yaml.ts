/**
 * The catalogue as YAML, written line by line so that it carries comments (disabled sources, integration groups)
 * and so that `--merge` appends entries laid out exactly like a fresh export's.
 */
import { stringify } from "yaml";
import { disabledNote, groupNote, headerLines, SCHEMA_REFERENCE } from "./notes";
import { declaredFields, type ExportEntry, type ExportIntegration, type ExportPlan } from "./types";

/** A plain scalar when YAML reads it back as the same string, quoted otherwise (`"1e3"`, `"null"`, `"*x"`). */
function scalar(value: string | number): string {
  return typeof value === "number" ? String(value) : stringify(value, { lineWidth: 0 }).trimEnd();
}

/** A scalar, or a list on one line (`[Finance.PII, Team.Research]`). */
function flow(value: string | number | string[]): string {
  return Array.isArray(value) ? `[${value.map(scalar).join(", ")}]` : scalar(value);
}

export interface YamlLayout {
  /** Indentation of the entries' keys. */
  indent: string;
  /** One more level, for their fields. */
  unit: string;
}

export const DEFAULT_LAYOUT: YamlLayout = { indent: "  ", unit: "  " };

export function yamlIntegrationLines(
  integrations: readonly ExportIntegration[],
  layout = DEFAULT_LAYOUT,
): string[] {
  const inner = layout.indent + layout.unit;
  return integrations.flatMap((integration) => [
    `${layout.indent}${scalar(integration.key)}:`,
    `${inner}integrationId: ${integration.integrationId}`,
    ...(integration.tenant === undefined ? [] : [`${inner}tenant: ${scalar(integration.tenant)}`]),
  ]);
}

export function yamlSourceLines(entries: readonly ExportEntry[], layout = DEFAULT_LAYOUT): string[] {
  const inner = layout.indent + layout.unit;
  const lines: string[] = [];
  let group: string | undefined;
  for (const entry of entries) {
    if (entry.integration !== group) {
      group = entry.integration;
      lines.push(`${layout.indent}# ${groupNote(entry.integration, entry.source.integrationId)}`);
    }
    if (entry.source.disabled) lines.push(`${layout.indent}# ${disabledNote(entry)}`);
    lines.push(
      `${layout.indent}${scalar(entry.key)}:`,
      `${inner}integration: ${scalar(entry.integration)}`,
      ...declaredFields(entry.source).map(([name, value]) => `${inner}${name}: ${flow(value)}`),
      `${inner}adopt: { dataSourceId: ${entry.source.dataSourceId} }`,
    );
  }
  return lines;
}

export function renderYaml(plan: ExportPlan): string {
  const integrations = yamlIntegrationLines(plan.integrations);
  const sources = yamlSourceLines(plan.entries);
  return [
    `# yaml-language-server: $schema=${SCHEMA_REFERENCE}`,
    "#",
    ...headerLines("catalogue").map((line) => `# ${line}`),
    integrations.length > 0 ? "integrations:" : "integrations: {}",
    ...integrations,
    sources.length > 0 ? "sources:" : "sources: {}",
    ...sources,
    "",
  ].join("\n");
}
