/**
 * The test side of a generated section. A test file wraps each of its tests with `gated`, collects what it
 * observed as plain data, and ends with a test that calls `verify`: once every test passed, it records the
 * observations for `npm run docs` and fails when the committed section of docs/reliability.md no longer shows what
 * was observed (beyond what varies between runs). A failed or filtered (`-t`) run records nothing, so `npm run
 * docs` never publishes a partial table.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DOCUMENT_NAME, DOCUMENT_PATH, findSection } from "./document";
import { observationsPath, writeObservations } from "./observations";
import { renderSection, type SectionData, type SectionName } from "./render";
import { firstMismatch } from "./template";

/** Set by `npm run docs` when it runs the tests: record the observations, skip the comparison it is about to make moot. */
export const RECORD_ONLY = process.env.RELIABILITY_RECORD_ONLY === "1";

export class SectionRecorder<Name extends SectionName> {
  private passed = 0;

  /** `expected`: how many gated tests the file has. */
  constructor(
    private readonly section: Name,
    private readonly expected: number,
  ) {}

  /** Wraps a test body so that it counts once it has passed. */
  gated<A extends unknown[]>(body: (...args: A) => unknown): (...args: A) => Promise<void> {
    return async (...args: A) => {
      await body(...args);
      this.passed++;
    };
  }

  /** The body of the file's last test. */
  verify(data: () => SectionData[Name]): void {
    if (this.passed !== this.expected) {
      throw new Error(
        `Only ${this.passed} of this file's ${this.expected} tests passed (a test failed, or -t filtered them), so ` +
          `its observations were not recorded and ${DOCUMENT_NAME} was not compared with them.`,
      );
    }
    const observations = data();
    writeObservations(this.section, observations);
    if (RECORD_ONLY) return;
    const stale = staleness(this.section, renderSection(this.section, observations));
    if (stale) throw new Error(stale);
  }
}

/** Why the committed section does not show what the template says, or undefined when it does. */
export function staleness(section: SectionName, template: string): string | undefined {
  const regenerate =
    `Run \`npm run docs\` to regenerate it from this run's observations ` +
    `(${path.relative(process.cwd(), observationsPath(section))}), ` +
    "review the change, and commit it with the change that caused it.";
  const found = findSection(fs.readFileSync(DOCUMENT_PATH, "utf8"), section);
  if (!found) return `${DOCUMENT_NAME} has no \`${section}\` section. ${regenerate}`;
  const mismatch = firstMismatch(template, found.body);
  if (!mismatch) return undefined;
  const show = (line: string | undefined) => (line === undefined ? "(nothing)" : line);
  return [
    `The \`${section}\` section of ${DOCUMENT_NAME} no longer shows what this run observed (first difference at ` +
      `${DOCUMENT_NAME}:${found.firstLine + mismatch.line + 1}). ${regenerate}`,
    `  committed: ${show(mismatch.found)}`,
    `  this run:  ${show(mismatch.expected)}`,
    "(Durations, counts that depend on random faults or timing, and the order of concurrent requests are not " +
      "compared.)",
  ].join("\n");
}
