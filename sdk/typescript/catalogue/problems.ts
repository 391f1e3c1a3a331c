/**
 * What is wrong with a catalogue, where: one problem per bad value, all of them reported at once.
 */
import * as pulumi from "@pulumi/pulumi";

/** One error in a catalogue, located at the value (or key) that causes it. */
export interface CatalogueProblem {
  /** The catalogue file as the user named it, or a label for a catalogue given as an object. */
  file: string;
  /** 1-based line; absent for a catalogue given as an object. */
  line?: number;
  /** 1-based column; absent for a catalogue given as an object. */
  column?: number;
  /** Path of the bad value, e.g. `sources.research.prefix`; `(catalogue)` for the whole document. */
  path: string;
  /** What is wrong, e.g. `must start with s3://`. */
  message: string;
}

/** `datasources.yaml:14:9 sources.research.prefix: must start with s3://`. */
export function formatProblem(problem: CatalogueProblem): string {
  const location =
    problem.line === undefined ? problem.file : `${problem.file}:${problem.line}:${problem.column ?? 1}`;
  return `${location} ${problem.path}: ${problem.message}`;
}

/** Reading order: by line and column, problems without a position last in the order found. */
export function sortProblems(problems: readonly CatalogueProblem[]): CatalogueProblem[] {
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort(
      (a, b) =>
        (a.problem.line ?? Infinity) - (b.problem.line ?? Infinity) ||
        (a.problem.column ?? 0) - (b.problem.column ?? 0) ||
        a.index - b.index,
    )
    .map(({ problem }) => problem);
}

/**
 * An invalid catalogue. Extends Pulumi's `RunError` so that a program failing on it prints the list of problems
 * without a stack trace.
 */
export class CatalogueError extends pulumi.RunError {
  override readonly name = "CatalogueError";
  /** Every problem found, in reading order. */
  readonly problems: readonly CatalogueProblem[];

  constructor(file: string, problems: readonly CatalogueProblem[]) {
    const sorted = sortProblems(problems);
    const count = sorted.length === 1 ? "1 error" : `${sorted.length} errors`;
    super(`The catalogue ${file} has ${count}:\n${sorted.map((p) => `  ${formatProblem(p)}`).join("\n")}`);
    this.problems = sorted;
  }
}

/** Renders a path as `sources.research.prefix`; keys that are not plain words are quoted: `sources["a b"]`. */
export function formatPath(segments: readonly (string | number)[]): string {
  if (segments.length === 0) return "(catalogue)";
  return segments
    .map((segment, index) => {
      if (typeof segment === "number") return `[${segment}]`;
      if (/^[A-Za-z0-9_$-]+$/.test(segment)) return index === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join("");
}
