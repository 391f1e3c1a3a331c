/**
 * The TypeScript SDK's types of the dynamic resource (`ImmutaS3DataSourceArgs`, its outputs), rendered from the
 * resource's definition so that they carry its documentation: sdk/typescript/generated/data-source.ts.
 */
import { DATA_SOURCE } from "../../provider/core/definition";
import type { ObjectTypeDefinition, PropertyDefinition, ValueType } from "../../provider/core/model";
import { GENERATED_HEADER } from "./header";

const SDK_NAME = `Immuta${DATA_SOURCE.name}`;

/** The SDK's name of an object type: `S3DataSourceAdoption` → `ImmutaS3DataSourceAdoption`. */
const objectTypeName = (name: string) => `Immuta${name}`;

function typeText(type: ValueType): string {
  switch (type.kind) {
    case "string":
      return "string";
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    case "string-set":
      return "string[]";
    case "object":
      return objectTypeName(type.type);
    case "map":
      return `Record<string, ${objectTypeName(type.of)}>`;
  }
}

/** A JSDoc comment, wrapped at 110 columns after `indent`. */
function doc(text: string, indent: string): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line !== "" && indent.length + 3 + line.length + 1 + word.length > 110) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  lines.push(line);
  if (lines.length === 1 && indent.length + 7 + lines[0].length <= 110)
    return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((text) => `${indent} * ${text}`).join("\n")}\n${indent} */\n`;
}

const properties = Object.entries(DATA_SOURCE.properties as Record<string, PropertyDefinition>);

function objectTypes(): string {
  return Object.entries(DATA_SOURCE.objectTypes as Record<string, ObjectTypeDefinition>)
    .map(
      ([name, definition]) =>
        doc(definition.description, "") +
        `export interface ${objectTypeName(name)} {\n` +
        Object.entries(definition.properties)
          .map(
            ([member, { type, description }]) =>
              doc(description, "  ") + `  ${member}?: ${typeText(type)};\n`,
          )
          .join("") +
        "}\n",
    )
    .join("\n");
}

function args(): string {
  const inputs = properties.filter(([, property]) => property.input && !property.input.internal);
  return (
    doc(`The declaration of one Immuta S3 data source (the inputs of ${SDK_NAME}).`, "") +
    `export interface ${SDK_NAME}Args {\n` +
    inputs
      .map(
        ([name, property]) =>
          doc(property.description, "  ") +
          `  ${name}${property.input!.required ? "" : "?"}: pulumi.Input<${typeText(property.type)}>;\n`,
      )
      .join("") +
    "}\n"
  );
}

function outputs(): string {
  const outputs = properties.filter(([, property]) => property.output && !property.output.internal);
  const typeOf = (property: PropertyDefinition) =>
    [
      typeText(property.type),
      ...(property.output!.nullable ? ["null"] : []),
      ...(property.output!.required ? [] : ["undefined"]),
    ].join(" | ");
  return (
    doc(
      `${SDK_NAME}'s outputs, as the engine fills them in. An interface the class merges with rather than a base ` +
        "class: every class between the program and Pulumi's own adds a frame to the stack trace that the " +
        "engine records with each resource in the state.",
      "",
    ) +
    `export interface ${SDK_NAME}Outputs {\n` +
    outputs
      .map(
        ([name, property]) =>
          doc(property.description, "  ") + `  readonly ${name}: pulumi.Output<${typeOf(property)}>;\n`,
      )
      .join("") +
    "}\n\n" +
    doc("Every output's name: the engine populates only the properties a resource registers.", "") +
    `export const OUTPUT_NAMES = [${properties
      .filter(([, property]) => property.output)
      .map(([name]) => JSON.stringify(name))
      .join(", ")}] as const;\n`
  );
}

/** The file's text (before prettier formats it). */
export function renderTypeScriptSdk(): string {
  return (
    `${GENERATED_HEADER.typescript}\n` +
    doc(
      `The arguments and outputs of ${SDK_NAME}, rendered from the resource's definition ` +
        "(provider/core/definition.ts).",
      "",
    ) +
    'import type * as pulumi from "@pulumi/pulumi";\n\n' +
    objectTypes() +
    "\n" +
    args() +
    "\n" +
    outputs()
  );
}
