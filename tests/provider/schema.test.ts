/**
 * schema.json (what the native plugin's SDKs are generated from) against the TypeScript definitions of the same
 * resource: the dynamic resource's arguments and outputs (sdk/resource.ts), the inputs `check` validates
 * (provider/inputs.ts), the state the core writes (provider/state.ts) and the connection settings
 * (provider/client/types.ts). Read with the TypeScript compiler, so that the two front doors cannot drift apart.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { NATIVE_TYPE_TOKEN as RESOURCE_TOKEN } from "../../provider/core/resource-kind";

const ROOT = path.resolve(__dirname, "../..");

interface SchemaProperty {
  type?: string;
  $ref?: string;
  secret?: boolean;
  additionalProperties?: SchemaProperty;
}
interface SchemaObject {
  properties?: Record<string, SchemaProperty>;
  inputProperties?: Record<string, SchemaProperty>;
  required?: string[];
  requiredInputs?: string[];
}
interface Schema {
  config: { variables: Record<string, SchemaProperty> };
  provider: SchemaObject;
  types: Record<string, SchemaObject>;
  resources: Record<string, SchemaObject>;
}

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "schema.json"), "utf8")) as Schema;
const resource = schema.resources[RESOURCE_TOKEN];
const ADOPTION_REF = "#/types/immuta:index:S3DataSourceAdoption";

const files = ["sdk/resource.ts", "provider/inputs.ts", "provider/state.ts", "provider/client/types.ts"].map(
  (file) => path.join(ROOT, file),
);
// Parsed only (no type checking): every member the test reads has its type written out.
const sources = files.map((file) =>
  ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true),
);

interface Member {
  /** The schema type the TypeScript type stands for: integer, string, boolean or a `$ref`. */
  schemaType: string;
  optional: boolean;
  nullable: boolean;
}

/** `Input<number>` → number, `Output<string | null>` → string | null, `AuthMode | string` → string. */
function schemaTypeOf(typeText: string): { schemaType: string; nullable: boolean } {
  const inner = typeText.replace(/^(?:pulumi\.)?(?:Input|Output)<(.*)>$/, "$1");
  const parts = inner.split("|").map((part) => part.trim());
  const nullable = parts.includes("null");
  if (parts.includes("number")) return { schemaType: "integer", nullable };
  if (parts.includes("boolean")) return { schemaType: "boolean", nullable };
  if (parts.includes("string")) return { schemaType: "string", nullable };
  if (/Adoption(Input)?$/.test(inner)) return { schemaType: ADOPTION_REF, nullable };
  throw new Error(`no schema type for TypeScript type ${typeText}`);
}

/** The members of an interface or class declared in one of the files, as the schema would describe them. */
function membersOf(name: string): Record<string, Member> {
  for (const source of sources) {
    let found: ts.InterfaceDeclaration | ts.ClassDeclaration | undefined;
    source.forEachChild((node) => {
      if ((ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) && node.name?.text === name)
        found = node;
    });
    if (!found) continue;
    const members: Record<string, Member> = {};
    for (const member of found.members) {
      if (!ts.isPropertySignature(member) && !ts.isPropertyDeclaration(member)) continue;
      const key = (member.name as ts.Identifier).text;
      if (!member.type) throw new Error(`${name}.${key} has no type written out`);
      const typeText = member.type.getText(source);
      members[key] = { ...schemaTypeOf(typeText), optional: member.questionToken !== undefined };
    }
    return members;
  }
  throw new Error(`${name} is not declared in ${files.join(", ")}`);
}

/** A schema object's properties in the same terms. */
function schemaMembers(properties: Record<string, SchemaProperty>, required: string[] = []) {
  return Object.fromEntries(
    Object.entries(properties).map(([key, property]) => [
      key,
      { schemaType: property.$ref ?? property.type, required: required.includes(key) },
    ]),
  );
}

const typed = (members: Record<string, Member>, required: (member: Member) => boolean) =>
  Object.fromEntries(
    Object.entries(members).map(([key, member]) => [
      key,
      { schemaType: member.schemaType, required: required(member) },
    ]),
  );

describe("schema.json describes the same resource as the TypeScript definitions", () => {
  it("inputs: ImmutaS3DataSourceArgs (sdk/resource.ts), member by member, type and whether required", () => {
    expect(schemaMembers(resource.inputProperties!, resource.requiredInputs)).toEqual(
      typed(membersOf("ImmutaS3DataSourceArgs"), (member) => !member.optional),
    );
  });

  it("inputs: what check validates (provider/inputs.ts DataSourceInputs), less the SDK's internal `disabled`", () => {
    const { disabled, ...declared } = membersOf("DataSourceInputs");
    expect(disabled).toBeDefined();
    expect(schemaMembers(resource.inputProperties!, resource.requiredInputs)).toEqual(
      typed(declared, (member) => !member.optional),
    );
  });

  it("adoption: S3DataSourceAdoption is AdoptionInput and ImmutaS3DataSourceAdoption", () => {
    const adoption = schema.types["immuta:index:S3DataSourceAdoption"];
    const expected = schemaMembers(adoption.properties!, adoption.required);
    expect(typed(membersOf("AdoptionInput"), () => false)).toEqual(expected);
    expect(typed(membersOf("ImmutaS3DataSourceAdoption"), () => false)).toEqual(expected);
  });

  it("outputs: DataSourceState (provider/state.ts); nullable and optional members are not required", () => {
    expect(schemaMembers(resource.properties!, resource.required)).toEqual(
      typed(membersOf("DataSourceState"), (member) => !member.optional && !member.nullable),
    );
  });

  it("outputs: every output ImmutaS3DataSource declares (sdk/resource.ts) is in the schema with its type", () => {
    const declared = membersOf("ImmutaS3DataSource");
    expect(Object.keys(declared).length).toBeGreaterThan(5);
    for (const [key, member] of Object.entries(declared)) {
      expect({ key, type: resource.properties![key]?.type ?? resource.properties![key]?.$ref }).toEqual({
        key,
        type: member.schemaType,
      });
    }
  });

  it("configuration: every connection setting (provider/client/types.ts), prefixForm, integrations and tenants", () => {
    const settings = typed(membersOf("ConnectionSettings"), () => false);
    const plugin = { prefixForm: { schemaType: "string", required: false } };
    const maps = { integrations: { schemaType: "object", required: false } };
    expect(schemaMembers(schema.config.variables)).toEqual({
      ...settings,
      ...plugin,
      ...maps,
      tenants: { schemaType: "object", required: false },
    });
    expect(schemaMembers(schema.provider.inputProperties!)).toEqual(schemaMembers(schema.config.variables));
    const tenant = schema.types["immuta:index:TenantSettings"];
    expect(schemaMembers(tenant.properties!)).toEqual({ ...settings, ...plugin, ...maps });
    // The key is secret wherever it can be set.
    expect(schema.config.variables.apiKey.secret).toBe(true);
    expect(schema.provider.inputProperties!.apiKey.secret).toBe(true);
    expect(tenant.properties!.apiKey.secret).toBe(true);
  });
});
