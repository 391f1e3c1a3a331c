/**
 * The gitops commands on a stack whose sources are the native plugin's `immuta:index:S3DataSource` (a Node.js
 * program on the generated SDK, as a Python or YAML program would declare them): the pull-request summary, the
 * guard and recover see them exactly as they see the dynamic resource's.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { NATIVE_TYPE_TOKEN } from "../../provider/api";
import { API_KEY, startTestEmulator, type TestEmulator } from "../e2e/support/emulator";
import { runGitops } from "../e2e/support/gitops-cli";
import { installNodeSdk } from "../e2e/support/native-plugin";
import { createTestStack, deploymentOf, type TestStack } from "../e2e/support/stack";
import { killFamily } from "../e2e/support/cli-process";
import { killUpWhen, processesEnded, type KilledRun } from "../reliability/kill-run";

jest.setTimeout(900_000);

let immuta: TestEmulator;
const stacks: TestStack[] = [];
const killed: KilledRun[] = [];

const declaration = (index: number) => ({
  integrationId: 1,
  prefix: `s3://native-${index}/raw`,
  dataSourceName: `native-${index}`,
});

function sources(count: number): Record<string, ReturnType<typeof declaration>> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, index) => [`src-${index}`, declaration(index)]),
  );
}

async function nativeStack(declared: Record<string, unknown>): Promise<TestStack> {
  await immuta.control.reset();
  const test = await createTestStack({
    program: "native-sources",
    immutaUrl: immuta.emulator.url,
    apiKey: API_KEY,
    sources: declared,
  });
  stacks.push(test);
  installNodeSdk(test.programDir);
  return test;
}

/** The native resources in state, by name; the stack holds no dynamic one. */
async function stateSources(test: TestStack): Promise<Map<string, number>> {
  const resources = (await deploymentOf(test.stack)).resources ?? [];
  expect(resources.filter((resource) => resource.type.includes("dynamic"))).toEqual([]);
  return new Map(
    resources
      .filter((resource) => resource.type === NATIVE_TYPE_TOKEN)
      .map((resource) => [resource.urn.slice(resource.urn.lastIndexOf("::") + 2), Number(resource.id)]),
  );
}

beforeAll(async () => {
  immuta = await startTestEmulator();
});

afterAll(async () => {
  for (const run of killed) killFamily(run.family);
  for (const test of stacks) await test.dispose();
  await immuta?.emulator.close();
});

it("summary counts a native stack's deletions, the guard trips, and up applies them only when allowed", async () => {
  const test = await nativeStack(sources(3));
  await test.stack.up();
  expect([...(await stateSources(test)).keys()].sort()).toEqual(["src-0", "src-1", "src-2"]);

  const { "src-0": kept } = sources(3);
  await test.setSources({ "src-0": kept });
  const summary = await runGitops(test, ["summary", "--max-destructive", "1"]);
  expect(summary.exitCode).toBe(3);
  expect(summary.stdout).toContain("| delete | 2 |");
  expect(summary.stdout).toContain("| `src-1` | delete |");
  expect(summary.stdout).toContain("| `src-2` | delete |");
  expect(summary.stdout).toContain("2 sources would be deleted or replaced (`src-1`, `src-2`)");
  expect(summary.stdout).not.toContain("No data source changes");

  await immuta.clear();
  const refused = await runGitops(test, ["up", "--max-destructive", "1"]);
  expect(refused.exitCode).toBe(3);
  expect(refused.stdout).toContain("**Guard tripped:** 2 sources would be deleted or replaced");
  expect((await immuta.calls()).filter((call) => !call.startsWith("GET "))).toEqual([]);
  expect((await immuta.control.store()).dataSources).toHaveLength(3);

  const allowed = await runGitops(test, ["up", "--max-destructive", "1", "--allow-destructive"]);
  expect(allowed.exitCode).toBe(0);
  expect((await immuta.control.store()).dataSources.map((source) => source.name)).toEqual(["native-0"]);
  expect([...(await stateSources(test)).keys()]).toEqual(["src-0"]);
});

it("recover finishes a killed up of a native stack: the killed run's sources adopted, none registered twice", async () => {
  const declared = sources(12);
  const test = await nativeStack(declared);
  // The read-back after each POST is slow, so creates are in flight when the CLI is killed.
  await immuta.control.setFaults([
    { method: "GET", path: "/dataSource/*", kind: "latency", latencyMs: 2_000 },
  ]);
  const run = await killUpWhen(test, async () => (await immuta.control.store()).dataSources.length >= 4);
  killed.push(run);
  expect((await processesEnded(run, 60_000)).survivors).toEqual([]);
  await immuta.control.clearFaults();
  await sleep(500); // requests Immuta received before the kill are still processed

  await immuta.clear();
  const recovered = await runGitops(test, ["recover"]);
  const explain = `recover exited ${recovered.exitCode}:\n${recovered.stdout}\n${recovered.stderr.slice(-3000)}`;
  expect({ exit: recovered.exitCode, explain }).toEqual({ exit: 0, explain });
  expect(recovered.stdout).toMatch(/creates? in flight when the run ended/);
  expect(recovered.stdout).toMatch(/registered by those creates/);

  const inState = await stateSources(test);
  const store = await immuta.control.store();
  expect([...inState.keys()].sort()).toEqual(Object.keys(declared).sort());
  for (const [key, id] of inState)
    expect(store.dataSources.find((source) => source.id === id)?.name).toBe(declared[key].dataSourceName);
  // One id per declaration: what the killed run registered was adopted, not registered again.
  expect(store.dataSources).toHaveLength(12);
  expect(store.nextIds.dataSourceId - 1).toBe(12);
});
