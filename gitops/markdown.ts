/** Markdown building blocks for reports that are posted as pull-request comments. */
import { isUnknownValue, type PropertyChange } from "./changes";

/** Inline code that survives a table cell: pipes escaped, backticks fenced by longer runs. */
export function code(text: string): string {
  const escaped = text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  const longestRun = Math.max(0, ...(escaped.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  return longestRun > 0 ? `${fence} ${escaped} ${fence}` : `${fence}${escaped}${fence}`;
}

export function value(raw: unknown): string {
  if (raw === undefined || raw === null) return "(none)";
  if (isUnknownValue(raw)) return "(known after the update)";
  return code(typeof raw === "string" ? raw : JSON.stringify(raw));
}

/** `` `prefix` `s3://a/x` → `s3://a/y` `` */
export function propertyChange(change: PropertyChange): string {
  return `${code(change.property)} ${value(change.before)} → ${value(change.after)}`;
}

export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align?: string[],
): string {
  const separator = header.map((_, index) => align?.[index] ?? "---");
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(separator), ...rows.map(line)].join("\n");
}

/** A fenced block whose fence cannot be closed by the text inside. */
export function codeBlock(text: string): string {
  const longestRun = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  return `${fence}\n${text}\n${fence}`;
}

export const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? "" : "s"}`;
