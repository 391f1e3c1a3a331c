/**
 * The catalogue applies the provider's own `check`, so a catalogue that loads is one the provider accepts, with the
 * provider's words; and the shipped JSON Schema is the one editors see.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { checkInputs } from "../../provider/core/inputs";
import {
  CATALOGUE_SCHEMA,
  CatalogueError,
  loadCatalogue,
  parseCatalogue,
} from "../../sdk/typescript/catalogue";

const REPO_ROOT = path.resolve(__dirname, "../..");

function catalogueWith(prefix: string, dataSourceName: string) {
  return {
    integrations: { main: { integrationId: 1 } },
    sources: { entry: { integration: "main", prefix, dataSourceName } },
  };
}

function catalogueMessages(prefix: string, dataSourceName: string): string[] {
  try {
    loadCatalogue(catalogueWith(prefix, dataSourceName));
    return [];
  } catch (error) {
    if (!(error instanceof CatalogueError)) throw error;
    return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
  }
}

describe.each([
  ["s3://acme-research/raw", "research"],
  ["s3://acme-research/raw/", "research"],
  ["s3://ab", "research"],
  ["s3://acme-research//raw", "research"],
  ["s3://acme-research/./raw", "research"],
  ["s3://192.168.1.1/raw", "research"],
  ["s3://xn--acme/raw", "research"],
  ["s3://acme-research/raw\u202e", "research"],
  ["s3://acme-research/raw", "research\u0007"],
  ["s3://acme-research/raw", "research "],
  ["s3://acme-research/raw", "Cafe\u0301"],
])("prefix %j, name %j", (prefix, dataSourceName) => {
  it("is accepted by the catalogue exactly when the provider's check accepts it, for the same reason", () => {
    const { failures } = checkInputs({ integrationId: 1, prefix, dataSourceName });
    const expected = failures.map(
      (failure) => `sources.entry.${failure.property}: ${failure.reason.replace(`${failure.property} `, "")}`,
    );
    expect(catalogueMessages(prefix, dataSourceName)).toEqual(expected);
  });
});

it("refuses names and prefixes used twice in one tenant, and allows them in different tenants", () => {
  const text = `integrations:
  staging: { integrationId: 1, tenant: staging }
  production: { integrationId: 1, tenant: production }
sources:
  research-staging: { integration: staging, prefix: s3://acme-research/raw, dataSourceName: research }
  research-production: { integration: production, prefix: s3://acme-research/raw, dataSourceName: research }
`;
  expect(parseCatalogue(text, "c.yaml").sources.map((source) => source.tenant)).toEqual([
    "staging",
    "production",
  ]);
});

describe("the shipped JSON Schema", () => {
  const schemaFile = path.join(REPO_ROOT, "schema/immuta-catalogue.schema.json");

  it("is what the loader validates with, and a valid draft-07 schema", () => {
    const shipped = JSON.parse(fs.readFileSync(schemaFile, "utf8")) as Record<string, unknown>;
    expect(CATALOGUE_SCHEMA).toEqual(shipped);
    expect(shipped.$schema).toBe("http://json-schema.org/draft-07/schema#");
    const ajv = new Ajv({ strict: false });
    expect(ajv.validateSchema(shipped)).toBe(true);
  });

  it("accepts the example catalogue, which names it for the YAML language server", () => {
    const file = path.join(REPO_ROOT, "examples/gitops/datasources.yaml");
    const text = fs.readFileSync(file, "utf8");
    expect(text.split("\n")[0]).toBe(
      "# yaml-language-server: $schema=./node_modules/pulumi-immuta/schema/immuta-catalogue.schema.json",
    );
    expect(parseCatalogue(text, "datasources.yaml").sources.map((source) => source.key)).toEqual([
      "research-raw",
      "research-curated",
      "finance-ledger",
    ]);
  });
});
