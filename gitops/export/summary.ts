/**
 * What `export` tells the person running it (on stderr; the catalogue goes to stdout or `--out`): how many sources
 * it found and exported, and each reason it left some out, with examples.
 */
import type { ExportFormat, ExportPlan, SkippedSource, SkipReason } from "./types";

export interface ExportCounts {
  tenant: string;
  format: ExportFormat;
  /** Data sources of any kind the key's user can see. */
  found: number;
  plan: ExportPlan;
  skipped: readonly SkippedSource[];
  /** The catalogue merged into, if any. */
  mergedInto?: string;
  /** The filters, as the user gave them, for the reasons that name them. */
  integrationFilter: readonly number[];
  prefixFilter: readonly string[];
}

/** Examples listed per reason; the reasons a user must act on are listed in full. */
const EXAMPLES = 5;

function reasonText(reason: SkipReason, counts: ExportCounts): string {
  switch (reason) {
    case "not-s3":
      return "not Amazon S3 data sources";
    case "gone":
      return "deleted (or hidden from the key's user) while the export read them";
    case "handler-unidentified":
      return "whose native-s3 handler could not be identified: adopt them by hand";
    case "integration-filter":
      return `of other integrations than --integration ${counts.integrationFilter.join(", ")}`;
    case "prefix-filter":
      return `outside --prefix ${counts.prefixFilter.join(", ")}`;
    case "disabled":
      return "disabled in Immuta (--skip-disabled)";
    case "already-declared":
      return `already declared in ${counts.mergedInto ?? "the catalogue"}`;
    case "not-declarable":
      return "that a declaration cannot describe as Immuta holds them: rename or re-register them in Immuta, then export again";
  }
}

const REASON_ORDER: SkipReason[] = [
  "not-declarable",
  "handler-unidentified",
  "gone",
  "disabled",
  "already-declared",
  "integration-filter",
  "prefix-filter",
  "not-s3",
];

/** Reasons whose every source needs the user's attention. */
const LIST_ALL: ReadonlySet<SkipReason> = new Set(["not-declarable", "handler-unidentified"]);

const FORMAT_NAME: Record<ExportFormat, string> = { yaml: "YAML", json: "JSON", typescript: "TypeScript" };

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? "" : "s"}`;

function listed(keys: readonly string[]): string {
  const shown = keys.slice(0, EXAMPLES).join(", ");
  return keys.length > EXAMPLES ? `${shown} and ${keys.length - EXAMPLES} more` : shown;
}

function example(source: SkippedSource): string {
  return `id ${source.dataSourceId} ${JSON.stringify(source.name)}${source.detail ? `: ${source.detail}` : ""}`;
}

export function renderExportSummary(counts: ExportCounts): string {
  const exported = counts.plan.entries.length;
  const disabled = counts.plan.entries.filter((entry) => entry.source.disabled);
  const integrations = new Set(counts.plan.entries.map((entry) => entry.integration)).size;
  const where =
    counts.mergedInto === undefined ? `as ${FORMAT_NAME[counts.format]}` : `into ${counts.mergedInto}`;
  const lines = [
    `Found ${plural(counts.found, "data source")} in tenant ${counts.tenant}; exported ${exported} ` +
      `(${plural(integrations, "integration")}) ${where}, each adopted by id.`,
  ];
  if (disabled.length > 0) {
    lines.push(
      `  ${plural(disabled.length, "source")} ${disabled.length === 1 ? "is" : "are"} disabled in Immuta and ` +
        `marked so: the first \`pulumi up\` restores ${disabled.length === 1 ? "it" : "them"} ` +
        `(${listed(disabled.map((entry) => entry.key))}). Export with --skip-disabled to leave ` +
        `${disabled.length === 1 ? "it" : "them"} out.`,
    );
  }
  if (counts.skipped.length === 0) {
    lines.push("Skipped none.");
    return `${lines.join("\n")}\n`;
  }
  lines.push(`Skipped ${counts.skipped.length}:`);
  for (const reason of REASON_ORDER) {
    const sources = counts.skipped
      .filter((source) => source.reason === reason)
      .sort((a, b) => a.dataSourceId - b.dataSourceId);
    if (sources.length === 0) continue;
    lines.push(`  ${sources.length} ${reasonText(reason, counts)}:`);
    const shown = LIST_ALL.has(reason) ? sources : sources.slice(0, EXAMPLES);
    for (const source of shown) lines.push(`    ${example(source)}`);
    if (shown.length < sources.length) lines.push(`    and ${sources.length - shown.length} more`);
  }
  return `${lines.join("\n")}\n`;
}
