/**
 * The product through the real Pulumi engine: up, preview, replace, destroy, and what state holds.
 */
import * as os from "node:os";
import { STATE_SCHEMA_VERSION } from "../../provider/core/constants";
import { API_KEY, count, startTestEmulator, type TestEmulator } from "./support/emulator";
import { REPO_ROOT } from "./support/pulumi-cli";
import {
  createTestStack,
  deploymentOf,
  immutaResources,
  opsOf,
  stepRecorder,
  type TestStack,
} from "./support/stack";

jest.setTimeout(300_000);

const three = {
  research: { integrationId: 1, prefix: "s3://acme-research/raw/", dataSourceName: "research" },
  finance: { integrationId: 1, prefix: "s3://acme-finance", dataSourceName: "finance" },
  marketing: { integrationId: 1, prefix: "s3://acme-marketing/campaigns/2026", dataSourceName: "marketing" },
};

let immuta: TestEmulator;
let test: TestStack;

beforeAll(async () => {
  immuta = await startTestEmulator({
    integrations: [
      { id: 1, awsLocationPath: "s3://", awsAccountId: "123456789012", awsRegion: "us-east-2" },
      { id: 2, awsLocationPath: "s3://acme-research/", awsAccountId: "210987654321", awsRegion: "eu-west-1" },
    ],
  });
  test = await createTestStack({ immutaUrl: immuta.emulator.url, apiKey: API_KEY, sources: three });
});

afterAll(async () => {
  await test?.dispose();
  await immuta?.emulator.close();
});

async function sourcesInImmuta() {
  return (await immuta.control.store()).dataSources;
}

it("up creates exactly the declared sources, then up and preview change nothing", async () => {
  const up = stepRecorder();
  const result = await test.stack.up({ onEvent: up.onEvent });
  expect(opsOf(up.steps)).toEqual({ create: 3 });
  const calls = await immuta.calls();
  expect(count(calls, "POST /native-s3/handler")).toBe(3);
  const stored = await sourcesInImmuta();
  expect(
    stored.map(({ name, prefix, integrationId, deleted }) => ({ name, prefix, integrationId, deleted })),
  ).toEqual(
    expect.arrayContaining([
      { name: "research", prefix: "s3://acme-research/raw", integrationId: 1, deleted: false },
      { name: "finance", prefix: "s3://acme-finance", integrationId: 1, deleted: false },
      { name: "marketing", prefix: "s3://acme-marketing/campaigns/2026", integrationId: 1, deleted: false },
    ]),
  );
  expect(stored).toHaveLength(3);
  const outputs = result.outputs.dataSources.value as Record<
    string,
    { dataSourceId: number; handlerId: number }
  >;
  expect(outputs.research.dataSourceId).toBe(stored.find((s) => s.name === "research")!.id);
  expect(outputs.research.handlerId).toBe(stored.find((s) => s.name === "research")!.handlerId);

  await immuta.clear();
  const again = stepRecorder();
  await test.stack.up({ onEvent: again.onEvent });
  expect(opsOf(again.steps)).toEqual({ same: 3 });
  await test.stack.preview({ expectNoChanges: true });
  expect(count(await immuta.calls(), /^(POST|PUT|DELETE) /)).toBe(0);
});

it("the state holds neither the API key nor a path of this machine, and a small provider reference", async () => {
  const state = test.stateFileText();
  expect(state).not.toContain(API_KEY);
  for (const machinePath of [REPO_ROOT, test.root, os.homedir(), os.tmpdir()])
    expect(state).not.toContain(machinePath);
  const ours = immutaResources(await deploymentOf(test.stack));
  expect(ours).toHaveLength(3);
  for (const resource of ours) {
    expect(Buffer.byteLength(String(resource.outputs.__provider))).toBeLessThanOrEqual(1024);
    expect(Buffer.byteLength(String(resource.inputs.__provider))).toBeLessThanOrEqual(1024);
    expect(resource.outputs.schemaVersion).toBe(STATE_SCHEMA_VERSION);
    // The SDK shortens the stack traces Pulumi formats while it constructs a resource; the engine's own record of
    // where the program declared it stays complete.
    const positions = JSON.stringify((resource as { stackTrace?: unknown }).stackTrace);
    expect(positions).toMatch(/sdk\/typescript\/resource\.ts#\d+,\d+/);
    expect(positions).toMatch(/project:\/\/\/index\.[jt]s#\d+,\d+/);
  }
});

describe.each([
  ["prefix", { prefix: "s3://acme-research/curated" }],
  ["dataSourceName", { dataSourceName: "research-v2" }],
  ["integrationId", { integrationId: 2 }],
])("changing %s", (key, change) => {
  it(`is previewed as a replacement keyed on ${key}, and up purges the old source`, async () => {
    const before = (await sourcesInImmuta()).find((s) => s.name.startsWith("research"))!;
    const declared = { ...three, research: { ...three.research, ...currentResearch(), ...change } };
    await test.setSources(declared);

    const preview = stepRecorder();
    await test.stack.preview({ onEvent: preview.onEvent });
    const changed = preview.steps.filter((s) => s.op !== "same");
    expect(changed.map((s) => s.name)).toEqual(["research", "research", "research"]);
    expect(opsOf(preview.steps)).toEqual({
      same: 2,
      "delete-replaced": 1,
      replace: 1,
      "create-replacement": 1,
    });
    expect(preview.steps.find((s) => s.op === "replace")?.keys).toEqual([key]);

    await immuta.clear();
    const up = stepRecorder();
    await test.stack.up({ onEvent: up.onEvent });
    expect(opsOf(up.steps)).toMatchObject({ replace: 1, same: 2 });
    const calls = await immuta.calls();
    expect(count(calls, `DELETE /dataSource/${before.id}`)).toBe(2);
    expect(count(calls, "POST /native-s3/handler")).toBe(1);
    const after = await sourcesInImmuta();
    expect(after.find((s) => s.id === before.id)).toBeUndefined();
    expect(after).toHaveLength(3);
    lastResearch = declared.research;
  });
});

let lastResearch: Record<string, unknown> = three.research;
function currentResearch() {
  return lastResearch;
}

it("destroy purges every source: two DELETEs each, nothing left in Immuta", async () => {
  const before = await sourcesInImmuta();
  await immuta.clear();
  const destroy = stepRecorder();
  await test.stack.destroy({ onEvent: destroy.onEvent });
  expect(opsOf(destroy.steps)).toEqual({ delete: 3 });
  const calls = await immuta.calls();
  for (const source of before) expect(count(calls, `DELETE /dataSource/${source.id}`)).toBe(2);
  expect(await sourcesInImmuta()).toEqual([]);
});
