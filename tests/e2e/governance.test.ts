/**
 * Tags and description as code, through the real engine: created with the source, changed in place (never
 * replaced) with exactly the requests needed, drift both ways repaired, a discovery tag never removed, an unknown
 * tag failing named without a second registration, and an exported tenant adopted with no change to apply.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { exportCatalogue } from "../../gitops";
import { API_KEY, startTestEmulator, type TestEmulator } from "./support/emulator";
import { runGitops } from "./support/gitops-cli";
import { createTestStack, deploymentOf, resourceNamed, type TestStack } from "./support/stack";

jest.setTimeout(600_000);

let immuta: TestEmulator;
let test: TestStack;
const stacks: TestStack[] = [];

const research = {
  integrationId: 1,
  prefix: "s3://acme-governed/raw",
  dataSourceName: "governed research",
};

beforeAll(async () => {
  immuta = await startTestEmulator();
  test = await createTestStack({ immutaUrl: immuta.emulator.url, apiKey: API_KEY });
  stacks.push(test);
});

afterAll(async () => {
  for (const stack of stacks) await stack.dispose();
  await immuta?.emulator.close();
});

/** Immuta's requests other than reads, as `METHOD /path`. */
const writes = async () => (await immuta.calls()).filter((call) => !call.startsWith("GET "));

async function stored(name = research.dataSourceName) {
  const source = (await immuta.control.store()).dataSources.find((candidate) => candidate.name === name);
  if (!source) throw new Error(`Immuta holds no source named ${name}`);
  return source;
}

const tagsOf = async (name?: string) =>
  (await stored(name)).tags.map((tag) => `${tag.name} (${tag.source})`).sort();

/** The steps the engine took on the data sources, and the properties it names for each. */
function stepRecorder() {
  const steps: { op: string; diffs: string[]; keys: string[] }[] = [];
  const onEvent = (event: EngineEvent) => {
    const metadata = event.resourcePreEvent?.metadata;
    if (metadata && metadata.type.includes("S3DataSource"))
      steps.push({ op: metadata.op, diffs: metadata.diffs ?? [], keys: metadata.keys ?? [] });
  };
  return { steps, onEvent };
}

it("a source is registered, described and tagged in one create: one PUT and one POST of tags more", async () => {
  await test.setSources({
    research: { ...research, tags: ["Team.Research", "Finance.PII"], description: "Raw research exports" },
  });
  await immuta.clear();
  await test.stack.up();
  const { id } = await stored();
  expect(await writes()).toEqual([
    "POST /native-s3/handler",
    `PUT /dataSource/${id}`,
    `POST /tag/datasource/${id}`,
  ]);
  expect(await tagsOf()).toEqual(["Finance.PII (curated)", "Team.Research (curated)"]);
  expect((await stored()).description).toBe("Raw research exports");
  const outputs = resourceNamed(await deploymentOf(test.stack), "research")?.outputs;
  expect(outputs).toMatchObject({
    tags: ["Finance.PII", "Team.Research"],
    description: "Raw research exports",
    otherTags: [],
  });
});

it("an up without a change sends nothing, and the preview shows none", async () => {
  await immuta.clear();
  await test.stack.preview({ expectNoChanges: true });
  await test.stack.up();
  expect(await writes()).toEqual([]);
});

it("changed tags are an in-place update: one POST with the added, one DELETE per removed, no replacement", async () => {
  await test.setSources({
    research: {
      ...research,
      tags: ["Team.Research", "Sensitivity.Internal"],
      description: "Raw research exports",
    },
  });
  const preview = stepRecorder();
  const shown = await test.stack.preview({ onEvent: preview.onEvent, diff: true });
  expect(preview.steps).toEqual([{ op: "update", diffs: [], keys: [] }]);
  // What a reviewer reads: an update (no replacement) whose only change is the tag list, old tag and new.
  expect(shown.stdout).toMatch(/~ pulumi-nodejs:dynamic\/immuta:S3DataSource: \(update\)/);
  expect(shown.stdout).toMatch(/~ tags\s*: \[\s*~ \[0\]: "Finance\.PII" => "Sensitivity\.Internal"/);
  expect(shown.stdout).not.toMatch(/[~+-] (prefix|dataSourceName|integrationId|description)\b/);
  expect(shown.stdout).toContain("~ 1 to update");

  await immuta.clear();
  await test.stack.up();
  const { id } = await stored();
  expect(await writes()).toEqual([`POST /tag/datasource/${id}`, `DELETE /tag/datasource/${id}/Finance.PII`]);
  expect(await tagsOf()).toEqual(["Sensitivity.Internal (curated)", "Team.Research (curated)"]);
  expect((await immuta.control.store()).dataSources).toHaveLength(1);
});

it("a changed description is one PUT, in place", async () => {
  await test.setSources({
    research: {
      ...research,
      tags: ["Team.Research", "Sensitivity.Internal"],
      description: "Curated research",
    },
  });
  await immuta.clear();
  const up = stepRecorder();
  await test.stack.up({ onEvent: up.onEvent });
  expect(up.steps.map((step) => step.op)).toEqual(["update"]);
  expect(await writes()).toEqual([`PUT /dataSource/${(await stored()).id}`]);
  expect((await stored()).description).toBe("Curated research");
});

it("drift both ways: refresh sees a tag removed and the description edited in Immuta, up restores them", async () => {
  const { id } = await stored();
  await immuta.control.untagDataSource(id, "Team.Research");
  await immuta.control.mutateDataSource(id, { description: "edited by hand" });

  const drift = await runGitops(test, ["drift"]);
  expect(drift.exitCode).toBe(1);
  expect(drift.stdout).toContain("`research`");
  expect(drift.stdout).toMatch(/tags/);
  expect(drift.stdout).toMatch(/description/);

  await test.stack.refresh();
  const preview = stepRecorder();
  const shown = await test.stack.preview({ onEvent: preview.onEvent, diff: true });
  expect(preview.steps.map((step) => step.op)).toEqual(["update"]);
  expect(shown.stdout).toMatch(/~ description\s*: "edited by hand" => "Curated research"/);
  expect(shown.stdout).toMatch(/\+ \[1\]: "Team\.Research"/);

  await immuta.clear();
  await test.stack.up();
  expect(await writes()).toEqual([`PUT /dataSource/${id}`, `POST /tag/datasource/${id}`]);
  expect(await tagsOf()).toEqual(["Sensitivity.Internal (curated)", "Team.Research (curated)"]);
  expect((await stored()).description).toBe("Curated research");
  await test.stack.preview({ expectNoChanges: true });
});

it("a tag discovery attaches is reported by refresh, and never removed, even by an empty tag list", async () => {
  const { id } = await stored();
  await immuta.control.tagDataSource(id, [{ name: "Discovered.PII", source: "sdd" }]);
  await test.stack.refresh();
  expect(resourceNamed(await deploymentOf(test.stack), "research")?.outputs?.otherTags).toEqual([
    "Discovered.PII",
  ]);

  await test.setSources({ research: { ...research, tags: [], description: "Curated research" } });
  await immuta.clear();
  await test.stack.up();
  expect((await writes()).sort()).toEqual([
    `DELETE /tag/datasource/${id}/Sensitivity.Internal`,
    `DELETE /tag/datasource/${id}/Team.Research`,
  ]);
  expect(await tagsOf()).toEqual(["Discovered.PII (sdd)"]);

  // Left out, tags are not managed at all: a curated tag added by hand stays too.
  await immuta.control.tagDataSource(id, [{ name: "Team.Marketing", source: "curated" }]);
  await test.setSources({ research: { ...research, description: "Curated research" } });
  await immuta.clear();
  await test.stack.up();
  expect(await writes()).toEqual([]);
  expect(await tagsOf()).toEqual(["Discovered.PII (sdd)", "Team.Marketing (curated)"]);
});

it("an unknown tag fails the create naming it; the source is kept and the next up finishes without registering again", async () => {
  const other = { integrationId: 1, prefix: "s3://acme-governed/ledger", dataSourceName: "governed ledger" };
  const stack = await createTestStack({ immutaUrl: immuta.emulator.url, apiKey: API_KEY });
  stacks.push(stack);
  await stack.setSources({ ledger: { ...other, tags: ["Finance.Ledger"] } });
  await expect(stack.stack.up()).rejects.toThrow(
    /Tagging data source "governed ledger".* "Finance\.Ledger" .*create it there, or fix its spelling/s,
  );
  expect((await stored("governed ledger")).tags).toEqual([]);
  expect(resourceNamed(await deploymentOf(stack.stack), "ledger")).toBeDefined();

  await immuta.control.addLibraryTags(["Finance.Ledger"]);
  await immuta.clear();
  await stack.stack.up();
  expect((await writes()).filter((call) => call.startsWith("POST /native-s3/handler"))).toEqual([]);
  expect(await tagsOf("governed ledger")).toEqual(["Finance.Ledger (curated)"]);
  expect((await immuta.control.store()).dataSources.filter((s) => s.name === "governed ledger")).toHaveLength(
    1,
  );
  await stack.stack.destroy();
});

it("an exported tenant is adopted with its curated tags and description, and the next up changes nothing", async () => {
  await immuta.control.reset();
  await immuta.control.seedDataSource({
    name: "tagged legacy",
    prefix: "s3://acme-tagged/legacy",
    description: "Registered by hand",
    tags: [{ name: "Team.Research" }, { name: "Discovered.Email", source: "sdd" }],
  });
  const exported = await exportCatalogue({
    env: { IMMUTA_URL: immuta.emulator.url, IMMUTA_API_KEY: API_KEY },
  });
  expect(exported.output).toContain("tags: [Team.Research]");
  expect(exported.output).toContain("description: Registered by hand");
  expect(exported.output).not.toContain("Discovered.Email");

  const adopting = await createTestStack({
    program: "gitops",
    immutaUrl: immuta.emulator.url,
    apiKey: API_KEY,
  });
  stacks.push(adopting);
  fs.writeFileSync(path.join(adopting.programDir, "datasources.yaml"), exported.output);
  await immuta.clear();
  await adopting.stack.up();
  expect(await writes()).toEqual([]);
  await adopting.stack.preview({ expectNoChanges: true });
  expect(await tagsOf("tagged legacy")).toEqual(["Discovered.Email (sdd)", "Team.Research (curated)"]);
});
