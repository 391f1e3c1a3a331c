/**
 * Adoption of an existing source (this product's import path) and invalid declarations stopped at preview.
 */
import { API_KEY, count, startTestEmulator, type TestEmulator } from "./support/emulator";
import { createTestStack, opsOf, stepRecorder, type TestStack } from "./support/stack";

jest.setTimeout(300_000);

let immuta: TestEmulator;
const stacks: TestStack[] = [];

beforeAll(async () => {
  immuta = await startTestEmulator();
});

afterAll(async () => {
  for (const test of stacks) await test.dispose();
  await immuta?.emulator.close();
});

async function newStack(sources: Record<string, unknown>) {
  const test = await createTestStack({ immutaUrl: immuta.emulator.url, apiKey: API_KEY, sources });
  stacks.push(test);
  return test;
}

it("adopts an existing source by name without registering a new one, then manages it", async () => {
  const existing = await immuta.control.seedDataSource({
    name: "legacy-research",
    prefix: "s3://acme-legacy/research",
  });
  await immuta.clear();
  const test = await newStack({
    legacy: {
      integrationId: 1,
      prefix: "s3://acme-legacy/research",
      dataSourceName: "legacy-research",
      adopt: { byName: true },
    },
  });
  const up = stepRecorder();
  const result = await test.stack.up({ onEvent: up.onEvent });
  expect(opsOf(up.steps)).toEqual({ create: 1 });
  expect(count(await immuta.calls(), "POST /native-s3/handler")).toBe(0);
  expect(
    (result.outputs.dataSources.value as Record<string, { dataSourceId: number }>).legacy.dataSourceId,
  ).toBe(existing.id);
  await test.stack.preview({ expectNoChanges: true });

  await immuta.clear();
  await test.stack.destroy();
  expect(count(await immuta.calls(), `DELETE /dataSource/${existing.id}`)).toBe(2);
});

it("refuses to adopt a source that differs from the declaration, saying what differs", async () => {
  const existing = await immuta.control.seedDataSource({ name: "other", prefix: "s3://acme-legacy/other" });
  const test = await newStack({
    other: {
      integrationId: 1,
      prefix: "s3://acme-legacy/not-other",
      dataSourceName: "other",
      adopt: { dataSourceId: existing.id },
    },
  });
  await expect(test.stack.up()).rejects.toThrow(
    /Cannot adopt.*prefix: Immuta has s3:\/\/acme-legacy\/other/s,
  );
  expect((await immuta.control.store()).dataSources.filter((s) => s.name === "other")).toHaveLength(1);
});

it("fails preview of an invalid declaration with the property named, and Immuta sees no request", async () => {
  const test = await newStack({
    broken: { integrationId: 0, prefix: "gs://acme/raw", dataSourceName: "broken" },
  });
  await immuta.clear();
  const failure = test.stack.preview();
  await expect(failure).rejects.toThrow(/integrationId must be a positive whole number/);
  await expect(failure).rejects.toThrow(/prefix "gs:\/\/acme\/raw" must be an S3 URI/);
  expect(await immuta.calls()).toEqual([]);
});

it("a property the resource does not have reaches check and fails preview named, before Immuta is asked", async () => {
  // What a JavaScript program (no compiler) may pass: a misspelt optional input and one that does not exist.
  const test = await newStack({
    misspelt: {
      integrationId: 1,
      prefix: "s3://acme-misspelt/raw",
      dataSourceName: "misspelt",
      adpot: { byName: true },
      colour: "blue",
    },
  });
  await immuta.clear();
  const failure = test.stack.preview();
  await expect(failure).rejects.toThrow(
    /adpot is not a property of ImmutaS3DataSource \(check its spelling\)/,
  );
  await expect(failure).rejects.toThrow(/colour is not a property of ImmutaS3DataSource/);
  expect(await immuta.calls()).toEqual([]);
});
