/**
 * The catalogue's JSON Schema (draft-07), built from the resource's definition: each source entry holds the
 * resource's inputs but those its integration entry holds (`integrationId`, `tenant`), with their JSON Schema and
 * descriptions. `npm run gen` ships it as `schema/immuta-catalogue.schema.json` for editors; the loader validates
 * with the same object, and ajv's errors become located problems a reviewer can read.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { DATA_SOURCE } from "../../../provider/core/definition";
import { inputSchema } from "../../../provider/core/inputs";
import type { JsonSchema } from "../../../provider/core/model";
import type { PathSegment, PositionTarget } from "./document";

/** Inputs declared once per integration entry, for every source that names it; every other input is per source. */
export const INTEGRATION_INPUTS = ["integrationId", "tenant"] as const;

/** Per-source inputs in the definition's order. */
export const SOURCE_INPUTS: readonly string[] = Object.entries(DATA_SOURCE.properties)
  .filter(([name, property]) => {
    const input = (property as { input?: { internal?: boolean } }).input;
    return (
      input !== undefined && !input.internal && !(INTEGRATION_INPUTS as readonly string[]).includes(name)
    );
  })
  .map(([name]) => name);

/** What editors show next to a failed pattern (VS Code and the YAML language server read it too). */
const EDITOR_HINTS: Record<string, JsonSchema> = {
  prefix: { pattern: "^[sS]3://", patternErrorMessage: "must start with s3://" },
};

function inputProperty(name: string, description?: string): JsonSchema {
  const definition = (
    DATA_SOURCE.properties as Record<string, { description: string; input?: { reason: string } }>
  )[name];
  const schema = (inputSchema().properties as Record<string, JsonSchema>)[name];
  // A pattern's message is check's own reason for the property, without the property's name.
  const patternMessage =
    schema.pattern !== undefined
      ? { patternErrorMessage: definition.input!.reason.replace(`${name} `, "") }
      : {};
  return {
    description: description ?? definition.description,
    ...schema,
    ...patternMessage,
    ...EDITOR_HINTS[name],
  };
}

const KEY: JsonSchema = {
  description: "Letters, digits, '-' and '_', starting with a letter or digit.",
  type: "string",
  maxLength: 100,
  pattern: "^[A-Za-z0-9][A-Za-z0-9_-]*$",
  patternErrorMessage: "must consist of letters, digits, '-' and '_', starting with a letter or digit",
};

/** The catalogue's JSON Schema. */
export function catalogueSchema(): JsonSchema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "Immuta S3 data source catalogue (pulumi-immuta)",
    description:
      "Integrations and Amazon S3 data sources managed by pulumi-immuta's declareCatalogue. Each key under " +
      "`sources` is the source's stable Pulumi name.",
    type: "object",
    additionalProperties: false,
    required: ["integrations", "sources"],
    properties: {
      $schema: {
        description:
          "Where editors find this schema (JSON catalogues; YAML ones use the `# yaml-language-server: $schema=...` comment).",
        type: "string",
      },
      integrations: {
        description: "The Native S3 integrations sources are registered through, by a name of your choice.",
        type: "object",
        propertyNames: { $ref: "#/definitions/key" },
        additionalProperties: { $ref: "#/definitions/integration" },
      },
      sources: {
        description:
          "The data sources. The key is the source's stable Pulumi name: renaming it needs `previousKeys`.",
        type: "object",
        propertyNames: { $ref: "#/definitions/key" },
        additionalProperties: { $ref: "#/definitions/source" },
      },
    },
    definitions: {
      key: KEY,
      integration: {
        type: "object",
        additionalProperties: false,
        required: ["integrationId"],
        properties: {
          integrationId: inputProperty(
            "integrationId",
            "Id of the Native S3 integration in Immuta. Changing it replaces every source that uses this integration.",
          ),
          tenant: inputProperty(
            "tenant",
            "The configured Immuta tenant that holds the integration (`immuta:tenants.<name>`); default `default`. " +
              "Changing it replaces every source that uses this integration.",
          ),
        },
      },
      source: {
        type: "object",
        additionalProperties: false,
        required: [
          "integration",
          ...SOURCE_INPUTS.filter((name) => (inputSchema().required as string[]).includes(name)),
        ],
        properties: {
          integration: {
            description: "The key of the integration (under `integrations`) that registers the source.",
            type: "string",
            minLength: 1,
          },
          ...Object.fromEntries(SOURCE_INPUTS.map((name) => [name, inputProperty(name)])),
          previousKeys: {
            description:
              "Keys this source had before; renaming a key and listing the old one here keeps the source (Pulumi aliases).",
            type: "array",
            uniqueItems: true,
            items: { $ref: "#/definitions/key" },
          },
          $comment: {
            description:
              "A note for reviewers, ignored by the loader: JSON has no comments (YAML catalogues use `#` comments). " +
              "`pulumi-immuta-gitops export` notes disabled sources here.",
            type: "string",
          },
        },
      },
    },
  };
}

/** The catalogue's JSON Schema (draft-07), as shipped in `schema/`. */
export const CATALOGUE_SCHEMA: object = catalogueSchema();

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
    validateCatalogue = ajv.compile(CATALOGUE_SCHEMA);
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
