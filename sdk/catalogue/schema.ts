/**
 * Validation against the shipped JSON Schema (`schema/immuta-catalogue.schema.json`), the one editors use, with
 * ajv's errors turned into located problems a reviewer can read.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import catalogueSchema from "../../schema/immuta-catalogue.schema.json";
import type { PathSegment, PositionTarget } from "./document";

/** The catalogue's JSON Schema (draft-07), as shipped in `schema/`. */
export const CATALOGUE_SCHEMA: object = catalogueSchema;

/** A schema violation before it is given a file position. */
export interface SchemaViolation {
  path: PathSegment[];
  target: PositionTarget;
  message: string;
}

let validateCatalogue: ValidateFunction | undefined;

function catalogueValidator(): ValidateFunction {
  if (!validateCatalogue) {
    const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
    // The message editors show for a failed pattern (VS Code and the YAML language server read it too).
    ajv.addKeyword({ keyword: "patternErrorMessage", schemaType: "string" });
    validateCatalogue = ajv.compile(catalogueSchema);
  }
  return validateCatalogue;
}

function pointerSegments(pointer: string): string[] {
  return pointer
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function describe(error: ErrorObject): SchemaViolation | undefined {
  const path: PathSegment[] = pointerSegments(error.instancePath);
  const parentSchema: Record<string, unknown> | undefined = error.parentSchema;
  // An invalid key: ajv reports it once for the failed keyword and once as `propertyNames`; keep the first.
  if (error.keyword === "propertyNames") return undefined;
  if (error.propertyName !== undefined) {
    const patternMessage = parentSchema?.patternErrorMessage;
    const reason =
      error.keyword === "pattern" && typeof patternMessage === "string" ? patternMessage : error.message;
    return { path: [...path, error.propertyName], target: "key", message: `invalid key: ${reason}` };
  }
  switch (error.keyword) {
    case "required":
      return {
        path: [...path, String(error.params.missingProperty)],
        target: "value",
        message: "is required",
      };
    case "additionalProperties": {
      const known = Object.keys((parentSchema?.properties as object | undefined) ?? {});
      return {
        path: [...path, String(error.params.additionalProperty)],
        target: "key",
        message: `is not a catalogue property (expected ${known.join(", ")})`,
      };
    }
    case "pattern": {
      const patternMessage = parentSchema?.patternErrorMessage;
      return {
        path,
        target: "value",
        message: typeof patternMessage === "string" ? patternMessage : (error.message ?? "is invalid"),
      };
    }
    case "type":
      return { path, target: "value", message: `must be ${describeType(String(error.params.type))}` };
    default:
      return { path, target: "value", message: error.message ?? "is invalid" };
  }
}

function describeType(type: string): string {
  const names: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    string: "a string",
    integer: "a whole number",
    number: "a number",
    boolean: "true or false",
  };
  return names[type] ?? type;
}

/** Every schema violation of a parsed catalogue; none means it has the catalogue's shape. */
export function schemaViolations(value: unknown): SchemaViolation[] {
  const validate = catalogueValidator();
  if (validate(value)) return [];
  const violations: SchemaViolation[] = [];
  for (const error of validate.errors ?? []) {
    const violation = describe(error);
    if (!violation) continue;
    const duplicate = violations.some(
      (v) => v.message === violation.message && v.path.join("\0") === violation.path.join("\0"),
    );
    if (!duplicate) violations.push(violation);
  }
  return violations;
}
