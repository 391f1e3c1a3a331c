/**
 * `pulumi refresh` against sources changed behind Pulumi's back, and the `up` that converges them.
 */
import { API_KEY, count, startTestEmulator, type TestEmulator } from "./support/emulator";
import {
  createTestStack,
  deploymentOf,
  opsOf,
  resourceNamed,
  stepRecorder,
  type TestStack,
} from "./support/stack";

jest.setTimeout(300_000);

const declared = {
  gone: { integrationId: 1, prefix: "s3://acme-drift/gone", dataSourceName: "gone" },
  paused: { integrationId: 1, prefix: "s3://acme-drift/paused", dataSourceName: "paused" },
  renamed: { integrationId: 1, prefix: "s3://acme-drift/renamed", dataSourceName: "renamed" },
};

describe.each(["honour", "generate"] as const)("with Immuta naming sources: %s", (names) => {
  let immuta: TestEmulator;
  let test: TestStack;

  beforeAll(async () => {
    immuta = await startTestEmulator({ names });
    test = await createTestStack({ immutaUrl: immuta.emulator.url, apiKey: API_KEY, sources: declared });
    await test.stack.up();
  });

  afterAll(async () => {
    await test?.stack.destroy().catch(() => undefined);
    await test?.dispose();
    await immuta?.emulator.close();
  });

  const byPrefix = async (suffix: string) =>
    (await immuta.control.store()).dataSources.find((s) => s.prefix === `s3://acme-drift/${suffix}`);

  it("a refresh with no drift changes nothing, and neither does the next preview", async () => {
    const refresh = stepRecorder();
    await test.stack.refresh({ onEvent: refresh.onEvent });
    expect(opsOf(refresh.steps)).toEqual({ refresh: 3 });
    expect(refresh.steps.every((s) => s.keys.length === 0)).toBe(true);
    const preview = stepRecorder();
    await test.stack.preview({ onEvent: preview.onEvent, expectNoChanges: true });
    expect(opsOf(preview.steps)).toEqual({ same: 3 });
  });

  it("detects deleted, disabled and renamed sources on refresh and converges them on up", async () => {
    const gone = (await byPrefix("gone"))!;
    const paused = (await byPrefix("paused"))!;
    const renamed = (await byPrefix("renamed"))!;
    await immuta.control.purgeDataSource(gone.id);
    await immuta.control.mutateDataSource(paused.id, { deleted: true });
    await immuta.control.mutateDataSource(renamed.id, { name: "renamed-by-hand" });

    const refreshed = await test.stack.refresh();
    expect(refreshed.summary.resourceChanges).toMatchObject({ delete: 1, update: 2 });
    const deployment = await deploymentOf(test.stack);
    expect(resourceNamed(deployment, "gone")).toBeUndefined();
    expect(resourceNamed(deployment, "paused")?.outputs.disabled).toBe(true);
    expect(resourceNamed(deployment, "renamed")?.outputs.immutaName).toBe("renamed-by-hand");

    const preview = stepRecorder();
    await test.stack.preview({ onEvent: preview.onEvent });
    const previewOps = Object.fromEntries(preview.steps.map((s) => [s.name, s.op]));
    expect(previewOps).toEqual({ gone: "create", paused: "update", renamed: "update" });

    await immuta.clear();
    await test.stack.up();
    const calls = await immuta.calls();
    expect(count(calls, "POST /native-s3/handler")).toBe(1);
    expect(count(calls, `PUT /dataSource/${paused.id}`)).toBe(1);
    expect(count(calls, `PUT /dataSource/${renamed.id}`)).toBe(1);
    expect(count(calls, /^DELETE /)).toBe(0);
    expect((await byPrefix("paused"))!.deleted).toBe(false);
    expect((await byPrefix("renamed"))!.name).toBe(renamed.name);
    expect(await byPrefix("gone")).toBeDefined();

    await test.stack.preview({ expectNoChanges: true });
    const again = stepRecorder();
    await test.stack.refresh({ onEvent: again.onEvent });
    expect(opsOf(again.steps)).toEqual({ refresh: 3 });
  });

  it("replaces a source re-pointed to another prefix behind Pulumi's back", async () => {
    const source = (await byPrefix("paused"))!;
    await immuta.control.mutateDataSource(source.id, { prefix: "s3://acme-drift/elsewhere" });
    await test.stack.refresh();
    const preview = stepRecorder();
    await test.stack.preview({ onEvent: preview.onEvent });
    expect(preview.steps.find((s) => s.op === "replace")).toMatchObject({ name: "paused", keys: ["prefix"] });
    await immuta.clear();
    await test.stack.up();
    expect(count(await immuta.calls(), `DELETE /dataSource/${source.id}`)).toBe(2);
    expect(await byPrefix("paused")).toBeDefined();
    expect(await byPrefix("elsewhere")).toBeUndefined();
  });
});
