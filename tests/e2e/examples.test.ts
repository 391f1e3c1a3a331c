/**
 * The shipped examples are real programs: each is brought up and destroyed as a user would run it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { API_KEY, emulatorForFile } from "./support/emulator";
import { REPO_ROOT } from "./support/pulumi-cli";
import { createTestStack, opsOf, stepRecorder } from "./support/stack";

jest.setTimeout(300_000);

const immuta = emulatorForFile();

it("examples/quickstart registers its data source and destroy purges it", async () => {
  const test = await createTestStack({
    program: "examples/quickstart",
    immutaUrl: immuta.emulator.url,
    apiKey: API_KEY,
  });
  try {
    const up = stepRecorder();
    const result = await test.stack.up({ onEvent: up.onEvent });
    expect(opsOf(up.steps)).toEqual({ create: 1 });
    const [stored] = (await immuta.control.store()).dataSources;
    expect(stored).toMatchObject({ name: "research", prefix: "s3://acme-research/raw" });
    expect(result.outputs.dataSourceId.value).toBe(stored.id);
    await test.stack.destroy();
    expect((await immuta.control.store()).dataSources).toEqual([]);
  } finally {
    await test.dispose();
  }
});

it("examples/multi registers every source of its example config", async () => {
  const example = parse(
    fs.readFileSync(path.join(REPO_ROOT, "examples/multi/Pulumi.example.yaml"), "utf8"),
  ) as {
    config: { "multi:sources": Record<string, { dataSourceName: string }> };
  };
  const sources = example.config["multi:sources"];
  const test = await createTestStack({
    program: "examples/multi",
    immutaUrl: immuta.emulator.url,
    apiKey: API_KEY,
  });
  try {
    await test.stack.setConfig("multi:sources", { value: JSON.stringify(sources) });
    const up = stepRecorder();
    await test.stack.up({ onEvent: up.onEvent });
    expect(opsOf(up.steps)).toEqual({ create: Object.keys(sources).length });
    const names = (await immuta.control.store()).dataSources.map((s) => s.name).sort();
    expect(names).toEqual(
      Object.values(sources)
        .map((s) => s.dataSourceName)
        .sort(),
    );
    await test.stack.destroy();
    expect((await immuta.control.store()).dataSources).toEqual([]);
  } finally {
    await test.dispose();
  }
});
