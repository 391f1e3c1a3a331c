/**
 * A Go program (an Automation API inline program using the generated SDK, sdk/go/immuta, built from
 * tools/pulumi-cli/inline-program-go) drives the native plugin through the real engine against the emulator. The
 * plugin comes from PATH, as npm's bin puts it there for a Node.js project.
 */
import * as path from "node:path";
import { startTestEmulator, type TestEmulator } from "./support/emulator";
import { describeInlineLifecycle, runInlineStep, type StepResult } from "./support/inline-lifecycle";
import {
  engineEnvironment,
  expectSuccess,
  pluginOnPath,
  run,
  temporaryFolder,
} from "./support/native-plugin";
import { REPO_ROOT } from "./support/pulumi-cli";

jest.setTimeout(600_000);

let immuta: TestEmulator;
let work: ReturnType<typeof temporaryFolder>;
let program: string;
let env: Record<string, string>;

beforeAll(async () => {
  work = temporaryFolder("go");
  program = path.join(work.dir, "inline-program-go");
  // GOFLAGS as the caller has them, without -mod=mod: a test must never rewrite go.mod or go.sum.
  expectSuccess(
    "go build ./inline-program-go",
    await run("go", ["build", "-o", program, "./inline-program-go"], {
      cwd: path.join(REPO_ROOT, "tools/pulumi-cli"),
      env: process.env,
      timeoutMs: 540_000,
    }),
  );
  immuta = await startTestEmulator();
  env = engineEnvironment({
    backendDir: path.join(work.dir, "backend"),
    pulumiHome: path.join(work.dir, "pulumi-home"),
    path: [pluginOnPath(work.dir)],
  });
});

afterAll(async () => {
  work?.remove();
  await immuta?.emulator.close();
});

function step(name: string, declared: Record<string, unknown>): Promise<StepResult> {
  return runInlineStep(program, [], { env, workDir: work.dir, immuta }, name, declared);
}

describeInlineLifecycle(() => immuta, step);
