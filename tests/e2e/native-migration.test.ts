/**
 * A stack moves a source from the dynamic resource to the native one without touching Immuta, both ways
 * docs/migrating-to-the-native-plugin.md describes: (1) import it under the native type, drop the dynamic resource
 * from state, switch the program; (2) switch the program, with an alias to the dynamic resource's type. Immuta
 * receives no POST, PUT or DELETE until the stack is destroyed.
 */
import * as path from "node:path";
import { API_KEY, count, startTestEmulator, type TestEmulator } from "./support/emulator";
import { expectSuccess, installNodeSdk, NATIVE_TYPE, run } from "./support/native-plugin";
import { pulumiBinDir } from "./support/pulumi-cli";
import { createTestStack, deploymentOf, type TestStack } from "./support/stack";

jest.setTimeout(600_000);

const DYNAMIC_TYPE = "pulumi-nodejs:dynamic/immuta:S3DataSource";

let immuta: TestEmulator;
let test: TestStack;

beforeAll(async () => {
  immuta = await startTestEmulator();
});

afterAll(async () => {
  await test?.dispose();
  await immuta?.emulator.close();
});

/** A new stack of the migration program, its source brought up with the dynamic resource. */
async function dynamicStack(): Promise<{ urn: string; id: string }> {
  await test?.dispose();
  test = await createTestStack({ program: "migration", immutaUrl: immuta.emulator.url, apiKey: API_KEY });
  installNodeSdk(test.programDir);
  await test.stack.setConfig("e2e:stage", { value: "dynamic" });
  await test.stack.up();
  const [dynamic] = await resources();
  expect(dynamic.type).toBe(DYNAMIC_TYPE);
  await immuta.clear();
  return { urn: dynamic.urn, id: dynamic.id! };
}

/** `up` with the program at `stage`; returns the native resource's operations and the exported id. */
async function upAt(stage: string): Promise<{ operations: string[]; dataSourceId: unknown }> {
  await test.stack.setConfig("e2e:stage", { value: stage });
  const operations: string[] = [];
  const up = await test.stack.up({
    onEvent: (event) => {
      const metadata = event.resourcePreEvent?.metadata;
      if (metadata?.type === NATIVE_TYPE) operations.push(metadata.op);
    },
  });
  return { operations, dataSourceId: up.outputs.dataSourceId.value };
}

async function destroyPurges(): Promise<void> {
  const [source] = (await immuta.control.store()).dataSources;
  await immuta.clear();
  await test.stack.destroy();
  expect(count(await immuta.calls(), `DELETE /dataSource/${source.id}`)).toBe(2);
  expect((await immuta.control.store()).dataSources).toEqual([]);
}

/** The `pulumi` CLI in the program's folder, with the stack's environment. */
async function pulumi(args: string[]) {
  const env = { ...process.env, ...(test.stack.workspace.envVars as Record<string, string>) };
  env.PULUMI_HOME = test.stack.workspace.pulumiHome!;
  return expectSuccess(
    `pulumi ${args.join(" ")}`,
    await run(path.join(pulumiBinDir(), "pulumi"), [...args, "--stack", "e2e", "--non-interactive"], {
      cwd: test.programDir,
      env,
    }),
  );
}

async function resources() {
  return ((await deploymentOf(test.stack)).resources ?? []).filter(
    (resource) => resource.type === DYNAMIC_TYPE || resource.type === NATIVE_TYPE,
  );
}

describe("pulumi import, then pulumi state delete", () => {
  it("moves the source from the dynamic to the native resource with GETs only", async () => {
    const dynamic = await dynamicStack();

    // 1. Adopt the source under the native type (same name, another URN).
    await pulumi(["import", NATIVE_TYPE, "research", dynamic.id, "--generate-code=false", "--yes"]);
    // 2. Drop the dynamic resource from state: Immuta is not called.
    await pulumi(["state", "delete", dynamic.urn, "--yes"]);
    expect((await resources()).map((resource) => [resource.type, resource.id])).toEqual([
      [NATIVE_TYPE, dynamic.id],
    ]);

    // 3. The program now declares the native resource: nothing to do for the source.
    expect(await upAt("native")).toEqual({ operations: ["same"], dataSourceId: Number(dynamic.id) });
    expect(count(await immuta.calls(), /^(POST|PUT|DELETE) /)).toBe(0);
    expect((await immuta.control.store()).dataSources.map((source) => source.id)).toEqual([
      Number(dynamic.id),
    ]);
  });

  it("after the move, destroy purges the source through the native plugin", destroyPurges);
});

describe("an alias to the dynamic resource's type", () => {
  it("moves the source in one up, which the native plugin diffs as unchanged", async () => {
    const dynamic = await dynamicStack();

    expect(await upAt("native-alias")).toEqual({ operations: ["same"], dataSourceId: Number(dynamic.id) });
    expect((await resources()).map((resource) => [resource.type, resource.id])).toEqual([
      [NATIVE_TYPE, dynamic.id],
    ]);
    await test.stack.refresh();
    await test.stack.preview({ expectNoChanges: true });
    expect(count(await immuta.calls(), /^(POST|PUT|DELETE) /)).toBe(0);
  });

  it("after the move, destroy purges the source through the native plugin", destroyPurges);
});
