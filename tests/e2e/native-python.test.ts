/**
 * A Python program (an Automation API inline program using the generated SDK, pulumi_immuta) drives the native
 * plugin through the real engine against the emulator: the plugin comes from a bundled folder installed with
 * `pulumi plugin install --file`, as the README tells Python users.
 */
import * as path from "node:path";
import { API_KEY, startTestEmulator, type TestEmulator } from "./support/emulator";
import {
  describeInlineLifecycle,
  runInlineStep,
  THREE_SOURCES,
  type StepResult,
} from "./support/inline-lifecycle";
import {
  checkpointText,
  engineEnvironment,
  installBundledPlugin,
  provisionLanguage,
  temporaryFolder,
} from "./support/native-plugin";
import { REPO_ROOT } from "./support/pulumi-cli";
import type { CheckpointResource } from "./support/stack";

jest.setTimeout(600_000);

const PROGRAM = path.join(REPO_ROOT, "tests/e2e/programs/python-inline/program.py");

let immuta: TestEmulator;
let work: ReturnType<typeof temporaryFolder>;
let python: string;
let env: Record<string, string>;

beforeAll(async () => {
  python = provisionLanguage("python");
  immuta = await startTestEmulator();
  work = temporaryFolder("python");
  env = engineEnvironment({
    backendDir: path.join(work.dir, "backend"),
    pulumiHome: path.join(work.dir, "pulumi-home"),
  });
  installBundledPlugin(work.dir, env.PULUMI_HOME);
});

afterAll(async () => {
  work?.remove();
  await immuta?.emulator.close();
});

/** `marketing` with a secret prefix and immutaName as an additional secret output. */
const sources = {
  ...THREE_SOURCES,
  marketing: {
    ...THREE_SOURCES.marketing,
    prefix: { secret: THREE_SOURCES.marketing.prefix },
    secretOutputs: ["immutaName"],
  },
};

function step(name: string, declared: Record<string, unknown>): Promise<StepResult> {
  return runInlineStep(python, [PROGRAM], { env, workDir: work.dir, immuta }, name, declared);
}

function stateSecrets(): void {
  const checkpoint = checkpointText(path.join(work.dir, "backend"), "e2e");
  expect(checkpoint).not.toContain(API_KEY);
  const resources = (
    JSON.parse(checkpoint) as { checkpoint: { latest: { resources: CheckpointResource[] } } }
  ).checkpoint.latest.resources;
  const marketing = resources.find((r) => r.urn.endsWith("::marketing"))!;
  const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
  // The secret input comes back as a secret output, though the plugin only ever sees plain values; so does the
  // output the program marked secret.
  expect(marketing.inputs.prefix).toMatchObject(secret);
  expect(marketing.outputs.prefix).toMatchObject(secret);
  expect(marketing.outputs.immutaName).toMatchObject(secret);
  expect(checkpoint).not.toContain("acme-marketing");
  const research = resources.find((r) => r.urn.endsWith("::research"))!;
  expect(research.outputs.prefix).toBe("s3://acme-research/raw");
  // The provider's configuration holds the key as ciphertext only.
  const provider = resources.find((r) => r.type === "pulumi:providers:immuta")!;
  expect(provider.inputs.apiKey).toMatchObject(secret);
}

describeInlineLifecycle(() => immuta, step, sources, stateSecrets);
