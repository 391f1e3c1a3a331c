/**
 * `export`: reading a tenant that already holds data sources, over real HTTP against the emulator, and writing
 * declarations that adopt them. What is asserted is the text a reviewer reads, what Immuta received (reads only),
 * and what the person running the export is told.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import { EmulatorControl, startEmulator, type RunningEmulator } from "../../emulator";
import { exportCatalogue, type ExportOptions } from "../../gitops";
import { main } from "../../gitops/cli";
import { seedSources } from "../e2e/support/emulator";
import { CatalogueError, parseCatalogue } from "../../sdk/typescript/catalogue";

jest.setTimeout(120_000);

const API_KEY = "export-test-key-3f9c1e";
const REPO_ROOT = path.resolve(__dirname, "../..");

let emulator: RunningEmulator;
let control: EmulatorControl;

beforeAll(async () => {
  emulator = await startEmulator({
    apiKey: API_KEY,
    integrations: [
      {
        id: 1,
        awsLocationPath: "s3://",
        awsAccountId: "123456789012",
        awsRegion: "us-east-2",
        name: "Research S3",
      },
      {
        id: 2,
        awsLocationPath: "s3://acme-finance/team/",
        awsAccountId: "123456789012",
        awsRegion: "us-east-2",
      },
      {
        id: 3,
        awsLocationPath: "s3://acme-archive/",
        awsAccountId: "123456789012",
        awsRegion: "us-east-2",
        name: "Research-S3",
      },
    ],
  });
  control = new EmulatorControl(emulator.url, emulator.adminToken);
});

afterAll(async () => {
  await emulator?.close();
});

beforeEach(async () => {
  await control.reset();
});

const env = () => ({ IMMUTA_URL: emulator.url, IMMUTA_API_KEY: API_KEY });
const run = (options: ExportOptions = {}) => exportCatalogue({ env: env(), ...options });
const requests = async () => (await control.requests()).map((entry) => `${entry.method} ${entry.path}`);

/** A tenant registered by hand: names that collide as keys, a disabled source, one no declaration can describe. */
async function seedTenant(): Promise<void> {
  const seeds = [
    { name: "Research Raw", prefix: "s3://acme-research/raw" },
    { name: "research-raw", prefix: "s3://acme-research/raw-v2" },
    { name: "1e3", prefix: "s3://acme-research/1e3" },
    { name: "ledger", prefix: "s3://acme-finance/team/ledger", integrationId: 2 },
    { name: "old ledger", prefix: "s3://acme-finance/team/old", integrationId: 2, deleted: true },
    { name: "Café Ünïcode", prefix: "s3://acme-archive/cafe", integrationId: 3 },
    { name: "bad name ", prefix: "s3://acme-research/bad" },
    {
      name: "s3://acme-archive/2020 (123*****9012/us-east-2)",
      prefix: "s3://acme-archive/2020",
      integrationId: 3,
    },
  ];
  for (const seed of seeds) await control.seedDataSource(seed);
  await control.clearRequests();
}

const HEADER = [
  "# yaml-language-server: $schema=./node_modules/pulumi-immuta/schema/immuta-catalogue.schema.json",
  "#",
  "# Exported from Immuta by `pulumi-immuta-gitops export`. Each source is adopted by its Immuta id: the first",
  "# `pulumi up` checks that Immuta still holds it with this prefix, integration and name, takes it over, and",
  "# registers, changes or deletes nothing (a disabled source is restored). Keys are the Pulumi resource names:",
  "# to rename one, keep the old key in `previousKeys`.",
];

const source = (key: string, integration: string, prefix: string, name: string, id: number) => [
  `  ${key}:`,
  `    integration: ${integration}`,
  `    prefix: ${prefix}`,
  `    dataSourceName: ${name}`,
  `    adopt: { dataSourceId: ${id} }`,
];

const EXPECTED_YAML = [
  ...HEADER,
  "integrations:",
  "  research-s3:",
  "    integrationId: 1",
  "  s3-integration-2:",
  "    integrationId: 2",
  "  research-s3-3:",
  "    integrationId: 3",
  "sources:",
  "  # Integration research-s3 (id 1)",
  ...source('"1e3"', "research-s3", "s3://acme-research/1e3", '"1e3"', 3),
  ...source("research-raw", "research-s3", "s3://acme-research/raw", "Research Raw", 1),
  ...source("research-raw-2", "research-s3", "s3://acme-research/raw-v2", "research-raw", 2),
  "  # Integration s3-integration-2 (id 2)",
  ...source("ledger", "s3-integration-2", "s3://acme-finance/team/ledger", "ledger", 4),
  "  # Disabled in Immuta (id 5): the first `pulumi up` restores it. Remove this entry to leave it disabled.",
  ...source("old-ledger", "s3-integration-2", "s3://acme-finance/team/old", "old ledger", 5),
  "  # Integration research-s3-3 (id 3)",
  ...source(
    "acme-archive-2020",
    "research-s3-3",
    "s3://acme-archive/2020",
    "s3://acme-archive/2020 (123*****9012/us-east-2)",
    8,
  ),
  ...source("cafe-unicode", "research-s3-3", "s3://acme-archive/cafe", "Café Ünïcode", 6),
  "",
].join("\n");

const EXPECTED_SUMMARY = [
  "Found 8 data sources in tenant default; exported 7 (3 integrations) as YAML, each adopted by id.",
  "  1 source is disabled in Immuta and marked so: the first `pulumi up` restores it (old-ledger). Export with " +
    "--skip-disabled to leave it out.",
  "Skipped 1:",
  "  1 that a declaration cannot describe as Immuta holds them: rename or re-register them in Immuta, then " +
    "export again:",
  '    id 7 "bad name ": dataSourceName has leading or trailing white space',
  "",
].join("\n");

describe("a fresh export", () => {
  it("writes a valid YAML catalogue adopting every S3 source by id, grouped by integration, reading only", async () => {
    await seedTenant();
    const result = await run();
    expect(result.output).toBe(EXPECTED_YAML);
    expect(result.summary).toBe(EXPECTED_SUMMARY);

    // What the catalogue loader (and so `validate` and `declareCatalogue`) makes of it.
    const catalogue = parseCatalogue(result.output, "datasources.yaml");
    expect(catalogue.sources.map((entry) => [entry.key, entry.integrationId, entry.adopt])).toEqual([
      ["1e3", 1, { dataSourceId: 3 }],
      ["research-raw", 1, { dataSourceId: 1 }],
      ["research-raw-2", 1, { dataSourceId: 2 }],
      ["ledger", 2, { dataSourceId: 4 }],
      ["old-ledger", 2, { dataSourceId: 5 }],
      ["acme-archive-2020", 3, { dataSourceId: 8 }],
      ["cafe-unicode", 3, { dataSourceId: 6 }],
    ]);

    // Hits are summaries: every source's record and handler were read, and nothing was written.
    const calls = await requests();
    expect(calls.filter((call) => !call.startsWith("GET "))).toEqual([]);
    for (let id = 1; id <= 8; id++) expect(calls).toContain(`GET /dataSource/${id}`);
    expect(calls.filter((call) => call.startsWith("GET /native-s3/handler/"))).toHaveLength(8);
  });

  it("of an empty tenant is a valid, empty catalogue", async () => {
    const result = await run();
    expect(result.output).toBe([...HEADER, "integrations: {}", "sources: {}", ""].join("\n"));
    expect(parseCatalogue(result.output, "datasources.yaml").sources).toEqual([]);
    expect(result.summary).toBe(
      "Found 0 data sources in tenant default; exported 0 (0 integrations) as YAML, each adopted by id.\n" +
        "Skipped none.\n",
    );
  });

  it("gives byte-identical text for an unchanged tenant, whatever the concurrency", async () => {
    await seedTenant();
    for (const format of ["yaml", "json", "typescript"] as const) {
      const first = await run({ format });
      const again = await run({ format, concurrency: 1 });
      expect(again.output).toBe(first.output);
      expect(again.summary).toBe(first.summary);
    }
  });

  it("writes JSON that declares the same sources, noting a disabled one in $comment", async () => {
    await seedTenant();
    const yaml = parseCatalogue((await run()).output, "datasources.yaml");
    const result = await run({ format: "json" });
    const json = parseCatalogue(result.output, "datasources.json");
    expect(json.sources).toEqual(yaml.sources);
    const document = JSON.parse(result.output) as { $schema: string; sources: Record<string, unknown> };
    expect(document.$schema).toBe("./node_modules/pulumi-immuta/schema/immuta-catalogue.schema.json");
    expect(document.sources["old-ledger"]).toEqual({
      $comment:
        "Disabled in Immuta (id 5): the first `pulumi up` restores it. Remove this entry to leave it disabled.",
      integration: "s3-integration-2",
      prefix: "s3://acme-finance/team/old",
      dataSourceName: "old ledger",
      adopt: { dataSourceId: 5 },
    });
    expect(result.summary).toContain("exported 7 (3 integrations) as JSON");
  });

  it("writes a TypeScript program that type-checks against the SDK and declares the same resources", async () => {
    await seedTenant();
    const result = await run({ format: "typescript" });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "export-program-"));
    try {
      const file = path.join(dir, "index.ts");
      fs.writeFileSync(file, result.output);
      const program = ts.createProgram([file], {
        strict: true,
        noUncheckedIndexedAccess: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        esModuleInterop: true,
        resolveJsonModule: true,
        skipLibCheck: true,
        types: ["node"],
        typeRoots: [path.join(REPO_ROOT, "node_modules/@types")],
        baseUrl: REPO_ROOT,
        paths: { "pulumi-immuta": ["sdk/typescript/index.ts"] },
      });
      // Only the program's own diagnostics: the SDK is checked under the repository's settings elsewhere.
      const written = program.getSourceFile(file)!;
      const problems = [
        ...program.getSyntacticDiagnostics(written),
        ...program.getSemanticDiagnostics(written),
      ].map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      expect(problems).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(result.output).toContain(
      [
        '  "ledger": new ImmutaS3DataSource("ledger", {',
        '    ...integrations["s3-integration-2"],',
        '    prefix: "s3://acme-finance/team/ledger",',
        '    dataSourceName: "ledger",',
        "    adopt: { dataSourceId: 4 },",
        "  }),",
      ].join("\n"),
    );
    const names = [...result.output.matchAll(/new ImmutaS3DataSource\("([^"]+)"/g)].map((match) => match[1]);
    const keys = parseCatalogue((await run()).output, "datasources.yaml").sources.map((entry) => entry.key);
    expect(names).toEqual(keys);
    expect(result.output).toContain("// Disabled in Immuta (id 5): the first `pulumi up` restores it.");
  });
});

describe("filters", () => {
  it("--integration, --prefix and --skip-disabled narrow the export, and the summary says why each source is out", async () => {
    await seedTenant();
    const byIntegration = await run({ integrationIds: [2], skipDisabled: true });
    expect(parseCatalogue(byIntegration.output, "c.yaml").sources.map((entry) => entry.key)).toEqual([
      "ledger",
    ]);
    expect(byIntegration.summary).toBe(
      [
        "Found 8 data sources in tenant default; exported 1 (1 integration) as YAML, each adopted by id.",
        "Skipped 7:",
        "  1 disabled in Immuta (--skip-disabled):",
        '    id 5 "old ledger"',
        "  6 of other integrations than --integration 2:",
        '    id 1 "Research Raw": integration 1',
        '    id 2 "research-raw": integration 1',
        '    id 3 "1e3": integration 1',
        '    id 6 "Café Ünïcode": integration 3',
        '    id 7 "bad name ": integration 1',
        "    and 1 more",
        "",
      ].join("\n"),
    );
    expect(byIntegration.output).not.toContain("research-s3");

    // On `/` boundaries: s3://acme-research/raw holds itself and what is under it, not s3://acme-research/raw-v2.
    const byPrefix = await run({ prefixes: ["s3://acme-research/raw/", "S3://acme-archive/2020"] });
    expect(parseCatalogue(byPrefix.output, "c.yaml").sources.map((entry) => entry.dataSourceName)).toEqual([
      "Research Raw",
      "s3://acme-archive/2020 (123*****9012/us-east-2)",
    ]);
    expect(byPrefix.summary).toContain(
      "  6 outside --prefix s3://acme-research/raw, s3://acme-archive/2020:\n",
    );
  });

  it("refuses a --prefix that is not an S3 location, before any request", async () => {
    await expect(run({ prefixes: ["acme-research/raw"] })).rejects.toThrow(
      '--prefix "acme-research/raw" must be an S3 URI starting with s3://',
    );
    expect(await requests()).toEqual([]);
  });
});

describe("scale", () => {
  // The end-to-end onboarding test exports 2,500; 250 take three pages here, in a fraction of the time.
  it("pages through every source and reads each one's record and handler, in both offset readings", async () => {
    await seedSources(
      control,
      Array.from({ length: 250 }, (_, i) => ({
        name: `source-${i + 1}`,
        prefix: `s3://acme-bulk/s-${i + 1}`,
      })),
    );
    for (const searchOffset of ["records", "pages"] as const) {
      await control.setModes({ searchOffset });
      await control.clearRequests();
      const result = await run();
      const catalogue = parseCatalogue(result.output, "datasources.yaml");
      expect(new Set(catalogue.sources.map((entry) => entry.adopt?.dataSourceId)).size).toBe(250);
      expect(result.summary).toBe(
        "Found 250 data sources in tenant default; exported 250 (1 integration) as YAML, each adopted by id.\n" +
          "Skipped none.\n",
      );
      const calls = await requests();
      // The first page of 100, the two-record probe of the offset reading, then two more pages.
      expect(calls.filter((call) => call === "GET /dataSource")).toHaveLength(4);
      expect(calls.filter((call) => /^GET \/dataSource\/\d+$/.test(call))).toHaveLength(250);
      expect(calls.filter((call) => call.startsWith("GET /native-s3/handler/"))).toHaveLength(250);
      expect(calls.filter((call) => !call.startsWith("GET "))).toEqual([]);
    }
  });

  it("never reads more sources at once than the concurrency allows", async () => {
    for (let i = 1; i <= 40; i++)
      await control.seedDataSource({ name: `s-${i}`, prefix: `s3://acme-bulk/s-${i}` });
    await control.setFaults([{ method: "GET", path: "/dataSource/*", kind: "latency", latencyMs: 20 }]);
    const proxy = await countingProxy(emulator.url);
    try {
      const result = await exportCatalogue({
        env: { IMMUTA_URL: proxy.url, IMMUTA_API_KEY: API_KEY },
        concurrency: 4,
      });
      expect(parseCatalogue(result.output, "c.yaml").sources).toHaveLength(40);
      expect(proxy.maxInFlight()).toBeLessThanOrEqual(4);
      // ... and does read them concurrently: 40 sources, each held 20 ms, four at a time.
      expect(proxy.maxInFlight()).toBeGreaterThan(1);
    } finally {
      await proxy.close();
    }
  });
});

describe("what Immuta may answer", () => {
  it("without blobHandler.url, adopts through the data source id when that is the handler, and skips it otherwise", async () => {
    await control.setModes({ blobHandler: "absent", handlerIds: "same" });
    await control.seedDataSource({ name: "research", prefix: "s3://acme-research/raw" });
    const same = await run();
    expect(parseCatalogue(same.output, "c.yaml").sources.map((entry) => entry.key)).toEqual(["research"]);

    await control.reset();
    await control.setModes({ blobHandler: "absent", handlerIds: "separate" });
    await control.seedDataSource({ name: "research", prefix: "s3://acme-research/raw" });
    const separate = await run();
    expect(separate.plan.entries).toEqual([]);
    expect(separate.summary).toContain(
      "  1 whose native-s3 handler could not be identified: adopt them by hand:\n" +
        '    id 1 "research": Immuta gave no blobHandler.url, and handler 1 (the data source id) does not exist\n',
    );
  });

  it("reads prefixes in absolute form whichever form Immuta answers in", async () => {
    await control.setModes({ prefixForm: "absolute" });
    await control.seedDataSource({
      name: "ledger",
      prefix: "s3://acme-finance/team/ledger",
      integrationId: 2,
    });
    const result = await run();
    expect(result.output).toContain("    prefix: s3://acme-finance/team/ledger\n");
  });

  it("leaves out what is not an S3 source, and what vanished between the search and the read", async () => {
    const tenant = await fakeTenant();
    try {
      const result = await exportCatalogue({ env: { IMMUTA_URL: tenant.url, IMMUTA_API_KEY: API_KEY } });
      expect(result.plan.entries.map((entry) => entry.source.dataSourceName)).toEqual(["research"]);
      expect(result.summary).toBe(
        [
          "Found 4 data sources in tenant default; exported 1 (1 integration) as YAML, each adopted by id.",
          "Skipped 3:",
          "  1 deleted (or hidden from the key's user) while the export read them:",
          '    id 4 "purged"',
          "  2 not Amazon S3 data sources:",
          '    id 2 "orders": blobHandlerType "Snowflake"',
          '    id 3 "events": its handler is /databricks/handler/77',
          "",
        ].join("\n"),
      );
      expect(tenant.paths).not.toContain("/dataSource/2");
      expect(tenant.paths).not.toContain("/native-s3/handler/77");
    } finally {
      await tenant.close();
    }
  });
});

describe("connection", () => {
  it("reads a named tenant's connection from stack config before the environment, and names the tenant", async () => {
    await control.seedDataSource({
      name: "ledger",
      prefix: "s3://acme-finance/team/ledger",
      integrationId: 2,
    });
    const config: Record<string, string> = {
      "immuta:tenants": JSON.stringify({ production: { url: emulator.url, apiKey: API_KEY } }),
    };
    const result = await exportCatalogue({
      tenant: "production",
      config: { get: (key) => config[key] },
      env: { IMMUTA_PRODUCTION_URL: "http://127.0.0.1:9", IMMUTA_PRODUCTION_API_KEY: "wrong" },
    });
    expect(result.output).toContain("  s3-integration-2:\n    integrationId: 2\n    tenant: production\n");
    expect(result.summary).toMatch(/^Found 1 data source in tenant production; exported 1/);
    expect(parseCatalogue(result.output, "c.yaml").sources[0]).toMatchObject({ tenant: "production" });
  });

  it("says where to configure a tenant that is not configured", async () => {
    await expect(exportCatalogue({ env: {} })).rejects.toThrow(
      "The Immuta URL is not configured. Set it with `pulumi config set immuta:url " +
        "https://your-tenant.immutacloud.com` or the environment variable IMMUTA_URL.",
    );
  });
});

describe("--merge", () => {
  const REVIEWED = [
    "# Our reviewed catalogue.",
    "integrations:",
    "    research:   # the research integration",
    "        integrationId: 1",
    "    finance:",
    "        integrationId: 2",
    "",
    "sources:",
    "    # Raw research data, reviewed by the data team.",
    "    research-raw:",
    "        integration: research",
    '        prefix: "s3://acme-research/raw"',
    "        dataSourceName: Research Raw",
    "        adopt: {dataSourceId: 1}",
    "",
    "    the-ledger:",
    "        integration: finance",
    "        prefix: s3://acme-finance/team/ledger/",
    "        dataSourceName: ledger",
    "        previousKeys: [ledger]",
    "    thousand:",
    "        integration: research",
    "        prefix: s3://acme-research/elsewhere",
    '        dataSourceName: "1e3"',
    "",
  ].join("\n");

  it("appends only the sources the catalogue lacks, leaving every reviewed byte where it was", async () => {
    await seedTenant();
    const result = await run({ merge: { file: "datasources.yaml", text: REVIEWED } });
    const entry = (key: string, integration: string, prefix: string, name: string, id: number) => [
      `    ${key}:`,
      `        integration: ${integration}`,
      `        prefix: ${prefix}`,
      `        dataSourceName: ${name}`,
      `        adopt: { dataSourceId: ${id} }`,
    ];
    expect(result.output).toBe(
      [
        "# Our reviewed catalogue.",
        "integrations:",
        "    research:   # the research integration",
        "        integrationId: 1",
        "    finance:",
        "        integrationId: 2",
        "    research-s3:",
        "        integrationId: 3",
        "",
        "sources:",
        "    # Raw research data, reviewed by the data team.",
        "    research-raw:",
        "        integration: research",
        '        prefix: "s3://acme-research/raw"',
        "        dataSourceName: Research Raw",
        "        adopt: {dataSourceId: 1}",
        "",
        "    the-ledger:",
        "        integration: finance",
        "        prefix: s3://acme-finance/team/ledger/",
        "        dataSourceName: ledger",
        "        previousKeys: [ledger]",
        "    thousand:",
        "        integration: research",
        "        prefix: s3://acme-research/elsewhere",
        '        dataSourceName: "1e3"',
        "    # Integration research (id 1)",
        ...entry("research-raw-2", "research", "s3://acme-research/raw-v2", "research-raw", 2),
        "    # Integration finance (id 2)",
        "    # Disabled in Immuta (id 5): the first `pulumi up` restores it. Remove this entry to leave it disabled.",
        ...entry("old-ledger", "finance", "s3://acme-finance/team/old", "old ledger", 5),
        "    # Integration research-s3 (id 3)",
        ...entry(
          "acme-archive-2020",
          "research-s3",
          "s3://acme-archive/2020",
          "s3://acme-archive/2020 (123*****9012/us-east-2)",
          8,
        ),
        ...entry("cafe-unicode", "research-s3", "s3://acme-archive/cafe", "Café Ünïcode", 6),
        "",
      ].join("\n"),
    );
    expect(result.summary).toContain(
      "exported 4 (3 integrations) into datasources.yaml, each adopted by id.",
    );
    expect(result.summary).toContain(
      [
        "  3 already declared in datasources.yaml:",
        '    id 1 "Research Raw": sources.research-raw adopts id 1',
        '    id 3 "1e3": sources.thousand has its name',
        '    id 4 "ledger": sources.the-ledger has its prefix',
      ].join("\n"),
    );

    // Merging again adds nothing and changes nothing.
    const again = await run({ merge: { file: "datasources.yaml", text: result.output } });
    expect(again.output).toBe(result.output);
    expect(again.summary).toMatch(/exported 0 \(0 integrations\) into datasources\.yaml/);
  });

  it("appends to a JSON catalogue in its own layout, and to empty mappings", async () => {
    await seedTenant();
    const reviewed = [
      "{",
      '  "integrations": {',
      '    "research": { "integrationId": 1 }',
      "  },",
      '  "sources": {',
      '    "research-raw": { "integration": "research", "prefix": "s3://acme-research/raw", "dataSourceName": "Research Raw" }',
      "  }",
      "}",
      "",
    ].join("\n");
    const result = await run({ merge: { file: "datasources.json", text: reviewed }, integrationIds: [1] });
    expect(result.output).toBe(
      [
        "{",
        '  "integrations": {',
        '    "research": { "integrationId": 1 }',
        "  },",
        '  "sources": {',
        '    "research-raw": { "integration": "research", "prefix": "s3://acme-research/raw", "dataSourceName": "Research Raw" },',
        '    "1e3": {',
        '      "integration": "research",',
        '      "prefix": "s3://acme-research/1e3",',
        '      "dataSourceName": "1e3",',
        '      "adopt": {',
        '        "dataSourceId": 3',
        "      }",
        "    },",
        '    "research-raw-2": {',
        '      "integration": "research",',
        '      "prefix": "s3://acme-research/raw-v2",',
        '      "dataSourceName": "research-raw",',
        '      "adopt": {',
        '        "dataSourceId": 2',
        "      }",
        "    }",
        "  }",
        "}",
        "",
      ].join("\n"),
    );

    for (const [file, text] of [
      ["empty.yaml", "# nothing yet\nintegrations: {}\nsources: {}\n"],
      ["empty.json", '{"integrations": {}, "sources": {}}'],
    ]) {
      const merged = await run({ merge: { file, text } });
      expect(merged.output.startsWith(file.endsWith(".yaml") ? "# nothing yet\nintegrations:" : "{")).toBe(
        true,
      );
      expect(parseCatalogue(merged.output, file).sources).toHaveLength(7);
      expect((await run({ merge: { file, text: merged.output } })).output).toBe(merged.output);
    }
  });

  it("refuses an invalid catalogue with every problem, before any request to Immuta", async () => {
    const broken = "integrations: {}\nsources:\n  a:\n    integration: nowhere\n    prefix: s3://acme-a\n";
    const error = await exportCatalogue({
      env: env(),
      merge: { file: "datasources.yaml", text: broken },
    }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(CatalogueError);
    expect((error as CatalogueError).message).toBe(
      [
        "The catalogue datasources.yaml has 2 errors:",
        "  datasources.yaml:3:3 sources.a.dataSourceName: is required",
        '  datasources.yaml:4:18 sources.a.integration: "nowhere" is not declared under integrations',
      ].join("\n"),
    );
    expect(await requests()).toEqual([]);
  });

  it("keeps the catalogue's format: --format must agree with it", async () => {
    await expect(
      run({ merge: { file: "datasources.yaml", text: "integrations: {}\nsources: {}\n" }, format: "json" }),
    ).rejects.toThrow(
      "--format json does not match the catalogue to merge into (datasources.yaml is YAML); merged entries are " +
        "written in the catalogue's own format",
    );
  });
});

describe("the command line", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "export-cli-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function cli(argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const exitCode = await main(argv, env(), { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
    return { exitCode, stdout: out.join(""), stderr: err.join("") };
  }

  it("prints the catalogue on stdout and the summary on stderr; --out writes the file in its extension's format", async () => {
    await seedTenant();
    const printed = await cli(["export"]);
    expect(printed).toEqual({ exitCode: 0, stdout: EXPECTED_YAML, stderr: EXPECTED_SUMMARY });

    const out = path.join(dir, "datasources.json");
    const written = await cli(["export", "--out", out, "--skip-disabled"]);
    expect(written.exitCode).toBe(0);
    expect(written.stdout).toBe("");
    expect(written.stderr).toContain("exported 6 (3 integrations) as JSON");
    expect(parseCatalogue(fs.readFileSync(out, "utf8"), out).sources).toHaveLength(6);

    const catalogue = path.join(dir, "datasources.yaml");
    fs.writeFileSync(catalogue, "integrations: {}\nsources: {}\n");
    const merged = await cli(["export", "--merge", catalogue, "--out", catalogue]);
    expect(merged.exitCode).toBe(0);
    expect(parseCatalogue(fs.readFileSync(catalogue, "utf8"), catalogue).sources).toHaveLength(7);
  });

  it("exits 2 with the reason for arguments it cannot honour", async () => {
    const refused = async (argv: string[], message: string) => {
      const result = await cli(argv);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stdout).toBe("");
    };
    await refused(["export", "--format", "xml"], '--format must be one of yaml, json, typescript, got "xml"');
    await refused(
      ["export", "--merge", "c.yaml", "--format", "typescript"],
      "--merge adds to a YAML or JSON",
    );
    await refused(["export", "--integration", "one"], "--integration must be a whole number >= 1");
    await refused(
      ["export", "--out", "c.json", "--format", "yaml"],
      "--out c.json does not suit --format yaml",
    );
    await refused(["export", "--allow-destructive"], "--allow-destructive does not apply to export");
    await refused(["export", "--cwd", "infra"], "--cwd and --pulumi-root need --stack");
    await refused(["summary", "-s", "p", "--format", "json"], "--format applies to export only");
    await refused(
      ["export", "--merge", path.join(dir, "missing.yaml")],
      "cannot read the catalogue to merge into",
    );
    await refused(
      ["export", "--prefix", "acme/raw"],
      'pulumi-immuta-gitops export: --prefix "acme/raw" must be',
    );
  });
});

/** A loopback proxy to the emulator that counts the data source and handler reads in flight at once. */
async function countingProxy(target: string) {
  const upstream = new URL(target);
  let inFlight = 0;
  let max = 0;
  const server = http.createServer((request, response) => {
    const counted = /^\/(dataSource\/\d+|native-s3\/handler\/\d+)$/.test(request.url ?? "");
    if (counted) max = Math.max(max, ++inFlight);
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: request.url,
        method: request.method,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.on("end", () => {
          if (counted) inFlight--;
        });
      },
    );
    request.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    maxInFlight: () => max,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A tenant holding other kinds of data source too, which the emulator does not model: a Snowflake table (by its
 * summary's type), a Databricks one (by its handler), and a source purged between the search and the read.
 */
async function fakeTenant() {
  const paths: string[] = [];
  const summaries = [
    { id: 1, name: "research", blobHandlerType: "Native S3" },
    { id: 2, name: "orders", blobHandlerType: "Snowflake" },
    { id: 3, name: "events" },
    { id: 4, name: "purged", blobHandlerType: "Native S3" },
  ];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    paths.push(url.pathname);
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    const base = `http://${request.headers.host}`;
    if (url.pathname === "/dataSource") return reply(200, { hits: summaries, count: summaries.length });
    if (url.pathname === "/dataSource/1")
      return reply(200, { id: 1, name: "research", blobHandler: { url: `${base}/native-s3/handler/11` } });
    if (url.pathname === "/dataSource/3")
      return reply(200, { id: 3, name: "events", blobHandler: { url: `${base}/databricks/handler/77` } });
    if (url.pathname === "/native-s3/handler/11") {
      return reply(200, {
        id: 11,
        metadata: { prefix: "acme-research/raw", integrationId: 1, dataSourceName: "research" },
        type: "nativeS3Handler",
        awsLocationPath: "s3://",
      });
    }
    if (url.pathname === "/integrations/1")
      return reply(200, { id: "1", config: { awsLocationPath: "s3://" } });
    const id = /^\/dataSource\/(\d+)$/.exec(url.pathname)?.[1];
    reply(404, {
      statusCode: 404,
      error: "Not Found",
      message: id ? `Data source ${id} not found` : "Not Found",
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
