/**
 * Loading a catalogue: every problem at once, each with the file, line and column of the value that causes it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CatalogueError, formatProblem, loadCatalogue, parseCatalogue } from "../../sdk/typescript/catalogue";

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof CatalogueError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error("the catalogue was accepted");
}

const BROKEN_YAML = `# yaml-language-server: $schema=../schema/immuta-catalogue.schema.json
integrations:
  research-s3:
    integrationId: 1
  broken:
    integrationId: 0
    tenant: 9lives
sources:
  research:
    integration: research-s3
    prefix: https://acme-research/raw
    dataSourceName: research
  finance:
    integration: research-s3
    prefix: s3://Acme_Finance/raw
    dataSourceName: " finance"
    colour: blue
  copy:
    integration: research-s3
    prefix: s3://acme-copy/raw
    dataSourceName: copy
  copy-again:
    integration: research-s3
    prefix: S3://acme-copy/raw/
    dataSourceName: copy
  orphan:
    integration: nowhere
    prefix: s3://acme-orphan
  renamed:
    integration: research-s3
    prefix: s3://acme-renamed
    dataSourceName: renamed
    previousKeys: [copy]
    adopt: {}
`;

describe("a catalogue with several errors", () => {
  it("reports every error with file, line, column and path, in reading order", () => {
    expect(problemsOf(() => parseCatalogue(BROKEN_YAML, "datasources.yaml"))).toEqual([
      "datasources.yaml:6:20 integrations.broken.integrationId: must be >= 1",
      "datasources.yaml:7:13 integrations.broken.tenant: must name a configured tenant: a letter followed by letters, digits, '_' or '-' (at most 63)",
      "datasources.yaml:11:13 sources.research.prefix: must start with s3://",
      'datasources.yaml:15:13 sources.finance.prefix: "s3://Acme_Finance/raw" bucket name "Acme_Finance" may contain only lower-case letters, digits, dots and hyphens, and must begin and end with a letter or digit',
      "datasources.yaml:16:21 sources.finance.dataSourceName: has leading or trailing white space",
      "datasources.yaml:17:5 sources.finance.colour: is not a catalogue property (expected integration, prefix, dataSourceName, adopt, tags, description, previousKeys, $comment)",
      "datasources.yaml:24:13 sources.copy-again.prefix: s3://acme-copy/raw is already the prefix of sources.copy in tenant default",
      'datasources.yaml:25:21 sources.copy-again.dataSourceName: "copy" is already the name of sources.copy in tenant default',
      "datasources.yaml:26:3 sources.orphan.dataSourceName: is required",
      'datasources.yaml:27:18 sources.orphan.integration: "nowhere" is not declared under integrations (declared: research-s3, broken)',
      'datasources.yaml:33:20 sources.renamed.previousKeys[0]: "copy" is the current key of sources.copy; a key cannot be both',
      "datasources.yaml:34:12 sources.renamed.adopt: must name what to take over: { dataSourceId: <id> } or { byName: true }",
    ]);
  });

  it("throws one CatalogueError whose message lists them all, and that Pulumi prints without a stack trace", () => {
    let thrown: unknown;
    try {
      parseCatalogue(BROKEN_YAML, "datasources.yaml");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CatalogueError);
    const error = thrown as CatalogueError;
    expect(error.name).toBe("CatalogueError");
    expect(error.message.split("\n")[0]).toBe("The catalogue datasources.yaml has 12 errors:");
    expect(error.message.split("\n")[3]).toBe(
      "  datasources.yaml:11:13 sources.research.prefix: must start with s3://",
    );
    // pulumi.RunError's marker: the engine prints the message only.
    expect((error as unknown as { __pulumiRunError: boolean }).__pulumiRunError).toBe(true);
  });
});

describe("positions", () => {
  it("points at the key of an invalid key and of the mapping that lacks a property", () => {
    const text = ["integrations: {}", "sources:", "  bad key:", "    integration: x", ""].join("\n");
    expect(problemsOf(() => parseCatalogue(text, "c.yaml"))).toEqual([
      `c.yaml:3:3 sources["bad key"]: invalid key: must consist of letters, digits, '-' and '_', starting with a letter or digit`,
      'c.yaml:3:3 sources["bad key"].prefix: is required',
      'c.yaml:3:3 sources["bad key"].dataSourceName: is required',
    ]);
  });

  it("points at the top of the file for a missing section and for an empty file", () => {
    expect(problemsOf(() => parseCatalogue("integrations: {}\n", "c.yaml"))).toEqual([
      "c.yaml:1:1 sources: is required",
    ]);
    expect(problemsOf(() => parseCatalogue("", "empty.yaml"))).toEqual([
      "empty.yaml:1:1 (catalogue): must be a mapping",
    ]);
  });

  it("reports YAML syntax errors with their position instead of validating a half-read file", () => {
    const text = "integrations: {}\nsources:\n  a: [1\n  b: 2\n";
    expect(problemsOf(() => parseCatalogue(text, "c.yaml"))).toEqual([
      "c.yaml:4:3 (syntax): Flow sequence in block collection must be sufficiently indented and end with a ]",
    ]);
    expect(problemsOf(() => parseCatalogue("sources: {}\nsources: {}\n", "c.yaml"))).toEqual([
      "c.yaml:2:1 (syntax): Map keys must be unique",
    ]);
  });
});

describe("JSON catalogues", () => {
  it("are validated with positions like YAML ones", () => {
    const text = [
      "{",
      '  "integrations": { "main": { "integrationId": 1 } },',
      '  "sources": {',
      '    "a": { "integration": "main", "prefix": "s3://acme-a/x", "dataSourceName": "a", "previousKeys": ["old"] },',
      '    "b": { "integration": "mian", "prefix": "s3://acme-b/x", "dataSourceName": "b", "previousKeys": ["old"] }',
      "  }",
      "}",
    ].join("\n");
    expect(problemsOf(() => parseCatalogue(text, "c.json"))).toEqual([
      'c.json:5:27 sources.b.integration: "mian" is not declared under integrations (declared: main)',
      'c.json:5:102 sources.b.previousKeys[0]: "old" is already a previous key of sources.a',
    ]);
  });

  it("must be strict JSON (no trailing comma), even though YAML would read it", () => {
    expect(
      problemsOf(() => parseCatalogue('{\n  "integrations": {},\n  "sources": {},\n}\n', "c.json")),
    ).toEqual(["c.json:4:1 (syntax): invalid JSON: Expected double-quoted property name"]);
  });

  it("carry notes for reviewers in a source's $comment, which must be text and is otherwise ignored", () => {
    const catalogue = (comment: unknown) =>
      JSON.stringify({
        integrations: { main: { integrationId: 1 } },
        sources: {
          a: { $comment: comment, integration: "main", prefix: "s3://acme-a/x", dataSourceName: "a" },
        },
      });
    expect(parseCatalogue(catalogue("Disabled in Immuta."), "c.json").sources).toEqual([
      {
        key: "a",
        integration: "main",
        integrationId: 1,
        prefix: "s3://acme-a/x",
        canonicalPrefix: "s3://acme-a/x",
        dataSourceName: "a",
        previousKeys: [],
      },
    ]);
    expect(problemsOf(() => parseCatalogue(catalogue(42), "c.json"))).toEqual([
      "c.json:1:73 sources.a.$comment: must be a string",
    ]);
  });
});

describe("a valid catalogue", () => {
  const text = `integrations:
  research-s3: { integrationId: 1 }
  production-s3: { integrationId: 3, tenant: production }
sources:
  research:
    integration: research-s3
    prefix: S3://acme-research/raw/
    dataSourceName: research
    previousKeys: [research-old]
  research-prod:
    integration: production-s3
    prefix: s3://acme-research/raw
    dataSourceName: research
    adopt: { byName: true }
`;

  it("resolves each source against its integration, in file order, with the canonical prefix", () => {
    expect(parseCatalogue(text, "c.yaml").sources).toEqual([
      {
        key: "research",
        integration: "research-s3",
        integrationId: 1,
        prefix: "S3://acme-research/raw/",
        canonicalPrefix: "s3://acme-research/raw",
        dataSourceName: "research",
        previousKeys: ["research-old"],
      },
      {
        key: "research-prod",
        integration: "production-s3",
        integrationId: 3,
        tenant: "production",
        prefix: "s3://acme-research/raw",
        canonicalPrefix: "s3://acme-research/raw",
        dataSourceName: "research",
        previousKeys: [],
        adopt: { byName: true },
      },
    ]);
  });

  it("loads a file relative to baseDir, and reports a missing file as a catalogue problem", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "catalogue-"));
    try {
      fs.writeFileSync(path.join(dir, "datasources.yaml"), text);
      expect(loadCatalogue("datasources.yaml", { baseDir: dir }).sources.map((s) => s.key)).toEqual([
        "research",
        "research-prod",
      ]);
      expect(problemsOf(() => loadCatalogue("missing.yaml", { baseDir: dir }))).toEqual([
        `missing.yaml (catalogue): cannot read ${path.join(dir, "missing.yaml")}: file not found`,
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("accepts an object, whose problems have paths but no positions", () => {
    expect(
      problemsOf(() =>
        loadCatalogue({
          integrations: { main: { integrationId: 1 } },
          sources: { a: { integration: "main", prefix: "s3://acme-a", dataSourceName: "a\u200b" } },
        }),
      ),
    ).toEqual(["catalogue sources.a.dataSourceName: contains an invisible or control character (U+200B)"]);
  });
});
