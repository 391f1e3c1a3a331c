/**
 * `pulumi-immuta doctor` in a Pulumi project: it reads the stack's config (secrets decrypted, as the provider gets
 * them) and state, checks the integrations and reads the data sources the state holds, and tells a source hidden
 * from the key's user from one that is gone.
 */
import * as path from "node:path";
import { API_KEY, startTestEmulator, type TestEmulator } from "../e2e/support/emulator";
import { pulumiBinDir } from "../e2e/support/pulumi-cli";
import { createTestStack, PASSPHRASE, type TestStack } from "../e2e/support/stack";
import { textContaining } from "../helpers/matchers";
import { checkNamed, runCli, verdicts } from "./support";
import type { DoctorReport } from "../../doctor/report";

jest.setTimeout(300_000);

let immuta: TestEmulator;
let test: TestStack;
let env: NodeJS.ProcessEnv;
let dataSourceId: number;

beforeAll(async () => {
  immuta = await startTestEmulator();
  test = await createTestStack({
    immutaUrl: immuta.emulator.url,
    apiKey: API_KEY,
    sources: { research: { integrationId: 1, prefix: "s3://acme-research/raw", dataSourceName: "research" } },
  });
  await test.stack.up();
  dataSourceId = (await immuta.control.store()).dataSources[0].id;
  // What a user's shell holds for this stack: backend, passphrase, PULUMI_HOME; no IMMUTA_* variable.
  env = {
    PATH: process.env.PATH,
    PULUMI_BACKEND_URL: `file://${test.backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_HOME: path.join(test.root, "pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
});

afterAll(async () => {
  await test?.dispose();
  await immuta?.emulator.close();
});

async function doctor(args: string[]): Promise<{ code: number; report: DoctorReport; stdout: string }> {
  const pulumiRoot = path.dirname(pulumiBinDir());
  const output = await runCli(
    ["doctor", "--json", "--cwd", test.programDir, "--pulumi-root", pulumiRoot, ...args],
    env,
  );
  return { code: output.code, report: JSON.parse(output.stdout) as DoctorReport, stdout: output.stdout };
}

it("reads the selected stack's config and state: its integration and its source are checked", async () => {
  const { code, report, stdout } = await doctor([]);
  expect(code).toBe(0);
  expect(report.source).toEqual({ stack: "e2e" });
  expect(verdicts(report)).toEqual({
    configuration: "ok",
    reach: "ok",
    authentication: "ok",
    permissions: "ok",
    search: "ok",
    [`read data source ${dataSourceId}`]: "ok",
    "integration 1": "ok",
    "prefix form": "ok",
  });
  expect(checkNamed(report, "configuration").summary).toContain(
    "URL from immuta:url, API key from immuta:apiKey",
  );
  expect(stdout).not.toContain(API_KEY);
});

it("a source of the state hidden from the key's user fails; one purged behind Pulumi's back is a warning", async () => {
  // A disabled source is visible to its owner only: the key's user (GOVERNANCE, not the owner) cannot see it.
  await immuta.control.mutateDataSource(dataSourceId, { deleted: true, owner: "someone-else" });
  const hidden = await doctor(["--stack", "e2e"]);
  expect(hidden.code).toBe(1);
  expect(checkNamed(hidden.report, `read data source ${dataSourceId}`)).toMatchObject({
    verdict: "failed",
    summary: textContaining("its handler 1001 answers, so the source exists"),
    fix: textContaining("GOVERNANCE permission"),
  });

  await immuta.control.purgeDataSource(dataSourceId);
  const gone = await doctor(["--stack", "e2e"]);
  expect(gone.code).toBe(0);
  expect(checkNamed(gone.report, `read data source ${dataSourceId}`)).toMatchObject({
    verdict: "warning",
    fix: "pulumi refresh drops it from the state; the next pulumi up registers it again.",
  });
});

it("a stack that cannot be read fails and says what to check", async () => {
  const { code, report } = await doctor(["--stack", "no-such-stack"]);
  expect(code).toBe(1);
  expect(report.checks).toEqual([
    {
      check: "stack",
      verdict: "failed",
      summary: textContaining('cannot read stack "no-such-stack"'),
    },
  ]);
});
