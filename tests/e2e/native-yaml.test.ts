/**
 * examples/yaml, a Pulumi YAML program, run by Pulumi's YAML language host (built from its Go module by
 * scripts/provision-languages.sh) and the pinned CLI against the emulator: up (one source tagged and described)
 * → a second up changes nothing → refresh finds no drift → destroy purges both sources.
 */
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { count, startTestEmulator, type TestEmulator } from "./support/emulator";
import { countOperations, NATIVE_TYPE, temporaryFolder, yamlStack } from "./support/native-plugin";
import { REPO_ROOT } from "./support/pulumi-cli";

jest.setTimeout(600_000);

let immuta: TestEmulator;
let work: ReturnType<typeof temporaryFolder>;
let stack: Stack;

beforeAll(async () => {
  immuta = await startTestEmulator();
  work = temporaryFolder("yaml");
  ({ stack } = await yamlStack(work.dir, path.join(REPO_ROOT, "examples/yaml"), immuta));
});

afterAll(async () => {
  work?.remove();
  await immuta?.emulator.close();
});

function recorder() {
  const operations: { op: string }[] = [];
  const onEvent = (event: { resourcePreEvent?: { metadata: { type: string; op: string } } }) => {
    const metadata = event.resourcePreEvent?.metadata;
    if (metadata?.type === NATIVE_TYPE) operations.push({ op: metadata.op });
  };
  return { operations, onEvent };
}

const stored = async () => (await immuta.control.store()).dataSources;

it("up registers both sources and exports what Immuta answered", async () => {
  const up = recorder();
  const result = await stack.up({ onEvent: up.onEvent });
  expect(countOperations(up.operations)).toEqual({ create: 2 });
  const sources = await stored();
  expect(sources.map((s) => [s.name, s.prefix]).sort()).toEqual([
    ["finance", "s3://acme-finance"],
    ["research", "s3://acme-research/raw"],
  ]);
  const research = sources.find((s) => s.name === "research")!;
  expect(result.outputs.researchId.value).toBe(research.id);
  expect(result.outputs.financeName.value).toBe("finance");
  expect(research.tags.map((tag) => [tag.name, tag.source]).sort()).toEqual([
    ["Sensitivity.Internal", "curated"],
    ["Team.Research", "curated"],
  ]);
  expect(research.description).toBe("Raw exports of the research team");
});

it("a second up and a refresh change nothing and write nothing to Immuta", async () => {
  await immuta.clear();
  const again = recorder();
  await stack.up({ onEvent: again.onEvent });
  expect(countOperations(again.operations)).toEqual({ same: 2 });
  const refresh = await stack.refresh();
  expect(refresh.summary.resourceChanges).toEqual({ same: 3 });
  await stack.preview({ expectNoChanges: true });
  expect(count(await immuta.calls(), /^(POST|PUT|DELETE) /)).toBe(0);
});

it("destroy purges both sources: two DELETEs each", async () => {
  const before = await stored();
  await immuta.clear();
  const destroy = recorder();
  await stack.destroy({ onEvent: destroy.onEvent });
  expect(countOperations(destroy.operations)).toEqual({ delete: 2 });
  const calls = await immuta.calls();
  for (const source of before) expect(count(calls, `DELETE /dataSource/${source.id}`)).toBe(2);
  expect(await stored()).toEqual([]);
});
