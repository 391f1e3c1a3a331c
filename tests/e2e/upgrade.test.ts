/**
 * State recorded by release 0.1.0 (state shape 2), with the dynamic resource and with the native plugin, is
 * refreshed, previewed and destroyed by today's code through the engine: an upgrade of pulumi-immuta never strands
 * a stack. The fixtures are exports of real stacks, with the provider's recorded configuration (the emulator's URL
 * and the test key) left out and Immuta's ids as placeholders.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Deployment } from "@pulumi/pulumi/automation";
import { API_KEY, count, emulatorForFile } from "./support/emulator";
import { installNodeSdk } from "./support/native-plugin";
import { createTestStack, deploymentOf, resourceNamed, type TestStack } from "./support/stack";

jest.setTimeout(300_000);

const immuta = emulatorForFile();

/** Seeds each source the fixture names and imports the fixture with their ids. */
async function importRecorded(
  test: TestStack,
  fixture: string,
  seeds: Record<string, { name: string; prefix: string }>,
): Promise<Record<string, number>> {
  let text = fs
    .readFileSync(path.join(__dirname, "fixtures", fixture), "utf8")
    .replaceAll("{{STACK}}", "e2e");
  const ids: Record<string, number> = {};
  for (const [key, seed] of Object.entries(seeds)) {
    const stored = await immuta.control.seedDataSource(seed);
    ids[key] = stored.id;
    const placeholder = key.toUpperCase();
    text = text
      .replaceAll(`"{{${placeholder}_ID_NUMBER}}"`, String(stored.id))
      .replaceAll(`"{{${placeholder}_HANDLER_ID_NUMBER}}"`, String(stored.handlerId))
      .replaceAll(`{{${placeholder}_ID}}`, String(stored.id));
  }
  expect(text).not.toMatch(/\{\{/);
  await test.stack.importStack(JSON.parse(text) as Deployment);
  return ids;
}

/** Refresh (with the program, which configures the provider), no change to preview, then destroy purges all. */
async function refreshPreviewDestroy(test: TestStack, names: string[]): Promise<void> {
  await test.stack.refresh({ runProgram: true });
  const deployment = await deploymentOf(test.stack);
  for (const name of names)
    expect(resourceNamed(deployment, name)?.outputs).toMatchObject({ disabled: false });
  await test.stack.preview({ expectNoChanges: true });
  expect((await immuta.calls()).filter((call) => !call.startsWith("GET "))).toEqual([]);

  const stored = (await immuta.control.store()).dataSources;
  await immuta.clear();
  await test.stack.destroy();
  const calls = await immuta.calls();
  for (const source of stored) expect(count(calls, `DELETE /dataSource/${source.id}`)).toBe(2);
  expect((await immuta.control.store()).dataSources).toEqual([]);
}

it("a dynamic-resource stack recorded by 0.1.0 is refreshed, unchanged and destroyed by today's code", async () => {
  const sources = {
    research: { integrationId: 1, prefix: "s3://acme-upgrade/raw", dataSourceName: "upgrade research" },
    legacy: {
      integrationId: 1,
      prefix: "s3://acme-upgrade/legacy",
      dataSourceName: "legacy research",
      adopt: { dataSourceId: 0 },
    },
  };
  const test = await createTestStack({ immutaUrl: immuta.emulator.url, apiKey: API_KEY });
  try {
    const ids = await importRecorded(test, "state-v2-dynamic.json", {
      legacy: { name: "legacy research", prefix: "s3://acme-upgrade/legacy" },
      research: { name: "upgrade research", prefix: "s3://acme-upgrade/raw" },
    });
    sources.legacy.adopt.dataSourceId = ids.legacy;
    await test.setSources(sources);
    await immuta.clear();
    await refreshPreviewDestroy(test, ["research", "legacy"]);
  } finally {
    await test.dispose();
  }
});

it("a native-plugin stack recorded by 0.1.0 is refreshed, unchanged and destroyed by today's code", async () => {
  const test = await createTestStack({
    program: "migration",
    immutaUrl: immuta.emulator.url,
    apiKey: API_KEY,
  });
  try {
    installNodeSdk(test.programDir);
    await test.stack.setConfig("e2e:stage", { value: "native" });
    await importRecorded(test, "state-v2-native.json", {
      research: { name: "research", prefix: "s3://acme-research/raw" },
    });
    await immuta.clear();
    await refreshPreviewDestroy(test, ["research"]);
  } finally {
    await test.dispose();
  }
});
