/**
 * What a preview-only refresh found: each source that differs from Immuta, how, and what the next `up` does.
 */
import type { EngineReport, SourceDrift } from "./changes";
import { code, plural, propertyChange, table } from "./markdown";

/** What the next `up` (which refreshes first) does about a drifted property. */
const REPAIR: Record<string, { action: string; rank: number }> = {
  disabled: { action: "restores it", rank: 1 },
  dataSourceName: { action: "renames it back", rank: 2 },
  prefix: { action: "replaces it", rank: 3 },
  integrationId: { action: "replaces it", rank: 3 },
  tenant: { action: "replaces it", rank: 3 },
};

function repair(drift: SourceDrift): string {
  if (drift.kind === "deleted") return "recreates it (if still in the catalogue)";
  const actions = drift.changes
    .map((change) => REPAIR[change.property] ?? { action: "updates it", rank: 0 })
    .sort((a, b) => b.rank - a.rank);
  return actions[0]?.action ?? "updates it";
}

export function renderDrift(stackName: string, report: EngineReport): string {
  const title = `### Immuta data sources: drift in stack ${code(stackName)}`;
  if (report.drift.length === 0) {
    return `${title}\n\nNo drift: ${plural(report.refreshed, "source")} checked, all match Immuta.\n`;
  }
  const rows = [...report.drift]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((drift) => [
      code(drift.name),
      drift.kind,
      drift.kind === "deleted" ? "no longer exists in Immuta" : drift.changes.map(propertyChange).join(", "),
      repair(drift),
    ]);
  return (
    [
      title,
      `${report.drift.length} of ${plural(report.refreshed, "source")} ${report.drift.length === 1 ? "differs" : "differ"} from Immuta (last known → now in Immuta).`,
      table(["Source", "Drift", "Details", "Next `up`"], rows),
    ].join("\n\n") + "\n"
  );
}
