/**
 * The results sections of docs/reliability.md, written by the tests that measure them. Each test owns the text
 * between `<!-- <section>:start -->` and `<!-- <section>:end -->`; everything else in the document is prose kept
 * by hand. Jest runs test files in parallel workers, so a write holds a lock file while it reads and replaces.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const REPORT_PATH = path.resolve(__dirname, "../../docs/reliability.md");

const LOCK_WAIT_MS = 10_000;
const STALE_LOCK_MS = 30_000;

/** A Markdown table; cells are escaped so that `|` and line breaks cannot break the layout. */
export function markdownTable(headers: string[], rows: (string | number)[][]): string {
  const cell = (value: string | number) => String(value).replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
  const line = (cells: (string | number)[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Inline code for a table cell, with backticks inside the value kept harmless. */
export function code(value: string): string {
  return value.includes("`") ? `\`\` ${value} \`\`` : `\`${value}\``;
}

/** A value shortened for a table cell: `head…tail (N characters)`. */
export function excerpt(value: string, max = 140): string {
  if (value.length <= max) return value;
  const head = Math.ceil((max - 1) * 0.7);
  return `${value.slice(0, head)}…${value.slice(value.length - (max - 1 - head))} (${value.length} characters)`;
}

/** A message on one line, for a table cell. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

export const startMarker = (section: string) => `<!-- ${section}:start -->`;
export const endMarker = (section: string) => `<!-- ${section}:end -->`;

/** Replaces the section's text in the report, or appends the section when the report does not have it yet. */
export function replaceSection(document: string, section: string, body: string): string {
  const start = startMarker(section);
  const end = endMarker(section);
  const block = `${start}\n${body.trim()}\n${end}`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from === -1 || to === -1 || to < from) {
    return `${document.replace(/\s*$/, "")}\n\n${block}\n`;
  }
  return document.slice(0, from) + block + document.slice(to + end.length);
}

/** Writes one section of docs/reliability.md (or of `reportPath`, for tests of this helper). */
export async function writeReportSection(
  section: string,
  body: string,
  reportPath: string = REPORT_PATH,
): Promise<void> {
  const lock = `${reportPath}.lock`;
  await acquire(lock);
  try {
    const document = fs.existsSync(reportPath) ? fs.readFileSync(reportPath, "utf8") : "";
    const updated = replaceSection(document, section, body);
    const temporary = `${reportPath}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, updated);
    fs.renameSync(temporary, reportPath);
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

async function acquire(lock: string): Promise<void> {
  const giveUpAt = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    // A writer that died while holding the lock must not block every later run.
    const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > STALE_LOCK_MS) fs.rmSync(lock, { force: true });
    if (Date.now() > giveUpAt) throw new Error(`could not lock ${lock} within ${LOCK_WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Counts the tests of a file that passed, so that its section is written only by a complete, passing run: a failed
 * or filtered (`-t`) run leaves the previous tables in place rather than publishing a partial one.
 */
export class ReportGate {
  private passed = 0;
  constructor(private readonly expected: number) {}

  /** Call as the last statement of each test. */
  pass(): void {
    this.passed++;
  }

  get complete(): boolean {
    return this.passed === this.expected;
  }

  /** Writes the section when every test passed; returns whether it did. */
  async write(section: string, render: () => string): Promise<boolean> {
    if (!this.complete) return false;
    await writeReportSection(section, render());
    return true;
  }
}

/** Wraps a test body so that the gate counts it once it has passed. */
export function gated<A extends unknown[]>(
  gate: ReportGate,
  body: (...args: A) => unknown,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    await body(...args);
    gate.pass();
  };
}
