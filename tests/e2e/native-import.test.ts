/**
 * `pulumi import` adopts a source that already exists in Immuta into a stack, reading it by id alone; the next
 * `up` of a program declaring it changes nothing, and from then on the stack manages it (destroy purges it).
 */
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { API_KEY, count, startTestEmulator, type TestEmulator } from "./support/emulator";
import {
  countOperations,
  expectSuccess,
  NATIVE_TYPE,
  run,
  temporaryFolder,
  yamlStack,
} from "./support/native-plugin";
import { pulumiBinDir, REPO_ROOT } from "./support/pulumi-cli";
import { deploymentOf } from "./support/stack";

jest.setTimeout(600_000);

let immuta: TestEmulator;
let work: ReturnType<typeof temporaryFolder>;
let env: Record<string, string>;
let programDir: string;
let stack: Stack;

beforeAll(async () => {
  immuta = await startTestEmulator();
  work = temporaryFolder("import");
  ({ stack, env, programDir } = await yamlStack(
    work.dir,
    path.join(REPO_ROOT, "tests/e2e/programs/yaml-import"),
    immuta,
  ));
});

afterAll(async () => {
  work?.remove();
  await immuta?.emulator.close();
});

it("pulumi import adopts an existing source with GETs only; the next up of its declaration changes nothing", async () => {
  const existing = await immuta.control.seedDataSource({
    name: "legacy-research",
    prefix: "s3://acme-legacy/research",
    integrationId: 1,
  });
  await immuta.clear();

  const imported = await run(
    path.join(pulumiBinDir(), "pulumi"),
    [
      "import",
      NATIVE_TYPE,
      "legacy",
      String(existing.id),
      "--generate-code=false",
      "--yes",
      "--stack",
      "e2e",
    ],
    { cwd: programDir, env },
  );
  expectSuccess("pulumi import", imported);
  expect(imported.stdout).toMatch(/1 imported/);
  expect((await immuta.calls()).every((call) => call.startsWith("GET "))).toBe(true);

  const legacy = (await deploymentOf(stack)).resources!.find((resource) => resource.type === NATIVE_TYPE)!;
  expect(legacy.id).toBe(String(existing.id));
  expect(legacy.outputs).toMatchObject({
    dataSourceId: existing.id,
    dataSourceName: "legacy-research",
    prefix: "s3://acme-legacy/research",
    integrationId: 1,
    tenant: "default",
    disabled: false,
  });

  await stack.preview({ expectNoChanges: true });
  const operations: { op: string }[] = [];
  await stack.up({
    onEvent: (event) => {
      if (event.resourcePreEvent?.metadata.type === NATIVE_TYPE)
        operations.push({ op: event.resourcePreEvent.metadata.op });
    },
  });
  expect(countOperations(operations)).toEqual({ same: 1 });
  expect(count(await immuta.calls(), /^(POST|PUT|DELETE) /)).toBe(0);
});

it("an id Immuta does not know fails the import, naming the id and the 404", async () => {
  const imported = await run(
    path.join(pulumiBinDir(), "pulumi"),
    ["import", NATIVE_TYPE, "missing", "4242", "--generate-code=false", "--yes", "--stack", "e2e"],
    { cwd: programDir, env },
  );
  expect(imported.code).not.toBe(0);
  expect(imported.stdout + imported.stderr).toContain(
    "Reading data source id 4242 failed: Immuta answered 404 to GET /dataSource/4242",
  );
  expect(imported.stdout + imported.stderr).not.toContain(API_KEY);
});

it("once imported, the stack manages the source: destroy purges it with two DELETEs", async () => {
  const [legacy] = (await immuta.control.store()).dataSources;
  await immuta.clear();
  await stack.destroy();
  expect(count(await immuta.calls(), `DELETE /dataSource/${legacy.id}`)).toBe(2);
  expect((await immuta.control.store()).dataSources).toEqual([]);
});
