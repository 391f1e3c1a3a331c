/**
 * declareCatalogue registers one ImmutaS3DataSource per entry, named by its key, through Pulumi's mock monitor;
 * an invalid catalogue registers nothing.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { CatalogueSource } from "../../sdk/typescript/catalogue";

const registered: pulumi.runtime.MockResourceArgs[] = [];
let dir: string;

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(args);
        return { id: String(registered.length), state: args.inputs as Record<string, unknown> };
      },
      call: () => ({}),
    },
    "catalogue-test",
    "dev",
    false,
  );
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "declare-catalogue-"));
});

afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  const { discardedSerializationsSettled } = await import("../../sdk/typescript/provider-reference");
  await discardedSerializationsSettled();
});

beforeEach(() => {
  registered.length = 0;
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

it("declares one source per entry, named by the entry's key, with the integration's id and tenant", async () => {
  fs.writeFileSync(
    path.join(dir, "datasources.yaml"),
    `integrations:
  main: { integrationId: 7 }
  prod: { integrationId: 3, tenant: production }
sources:
  research:
    integration: main
    prefix: s3://acme-research/raw
    dataSourceName: research
    previousKeys: [old-research]
  ledger:
    integration: prod
    prefix: s3://acme-finance/ledger
    dataSourceName: ledger
    adopt: { dataSourceId: 42 }
`,
  );
  const sdk = await import("../../sdk/typescript");
  const { sources } = sdk.declareCatalogue("datasources.yaml", { baseDir: dir });
  expect(Object.keys(sources)).toEqual(["research", "ledger"]);
  expect(sources.research).toBeInstanceOf(sdk.ImmutaS3DataSource);
  await settle();
  const byName = Object.fromEntries(registered.map((args) => [args.name, args]));
  expect(Object.keys(byName).sort()).toEqual(["ledger", "research"]);
  expect(byName.research.type).toBe(sdk.TYPE_TOKEN);
  expect(byName.research.inputs).toMatchObject({
    integrationId: 7,
    prefix: "s3://acme-research/raw",
    dataSourceName: "research",
  });
  expect((byName.research.inputs as Record<string, unknown>).tenant).toBeUndefined();
  expect(byName.ledger.inputs).toMatchObject({
    integrationId: 3,
    tenant: "production",
    adopt: { dataSourceId: 42 },
  });
});

it("registers nothing when the catalogue is invalid", async () => {
  const sdk = await import("../../sdk/typescript");
  expect(() =>
    sdk.declareCatalogue({
      integrations: { main: { integrationId: 1 } },
      sources: {
        good: { integration: "main", prefix: "s3://acme-good", dataSourceName: "good" },
        bad: { integration: "main", prefix: "acme-bad", dataSourceName: "bad" },
      },
    }),
  ).toThrow("catalogue sources.bad.prefix: must start with s3://");
  await settle();
  expect(registered).toEqual([]);
});

describe("catalogueSourceOptions", () => {
  const source = (previousKeys: string[]): CatalogueSource => ({
    key: "research",
    integration: "main",
    integrationId: 1,
    prefix: "s3://acme-research/raw",
    canonicalPrefix: "s3://acme-research/raw",
    dataSourceName: "research",
    previousKeys,
  });

  it("turns previous keys into name aliases, keeping the caller's options and aliases", async () => {
    const { catalogueSourceOptions } = await import("../../sdk/typescript/catalogue");
    expect(
      catalogueSourceOptions(source(["old", "older"]), { protect: true, aliases: [{ name: "hand-made" }] }),
    ).toEqual({ protect: true, aliases: [{ name: "hand-made" }, { name: "old" }, { name: "older" }] });
    expect(catalogueSourceOptions(source([]), { retainOnDelete: true })).toEqual({ retainOnDelete: true });
  });
});
