/**
 * The Pulumi package schema of the native plugin, built from the resource's definition (core/definition.ts): what
 * `GetSchema` answers, and what `npm run gen` writes to schema.json for Pulumi's SDK generators. Only the package's
 * metadata (its names, keywords and the SDKs' package settings) is written here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DATA_SOURCE, SETTINGS, SETTINGS_TYPES } from "../core/definition";
import type { ObjectTypeName, PropertyDefinition, SettingDefinition, ValueType } from "../core/model";
import { NATIVE_TYPE_TOKEN, PACKAGE_NAME } from "../core/resource-kind";
import { environmentPrefix, environmentSuffix } from "../core/settings";
import { DEFAULT_TENANT } from "../core/constants";
import { packageRoot } from "./package-files";

type SchemaProperty = Record<string, unknown>;

/**
 * DECISION: the Go SDK's module path, for the repository's public location (`go get` it once published); the module
 * lives in sdk/generated/go.
 */
export const GO_MODULE_PATH = "github.com/pulumi-immuta/pulumi-immuta/sdk/generated/go";

const typeToken = (name: ObjectTypeName) => `${PACKAGE_NAME}:index:${name}`;

function schemaType(type: ValueType): SchemaProperty {
  switch (type.kind) {
    case "string":
    case "integer":
    case "boolean":
      return { type: type.kind };
    case "string-set":
      return { type: "array", items: { type: "string" } };
    case "object":
      return { $ref: `#/types/${typeToken(type.type)}` };
    case "map":
      return { type: "object", additionalProperties: { $ref: `#/types/${typeToken(type.of)}` } };
  }
}

function property(type: ValueType, description: string, secret?: boolean): SchemaProperty {
  return { ...schemaType(type), ...(secret ? { secret: true } : {}), description };
}

/** A setting as a config variable: its environment variable named as the fallback. */
function configVariable(name: string, setting: SettingDefinition): SchemaProperty {
  const variable = `${environmentPrefix(DEFAULT_TENANT)}${environmentSuffix(name)}`;
  const fallback = setting.environment ? ` Falls back to \`${variable}\`.` : "";
  return property(setting.type, `${setting.description}${fallback}`, setting.secret);
}

const settings = Object.entries(SETTINGS as Record<string, SettingDefinition>);
const properties = Object.entries(DATA_SOURCE.properties as Record<string, PropertyDefinition>);

function resourceSchema(): SchemaProperty {
  const inputs = properties.filter(([, definition]) => definition.input && !definition.input.internal);
  const outputs = properties.filter(([, definition]) => definition.output && !definition.output.internal);
  const described = ([name, definition]: [string, PropertyDefinition]) => [
    name,
    property(definition.type, definition.description, definition.secret),
  ];
  return {
    description: DATA_SOURCE.description,
    inputProperties: Object.fromEntries(inputs.map(described)),
    requiredInputs: inputs.filter(([, definition]) => definition.input!.required).map(([name]) => name),
    properties: Object.fromEntries(outputs.map(described)),
    required: outputs
      .filter(([, definition]) => definition.output!.required && !definition.output!.nullable)
      .map(([name]) => name),
  };
}

function objectTypes(): Record<string, SchemaProperty> {
  const types: Record<string, SchemaProperty> = {};
  const all = { ...DATA_SOURCE.objectTypes, ...SETTINGS_TYPES } as Record<
    string,
    {
      description: string;
      properties: Record<string, { type: ValueType; description: string; secret?: boolean }>;
    }
  >;
  for (const [name, definition] of Object.entries(all)) {
    types[typeToken(name as ObjectTypeName)] = {
      type: "object",
      description: definition.description,
      properties: Object.fromEntries(
        Object.entries(definition.properties).map(([member, { type, description, secret }]) => [
          member,
          property(type, description, secret),
        ]),
      ),
    };
  }
  return types;
}

/** `>=3.216.0 <4.0.0` → `3.216.0`: the floor of the package's `@pulumi/pulumi` peer range, which the SDKs require. */
function pulumiFloor(root: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
    peerDependencies: Record<string, string>;
  };
  const floor = /^>=(\d+\.\d+\.\d+)\b/.exec(manifest.peerDependencies["@pulumi/pulumi"]);
  if (!floor) throw new Error("package.json's @pulumi/pulumi peer range has no >= floor");
  return floor[1];
}

/** The package schema, without its version (`GetSchema` and the SDK generator add the package's). */
export function packageSchema(root: string = packageRoot()): Record<string, unknown> {
  const floor = pulumiFloor(root);
  return {
    name: PACKAGE_NAME,
    displayName: "Immuta",
    description: "Manage Immuta's Amazon S3 data sources as code.",
    keywords: ["pulumi", "immuta", "s3", "data-governance", "category/data"],
    homepage: "https://www.immuta.com",
    license: "Apache-2.0",
    publisher: "pulumi-immuta",
    meta: { moduleFormat: "(.*)" },
    config: {
      variables: Object.fromEntries(settings.map(([name, setting]) => [name, configVariable(name, setting)])),
    },
    types: objectTypes(),
    provider: {
      description:
        "The connection to Immuta. Settings left out fall back to the `IMMUTA_*` environment variables.",
      inputProperties: Object.fromEntries(
        settings.map(([name, setting]) => [
          name,
          property(setting.type, setting.description, setting.secret),
        ]),
      ),
    },
    resources: { [NATIVE_TYPE_TOKEN]: resourceSchema() },
    language: {
      nodejs: {
        packageName: "pulumi-immuta-native",
        packageDescription: "Manage Immuta's Amazon S3 data sources with the pulumi-resource-immuta plugin.",
        respectSchemaVersion: true,
        dependencies: { "@pulumi/pulumi": `^${floor}` },
      },
      python: {
        packageName: "pulumi_immuta",
        respectSchemaVersion: true,
        requires: { pulumi: `>=${floor},<4.0.0` },
        pyproject: { enabled: true },
      },
      go: {
        importBasePath: `${GO_MODULE_PATH}/immuta`,
        generateResourceContainerTypes: true,
        respectSchemaVersion: true,
      },
    },
  };
}
