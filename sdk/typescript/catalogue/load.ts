/**
 * Loading a catalogue: parse (YAML or JSON, with positions), check the shape against the shipped JSON Schema, then
 * apply the provider's per-source rules and the catalogue-wide ones. Every problem is collected before failing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseCatalogueText, type CatalogueText } from "./document";
import { CatalogueError, formatPath, type CatalogueProblem } from "./problems";
import { ruleViolations } from "./rules";
import { schemaViolations } from "./schema";
import type { Catalogue, CatalogueDocument } from "./types";

export interface LoadCatalogueOptions {
  /** Directory a relative file name is resolved against; default the working directory (a Pulumi program's). */
  baseDir?: string;
  /** How problems name a catalogue given as an object; default `catalogue`. */
  label?: string;
}

/** Validates catalogue text; `file` is the name problems report (and `.json` makes the text strict JSON). */
export function parseCatalogue(text: string, file: string): Catalogue {
  return validate(parseCatalogueText(text, file), file);
}

/**
 * Loads and validates a catalogue from a file (`.yaml`, `.yml` or `.json`) or an object. Throws a
 * {@link CatalogueError} listing every problem, each as `file:line:column path: message`.
 */
export function loadCatalogue(
  fileOrObject: string | CatalogueDocument,
  options: LoadCatalogueOptions = {},
): Catalogue {
  if (typeof fileOrObject !== "string") return validateObject(fileOrObject, options.label ?? "catalogue");
  const fullPath = path.resolve(options.baseDir ?? process.cwd(), fileOrObject);
  let text: string;
  try {
    text = fs.readFileSync(fullPath, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : String(error);
    throw new CatalogueError(fileOrObject, [
      { file: fileOrObject, path: "(catalogue)", message: `cannot read ${fullPath}: ${reason}` },
    ]);
  }
  return parseCatalogue(text, fileOrObject);
}

function validateObject(document: CatalogueDocument, label: string): Catalogue {
  // A round trip through JSON: what a file could hold, without functions, undefined values or shared objects.
  const value: unknown = JSON.parse(JSON.stringify(document));
  return validate({ value, syntaxProblems: [], locate: () => undefined }, label);
}

function validate(text: CatalogueText, file: string): Catalogue {
  if (text.syntaxProblems.length > 0) throw new CatalogueError(file, text.syntaxProblems);
  const problems: CatalogueProblem[] = [];
  const violations = schemaViolations(text.value);
  const reported = new Set(violations.map((v) => formatPath(v.path)));
  const rules = ruleViolations(text.value, reported);
  for (const violation of [...violations, ...rules.violations]) {
    problems.push({
      file,
      ...text.locate(violation.path, violation.target),
      path: formatPath(violation.path),
      message: violation.message,
    });
  }
  if (problems.length > 0) throw new CatalogueError(file, problems);
  return { file, document: text.value as CatalogueDocument, sources: rules.sources };
}
