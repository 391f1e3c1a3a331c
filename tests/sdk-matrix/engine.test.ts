/**
 * One data source through the real engine (the pinned CLI) with the version under test in the program's
 * node_modules: create, an up that changes nothing, a read-only reference to another source (ImmutaS3DataSource.get),
 * a refresh that finds drift, destroy. The program, the package and
 * the dynamic-provider host must all run that one copy of `@pulumi/pulumi`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROVIDER_REFERENCE } from "../../sdk/typescript/provider-reference";
import { API_KEY, count, startTestEmulator, type TestEmulator } from "../e2e/support/emulator";
import {
  createTestStack,
  deploymentOf,
  opsOf,
  resourceNamed,
  stepRecorder,
  type TestStack,
} from "../e2e/support/stack";
import { sdkUnderTest } from "./sdk-under-test";

jest.setTimeout(300_000);

const { version, modules } = sdkUnderTest();
const declared = { matrix: { integrationId: 1, prefix: "s3://acme-matrix/raw", dataSourceName: "matrix" } };

let immuta: TestEmulator;
let test: TestStack;
let processLog: string;
let shared: number;

beforeAll(async () => {
  immuta = await startTestEmulator();
  shared = (await immuta.control.seedDataSource({ name: "shared", prefix: "s3://acme-shared/raw" })).id;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-immuta-sdk-"));
  processLog = path.join(root, "processes.jsonl");
  test = await createTestStack({
    program: "sdk-matrix",
    root,
    immutaUrl: immuta.emulator.url,
    apiKey: API_KEY,
    sources: declared,
    nodeModules: modules,
    envVars: {
      NODE_OPTIONS: `--require ${JSON.stringify(path.join(__dirname, "record-process.js"))}`,
      SDK_MATRIX_PROCESS_LOG: processLog,
    },
  });
});

afterAll(async () => {
  await test?.dispose();
  await immuta?.emulator.close();
});

/** The folder of each `@pulumi/pulumi` whose `cmd/<command>` script a process of the engine ran. */
function sdkDirectoriesThatRan(command: "run" | "dynamic-provider"): string[] {
  const lines = fs.readFileSync(processLog, "utf8").split("\n").filter(Boolean);
  const scripts = lines.map((line) => (JSON.parse(line) as { script: string }).script);
  const pattern = new RegExp(`^(.*)[\\\\/]cmd[\\\\/]${command}([\\\\/]index\\.js)?$`);
  return [...new Set(scripts.flatMap((script) => pattern.exec(script)?.[1] ?? []))];
}

const inProgram = () => path.join(test.programDir, "node_modules", "@pulumi", "pulumi");

it("up creates the source, with the program, the package and the dynamic-provider host on that one SDK", async () => {
  const up = stepRecorder();
  const result = await test.stack.up({ onEvent: up.onEvent });
  expect(opsOf(up.steps)).toEqual({ create: 1 });
  expect(count(await immuta.calls(), "POST /native-s3/handler")).toBe(1);
  const stored = (await immuta.control.store()).dataSources.filter(({ id }) => id !== shared);
  expect(stored.map(({ name, prefix, deleted }) => ({ name, prefix, deleted }))).toEqual([
    { name: "matrix", prefix: "s3://acme-matrix/raw", deleted: false },
  ]);

  const sdk = result.outputs.sdk.value as Record<string, unknown>;
  expect(sdk).toEqual({
    program: { directory: inProgram(), version },
    package: { directory: inProgram(), version },
    oneCopy: true,
  });
  expect(sdkDirectoriesThatRan("run")).toEqual([inProgram()]);
  expect(sdkDirectoriesThatRan("dynamic-provider")).toEqual([inProgram()]);

  const resource = resourceNamed(await deploymentOf(test.stack), "matrix")!;
  expect(resource.inputs.__provider).toBe(PROVIDER_REFERENCE);
  expect(resource.outputs.__provider).toBe(PROVIDER_REFERENCE);
  expect(resource.outputs.dataSourceId).toBe(stored[0].id);
  expect(test.stateFileText()).not.toContain(API_KEY);
});

it("a second up changes nothing and sends Immuta no write", async () => {
  await immuta.clear();
  const up = stepRecorder();
  await test.stack.up({ onEvent: up.onEvent });
  expect(opsOf(up.steps)).toEqual({ same: 1 });
  expect(count(await immuta.calls(), /^(POST|PUT|DELETE) /)).toBe(0);
});

it("a read-only reference (ImmutaS3DataSource.get) reads the source by id and writes nothing", async () => {
  await test.stack.setConfig("e2e:references", { value: JSON.stringify({ shared: String(shared) }) });
  await immuta.clear();
  const up = stepRecorder();
  const result = await test.stack.up({ onEvent: up.onEvent });
  expect(opsOf(up.steps)).toEqual({ same: 1, read: 1 });
  expect(result.outputs.referenced.value).toEqual({
    shared: { dataSourceId: shared, prefix: "s3://acme-shared/raw", immutaName: "shared" },
  });
  expect(await immuta.calls()).toContain(`GET /dataSource/${shared}`);
  expect(count(await immuta.calls(), /^(POST|PUT|DELETE) /)).toBe(0);
  expect(resourceNamed(await deploymentOf(test.stack), "shared")).toMatchObject({ external: true });
});

it("refresh records the drift read found in the state's inputs (read returns inputs)", async () => {
  const source = (await immuta.control.store()).dataSources.find(({ name }) => name === "matrix")!;
  await immuta.control.mutateDataSource(source.id, { deleted: true });
  await immuta.clear();
  // A retried read: its line reaches the output through the engine's Log service, whose gRPC client the provider
  // builds from this SDK's modules (provider/engine-log.ts).
  await immuta.control.setFaults([
    { method: "GET", path: `/dataSource/${source.id}`, kind: "status", status: 503, times: 1 },
  ]);

  let output = "";
  const refreshed = await test.stack.refresh({ onOutput: (text) => (output += text) });
  expect(output).toMatch(
    /Refreshing data source "matrix" \(s3:\/\/acme-matrix\/raw, id \d+\): retrying GET \/dataSource\/\d+ in \d+ ms after HTTP 503 Service Unavailable \(attempt 1 failed\)/,
  );
  expect(output).not.toContain(API_KEY);
  expect(refreshed.summary.resourceChanges).toMatchObject({ update: 1 });
  expect(count(await immuta.calls(), /^(POST|PUT|DELETE) /)).toBe(0);
  const resource = resourceNamed(await deploymentOf(test.stack), "matrix")!;
  expect(resource.outputs.disabled).toBe(true);
  // The inputs come from read's `inputs`; an SDK that dropped them would keep the declared `disabled: false`.
  expect(resource.inputs).toMatchObject({ ...declared.matrix, disabled: true });
  expect(resource.inputs.__provider).toBe(PROVIDER_REFERENCE);
});

it("destroy purges the managed source and leaves the referenced one in Immuta", async () => {
  await immuta.clear();
  const destroy = stepRecorder();
  await test.stack.destroy({ onEvent: destroy.onEvent });
  expect(opsOf(destroy.steps)).toMatchObject({ delete: 1 });
  expect(count(await immuta.calls(), /^DELETE \/dataSource\//)).toBeGreaterThan(0);
  expect((await immuta.control.store()).dataSources.map(({ name }) => name)).toEqual(["shared"]);
});
