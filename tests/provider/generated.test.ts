/**
 * What `npm run gen` derives from the resource's definition: committed, current, and describing the same resource
 * through both front doors. A stale file fails naming itself; the language SDKs generated from schema.json are
 * checked by the go tier (tools/pulumi-cli/gen-sdk).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DATA_SOURCE, SETTINGS } from "../../provider/core/definition";
import type { PropertyDefinition } from "../../provider/core/model";
import { NATIVE_TYPE_TOKEN } from "../../provider/core/resource-kind";
import { packageSchema } from "../../provider/native/package-schema";
import { GENERATED_FILES, generatedContent, REPO_ROOT } from "../../scripts/gen/files";
import { GENERATED_NOTICE } from "../../scripts/gen/header";
import { OUTPUT_NAMES } from "../../sdk/typescript/generated/data-source";

interface SchemaObject {
  properties: Record<string, { type?: string; $ref?: string; secret?: boolean }>;
  inputProperties: Record<string, { type?: string; $ref?: string; secret?: boolean }>;
  required: string[];
  requiredInputs: string[];
}

const schema = packageSchema(REPO_ROOT) as unknown as {
  config: { variables: SchemaObject["properties"] };
  provider: SchemaObject;
  types: Record<string, SchemaObject>;
  resources: Record<string, SchemaObject>;
};
const resource = schema.resources[NATIVE_TYPE_TOKEN];
const definitions = Object.entries(DATA_SOURCE.properties as Record<string, PropertyDefinition>);

describe("generated files are current", () => {
  it.each(GENERATED_FILES.map((file) => [file.file, file]))("%s", (name, file) => {
    const committed = fs.readFileSync(path.join(REPO_ROOT, name), "utf8");
    const current = generatedContent(file);
    if (committed !== current) throw new Error(`${name} is stale: run \`npm run gen\` and commit it`);
    if (name.endsWith(".ts")) expect(committed.split("\n")[0]).toBe(`// ${GENERATED_NOTICE}`);
  });
});

describe("the package schema describes the resource's definition", () => {
  it("inputs: every public input, with its type, and the required ones", () => {
    const inputs = definitions.filter(([, property]) => property.input && !property.input.internal);
    expect(Object.keys(resource.inputProperties)).toEqual(inputs.map(([name]) => name));
    expect(resource.requiredInputs).toEqual(["integrationId", "prefix", "dataSourceName"]);
    expect(resource.inputProperties.integrationId.type).toBe("integer");
    expect(resource.inputProperties.adopt.$ref).toBe("#/types/immuta:index:S3DataSourceAdoption");
    expect(resource.inputProperties).not.toHaveProperty("disabled");
  });

  it("outputs: every public output; nullable and optional ones are not required", () => {
    const outputs = definitions.filter(([, property]) => property.output && !property.output.internal);
    expect(Object.keys(resource.properties)).toEqual(outputs.map(([name]) => name));
    expect(resource.properties).not.toHaveProperty("appliedName");
    expect(resource.required).not.toContain("awsLocationPath");
    expect(resource.required).not.toContain("adopt");
    expect(resource.required).toContain("dataSourceId");
  });

  it("the dynamic resource registers every output the native resource exposes", () => {
    expect(OUTPUT_NAMES).toEqual(expect.arrayContaining(Object.keys(resource.properties)));
  });

  it("configuration: every setting, as config, as the explicit provider's arguments and per tenant", () => {
    expect(Object.keys(schema.config.variables)).toEqual(Object.keys(SETTINGS));
    expect(Object.keys(schema.provider.inputProperties)).toEqual(Object.keys(SETTINGS));
    const tenant = schema.types["immuta:index:TenantSettings"];
    expect(Object.keys(tenant.properties)).toEqual(
      Object.keys(SETTINGS).filter((name) => name !== "tenants"),
    );
    // The key is secret wherever it can be set.
    expect(schema.config.variables.apiKey.secret).toBe(true);
    expect(schema.provider.inputProperties.apiKey.secret).toBe(true);
    expect(tenant.properties.apiKey.secret).toBe(true);
  });
});
