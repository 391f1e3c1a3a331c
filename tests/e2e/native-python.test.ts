/**
 * A Python program (an Automation API inline program using the generated SDK, pulumi_immuta) drives the native
 * plugin through the real engine against the emulator: the plugin comes from a bundled folder installed with
 * `pulumi plugin install --file`, as the README tells Python users.
 */
import * as path from "node:path";
import { API_KEY, count, startTestEmulator, type TestEmulator } from "./support/emulator";
import { pulumiBinDir, REPO_ROOT } from "./support/pulumi-cli";
import {
  checkpointText,
  countOperations,
  engineEnvironment,
  expectSuccess,
  installBundledPlugin,
  provisionLanguage,
  run,
  temporaryFolder,
} from "./support/native-plugin";

jest.setTimeout(600_000);

const PROGRAM = path.join(REPO_ROOT, "tests/e2e/programs/python-inline/program.py");

const three = {
  research: { integrationId: 1, prefix: "s3://acme-research/raw/", dataSourceName: "research" },
  finance: { integrationId: 1, prefix: "s3://acme-finance", dataSourceName: "finance" },
  marketing: {
    integrationId: 1,
    prefix: { secret: "s3://acme-marketing/campaigns/2026" },
    dataSourceName: "marketing",
    secretOutputs: ["immutaName"],
  },
};

interface StepResult {
  operations: { name: string; op: string; keys: string[] }[];
  changes: Record<string, number>;
  outputs: Record<string, { dataSourceId: number; immutaName: string }>;
}

let immuta: TestEmulator;
let work: ReturnType<typeof temporaryFolder>;
let python: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  python = provisionLanguage("python");
  immuta = await startTestEmulator();
  work = temporaryFolder("python");
  env = engineEnvironment({
    backendDir: path.join(work.dir, "backend"),
    pulumiHome: path.join(work.dir, "pulumi-home"),
  });
  installBundledPlugin(work.dir, env.PULUMI_HOME!);
});

afterAll(async () => {
  work?.remove();
  await immuta?.emulator.close();
});

async function step(name: string, sources: Record<string, unknown> = three): Promise<StepResult> {
  const result = expectSuccess(
    `python program.py ${name}`,
    await run(python, [PROGRAM, name], {
      env: {
        ...env,
        E2E_WORK_DIR: work.dir,
        E2E_PULUMI_ROOT: path.dirname(pulumiBinDir()),
        E2E_IMMUTA_URL: immuta.emulator.url,
        E2E_IMMUTA_API_KEY: API_KEY,
        E2E_SOURCES: JSON.stringify(sources),
      },
    }),
  );
  return JSON.parse(result.stdout.trim().split("\n").pop()!) as StepResult;
}

const stored = async () => (await immuta.control.store()).dataSources;

it("up creates the three sources; a second up and a refresh change nothing and write nothing", async () => {
  const first = await step("up");
  expect(countOperations(first.operations)).toEqual({ create: 3 });
  expect(count(await immuta.calls(), "POST /native-s3/handler")).toBe(3);
  const sources = await stored();
  expect(
    sources
      .map(({ name, prefix, deleted }) => ({ name, prefix, deleted }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  ).toEqual([
    { name: "finance", prefix: "s3://acme-finance", deleted: false },
    { name: "marketing", prefix: "s3://acme-marketing/campaigns/2026", deleted: false },
    { name: "research", prefix: "s3://acme-research/raw", deleted: false },
  ]);
  expect(first.outputs.research.dataSourceId).toBe(sources.find((s) => s.name === "research")!.id);

  await immuta.clear();
  const second = await step("up");
  expect(countOperations(second.operations)).toEqual({ same: 3 });
  // Summaries count the stack too: the three sources and the stack, all unchanged.
  const refresh = await step("refresh");
  expect(refresh.changes).toEqual({ same: 4 });
  const preview = await step("preview");
  expect(preview.changes).toEqual({ same: 4 });
  expect(count(await immuta.calls(), /^(POST|PUT|DELETE) /)).toBe(0);
});

it("state holds no API key in plain text, and secret inputs and additional secret outputs stay secret", async () => {
  const checkpoint = checkpointText(path.join(work.dir, "backend"), "e2e");
  expect(checkpoint).not.toContain(API_KEY);
  const deployment = JSON.parse(checkpoint) as {
    checkpoint: {
      latest: {
        resources: {
          type: string;
          urn: string;
          inputs: Record<string, unknown>;
          outputs: Record<string, unknown>;
        }[];
      };
    };
  };
  const marketing = deployment.checkpoint.latest.resources.find((r) => r.urn.endsWith("::marketing"))!;
  const secretSignature = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
  // The secret input comes back as a secret output, though the plugin never saw a secret; so does immutaName.
  expect(marketing.outputs.prefix).toMatchObject(secretSignature);
  expect(marketing.outputs.immutaName).toMatchObject(secretSignature);
  expect(marketing.inputs.prefix).toMatchObject(secretSignature);
  expect(checkpoint).not.toContain("acme-marketing");
  const research = deployment.checkpoint.latest.resources.find((r) => r.urn.endsWith("::research"))!;
  expect(research.outputs.prefix).toBe("s3://acme-research/raw");
  // The provider's own config: the key only as ciphertext.
  const provider = deployment.checkpoint.latest.resources.find((r) => r.type === "pulumi:providers:immuta")!;
  expect(provider.inputs.apiKey).toMatchObject(secretSignature);
});

it("renaming a source replaces it: two DELETEs of the old source before one POST", async () => {
  const before = (await stored()).find((s) => s.name === "research")!;
  const renamed = { ...three, research: { ...three.research, dataSourceName: "research-v2" } };
  await immuta.clear();

  const preview = await step("preview", renamed);
  expect(preview.operations.find((o) => o.op === "replace")).toMatchObject({
    name: "research",
    keys: ["dataSourceName"],
  });
  expect(count(await immuta.calls(), /^(POST|PUT|DELETE) /)).toBe(0);

  const up = await step("up", renamed);
  expect(countOperations(up.operations)).toMatchObject({ replace: 1, same: 2 });
  const calls = (await immuta.calls()).filter((call) => /^(POST|DELETE) /.test(call));
  expect(calls).toEqual([
    `DELETE /dataSource/${before.id}`,
    `DELETE /dataSource/${before.id}`,
    "POST /native-s3/handler",
  ]);
  expect((await stored()).map((s) => s.name).sort()).toEqual(["finance", "marketing", "research-v2"]);
  three.research = renamed.research;
});

it("destroy sends two DELETEs per source and leaves nothing in Immuta", async () => {
  const before = await stored();
  await immuta.clear();
  const destroyed = await step("destroy");
  expect(countOperations(destroyed.operations)).toEqual({ delete: 3 });
  const calls = await immuta.calls();
  for (const source of before) expect(count(calls, `DELETE /dataSource/${source.id}`)).toBe(2);
  expect(await stored()).toEqual([]);
});
