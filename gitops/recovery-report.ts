/**
 * What recover found and did, as Markdown: one row per finding, then (when it ran) the update's own report.
 */
import { code, plural, table } from "./markdown";
import type { RecoveryFindings } from "./recover";

const names = (list: readonly string[]) => list.map(code).join(", ");

function lockRows(findings: RecoveryFindings): string[][] {
  return findings.locks.map(({ lock, holder }) => {
    const found = `lock of pulumi (pid ${lock.pid} on host ${lock.host}), taken at ${lock.takenAt}`;
    if (holder === "elsewhere")
      return [found, "kept: recover cannot tell whether a process of another host runs"];
    if (holder === "running") return [`${found}; the process still runs`, "kept"];
    return [
      `${found}; the process has ended`,
      findings.lockRemoved ? "removed (`pulumi cancel`); the interrupted run started then" : "kept",
    ];
  });
}

export function renderRecovery(findings: RecoveryFindings): string {
  const rows: string[][] = [];
  for (const file of findings.repairedMetadata) {
    rows.push([`checkpoint metadata file left empty by the kill (${code(file)})`, "deleted"]);
  }
  rows.push(...lockRows(findings));
  if (findings.runStartSource === "--run-started-at") {
    rows.push([`the interrupted run started at ${findings.runStartedAt} (\`--run-started-at\`)`, "–"]);
  }
  const pending = findings.pendingCreates.length;
  if (pending > 0) {
    rows.push([
      `${plural(pending, "create")} in flight when the run ended: ${names(findings.pendingCreates)}`,
      findings.pendingCleared
        ? "recorded, then cleared from the checkpoint (`pulumi refresh --clear-pending-creates`)"
        : "kept in the checkpoint",
    ]);
  }
  if (findings.otherPendingOperations.length > 0) {
    rows.push([
      `other interrupted operations: ${names(findings.otherPendingOperations)}`,
      "left to Pulumi, which drops them",
    ]);
  }
  if (findings.adopted.length > 0) {
    const adopted = findings.adopted
      .map(({ name, dataSourceId }) => `${code(name)} (id ${dataSourceId})`)
      .sort((a, b) => a.localeCompare(b));
    rows.push([
      `${plural(findings.adopted.length, "source")} registered by those creates`,
      `adopted: ${adopted.join(", ")}`,
    ]);
  }
  if (findings.refused.length > 0) {
    rows.push([
      `${plural(findings.refused.length, "source")} in Immuta with a declared name or prefix that the interrupted ` +
        "run did not register",
      `refused, not adopted: ${names(findings.refused)} (see the errors below)`,
    ]);
  }
  if (rows.length === 0) rows.push(["no lock, no interrupted operation", "–"]);

  const sections = [
    `### Immuta data sources: recovery of stack ${code(findings.stackName)}`,
    table(["Found", "Done"], rows),
  ];
  if (findings.stopped !== undefined)
    sections.push(`> **Stopped:** ${findings.stopped.replace(/\n/g, "\n> ")}`);
  else if (findings.next !== undefined) {
    sections.push(
      findings.recoveryFile === undefined
        ? `Next: run \`${findings.next}\`; no interrupted create is left to adopt.`
        : `Next: run \`${findings.next}\` before ${findings.validUntil}. It creates what is missing and adopts the ` +
            "sources the interrupted creates registered; then delete the file.",
    );
  }
  return `${sections.join("\n\n")}\n`;
}
