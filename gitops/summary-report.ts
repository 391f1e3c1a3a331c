/**
 * The pull-request summary: counts per operation, each changed source with the properties that cause its
 * operation, drift the refresh found, and the guard's verdict, as Markdown.
 */
import type { EngineReport, SourceChange, SourceDrift, SourceOperation } from "./changes";
import { ALLOW_DESTRUCTIVE_ENV } from "./defaults";
import type { GuardVerdict } from "./guard";
import { code, codeBlock, plural, propertyChange, table } from "./markdown";

export interface SummaryReportInput {
  /** `preview` for a pull request, `update` for what `up` applied. */
  kind: "preview" | "update";
  stackName: string;
  report: EngineReport;
  guard?: GuardVerdict;
}

/** The operations always counted, in the order a reviewer reads them. */
const COUNTED: SourceOperation[] = ["create", "update", "replace", "delete"];

/** Rows are listed most consequential first. */
const ROW_ORDER: SourceOperation[] = [
  "delete",
  "replace",
  "update",
  "create",
  "adopt",
  "import",
  "discard",
  "read",
  "same",
];

const OPERATION_LABEL: Record<SourceOperation, string> = {
  create: "create",
  adopt: "adopt",
  update: "update",
  replace: "replace",
  delete: "delete",
  import: "import",
  discard: "forget (kept in Immuta)",
  read: "read",
  same: "no change",
};

function reason(change: SourceChange, drift: SourceDrift | undefined): string {
  const drifted = new Set(drift?.kind === "changed" ? drift.changes.map((c) => c.property) : []);
  const parts: string[] = [];
  if (change.operation === "create") {
    parts.push(
      drift?.kind === "deleted" ? "deleted in Immuta outside Pulumi: recreated" : "new in the catalogue",
    );
  } else if (change.operation === "delete") {
    parts.push("removed from the catalogue");
  } else if (change.operation === "discard") {
    parts.push("removed from the catalogue; retained in Immuta (retainOnDelete)");
  } else if (change.causes.length > 0) {
    parts.push(
      change.causes
        .map((cause) => `${propertyChange(cause)}${drifted.has(cause.property) ? " (drift repaired)" : ""}`)
        .join(", "),
    );
  }
  if (change.previousName !== undefined)
    parts.push(`renamed from ${code(change.previousName)} (previousKeys)`);
  // Drift the operation does not undo by itself (e.g. a source disabled in Immuta that is replaced anyway).
  const unexplained =
    drift?.kind === "changed"
      ? drift.changes.filter((c) => !change.causes.some((cause) => cause.property === c.property))
      : [];
  if (unexplained.length > 0) parts.push(`drift: ${unexplained.map(propertyChange).join(", ")}`);
  return parts.join("; ");
}

/**
 * DECISION: adoptions are counted, not listed: an onboarding adopts hundreds or thousands of sources at once, and
 * the catalogue's own diff in the pull request already lists each of them. A renamed key is listed anyway.
 */
function worthListing(change: SourceChange): boolean {
  const quiet = change.operation === "same" || change.operation === "adopt";
  return !quiet || change.previousName !== undefined;
}

/** `2500 sources adopted, nothing created or deleted.` when the run only takes sources over. */
function adoptionNote(counts: ReadonlyMap<SourceOperation, number>): string {
  const adopted = counts.get("adopt") ?? 0;
  if (adopted === 0) return "";
  const destructiveOrNew = ["create", "delete", "replace"].some((op) => counts.has(op as SourceOperation));
  return (
    `${plural(adopted, "source")} adopted${destructiveOrNew ? "" : ", nothing created or deleted"}: each is taken ` +
    "over by its Immuta id once Immuta confirms its prefix, integration and name (a disabled one is restored)."
  );
}

function guardNote(guard: GuardVerdict, kind: SummaryReportInput["kind"]): string {
  const count = guard.destructive.length;
  const names = guard.destructive
    .map((change) => change.name)
    .sort((a, b) => a.localeCompare(b))
    .map(code)
    .join(", ");
  const verb = kind === "preview" ? "would be" : count === 1 ? "was" : "were";
  const what = `${plural(count, "source")} ${verb} deleted or replaced (${names})`;
  if (!guard.passes) {
    return (
      `> **Guard tripped:** ${what}; at most ${guard.maxDestructive} may be without an explicit allowance. ` +
      `Nothing was applied. If this is intended, run with \`--allow-destructive\` ` +
      `(or \`${ALLOW_DESTRUCTIVE_ENV}=true\`).`
    );
  }
  if (guard.overridden) {
    return `> **Guard overridden** (allowed explicitly): ${what}; the limit is ${guard.maxDestructive}.`;
  }
  if (count === 0) return "";
  return `Guard: ${what}; the limit is ${guard.maxDestructive}.`;
}

export function renderSummary({ kind, stackName, report, guard }: SummaryReportInput): string {
  const title =
    kind === "preview" ? `preview of stack ${code(stackName)}` : `update of stack ${code(stackName)}`;
  const counts = new Map<SourceOperation, number>();
  for (const change of report.changes) counts.set(change.operation, (counts.get(change.operation) ?? 0) + 1);
  const countRows = [
    ...COUNTED.map((operation) => [operation, String(counts.get(operation) ?? 0)]),
    ...(["adopt", "import", "discard", "read"] as const)
      .filter((operation) => counts.has(operation))
      .map((operation) => [OPERATION_LABEL[operation], String(counts.get(operation))]),
    ["unchanged", String(counts.get("same") ?? 0)],
  ];

  const driftByUrn = new Map(report.drift.map((drift) => [drift.urn, drift]));
  const listed = report.changes
    .filter(worthListing)
    .sort(
      (a, b) =>
        ROW_ORDER.indexOf(a.operation) - ROW_ORDER.indexOf(b.operation) || a.name.localeCompare(b.name),
    );
  const sections = [
    `### Immuta data sources: ${title}`,
    table(["Operation", "Sources"], countRows, ["---", "---:"]),
  ];
  const adoptions = adoptionNote(counts);
  if (adoptions) sections.push(adoptions);
  if (listed.length > 0) {
    sections.push(
      table(
        ["Source", "Operation", "Why"],
        listed.map((change) => [
          code(change.name),
          OPERATION_LABEL[change.operation],
          reason(change, driftByUrn.get(change.urn)),
        ]),
      ),
    );
  } else if (!adoptions) {
    sections.push("No data source changes.");
  }
  // Drift on sources the plan no longer holds (e.g. a source purged in Immuta and removed from the catalogue).
  const planned = new Set(report.changes.map((change) => change.urn));
  const unplanned = report.drift.filter((drift) => !planned.has(drift.urn));
  if (unplanned.length > 0) {
    sections.push(
      `Drift found by the refresh on sources no longer declared: ${unplanned
        .map((drift) => `${code(drift.name)} (${drift.kind})`)
        .join(", ")}.`,
    );
  }
  const note = guard ? guardNote(guard, kind) : "";
  if (note) sections.push(note);
  return `${sections.join("\n\n")}\n`;
}

/** The report of a preview or update that failed: the engine's error diagnostics. */
export function renderFailure(
  kind: "preview" | "update" | "drift check",
  stackName: string,
  errors: string[],
): string {
  return (
    [
      `### Immuta data sources: ${kind} of stack ${code(stackName)} failed`,
      codeBlock(errors.join("\n").trim() || "unknown error"),
    ].join("\n\n") + "\n"
  );
}
