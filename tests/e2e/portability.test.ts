/**
 * GitOps reality: the machine that runs `up` is not the one that runs `refresh` and `destroy`, and state written
 * by an older release is read by today's code.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Deployment } from "@pulumi/pulumi/automation";
import { STATE_SCHEMA_VERSION } from "../../provider/core/constants";
import { API_KEY, count, emulatorForFile } from "./support/emulator";
import { createTestStack, deploymentOf, linkTree, opsOf, resourceNamed, stepRecorder } from "./support/stack";

jest.setTimeout(300_000);

const immuta = emulatorForFile();

it("a stack brought up in one checkout is refreshed and destroyed from a copy in another directory", async () => {
  const sources = { moved: { integrationId: 1, prefix: "s3://acme-portable/raw", dataSourceName: "moved" } };
  const laptop = await createTestStack({ immutaUrl: immuta.emulator.url, apiKey: API_KEY, sources });
  await laptop.stack.up();

  const runner = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-immuta-runner-"));
  linkTree(laptop.root, path.join(runner, "checkout"));
  await laptop.dispose(); // the laptop's directory no longer exists
  const ci = await createTestStack({
    immutaUrl: immuta.emulator.url,
    apiKey: API_KEY,
    root: path.join(runner, "checkout"),
  });
  try {
    const refresh = stepRecorder();
    await ci.stack.refresh({ onEvent: refresh.onEvent });
    expect(opsOf(refresh.steps)).toEqual({ refresh: 1 });
    await ci.stack.preview({ expectNoChanges: true });
    const [source] = (await immuta.control.store()).dataSources;
    await immuta.clear();
    await ci.stack.destroy();
    expect(count(await immuta.calls(), `DELETE /dataSource/${source.id}`)).toBe(2);
    expect((await immuta.control.store()).dataSources).toEqual([]);
  } finally {
    fs.rmSync(runner, { recursive: true, force: true });
  }
});

it("state written in the version 1 shape is refreshed and destroyed by today's code", async () => {
  const seeded = await immuta.control.seedDataSource({ name: "legacy", prefix: "s3://acme-upgrade/raw" });
  const sources = { legacy: { integrationId: 1, prefix: "s3://acme-upgrade/raw", dataSourceName: "legacy" } };
  const test = await createTestStack({ immutaUrl: immuta.emulator.url, apiKey: API_KEY, sources });
  try {
    const fixture = fs
      .readFileSync(path.join(__dirname, "fixtures/state-v1.json"), "utf8")
      .replaceAll('"{{DATA_SOURCE_ID_NUMBER}}"', String(seeded.id))
      .replaceAll('"{{HANDLER_ID_NUMBER}}"', String(seeded.handlerId))
      .replaceAll("{{STACK}}", "e2e")
      .replaceAll("{{DATA_SOURCE_ID}}", String(seeded.id));
    await test.stack.importStack(JSON.parse(fixture) as Deployment);

    // The old state carries no provider configuration; running the program supplies today's stack config.
    await test.stack.refresh({ runProgram: true });
    const resource = resourceNamed(await deploymentOf(test.stack), "legacy");
    expect(resource?.outputs).toMatchObject({
      schemaVersion: STATE_SCHEMA_VERSION,
      immutaName: "legacy",
      handlerId: seeded.handlerId,
    });
    await test.stack.preview({ expectNoChanges: true });

    await immuta.clear();
    await test.stack.destroy();
    expect(count(await immuta.calls(), `DELETE /dataSource/${seeded.id}`)).toBe(2);
    expect((await immuta.control.store()).dataSources).toEqual([]);
  } finally {
    await test.dispose();
  }
});
