/**
 * A stack moves a source from the dynamic resource to the native one without touching Immuta, as
 * docs/migrating-to-the-native-plugin.md describes: import it under the native type, drop the dynamic resource
 * from state, switch the program. Immuta receives no POST, PUT or DELETE until the stack is destroyed.
 */
import * as path from "node:path";
import { API_KEY, count, startTestEmulator, type TestEmulator } from "./support/emulator";
import { expectSuccess, installNodeSdk, NATIVE_TYPE, run } from "./support/native-plugin";
import { pulumiBinDir } from "./support/pulumi-cli";
import { createTestStack, type TestStack } from "./support/stack";

jest.setTimeout(600_000);

const DYNAMIC_TYPE = "pulumi-nodejs:dynamic/immuta:S3DataSource";

let immuta: TestEmulator;
let test: TestStack;

beforeAll(async () => {
  immuta = await startTestEmulator();
  test = await createTestStack({ program: "migration", immutaUrl: immuta.emulator.url, apiKey: API_KEY });
  installNodeSdk(test.programDir);
  await test.stack.setConfig("e2e:stage", { value: "dynamic" });
});

afterAll(async () => {
  await test?.dispose();
  await immuta?.emulator.close();
});

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
  const deployment = (await test.stack.exportStack()).deployment as {
    resources: { urn: string; type: string; id?: string }[];
  };
  return deployment.resources.filter(
    (resource) => resource.type === DYNAMIC_TYPE || resource.type === NATIVE_TYPE,
  );
}

it("moves the source from the dynamic to the native resource with GETs only", async () => {
  await test.stack.up();
  const [dynamic] = await resources();
  expect(dynamic.type).toBe(DYNAMIC_TYPE);
  const id = dynamic.id!;
  await immuta.clear();

  // 1. Adopt the source under the native type (same name, another URN).
  await pulumi(["import", NATIVE_TYPE, "research", id, "--generate-code=false", "--yes"]);
  // 2. Drop the dynamic resource from state: Immuta is not called.
  await pulumi(["state", "delete", dynamic.urn, "--yes"]);
  expect((await resources()).map((resource) => [resource.type, resource.id])).toEqual([[NATIVE_TYPE, id]]);

  // 3. The program now declares the native resource: nothing to do for the source.
  await test.stack.setConfig("e2e:stage", { value: "native" });
  const operations: string[] = [];
  const up = await test.stack.up({
    onEvent: (event) => {
      const metadata = event.resourcePreEvent?.metadata;
      if (metadata?.type === NATIVE_TYPE) operations.push(metadata.op);
    },
  });
  expect(operations).toEqual(["same"]);
  expect(up.outputs.dataSourceId.value).toBe(Number(id));
  expect(count(await immuta.calls(), /^(POST|PUT|DELETE) /)).toBe(0);
  expect((await immuta.control.store()).dataSources.map((source) => source.id)).toEqual([Number(id)]);
});

it("after the move, destroy purges the source through the native plugin", async () => {
  const [source] = (await immuta.control.store()).dataSources;
  await immuta.clear();
  await test.stack.destroy();
  expect(count(await immuta.calls(), `DELETE /dataSource/${source.id}`)).toBe(2);
  expect((await immuta.control.store()).dataSources).toEqual([]);
});
